/**
 * CLI: `wirelab dlog <g> <h> <p> [--method …] [--json]`, `wirelab dlog precompute <p> <g> --out db.json`,
 * `wirelab dlog solve db.json <h>`, `wirelab logjam [--bits N] [--servers N] [--config file]`.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import type { CliCommand, CliIO } from "../cli/types";
import { InputError } from "../util/errors";
import { dlog, METHODS, type Method } from "./dlog";
import { humanDuration, loadDb, precompute, progressBar, saveDb, solve, relationProgress } from "./index-calculus";
import { bitLength } from "../math/modular";
import { checkAnswer } from "./verify";
import { breakAll, buildInternet, cumulativeCost, parseInternetConfig, type InternetConfig } from "./logjam";

function big(s: string | undefined, where: string): bigint {
  if (s === undefined) throw new InputError("missing argument", { where });
  const t = s.trim().replace(/n$/, "");
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) throw new InputError("expected a non-negative integer", { value: s, where });
  return BigInt(t);
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x), 2);

const DLOG_USAGE = `Usage:
  wirelab dlog <g> <h> <p> [--method brute|bsgs|rho|kangaroo|ph|index] [--lo N --hi N] [--force] [--json]
  wirelab dlog precompute <p> <g> --out db.json [--bound B] [--workers N] [--force]
  wirelab dlog solve db.json <h> [--json]
Computes x with g^x ≡ h (mod p), or says that no x exists.`;

async function runDlog(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      method: { type: "string" },
      json: { type: "boolean" },
      force: { type: "boolean" },
      out: { type: "string" },
      bound: { type: "string" },
      workers: { type: "string" },
      lo: { type: "string" },
      hi: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || positionals.length === 0) {
    io.out(DLOG_USAGE);
    return values.help ? 0 : 2;
  }
  if (positionals[0] === "precompute") {
    const p = big(positionals[1], "dlog precompute <p>");
    const g = big(positionals[2], "dlog precompute <p> <g>");
    if (!values.out)
      throw new InputError("--out is required", { where: "dlog precompute", hint: "e.g. --out db.json" });
    const bound = values.bound === undefined ? undefined : Number(values.bound);
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 64))
      throw new InputError("--workers must be an integer from 0 to 64", { value: values.workers, where: "--workers" });
    const t0 = Date.now();
    let shown = 0;
    const db = precompute(p, g, {
      force: values.force,
      bound,
      workers,
      // Announced once the inputs are accepted: a refused size gets the refusal alone.
      onStart: (est) => {
        if (est >= 5) io.err(`precomputation for a ${bitLength(p)}-bit prime: ${humanDuration(est)} of CPU estimated`);
      },
      onProgress: (n, need) => {
        // At most one line a second, after the first two: a bar, relations so far and the time left.
        const now = Date.now();
        if (now - t0 < 2000 || now - shown < 1000) return;
        shown = now;
        const { target, note } = relationProgress(now - t0, n, need, bitLength(p), bound === undefined);
        io.err(`${progressBar(n, target)} relations ${n} of about ${target}, ${note}`);
      },
      onPhase: (note) => {
        if (Date.now() - t0 >= 2000) io.err(`${note} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      },
    });
    saveDb(db, values.out);
    const large = db.stats.largePrimes ? ` and ${db.stats.largePrimes} large primes` : "";
    io.out(
      values.json
        ? json(db.stats)
        : `wrote ${values.out}: ${db.stats.solvedLogs}/${db.primes.length} logs (primes ≤ ` +
            `${db.bound}${large}), ${db.stats.relations} relations, ${(db.stats.totalMs / 1000).toFixed(2)} s, ` +
            `${db.stats.dbBytes} bytes`,
    );
    return 0;
  }
  if (positionals[0] === "solve") {
    const file = positionals[1];
    if (!file) throw new InputError("missing database file", { where: "dlog solve <db.json> <h>" });
    const db = loadDb(file);
    const h = big(positionals[2], "dlog solve <db.json> <h>");
    const s = solve(db, h);
    // Never print a log that is not one: g^x ≡ h is checked here, whatever produced x.
    if (s.x !== null) checkAnswer(db.g, h, db.p, s.x, `dlog solve ${file} ${h}`);
    if (values.json) io.out(json({ p: db.p, g: db.g, h, x: s.x, candidates: s.candidates, ms: s.ms, note: s.note }));
    else
      io.out(
        s.x === null
          ? `no solution: ${s.note}`
          : `x = ${s.x}  (${s.candidates} candidates, ${s.ms.toFixed(1)} ms, g^x = h verified)`,
      );
    return s.x === null ? 1 : 0;
  }
  const [gs, hs, ps] = positionals;
  const method = values.method as Method | undefined;
  if (method !== undefined && !METHODS.includes(method))
    throw new InputError(`--method must be one of ${METHODS.join(", ")}`, { value: method, where: "--method" });
  const r = dlog(big(gs, "dlog <g>"), big(hs, "dlog <g> <h>"), big(ps, "dlog <g> <h> <p>"), {
    method,
    force: values.force,
    lo: values.lo === undefined ? undefined : big(values.lo, "--lo"),
    hi: values.hi === undefined ? undefined : big(values.hi, "--hi"),
  });
  if (values.json) io.out(json(r));
  else if (r.x === null) io.out(`no solution (${r.method}): ${r.note ?? ""}`);
  else
    io.out(
      `x = ${r.x}  (${r.method}, ord(g) = ${r.orderFactors}, ${r.steps} group operations, ` +
        `${r.ms.toFixed(1)} ms, g^x = h verified)`,
    );
  return r.x === null ? 1 : 0;
}

async function runLogjam(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      bits: { type: "string" },
      servers: { type: "string" },
      handshakes: { type: "string" },
      config: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.out(logjam.usage);
    return 0;
  }
  let cfg: Partial<InternetConfig> = {};
  if (values.config) {
    if (!fs.existsSync(values.config))
      throw new InputError("config file not found", { value: values.config, where: "--config" });
    cfg = parseInternetConfig(fs.readFileSync(values.config, "utf8"), values.config);
  }
  const num = (s: string | undefined, where: string) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n)) throw new InputError("expected an integer", { value: s, where });
    return n;
  };
  const bits = num(values.bits, "--bits");
  const servers = num(values.servers, "--servers");
  const handshakes = num(values.handshakes, "--handshakes");
  if (bits !== undefined) cfg.bits = bits;
  if (servers !== undefined) cfg.servers = servers;
  if (handshakes !== undefined) cfg.handshakes = handshakes;
  const net = buildInternet(cfg);
  io.err(
    `recorded ${net.handshakes.length} handshakes with ${net.servers.length} servers over ` +
      `${net.groups.length} distinct ${net.config.bits}-bit primes`,
  );
  let lastShown = 0;
  const report = breakAll(net.handshakes, {
    onProgress: (done, total) => {
      if (Date.now() - lastShown > 1000 || done === total) {
        lastShown = Date.now();
        io.err(`broken ${done}/${total}`);
      }
    },
  });
  const cost = cumulativeCost(report);
  const last = cost[cost.length - 1]!;
  if (values.json) {
    io.out(
      json({
        config: net.config,
        precomputations: report.precomputations,
        broken: report.broken,
        totalMs: report.totalMs,
        withReuseS: last.withReuseS,
        withoutReuseS: last.withoutReuseS,
      }),
    );
  } else {
    io.out(
      `broke ${report.broken}/${report.sessions.length} sessions in ${(report.totalMs / 1000).toFixed(1)} ` +
        `s with ${report.precomputations.length} precomputations`,
    );
    io.out(
      `cost with reuse ${last.withReuseS.toFixed(1)} s; without reuse (one precomputation per session) ` +
        `${last.withoutReuseS.toFixed(1)} s`,
    );
    for (const s of report.sessions.slice(0, 3)) io.out(`  session ${s.id} [${s.group}]: "${s.message}"`);
  }
  return report.broken === report.sessions.length ? 0 : 1;
}

export const dlogCommand: CliCommand = {
  name: "dlog",
  summary: "discrete logs: brute/bsgs/rho/kangaroo/Pohlig-Hellman/index calculus; precompute and solve",
  usage: DLOG_USAGE,
  run: runDlog,
};

export const logjam: CliCommand = {
  name: "logjam",
  summary: "the Logjam lab: one precomputation per shared prime breaks every recorded session",
  usage: `Usage: wirelab logjam [--bits N] [--servers N] [--handshakes N] [--config labs/dlog/internet.conf] [--json]`,
  run: runLogjam,
};

export const commands: CliCommand[] = [dlogCommand, logjam];

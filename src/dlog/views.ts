/**
 * Display helpers for the discrete-log notebook: turn ladder results, index-calculus databases and
 * Logjam attack reports into tables and vega-lite charts (data in, view out; nothing is printed).
 */
import { progress, renderTable, type ChartSpec, type Progress, type TableView } from "../notebook";
import type { DlogResult } from "./dlog";
import { bitLength } from "../math/modular";
import { precompute, relationProgress, type IndexDb, type PrecomputeOptions, type SolveResult } from "./index-calculus";
import { cumulativeCost, type AttackReport } from "./logjam";

/** One row per (method, bits) result. */
export function ladderTable(results: Array<DlogResult & { bits: number }>, caption = "Discrete-log ladder"): TableView {
  return renderTable(
    results.map((r) => ({
      bits: r.bits,
      method: r.method,
      x: r.x === null ? "none" : r.x.toString(),
      steps: r.steps,
      stored: r.stored,
      ms: Number(r.ms.toFixed(2)),
    })),
    { caption },
  );
}

/** Log-scale chart of group operations against bits, one line per method. */
export function costChart(
  results: Array<{ bits: number; method: string; steps: number; ms?: number }>,
  title = "Cost of one discrete log vs prime size",
  measure: "steps" | "ms" = "steps",
): ChartSpec {
  const value = (r: { steps: number; ms?: number }) =>
    measure === "ms" ? Math.max(0.01, r.ms ?? 0) : Math.max(1, r.steps);
  return {
    title,
    width: 420,
    height: 260,
    data: { values: results.map((r) => ({ bits: r.bits, method: r.method, [measure]: value(r) })) },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "bits", type: "quantitative", title: "bits of p" },
      y: {
        field: measure,
        type: "quantitative",
        scale: { type: "log" },
        title: measure === "ms" ? "milliseconds (log scale)" : "group operations (log scale)",
      },
      color: { field: "method", type: "nominal" },
    },
  } as ChartSpec;
}

/** The first rows of a relation database: prime and its virtual log. */
export function dbTable(db: IndexDb, rows = 12): TableView {
  return renderTable(
    db.primes
      .slice(0, rows)
      .map((l, i) => ({ prime: l, "L(prime) mod q": db.logs[i] === null ? "unknown" : db.logs[i]!.toString() })),
    {
      caption:
        `Database for p = ${db.p} (${db.stats.bits} bits): ${db.stats.solvedLogs}/${db.primes.length} ` +
        `logs, ${db.stats.relations} relations, ${db.stats.totalMs.toFixed(0)} ms, ${db.stats.dbBytes} bytes`,
    },
  );
}

/** How one target was solved: the smooth decomposition h·g^k ≡ ± num/den. */
export function descentText(db: IndexDb, h: bigint, s: SolveResult): string {
  if (s.x === null) return `no log: ${s.note ?? ""}`;
  const power = ([l, e]: [number, number]) => (e === 1 ? `${l}` : `${l}^${e}`);
  const f = (xs: Array<[number, number]> = []) => xs.map(power).join("·") || "1";
  return (
    `h·g^${s.k} ≡ ± ${f(s.num)} / ${f(s.den)} (mod ${db.p}) after ${s.candidates} candidates → log_g(h) ` +
    `= ${s.x} in ${s.ms.toFixed(2)} ms`
  );
}

/** Summary of the attack per prime. */
export function attackTable(r: AttackReport): TableView {
  return renderTable(
    r.precomputations.map((p) => ({
      prime: p.group,
      bits: p.bits,
      "precompute ms": Math.round(p.ms),
      "factor base": p.factorBase,
      sessions: p.sessions,
    })),
    {
      caption:
        `${r.broken}/${r.sessions.length} sessions decrypted in ${(r.totalMs / 1000).toFixed(1)} s ` +
        `with ${r.precomputations.length} precomputations`,
    },
  );
}

/** Cumulative cost with one precomputation per prime vs one per session. */
export function reuseChart(r: AttackReport): ChartSpec {
  const rows = cumulativeCost(r);
  const step = Math.max(1, Math.floor(rows.length / 200));
  const values = rows
    .filter((_, i) => i % step === 0 || i === rows.length - 1)
    .flatMap((x) => [
      { session: x.session, seconds: x.withReuseS, attack: "reuse the precomputation" },
      { session: x.session, seconds: x.withoutReuseS, attack: "precompute every session" },
    ]);
  return {
    title: "Cumulative attack cost",
    width: 420,
    height: 260,
    data: { values },
    mark: "line",
    encoding: {
      x: { field: "session", type: "quantitative", title: "sessions broken" },
      y: { field: "seconds", type: "quantitative", scale: { type: "log" }, title: "cumulative seconds (log scale)" },
      color: { field: "attack", type: "nominal" },
    },
  } as ChartSpec;
}

/**
 * `precompute` with a progress bar (src/notebook progress) that appears only once the
 * precomputation has run for more than 2 seconds; short runs print nothing.
 */
export function precomputeWithProgress(p: bigint, g: bigint, opts: PrecomputeOptions = {}): IndexDb {
  const t0 = Date.now();
  const defaults = [opts.bound, opts.width, opts.largeMult, opts.method].every((o) => o === undefined);
  let bar: Progress | undefined;
  const db = precompute(p, g, {
    ...opts,
    onProgress: (found, needed) => {
      const { target, note } = relationProgress(Date.now() - t0, found, needed, bitLength(p), defaults);
      if (!bar && Date.now() - t0 > 2000) bar = progress(target, "collecting relations");
      bar?.update(found, note);
      opts.onProgress?.(found, needed);
    },
  });
  bar?.done(
    `${db.stats.relations} relations, ${db.stats.solvedLogs}/${db.primes.length} logs in ` +
      `${(db.stats.totalMs / 1000).toFixed(1)} s`,
  );
  return db;
}

/** The kept relations as rows: the congruence found and the linear equation it gives. */
export function relationsTable(db: IndexDb): TableView {
  const f = (xs: Array<[number, number]>) => xs.map(([l, e]) => (e === 1 ? `${l}` : `${l}^${e}`)).join("·") || "1";
  return renderTable(
    (db.sample ?? []).map((s) => ({
      k: s.k.toString(),
      "g^k ≡ r/t (mod p)": `${s.r} / ${s.t}`,
      "r/t factored":
        `${f(s.factors.filter(([, e]) => e > 0))} / ` +
        `${f(s.factors.filter(([, e]) => e < 0).map(([l, e]) => [l, -e]))}`,
      "equation mod q": `${s.factors
        .map(
          ([l, e], i) =>
            `${e < 0 ? (i ? " − " : "−") : i ? " + " : ""}${Math.abs(e) === 1 ? "" : Math.abs(e) + "·"}L(${l})`,
        )
        .join("")} ≡ ${s.k}`,
    })),
    { caption: `First relations for p = ${db.p}, g = ${db.g}, factor base = primes ≤ ${db.bound}` },
  );
}

import { it, expect } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { commands } from "../../src/dlog/cli";
import { runCli } from "../helpers/cli";
import { randomSafePrime } from "../../src/math/primes";
import { modPow } from "../../src/math/modular";
import { Rng } from "../../src/util/rng";
import {
  algebraSeconds,
  estimateSeconds,
  expectedRelations,
  precompute,
  progressBar,
  relationProgress,
  timeLeftNote,
} from "../../src/dlog";

const run = (name: string, args: string[]) =>
  runCli(
    commands.find((c) => c.name === name)!,
    args,
  );

it("wirelab dlog <g> <h> <p> with every method, and --json", { timeout: 30000 }, async () => {
  for (const m of ["brute", "bsgs", "rho", "kangaroo", "ph"]) {
    const r = await run("dlog", ["2", "9", "11", "--method", m]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^x = 6 /);
  }
  const j = JSON.parse((await run("dlog", ["5", "8", "23", "--json"])).out);
  expect(j.x).toBe("6");
  expect(j.verified).toBe(true);
  const none = await run("dlog", ["4", "5", "23"]);
  expect(none.code).toBe(1);
  expect(none.out).toMatch(/no solution/);
  await expect(run("dlog", ["2", "x9", "11"])).rejects.toThrow(/expected a non-negative integer.*"x9"/);
  await expect(run("dlog", ["2", "9", "11", "--method", "nfs"])).rejects.toThrow(/--method must be one of/);
});

it("wirelab dlog precompute … --out db.json, then dlog solve db.json <h>", { timeout: 60000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wldlog-"));
  try {
    const { p } = randomSafePrime(40, new Rng(3));
    const db = path.join(dir, "db.json");
    const pre = await run("dlog", ["precompute", p.toString(), "2", "--out", db]);
    expect(pre.code, pre.err).toBe(0);
    expect(fs.existsSync(db)).toBeTruthy();
    const h = modPow(2n, 31337n, p);
    const s = await run("dlog", ["solve", db, h.toString(), "--json"]);
    const x = BigInt(JSON.parse(s.out).x);
    expect(modPow(2n, x, p)).toBe(h);
    await expect(run("dlog", ["solve", path.join(dir, "missing.json"), "5"])).rejects.toThrow(
      /database file not found/,
    );
    // Above 128 bits the precomputation is refused with the cost model's estimate.
    const big = randomSafePrime(160, new Rng(1)).p;
    await expect(run("dlog", ["precompute", big.toString(), "2", "--out", db])).rejects.toThrow(
      /stops at 128 bits \(about .* estimated\)/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it("wirelab logjam --bits 32 --servers 10 --handshakes 40 breaks every session", { timeout: 60000 }, async () => {
  const r = await run("logjam", ["--bits", "32", "--servers", "10", "--handshakes", "40"]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/broke 40\/40 sessions/);
});

it("dlog precompute: --workers is checked; a progress bar shows relations and the time left", async () => {
  const { p } = randomSafePrime(40, new Rng(3));
  for (const bad of ["two", "1.5", "65"]) {
    await expect(run("dlog", ["precompute", p.toString(), "2", "--out", "x.json", "--workers", bad])).rejects.toThrow(
      new RegExp(`--workers must be an integer from 0 to 64.*"${bad.replace(".", "\\.")}"`),
    );
  }
  expect(progressBar(0, 10, 10)).toBe("[··········] 0 %");
  expect(progressBar(5, 10, 10)).toBe("[#####·····] 50 %");
  expect(progressBar(12, 10, 10)).toBe("[##########] 100 %");
  expect(timeLeftNote(2000, 25, 100)).toBe("2.0 s, about 6.0 s left");
  expect(timeLeftNote(2000, 25, 100, 30)).toBe("2.0 s, about 36 s left (30 s of it linear algebra)");
  expect(timeLeftNote(2000, 100, 100, 30)).toBe("2.0 s");
});

it("the progress target and time left: expected relations match real runs; the algebra is counted", async () => {
  // The sieve's own target grows as large primes appear; the display's target is the measured
  // final count, which real runs at the default parameters must still reach (within 20 %).
  for (const bits of [72, 88]) {
    const { p } = randomSafePrime(bits, new Rng(bits + 11));
    const relations = precompute(p, 2n).stats.relations;
    const ratio = relations / expectedRelations(bits);
    expect(ratio, `${bits} bits: ${relations} relations`).toBeGreaterThan(0.8);
    expect(ratio, `${bits} bits: ${relations} relations`).toBeLessThan(1.2);
  }
  for (let bits = 64; bits < 136; bits += 8) {
    expect(expectedRelations(bits + 8)).toBeGreaterThan(expectedRelations(bits));
    expect(algebraSeconds(bits + 8)).toBeGreaterThanOrEqual(algebraSeconds(bits));
  }
  const early = relationProgress(2000, 19_000, 22_000, 128, true);
  expect(early.target).toBe(expectedRelations(128));
  expect(early.note).toMatch(/^2\.0 s, about \d+ s left \(\d+ s of it linear algebra\)$/);
  expect(relationProgress(2000, 19_000, 22_000, 128, false).target).toBe(22_000);
  expect(relationProgress(2000, 19_000, 90_000, 128, true).target).toBe(90_000);
});

it("dlog precompute: a refused size gets the refusal alone, no estimate announcing a run", async () => {
  const p129 = randomSafePrime(129, new Rng(4)).p.toString();
  const p127 = randomSafePrime(127, new Rng(4)).p.toString();
  const cases: Array<[string[], RegExp]> = [
    [[p129, "2"], /stops at 128 bits/],
    [[p127, "2", "--bound", "1"], /smoothness bound|bound/],
  ];
  for (const [args, refusal] of cases) {
    const r = await runCli(
      commands.find((c) => c.name === "dlog")!,
      ["precompute", ...args, "--out", path.join(os.tmpdir(), "wl-never.json")],
      { catchErrors: true },
    );
    expect(r.error?.message, args.join(" ")).toMatch(refusal);
    expect(r.err, args.join(" ")).not.toMatch(/estimated/);
  }
  // An accepted size is announced once, with the cost model's estimate, before any relation.
  const seen: string[] = [];
  const { p } = randomSafePrime(40, new Rng(5));
  precompute(p, 2n, {
    onStart: (s) => seen.push(`start ${s === estimateSeconds(40)}`),
    onProgress: () => seen.length === 1 && seen.push("progress"),
  });
  expect(seen).toStrictEqual(["start true", "progress"]);
});

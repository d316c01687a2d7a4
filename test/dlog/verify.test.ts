/**
 * Never print a wrong discrete log: a database with one stored log changed is refused on load,
 * naming the first bad prime; answers are checked g^x ≡ h before they are printed; the answers
 * that are printed agree with PARI/GP's znlog. The databases are made here, from fresh primes.
 */
import { it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../helpers/cli";
import { commands } from "../../src/dlog/cli";
import { modPow } from "../../src/math/modular";
import { randomSafePrime } from "../../src/math/primes";
import { Rng } from "../../src/util/rng";
import {
  checkAnswer,
  deserialize,
  isLog,
  precompute,
  serialize,
  solve,
  verifyDatabase,
  WrongAnswerError,
} from "../../src/dlog";
import { gpOracle, gpZnlog } from "../helpers/gp";

const gp = gpOracle();
const dlogCmd = commands.find((c) => c.name === "dlog")!;

/** A database for a fresh 44-bit safe prime, written by `wirelab dlog precompute`. */
async function makeDb(dir: string, seed: number, g: bigint): Promise<{ file: string; p: bigint; raw: any }> {
  const { p } = randomSafePrime(44, new Rng(seed));
  const file = path.join(dir, `db-${seed}.json`);
  const r = await runCli(dlogCmd, ["precompute", p.toString(), g.toString(), "--out", file]);
  expect(r.code, r.err).toBe(0);
  return { file, p, raw: JSON.parse(fs.readFileSync(file, "utf8")) };
}

it(
  "dlog solve refuses a database whose stored log of 3 is off by one, naming 3 and the file; nothing is printed",
  { timeout: 60000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wlverify-"));
    try {
      for (const [seed, delta] of [
        [71, 1n],
        [72, -1n],
      ] as const) {
        const { file, p, raw } = await makeDb(dir, seed, 2n);
        const i3 = raw.primes.indexOf(3);
        expect(i3 >= 0 && raw.logs[i3] !== null, "the log of 3 is known").toBeTruthy();
        raw.logs[i3] = ((BigInt(raw.logs[i3]) + delta + BigInt(raw.q)) % BigInt(raw.q)) + "";
        const bad = path.join(dir, `bad-${seed}.json`);
        fs.writeFileSync(bad, JSON.stringify(raw));
        for (let t = 0; t < 5; t++) {
          const h = modPow(2n, 1000n + BigInt(t) * 7919n, p);
          const r = await runCli(dlogCmd, ["solve", bad, h.toString()], { catchErrors: true });
          expect(r.error, "a corrupted database must be refused").toBeTruthy();
          expect(r.error.message).toMatch(/stored log of the prime 3 is wrong/);
          expect(r.error.message.includes(bad), r.error.message).toBeTruthy();
          expect(r.out, "no answer printed").toBe("");
        }
        // The untouched database still answers.
        const ok = await runCli(dlogCmd, ["solve", file, modPow(2n, 4242n, p).toString()]);
        expect(ok.code).toBe(0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

it(
  "every stored log is checked on load: any single corrupted log is refused, the first bad prime is named",
  { timeout: 60000 },
  () => {
    const { p } = randomSafePrime(40, new Rng(73));
    const db = precompute(p, 5n, { seed: 3 });
    const text = serialize(db);
    const known = db.logs.map((L, i) => (L === null ? -1 : i)).filter((i) => i >= 0);
    expect(known.length > 50).toBeTruthy();
    expect(verifyDatabase(db)).toBe(known.length);
    for (const i of known) {
      const raw = JSON.parse(text);
      raw.logs[i] = ((BigInt(raw.logs[i]) + 1n) % db.q).toString();
      expect(thrownBy(() => deserialize(JSON.stringify(raw), "one.json"))).toSatisfy(
        (e: Error) =>
          e.message.includes(`stored log of the prime ${db.primes[i]} is wrong`) &&
          e.message.includes(`logs[${i}]`) &&
          e.message.includes("one.json"),
      );
    }
    // Two bad logs: the first one (in factor-base order) is named.
    const [a, b] = [known[known.length - 1]!, known[Math.floor(known.length / 2)]!];
    const raw = JSON.parse(text);
    for (const i of [a, b]) raw.logs[i] = ((BigInt(raw.logs[i]) + 2n) % db.q).toString();
    expect(() => deserialize(JSON.stringify(raw), "two.json")).toThrow(
      new RegExp(`stored log of the prime ${db.primes[b]} is wrong`),
    );
    // Group data that does not fit together is refused too.
    const wrongOrder = JSON.parse(text);
    wrongOrder.order = db.q.toString();
    expect(() => deserialize(JSON.stringify(wrongOrder), "order.json")).toThrow(/order of g is wrong.*order\.json/);
    const wrongQ = JSON.parse(text);
    wrongQ.cofactor = "4";
    expect(() => deserialize(JSON.stringify(wrongQ), "q.json")).toThrow(/q·cofactor must equal p - 1/);
  },
);

it(
  "an answer is checked g^x = h before it is printed: a tampered in-memory database gives wrong x, checkAnswer refuses each",
  { timeout: 60000 },
  () => {
    const { p } = randomSafePrime(40, new Rng(74));
    const db = precompute(p, 2n, { seed: 5 });
    const i3 = db.primes.indexOf(3);
    const tampered = { ...db, logs: db.logs.slice() };
    tampered.logs[i3] = (tampered.logs[i3]! + 1n) % db.q;
    expect(() => verifyDatabase(tampered, "mem")).toThrow(/prime 3/);
    const rng = new Rng(9);
    let wrong = 0;
    for (let t = 0; t < 20; t++) {
      const h = modPow(2n, rng.bigBetween(1n, p - 2n), p);
      const s = solve(tampered, h);
      expect(s.x).not.toBe(null);
      if (isLog(2n, h, p, s.x!)) expect(checkAnswer(2n, h, p, s.x!, "test")).toBe(s.x);
      else {
        wrong++;
        expect(thrownBy(() => checkAnswer(2n, h, p, s.x!, "dlog solve mem"))).toSatisfy(
          (e: Error) =>
            e instanceof WrongAnswerError && /refusing to print a wrong discrete log.*dlog solve mem/.test(e.message),
        );
      }
    }
    expect(
      wrong >= 5,
      `the tampered database gave ${wrong}/20 wrong answers (the check has something to catch)`,
    ).toBeTruthy();
  },
);

it(
  "what dlog solve prints from a verified database equals PARI znlog (targets inside and outside <g>)",
  { timeout: 120000 },
  async (ctx) => {
    if (gp) ctx.skip(gp);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wlverify-"));
    try {
      const g = 3n;
      const { file, p } = await makeDb(dir, 75, g);
      const rng = new Rng(76);
      const hs = Array.from({ length: 10 }, (_, i) =>
        i % 3 === 2 ? rng.bigBetween(2n, p - 2n) : modPow(g, rng.bigBetween(1n, p - 2n), p),
      );
      const want = gpZnlog(hs.map((h) => ({ g, h, p })));
      for (const [i, h] of hs.entries()) {
        const r = await runCli(dlogCmd, ["solve", file, h.toString(), "--json"]);
        const x = JSON.parse(r.out).x;
        expect(x === null ? "none" : x, `h=${h}`).toBe(want[i]);
        expect(r.code).toBe(x === null ? 1 : 0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

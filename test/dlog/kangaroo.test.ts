/**
 * Pollard's kangaroo (a log in a known interval): the library's `kangaroo` and the reference
 * solution of exercise dlog.kangaroo against PARI/GP's znlog (the oracle); then the exercise's
 * tests against the classic wrong versions, through the real grader (child process, time limits),
 * each failing with the message that names its mistake.
 */
import { it, expect } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { modPow } from "../../src/math/modular";
import { randomSafePrime } from "../../src/math/primes";
import { Rng } from "../../src/util/rng";
import { kangaroo } from "../../src/dlog";
import { kangaroo as reference } from "../../solutions/dlog/kangaroo";
import { gradeExercise } from "../../dist/grading/grader";
import { registeredIn } from "../../dist/grading/registry";
import { gpOracle, gpZnlog } from "../helpers/gp";

const ROOT = path.resolve(__dirname, "..", "..");
const why = gpOracle();

it(
  "kangaroo (library and reference solution) agrees with PARI znlog on logs in short intervals of large groups",
  { timeout: 120000 },
  (ctx) => {
    if (why) ctx.skip(why);
    const rng = new Rng("kangaroo-vs-pari");
    const cases: Array<{ g: bigint; h: bigint; p: bigint; q: bigint; a: bigint; b: bigint; inside: boolean }> = [];
    for (const bits of [40, 48, 56, 64]) {
      const { p, q } = randomSafePrime(bits, rng);
      for (let i = 0; i < 4; i++) {
        const g = modPow(rng.bigBetween(2n, p - 2n), 2n, p); // a square: order q
        if (g === 1n) continue;
        const w = 1n << BigInt(rng.int(12, 22));
        const a = rng.bigBetween(0n, q - w - 1n);
        const inside = i < 3;
        const x = inside ? a + rng.bigBetween(0n, w) : a + w + rng.bigBetween(1n, 1000n); // the last one lies just past b
        cases.push({ g, h: modPow(g, x, p), p, q, a, b: a + w, inside });
      }
    }
    const pari = gpZnlog(cases);
    cases.forEach((c, i) => {
      const want = BigInt(pari[i]!); // znlog gives the log in [0, ord g); here ord g = q > b
      expect(want >= c.a && want <= c.b, `case ${i}: PARI's log ${want} vs [${c.a}, ${c.b}]`).toBe(c.inside);
      const lib = kangaroo(c.g, c.h, c.p, c.q, c.a, c.b).x;
      const sol = reference(c.g, c.h, c.p, c.a, c.b);
      expect(lib, `library, case ${i}`).toBe(c.inside ? want : null);
      expect(sol, `reference solution, case ${i}`).toBe(c.inside ? want : null);
    });
  },
);

// ------------------------------------------------------------------ wrong answers, graded for real

const SOLUTION = fs
  .readFileSync(path.join(ROOT, "solutions/dlog/kangaroo.ts"), "utf8")
  .replace('"../../src/math/modular"', JSON.stringify(path.join(ROOT, "src/math/modular")));

const MISTAKES: Record<string, { code: string; failing: string[]; message: RegExp }> = {
  "walks the interval one step at a time": {
    code: `import { modPow } from ${JSON.stringify(path.join(ROOT, "src/math/modular"))};
export function kangaroo(g: bigint, h: bigint, p: bigint, a: bigint, b: bigint): bigint | null {
  let y = modPow(g, a, p);
  for (let x = a; x <= b; x++) { if (y === h % p) return x; y = (y * g) % p; }
  return null;
}`,
    failing: ["a 2^32-wide interval, 64-bit group, in seconds"],
    message: /timed out[\s\S]*2\^32 steps[\s\S]*sqrt\(b − a\)\/2/,
  },
  "never stops the wild kangaroo": {
    code: SOLUTION.replace("while (dW <= b - a + dT) {", "for (;;) {"),
    failing: ["no log in the interval: null, promptly"],
    message: /timed out[\s\S]*stop it once dW > \(b − a\) \+ dT/,
  },
  "x = a + dT − dW": {
    code: SOLUTION.replace("const x = b + dT - dW;", "const x = a + dT - dW;").replace(
      "if (x >= a && x <= b && modPow(g, x, p) === h) return x;",
      "return x;",
    ),
    failing: [
      "a log in [1000000, 1065536], 64-bit group",
      "logs at both ends of the interval",
      "a 2^32-wide interval, 64-bit group, in seconds",
    ],
    message: /x = b \+ dT − dW/,
  },
  "stops one step early (< instead of ≤)": {
    code: SOLUTION.replace("while (dW <= b - a + dT) {", "while (dW < b - a + dT) {"),
    failing: ["logs at both ends of the interval"],
    message: /returned null, but h = g\^x for an x in \[5000, 70536\][\s\S]*same jump rule/,
  },
  "the wild kangaroo's jumps depend on its distance, not on where it stands": {
    code: SOLUTION.replace("const j = Number(yW % BigInt(k));", "const j = Number(dW % BigInt(k));"),
    failing: ["a log in [1000000, 1065536], 64-bit group"],
    message: /returned null[\s\S]*function of the current element only/,
  },
};

it(
  "dlog.kangaroo: each classic mistake fails its public test with the message that names it",
  { timeout: 300000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wirelab-kangaroo-${process.pid}-`));
    const reg = registeredIn(path.join(ROOT, "dist/dlog/exercises.js"), "dlog.kangaroo");
    try {
      for (const [name, m] of Object.entries(MISTAKES)) {
        const file = path.join(dir, `${name.replace(/\W+/g, "-")}.ts`);
        fs.writeFileSync(file, m.code);
        const r = await gradeExercise(reg, { kind: "file", path: file, label: name }, { root: ROOT, hidden: false });
        const failed = r.tests.filter((t) => t.status !== "pass");
        for (const t of m.failing)
          expect(
            failed.some((f) => f.name === t),
            `${name}: "${t}" should fail; got ${JSON.stringify(r.tests.map((x) => [x.name, x.status]))}`,
          ).toBeTruthy();
        expect(r.earned < r.points, `${name} must not get full public marks`).toBeTruthy();
        expect(failed.map((f) => f.message).join("\n"), name).toMatch(m.message);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

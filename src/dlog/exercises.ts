/**
 * Exercises of notebook 03-precomputed-prime-attack (`dlog.*`): baby-step giant-step, the CRT step
 * of Pohlig-Hellman, picking the weak group, and a log from a given relation database by hand.
 * Expected values are computed by this library at grading time (checked against PARI/GP in
 * test/dlog), never typed in.
 */
import { modPow } from "../math/modular";
import { randomSafePrime } from "../math/primes";
import { brief, fail, pass } from "../grading/checks";
import { asInteger, sealedChoice, sealedValue } from "../grading/sealed-checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { ownWork, type OwnWork } from "../grading/ownwork";
import { Rng } from "../util/rng";
import { crt as refCrt } from "../math/modular";
import { bsgs as refBsgs } from "./generic";
import { dlog } from "./dlog";
import { safeGenerator } from "./lab";
import { byHandDatabase } from "./exdata";

// wirelab:hidden-begin
/** 3·L(3) + L(5) + L(7) before any reduction, from the notebook's database (for wrong-answer messages). */
function byHandSum(k3 = 3n): bigint {
  const L = new Map(byHandDatabase().map((r) => [r.prime, r.log] as const));
  return k3 * L.get(3n)! + L.get(5n)! + L.get(7n)!;
}
// wirelab:hidden-end
import { kangarooExercise } from "./exercise-kangaroo";
import { downgradeExercise } from "./exercise-downgrade";

const NB = "03-precomputed-prime-attack.ipynb";
const ANSWERS = "exercises/dlog/answers.ts";

function bsgsCase(
  name: string,
  points: number,
  make: () => { g: bigint; h: bigint; p: bigint; n: bigint },
  hint: string,
  timeoutMs = 5000,
): TestCase {
  return {
    name,
    points,
    timeoutMs,
    async run(answer) {
      const fn = typeof answer === "function" ? answer : answer?.bsgs;
      if (typeof fn !== "function") return fail(`export a function named bsgs (found ${brief(fn)})`);
      const { g, h, p, n } = make();
      const want = refBsgs(g, h, p, n).x;
      const got = await fn(g, h, p, n);
      const call = `bsgs(${g}n, ${h}n, ${p}n, ${n}n)`;
      if (want === null) {
        return got === null
          ? pass(`${call} = null: ${h} is not a power of ${g}`)
          : fail(`${call} returned ${brief(got)}, but no power of ${g} equals ${h} mod ${p}: return null. ${hint}`);
      }
      if (typeof got !== "bigint")
        return fail(`${call} returned ${brief(got)}; return a bigint such as ${want}n. ${hint}`);
      if (modPow(g, got, p) !== h % p)
        return fail(`${call} returned ${got}n but ${g}^${got} mod ${p} = ${modPow(g, got, p)}, not ${h}. ${hint}`);
      if (got < 0n || got >= n)
        return fail(`${call} returned ${got}n: correct modulo n, but reduce it into 0 … ${n - 1n}`);
      return pass(`${call} = ${got}n, and ${g}^${got} ≡ ${h} (mod ${p})`);
    },
  };
}

function crtCase(name: string, points: number, residues: bigint[], moduli: bigint[], hint: string): TestCase {
  return {
    name,
    points,
    async run(answer) {
      const fn = typeof answer === "function" ? answer : answer?.crt;
      if (typeof fn !== "function") return fail(`export a function named crt (found ${brief(fn)})`);
      const want = refCrt(residues, moduli).x;
      const got = await fn(residues, moduli);
      const call = `crt([${residues.join(", ")}], [${moduli.join(", ")}])`;
      if (got === want) return pass(`${call} = ${want}`);
      return fail(
        `${call} returned ${brief(got)}, expected ${want} (check: ${want} mod ${moduli[0]} = ${residues[0]}). ${hint}`,
      );
    },
  };
}

/** The public size test: a 40-bit safe prime from a public seed (the hidden test uses another). */
const big40 = () => {
  const { p } = randomSafePrime(40, new Rng("dlog.bsgs.public"));
  const g = safeGenerator(p);
  return { g, h: modPow(g, 123456789n, p), p, n: p - 1n };
};
const SQRT_LESSON =
  "Trying every exponent needs up to 2^40 steps here; baby-step giant-step needs about 2^20 baby steps " +
  "(stored in a Map) and at most 2^20 giant steps.";

// wirelab:hidden-begin
/** The hidden bsgs fixture: a seeded 40-bit safe prime (instructor copy only). */
const big64 = () => {
  const { p } = randomSafePrime(40, new Rng("dlog.bsgs.hidden"));
  const g = safeGenerator(p);
  return { g, h: modPow(g, 987654321n, p), p, n: p - 1n };
};
// wirelab:hidden-end

const inRange = (name: string, points: number, m: bigint): TestCase => ({
  name,
  points,
  run(answer, ctx) {
    const v = ctx.evaluate(answer);
    return v >= 0n && v < m
      ? pass(`${v} lies in 0 … ${m - 1n}`)
      : fail(`${v} is outside 0 … ${m - 1n}: logs live modulo ord(g) = ${m}`);
  },
});

export const exercises: Exercise[] = [
  defineExercise({
    id: "dlog.bsgs",
    title: "Baby-step giant-step",
    kind: "code",
    notebook: NB,
    prompt:
      "Implement `bsgs(g, h, p, n)` in `exercises/dlog/bsgs.ts`: return x in [0, n) with g^x ≡ h (mod p), " +
      "where n = ord(g), " +
      "or `null` when h is not a power of g. Store about sqrt(n) baby steps, then take giant steps of g^(-m).",
    answer: { file: "exercises/dlog/bsgs.ts" },
    public: [
      bsgsCase("5^x ≡ 8 (mod 23)", 2, () => ({ g: 5n, h: 8n, p: 23n, n: 22n }), "5^6 = 15625 = 679·23 + 8."),
      bsgsCase(
        "4^x ≡ 5 (mod 23): no solution",
        1,
        () => ({ g: 4n, h: 5n, p: 23n, n: 11n }),
        "4 is a square mod 23 and so are all its powers; 5 is not a square.",
      ),
      { ...bsgsCase("a 40-bit safe prime in under 5 s", 2, big40, SQRT_LESSON, 20000), timeoutHint: SQRT_LESSON },
    ],
    hidden: [
      // wirelab:hidden-begin
      bsgsCase(
        "2^x ≡ 945 (mod 1019)",
        1,
        () => ({ g: 2n, h: 945n, p: 1019n, n: 1018n }),
        "Check the giant-step loop runs m times.",
      ),
      { ...bsgsCase("another 40-bit safe prime", 1, big64, SQRT_LESSON, 20000), timeoutHint: SQRT_LESSON },
      // wirelab:hidden-end
    ],
  }),
  defineExercise({
    id: "dlog.crt",
    title: "The CRT step of Pohlig-Hellman",
    kind: "code",
    notebook: NB,
    prompt:
      "Implement `crt(residues, moduli)` in `exercises/dlog/crt.ts`: the unique x in [0, ∏ moduli) with x " +
      "≡ residues[i] (mod moduli[i]) " +
      ("for pairwise coprime moduli. Pohlig-Hellman finds x modulo each prime power of ord(g) and glues the " +
        "pieces with it."),
    answer: { file: "exercises/dlog/crt.ts" },
    public: [
      crtCase("x ≡ 2 (mod 3), x ≡ 3 (mod 5)", 1, [2n, 3n], [3n, 5n], "Try the numbers 3, 8, 13: which is 2 mod 3?"),
      crtCase("Sun Zi: x ≡ 2 (3), 3 (5), 2 (7)", 1, [2n, 3n, 2n], [3n, 5n, 7n], "The classic answer is 23."),
      crtCase(
        "large coprime moduli",
        2,
        [123456789n, 987654321n, 5n],
        [1000000007n, 998244353n, 11n],
        "Products of moduli this size pass 2^53: use bigint arithmetic everywhere; no Number().",
      ),
    ],
    hidden: [
      // wirelab:hidden-begin
      crtCase(
        "pieces of ord(g) = 1018 = 2 · 509",
        1,
        [1n, 193n % 509n],
        [2n, 509n],
        "Reduce the result into 0 … 1017.",
      ),
      crtCase(
        "other large coprime moduli",
        1,
        [42n, 4242n, 7n],
        [1000000009n, 999999937n, 13n],
        "Products of moduli this size pass 2^53: use bigint arithmetic everywhere; no Number().",
      ),
      // wirelab:hidden-end
    ],
  }),
  defineExercise({
    id: "dlog.weakgroup",
    title: "Pick the weak group",
    kind: "choice",
    notebook: NB,
    prompt: "Which Diffie-Hellman group can an attacker with a laptop break today? Answer with the letter.",
    choices: [
      "A: the 2048-bit safe prime of RFC 3526 group 14",
      "B: a 1024-bit prime p whose p − 1 is a product of primes below 2^40, with g a generator",
      "C: a fresh 2048-bit safe prime generated by each server",
      "D: RFC 7919 ffdhe3072",
    ],
    answer: { file: ANSWERS, export: "weakGroup" },
    public: [
      sealedChoice("the weak group", 1, {
        hint: "Re-read the choices and ask, for each, what the largest prime factor of p − 1 is.",
        // wirelab:hidden-begin
        key: () => ({
          right: "B",
          why:
            "Pohlig-Hellman splits the log into one small log per prime factor of p − 1: each costs about " +
            "sqrt(2^40) = 2^20 steps, so B falls in seconds; safe primes (A, C, D) leave one huge prime " +
            "factor q = (p − 1)/2.",
          wrong: [
            {
              answer: "A",
              message:
                "A 2048-bit safe prime has p − 1 = 2q with q a 2047-bit prime: Pohlig-Hellman gains nothing, " +
                "and a generic log costs about 2^1023 steps. Being a published, shared prime makes a " +
                "precomputation worth it only when the prime is small enough (1024 bits or less).",
            },
            {
              answer: "C",
              message:
                "A fresh prime defeats precomputation, and a safe prime leaves one huge factor q = (p − 1)/2: " +
                "no shortcut applies. Which choice has a p − 1 made only of small factors?",
            },
            {
              answer: "D",
              message:
                "ffdhe3072 is a 3072-bit safe prime: p − 1 = 2q with q prime, so the group has no small " +
                "subgroup to split the log into.",
            },
          ],
        }),
        // wirelab:hidden-end
      }),
    ],
    hidden: [],
  }),
  defineExercise({
    id: "dlog.byhand",
    title: "A log from a relation database, by hand",
    kind: "value",
    notebook: NB,
    prompt:
      "In Z_1019^* with g = 2 (a generator, order 1018), the database gives L(3), L(5), L(7) (shown in the " +
      "notebook). " +
      ("Factor h = 945 over {2, 3, 5, 7} and combine the logs to get log_2(945) mod 1018. An expression " +
        "such as `(3*a + b + c) mod 1018` is fine."),
    answer: { file: ANSWERS, export: "byHand" },
    public: [
      sealedValue("log_2(945) mod 1018", 2, {
        as: asInteger,
        hint: "945 = 3^3 · 5 · 7, so log(945) = 3·L(3) + L(5) + L(7), reduced mod 1018.",
        modulus: 1018n,
        // wirelab:hidden-begin
        key: () => ({
          right: dlog(2n, 945n, 1019n, { method: "bsgs" }).x!,
          wrong: [
            {
              answer: byHandSum() % 1019n,
              message:
                "that is the sum reduced mod 1019 (the prime p). Exponents repeat with the order of g, p − 1 = " +
                "1018 (Fermat: g^1018 = 1), so logs are reduced mod 1018.",
            },
            {
              answer: byHandSum(1n) % 1018n,
              message:
                "945 has 3 three times (3^3): its log counts L(3) three times, because log(a·b) = log(a) + log(b).",
            },
          ],
        }),
        // wirelab:hidden-end
      }),
    ],
    hidden: [
      // wirelab:hidden-begin
      inRange("reduced modulo 1018", 1, 1018n),
      // wirelab:hidden-end
    ],
  }),
  kangarooExercise,
  downgradeExercise,
];

// Own work (src/grading/ownwork.ts): these answers are also library functions; reaching them earns nothing.
/** Every discrete-log solver of the library: a log exercise that calls one did not do the exercise. */
const LOG_SOLVERS = [
  "src/dlog/generic#bruteForce",
  "src/dlog/generic#bsgs",
  "src/dlog/generic#rho",
  "src/dlog/generic#rhoTextbook",
  "src/dlog/generic#kangaroo",
  "src/dlog/generic#pohligHellman",
  "src/dlog/dlog#dlog",
  "src/dlog/index-calculus",
];
const OWN_WORK: Record<string, OwnWork> = {
  "dlog.bsgs": {
    forbid: LOG_SOLVERS,
    why: "modPow and modInv from the library are fine; the baby steps and giant steps are the exercise.",
  },
  "dlog.crt": {
    forbid: ["src/math/modular#crt"],
    why: "modInv from the library is fine; combine the congruences yourself.",
  },
  "dlog.kangaroo": {
    forbid: LOG_SOLVERS,
    why: "modPow from the library is fine; the two kangaroos are the exercise.",
  },
};
for (const [id, rule] of Object.entries(OWN_WORK))
  ownWork(
    exercises.find((e) => e.id === id)!,
    rule,
  );

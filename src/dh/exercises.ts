/**
 * Exercises of notebooks 01-modular-arithmetic (`mod.*`, the nine practice sums of "Diffie Hellman - So well
 * Explained") and
 * 02-diffie-hellman (`dh.*`: square-and-multiply, an exchange, validation, a predicted trace,
 * the small-subgroup attack). Expected values are computed by this library at grading time,
 * never typed in.
 */
import { fail, pass, brief } from "../grading/checks";
import { asBigint, asInteger, asText, sealedFields, sealedValue, type Normaliser } from "../grading/sealed-checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { ownWork, type OwnWork } from "../grading/ownwork";
import { Rng } from "../util/rng";
import { mod, modAdd, modMul, modPow, modPowTrace } from "./modular";
import { getGroup } from "./groups";
import { checkPublicKey } from "./validate";
import { generatePrivateKey, publicKeyOf } from "./exchange";
import { confirmationTag, makeVictim, weakGroup, type WeakGroup } from "./attacks";

const NB1 = "01-modular-arithmetic.ipynb";
const NB2 = "02-diffie-hellman.ipynb";
const ANSWERS = "exercises/dh/answers.ts";

// ------------------------------------------------------------------ notebook 01: the nine sums

interface Sum {
  n: number;
  text: string;
  hint: string;
}

const SUMS: Sum[] = [
  { n: 1, text: "(12 + 18) mod 9", hint: "Add first (30), then keep the remainder after dividing by 9." },
  { n: 2, text: "(3 · 7) mod 11", hint: "3 · 7 = 21; how far past a multiple of 11 is it?" },
  {
    n: 3,
    text: "((103 mod 17) · (42 mod 17)) mod 17",
    hint: "Reduce each factor first: 103 = 6·17 + 1, 42 = 2·17 + 8.",
  },
  {
    n: 4,
    text: "(103 · 42) mod 17",
    hint: "Compare with the previous exercise: reducing before or after multiplying gives the same residue.",
  },
  { n: 5, text: "7^2 mod 13", hint: "49 = 3·13 + ?" },
  { n: 6, text: "7^3 mod 13", hint: "Multiply the previous answer by 7 and reduce again." },
  { n: 7, text: "7^4 mod 13", hint: "Previous answer × 7, then mod 13." },
  { n: 8, text: "7^5 mod 13", hint: "Previous answer × 7, then mod 13." },
  { n: 9, text: "7^6 mod 13", hint: "Previous answer × 7, then mod 13. Notice anything about 13 − 1?" },
];

// wirelab:hidden-begin
/** The answer keys of the nine sums (instructor copy only; the student copy has their seals). */
const SUM_KEYS: Record<number, () => bigint> = {
  1: () => modAdd(12n, 18n, 9n),
  2: () => modMul(3n, 7n, 11n),
  3: () => modMul(mod(103n, 17n), mod(42n, 17n), 17n),
  4: () => modMul(103n, 42n, 17n),
  5: () => modPow(7n, 2n, 13n),
  6: () => modPow(7n, 3n, 13n),
  7: () => modPow(7n, 4n, 13n),
  8: () => modPow(7n, 5n, 13n),
  9: () => modPow(7n, 6n, 13n),
};
// wirelab:hidden-end

/** The answer must be a plain residue 0 ≤ r < m, not merely an expression with the right value. */
function residueForm(name: string, points: number, m: bigint): TestCase {
  return {
    name,
    points,
    run(answer, ctx) {
      const v = ctx.evaluate(answer);
      if (v >= 0n && v < m) return pass(`${v} is a residue in 0..${m - 1n}`);
      return fail(`${v} is outside 0..${m - 1n}: a result mod ${m} is always one of those ${m} values`);
    },
  };
}

const sumExercises: Exercise[] = SUMS.map((s) =>
  defineExercise({
    id: `mod.ex${s.n}`,
    title: `Practice ${s.n}: ${s.text}`,
    kind: "value",
    notebook: NB1,
    prompt: `Compute **${s.text}** by hand.`,
    answer: { file: ANSWERS, export: `ex${s.n}` },
    public: [
      sealedValue(s.text, 1, {
        as: asInteger,
        hint: s.hint,
        modulus: BigInt(s.text.match(/mod (\d+)/)![1]!),
        // wirelab:hidden-begin
        key: () => ({ right: SUM_KEYS[s.n]!() }),
        // wirelab:hidden-end
      }),
    ],
    hidden: [
      // wirelab:hidden-begin
      residueForm("a residue, not just any integer", 1, BigInt(s.text.match(/mod (\d+)/)![1]!)),
      // wirelab:hidden-end
    ],
  }),
);

// ------------------------------------------------------------------ notebook 02

/** Reference square-and-multiply for the tests (the library's, which is checked against OpenSSL). */
const ref = (b: bigint, e: bigint, m: bigint) => modPow(b, e, m);

const SIZE_LESSON =
  "Computing base ** exp first cannot finish: a 2048-bit exponent gives a number with about 2^2058 " +
  "bits. Square and reduce mod m at every step, so no intermediate value exceeds m².";
const LOOP_LESSON =
  "Multiplying by the base exp times needs about 2^2047 multiplications. Repeated squaring needs one " +
  "squaring per bit of exp (2048 here) and at most one multiplication per 1 bit.";

function powCase(name: string, points: number, args: [bigint, bigint, bigint], timeoutMs = 3000, hint = ""): TestCase {
  return {
    name,
    points,
    timeoutMs,
    timeoutHint: args[1] > 1n << 64n ? LOOP_LESSON : undefined,
    async run(m) {
      const fn = typeof m === "function" ? m : m?.modPow;
      if (typeof fn !== "function") return fail(`export a function named modPow (found ${brief(fn)})`);
      const want = ref(...args);
      const call = `modPow(${args.map((a) => brief(a)).join(", ")})`;
      let got: unknown;
      try {
        got = await fn(...args);
      } catch (e) {
        // The learner's errors cross the process boundary as data: compare by name.
        const name = (e as Error)?.name;
        if (name === "RangeError" && e instanceof Error)
          return fail(`${call} threw RangeError "${e.message}". ${SIZE_LESSON}`);
        if (name === "TypeError" && e instanceof Error && /BigInt/.test(e.message))
          return fail(
            `${call} threw TypeError "${e.message}": mixing number and bigint. Keep every value a bigint ` +
              `(1n, 2n, …).`,
          );
        throw e;
      }
      if (got === want) return pass(`${call} = ${brief(got)}`);
      return fail(
        `${call} returned ${brief(got)}${typeof got !== "bigint" ? ` (a ${typeof got}, expected a bigint)` : ""}, ` +
          `expected ${brief(want)}.${hint ? " " + hint : ""}`,
      );
    },
  };
}

const G768 = () => getGroup("modp768");
const EX_A = 123456789012345678901234567890n;
const EX_B = 987654321098765432109876543210n;

function bigField(
  name: string,
  points: number,
  field: "J" | "K" | "secret",
  want: () => bigint,
  hint: string,
): TestCase {
  return {
    name,
    points,
    run(answer) {
      if (!answer || typeof answer !== "object")
        return fail(`answer with an object { J, K, secret } (got ${brief(answer)})`);
      const raw = answer[field];
      let got: bigint;
      try {
        got = typeof raw === "bigint" ? raw : BigInt(String(raw).trim());
      } catch {
        return fail(`${field} must be a bigint (123n) or a decimal/hex string ("0x…"); got ${brief(raw)}`);
      }
      return got === want() ? pass(`${field} is right`) : fail(`${field} = ${brief(got)} is not right. ${hint}`);
    },
  };
}

type Verdict = "ok" | "range" | "subgroup";
function verdictOf(y: bigint, p: bigint, q: bigint): Verdict {
  const failed = checkPublicKey(y, { p, q }, "full").find((c) => !c.pass);
  return failed ? (failed.name === "integer" ? "range" : failed.name) : "ok";
}
function validateCase(
  name: string,
  points: number,
  y: () => bigint,
  p: () => bigint,
  q: () => bigint,
  hint: string,
): TestCase {
  return {
    name,
    points,
    timeoutMs: 5000,
    async run(m) {
      const fn = typeof m === "function" ? m : m?.checkPeerKey;
      if (typeof fn !== "function") return fail(`export a function named checkPeerKey (found ${brief(fn)})`);
      const want = verdictOf(y(), p(), q());
      let got: unknown;
      try {
        got = await fn(y(), p(), q());
      } catch (e) {
        // The learner's errors cross the process boundary as data: compare by name.
        if ((e as Error)?.name === "RangeError" && e instanceof Error)
          return fail(`${name}: checkPeerKey threw RangeError "${e.message}". ${SIZE_LESSON}`);
        throw e;
      }
      return got === want
        ? pass(`${name}: "${got}"`)
        : fail(`${name}: you returned ${brief(got)}, expected "${want}". ${hint}`);
    },
  };
}

const TRACE = { base: 5n, exp: 43n, m: 23n };
/** One square per bit of the exponent (43 has 6 bits): the table's size, not its content. */
const TRACE_BITS = TRACE.exp.toString(2).length;

const weak = (() => {
  let cached: WeakGroup | undefined;
  return () => (cached ??= weakGroup(new Rng("dh.smallsub")));
})();

function attackCase(name: string, points: number, seed: string): TestCase {
  return {
    name,
    points,
    timeoutMs: 20000,
    async run(m) {
      const fn = typeof m === "function" ? m : m?.recoverKey;
      if (typeof fn !== "function") return fail(`export a function named recoverKey (found ${brief(fn)})`);
      const group = weak();
      const x = generatePrivateKey(group, new Rng(seed));
      const victim = makeVictim(group, x, "none");
      let queries = 0;
      const counted = (y: bigint) => {
        queries++;
        return victim(y);
      };
      const got = await fn(
        { p: group.p, g: group.g, q: group.q, smallFactors: [...group.smallFactors] },
        counted,
        confirmationTag,
      );
      if (got !== x) {
        return fail(
          `recoverKey returned ${brief(got)}; the victim's key is different (check: g^x mod p should equal ` +
            `its public key ${publicKeyOf(group, x)}). Did you combine the residues with crt()?`,
        );
      }
      if (queries > 2 * group.smallFactors.length)
        return fail(`right key, but ${queries} queries: one query per small factor is enough`);
      return pass(`recovered the key with ${queries} queries`);
    },
  };
}

const dhExercises: Exercise[] = [
  defineExercise({
    id: "dh.modpow",
    title: "Square-and-multiply",
    kind: "code",
    notebook: NB2,
    prompt:
      "Implement `modPow(base, exp, m)` in `exercises/dh/modpow.ts` by repeated squaring: `base^exp mod m` " +
      "for bigints with exp ≥ 0, m > 1. " +
      "It must handle 2048-bit numbers in well under a second, so never compute `base ** exp` first: " +
      "the public tests include a 2048-bit exponent with a 5-second limit, and the hidden tests try other inputs " +
      "(a base larger than the modulus, modulus 2, a huge exponent of 1).",
    answer: { file: "exercises/dh/modpow.ts" },
    public: [
      powCase(
        "7^29 mod 17 (the worked example of the post)",
        2,
        [7n, 29n, 17n],
        3000,
        "29 = 11101b: multiply the squares 7^16, 7^8, 7^4, 7^1.",
      ),
      powCase("exponent 0", 1, [3n, 0n, 7n], 3000, "Anything to the power 0 is 1."),
      powCase("2^10 mod 1000", 1, [2n, 10n, 1000n]),
      powCase(
        "a 2048-bit exponent and modulus (must be fast)",
        3,
        [getGroup("modp2048").p - 5n, (1n << 2047n) + 12345n, getGroup("modp2048").p],
        5000,
        SIZE_LESSON,
      ),
    ],
    hidden: [
      // wirelab:hidden-begin
      powCase("base larger than the modulus", 1, [1000n, 7n, 13n], 3000, "Reduce the base first."),
      powCase(
        "another 2048-bit case: exponent p − 2 (an inverse)",
        1,
        [123456789n, getGroup("modp2048").p - 2n, getGroup("modp2048").p],
        5000,
        SIZE_LESSON,
      ),
      powCase("modulus 2", 1, [5n, 5n, 2n]),
      powCase("1 to a huge power", 1, [1n, 1n << 300n, 97n]),
      // wirelab:hidden-end
    ],
  }),
  defineExercise({
    id: "dh.exchange",
    title: "Run an exchange over Oakley group 1",
    kind: "value",
    notebook: NB2,
    prompt:
      `Alice and Bob use RFC 2409 group 1 (\`getGroup("modp768")\`, g = 2). Alice's private key is a = ` +
      `${EX_A}n, Bob's is b = ${EX_B}n. ` +
      ("Give `{ J, K, secret }`: Alice's public key J = g^a mod p, Bob's K = g^b mod p, and the shared " +
        "secret (bigints, or strings in decimal or 0x-hex). ") +
      ("The numbers are too long to type in a cell: put them in `exercises/dh/answers.ts` (`exchange`), " +
        "which the check reads."),
    checkCell: "file",
    starter:
      "// Your computation here, e.g.\n" +
      '// const t = dh.runExchange({ group: dh.getGroup("modp768"), alicePrivate: …, bobPrivate: … });',
    answer: { file: ANSWERS, export: "exchange" },
    public: [
      sealedFields("Alice's public key J", 1, {
        fields: { J: asBigint },
        shape: "{ J, K, secret }",
        hint: "J = modPow(g, a, p) with the group's p.",
        // wirelab:hidden-begin
        key: () => ({ right: { J: modPow(2n, EX_A, G768().p) } }),
        // wirelab:hidden-end
      }),
      sealedFields("the shared secret", 2, {
        fields: { secret: asBigint },
        shape: "{ J, K, secret }",
        hint: "Alice computes K^a mod p; Bob computes J^b mod p; both must agree.",
        // wirelab:hidden-begin
        key: () => ({ right: { secret: modPow(modPow(2n, EX_B, G768().p), EX_A, G768().p) } }),
        // wirelab:hidden-end
      }),
    ],
    hidden: [
      // wirelab:hidden-begin
      bigField("Bob's public key K", 1, "K", () => modPow(2n, EX_B, G768().p), "K = modPow(g, b, p)."),
      // wirelab:hidden-end
    ],
  }),
  defineExercise({
    id: "dh.validate",
    title: "Validate a peer's public key",
    kind: "code",
    notebook: NB2,
    prompt:
      "Implement `checkPeerKey(y, p, q)` in `exercises/dh/validate.ts` for a safe prime p = 2q + 1: return " +
      '`"range"` unless 2 ≤ y ≤ p − 2, ' +
      'else `"subgroup"` unless y^q mod p = 1, else `"ok"` (RFC 7919 §5.1, NIST SP 800-56A §5.6.2.3.1).',
    answer: { file: "exercises/dh/validate.ts" },
    public: [
      validateCase(
        "y = 4 in p = 23, q = 11",
        1,
        () => 4n,
        () => 23n,
        () => 11n,
        "4 = 2² is a square, so it lies in the order-11 subgroup.",
      ),
      validateCase(
        "y = 1",
        1,
        () => 1n,
        () => 23n,
        () => 11n,
        "1 is outside 2..p-2: every secret would be 1.",
      ),
      validateCase(
        "y = 5 (order 22)",
        1,
        () => 5n,
        () => 23n,
        () => 11n,
        "5^11 mod 23 = 22 ≠ 1: 5 is not in the subgroup.",
      ),
      validateCase(
        "y = p − 1",
        1,
        () => 22n,
        () => 23n,
        () => 11n,
        "p − 1 has order 2 (its square is 1): the secret would be ±1, so the range stops at p − 2.",
      ),
      validateCase(
        "y = p + 4",
        1,
        () => 27n,
        () => 23n,
        () => 11n,
        "An unreduced value is out of range even if y mod p would be fine: check the raw value, before any reduction.",
      ),
      validateCase(
        "modp2048: a real public key",
        1,
        () => modPow(2n, 987654321n, getGroup("modp2048").p),
        () => getGroup("modp2048").p,
        () => getGroup("modp2048").q,
        "g = 2 generates the subgroup, so g^x is always in it. The subgroup check needs a fast modPow " +
          "(repeated squaring), never y ** q.",
      ),
    ],
    hidden: [
      // wirelab:hidden-begin
      validateCase(
        "y = 0",
        1,
        () => 0n,
        () => 23n,
        () => 11n,
        "0 is below 2.",
      ),
      validateCase(
        "y = p (key fixing)",
        1,
        () => 23n,
        () => 23n,
        () => 11n,
        "p ≡ 0: the range check must compare the raw value, before any reduction.",
      ),
      validateCase(
        "negative y",
        1,
        () => -4n,
        () => 23n,
        () => 11n,
        "Negative values are out of range.",
      ),
      validateCase(
        "modp2048: p − 2 (a non-square)",
        1,
        () => getGroup("modp2048").p - 2n,
        () => getGroup("modp2048").p,
        () => getGroup("modp2048").q,
        "p − 2 ≡ −2 is not a square mod p.",
      ),
      // wirelab:hidden-end
    ],
  }),
  defineExercise({
    id: "dh.trace",
    title: "Predict the trace of 5^43 mod 23",
    kind: "predict",
    notebook: NB2,
    prompt:
      "Predict repeated squaring for **5^43 mod 23**, bit 0 first: `{ binary, squares, used, result }` " +
      "where `binary` is 43 in binary (most significant bit first), " +
      ("`squares` the list 5^1, 5^2, 5^4, … mod 23 (one per bit), `used` which of them are multiplied in " +
        "(true/false), and `result`. ") +
      ('Work it on paper, then answer with an object such as `{ binary: "…", squares: [5, …], used: [true, ' +
        "…], result: … }`."),
    answer: { file: ANSWERS, export: "trace" },
    public: [
      sealedFields("43 in binary", 1, {
        fields: { binary: asText },
        shape: "{ binary, squares, used, result }",
        hint: "43 = 32 + 8 + 2 + 1, most significant bit first.",
        // wirelab:hidden-begin
        key: () => ({ right: { binary: modPowTrace(TRACE.base, TRACE.exp, TRACE.m).binary } }),
        // wirelab:hidden-end
      }),
      sealedFields("the running squares", 2, {
        fields: Object.fromEntries(Array.from({ length: TRACE_BITS }, (_, i) => [`squares[${i}]`, asText])) as Record<
          string,
          Normaliser
        >,
        read: (a, f) => (Array.isArray(a?.squares) ? a.squares[Number(/\d+/.exec(f)![0])] : undefined),
        shape: "{ binary, squares, used, result } with squares an array of one value per bit",
        hint: "Each square is the previous one squared, mod 23, starting from 5^1 = 5.",
        // wirelab:hidden-begin
        key: () => ({ right: { squares: modPowTrace(TRACE.base, TRACE.exp, TRACE.m).steps.map((st) => st.square) } }),
        // wirelab:hidden-end
      }),
      // A predict table has no "other inputs": every field is public, each failure says what to look at.
      sealedFields("which squares are multiplied in", 1, {
        fields: Object.fromEntries(Array.from({ length: TRACE_BITS }, (_, i) => [`used[${i}]`, asText])) as Record<
          string,
          Normaliser
        >,
        read: (a, f) => (Array.isArray(a?.used) ? a.used[Number(/\d+/.exec(f)![0])] : undefined),
        shape: "{ binary, squares, used, result } with used an array of true/false, one per bit, bit 0 first",
        hint:
          "A square is multiplied in exactly when its bit is 1, and `used` goes bit 0 first: bit 0 is the " +
          "LAST binary digit, so read the binary string from the right.",
        // wirelab:hidden-begin
        key: () => ({ right: { used: modPowTrace(TRACE.base, TRACE.exp, TRACE.m).steps.map((st) => st.used) } }),
        // wirelab:hidden-end
      }),
      sealedFields("the result", 1, {
        fields: { result: asText },
        shape: "{ binary, squares, used, result }",
        hint: "Multiply the used squares together, reducing mod 23 as you go.",
        // wirelab:hidden-begin
        key: () => ({ right: { result: modPowTrace(TRACE.base, TRACE.exp, TRACE.m).result } }),
        // wirelab:hidden-end
      }),
    ],
    hidden: [],
  }),
  defineExercise({
    id: "dh.smallsub",
    title: "Small-subgroup attack on a peer that does not validate",
    kind: "code",
    notebook: NB2,
    prompt:
      "Implement `recoverKey(group, victim, tagOf)` in `exercises/dh/smallsub.ts`. `group` is `{ p, g, q, " +
      "smallFactors }` with p − 1 = 2 · (∏ smallFactors) · q. " +
      ("`victim(y)` computes its secret y^x mod p without validating y and answers `{ tag }` where `tag = " +
        "tagOf(secret)`. ") +
      ("For each small factor r, send an element of order r, find x mod r by trying the r candidates, then " +
        "combine the residues with `crt` (from src/dh). Return x."),
    answer: { file: "exercises/dh/smallsub.ts" },
    public: [attackCase("recovers the victim's key", 4, "victim-1")],
    hidden: [
      // wirelab:hidden-begin
      attackCase("another victim", 2, "victim-2"),
      attackCase("a third victim", 2, "victim-3"),
      // wirelab:hidden-end
    ],
  }),
];

export const exercises: Exercise[] = [...sumExercises, ...dhExercises];

// Own work (src/grading/ownwork.ts): these answers are also library functions; reaching them earns nothing.
const OWN_WORK: Record<string, OwnWork> = {
  "dh.modpow": {
    forbid: ["src/math/modular#modPow", "src/math/modular#modPowWith", "src/math/modular#modPowTrace"],
    why: "Write the square-and-multiply loop yourself: the library's modPow is what you are rebuilding.",
  },
  "dh.validate": {
    forbid: ["src/dh/validate#checkPublicKey", "src/dh/validate#validatePublicKey"],
    why: "modPow from the library is fine; write the range and subgroup checks yourself.",
  },
  "dh.smallsub": {
    forbid: ["src/dh/attacks#smallSubgroupAttack"],
    why: "modPow and crt from the library are fine; the attack loop is the exercise.",
  },
};
for (const [id, rule] of Object.entries(OWN_WORK))
  ownWork(
    exercises.find((e) => e.id === id)!,
    rule,
  );

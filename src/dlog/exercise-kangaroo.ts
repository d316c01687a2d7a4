/**
 * Exercise `dlog.kangaroo` (notebook 03): Pollard's kangaroo for a log known to lie in an interval
 * [a, b] of a group whose order is far larger (Pollard, Math. Comp. 32, 1978; the exercise follows
 * Cryptopals set 8, challenge 58). The lesson: such a log costs about 2·sqrt(b − a) jumps, not
 * sqrt(order), with constant memory; the kangaroo is probabilistic, so a miss is retried.
 *
 * Every expected answer is known by construction (h = g^x for a chosen x), so no reference solver
 * runs at grading time. The public tests cover the lesson's failure modes, each with a message
 * that names the misconception: a wrong distance formula, an off-by-one at the interval's ends, a
 * wild kangaroo that never stops, a walk that is linear in b − a. Hidden tests try other intervals.
 */
import { modPow } from "../math/modular";
import { randomSafePrime } from "../math/primes";
import { brief, fail, pass } from "../grading/checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { Rng } from "../util/rng";

const NB = "03-precomputed-prime-attack.ipynb";

interface Group {
  p: bigint;
  g: bigint;
  q: bigint;
}

const groups = new Map<string, Group>();
/** A safe prime p = 2q + 1 of `bits` bits and g = 4, a square, so ord(g) = q ≫ every interval. */
function group(bits: number, seed: string): Group {
  const key = `${bits}:${seed}`;
  let G = groups.get(key);
  if (!G) {
    const { p, q } = randomSafePrime(bits, new Rng(seed));
    G = { p, q, g: 4n };
    groups.set(key, G);
  }
  return G;
}

interface Case {
  G: Group;
  a: bigint;
  b: bigint;
  /** The log, or null when h has no log in [a, b]. */
  x: bigint | null;
  h: bigint;
}

const HINT_FORMULA =
  "When the wild kangaroo lands on the tame one's trap, both stand on g^(b + dT) = h·g^dW, so x = b + " +
  "dT − dW (the tame one started at g^b and walked dT; the wild one started at h and walked dW).";
const HINT_MISS =
  "Both kangaroos must use the same jump rule, a function of the current element only (f(y) = 2^(y mod " +
  "k)), so that once the wild one lands on any spot of the tame path it follows it to the trap. The " +
  "kangaroo is probabilistic: after a miss, try again with k + 1 (a few attempts) before giving up.";

/** Checks one call of the learner's kangaroo against a case whose answer is known. */
async function verdict(fn: (...a: bigint[]) => unknown, c: Case): Promise<{ ok: boolean; message: string }> {
  const call = `kangaroo(g, h, p, ${c.a}n, ${c.b}n)`;
  // The learner's function runs in its sandbox: every call is awaited (grading/learner.ts).
  const got = await fn(c.G.g, c.h, c.G.p, c.a, c.b);
  if (got !== null && typeof got !== "bigint")
    return {
      ok: false,
      message: `${call} returned ${brief(got)}: return a bigint, or null when no log lies in [a, b]`,
    };
  if (c.x === null) {
    if (got === null) return { ok: true, message: `${call} = null` };
    return {
      ok: false,
      message:
        `${call} returned ${got}n, but no x in [${c.a}, ${c.b}] has g^x ≡ h: a kangaroo that passes ` +
        `the trap without landing on it has found nothing, so return null (and check g^x ≡ h before ` +
        `returning any x). ${HINT_FORMULA}`,
    };
  }
  if (got === null)
    return { ok: false, message: `${call} returned null, but h = g^x for an x in [${c.a}, ${c.b}]. ${HINT_MISS}` };
  if (got < c.a || got > c.b)
    return { ok: false, message: `${call} returned ${got}n, outside [${c.a}, ${c.b}]. ${HINT_FORMULA}` };
  if (modPow(c.G.g, got, c.G.p) !== c.h)
    return { ok: false, message: `${call} returned ${got}n, but g^${got} ≢ h (mod p). ${HINT_FORMULA}` };
  return { ok: true, message: `${call} = ${got}n` };
}

function kangarooCase(
  name: string,
  points: number,
  make: () => Case[],
  opts: { timeoutMs?: number; timeoutHint?: string; lesson: string },
): TestCase {
  return {
    name,
    points,
    timeoutMs: opts.timeoutMs,
    timeoutHint: opts.timeoutHint,
    async run(answer) {
      const fn = typeof answer === "function" ? answer : answer?.kangaroo;
      if (typeof fn !== "function") return fail(`export a function named kangaroo (found ${brief(fn)})`);
      const cases = make();
      const notes: string[] = [];
      for (const c of cases) {
        const v = await verdict(fn, c);
        if (!v.ok) return fail(v.message);
        notes.push(v.message);
      }
      return pass(
        cases.length === 1 ? `${notes[0]}: ${opts.lesson}` : `${cases.length} intervals right: ${opts.lesson}`,
      );
    },
  };
}

/** h = g^x; `x` may lie outside [a, b] to build a "no log in the interval" case. */
function at(G: Group, a: bigint, b: bigint, x: bigint): Case {
  return { G, a, b, h: modPow(G.g, x, G.p), x: x >= a && x <= b ? x : null };
}

const PUB = () => group(64, "dlog.kangaroo.public");
const WIDE = 1n << 32n;

const TOO_SLOW =
  `a ${WIDE.toString(2).length - 1}-bit-wide interval: the kangaroo needs about 2·sqrt(b − a) ≈ 2^17 ` +
  `jumps. Walking the interval one step at a time costs 2^32 steps, and a method that ignores the ` +
  `interval (BSGS or rho over the whole group) pays sqrt(ord g) ≈ 2^31. ` +
  "Are your jumps powers of two, 2^(y mod k), with k chosen so that the mean jump is about sqrt(b − a)/2?";

export const kangarooExercise: Exercise = defineExercise({
  id: "dlog.kangaroo",
  title: "Pollard's kangaroo: a log in a known interval",
  kind: "code",
  notebook: NB,
  prompt:
    "Implement `kangaroo(g, h, p, a, b)` in `exercises/dlog/kangaroo.ts`: return the x in [a, b] with " +
    "g^x ≡ h (mod p), or `null` when no x in [a, b] works. " +
    "The order of g is far larger than b − a, so the work must grow like sqrt(b − a), with constant memory. " +
    ("Jumps are f(y) = 2^(y mod k), with k the smallest integer whose mean jump (2^k − 1)/k is at least " +
      "sqrt(b − a)/2. ") +
    ("The tame kangaroo starts at g^b and makes N = 4·mean jumps, adding each jump to its distance dT; it " +
      "stops there (the trap). ") +
    ("The wild kangaroo starts at h and jumps by the same rule, adding to dW; if it lands on the trap, x " +
      "= b + dT − dW; once dW > (b − a) + dT it has passed the trap. ") +
    "After a miss, try again with k + 1; after 5 misses, return null. " +
    ("The public tests include an interval 2^32 wide: a walk over the interval, or a method that ignores " +
      "it, will not finish in time."),
  answer: { file: "exercises/dlog/kangaroo.ts" },
  public: [
    kangarooCase(
      "a log in [1000000, 1065536], 64-bit group",
      2,
      () => [at(PUB(), 1_000_000n, 1_065_536n, 1_031_337n)],
      {
        lesson: "about 2·sqrt(65536) = 512 jumps instead of sqrt(2^63)",
      },
    ),
    kangarooCase(
      "logs at both ends of the interval",
      1,
      () => [at(PUB(), 5000n, 70536n, 5000n), at(PUB(), 5000n, 70536n, 70536n)],
      {
        lesson:
          "x = a and x = b are inside [a, b]: the tame kangaroo starts on b, and the wild one from a must " +
          "travel (b − a) + dT to reach the trap",
      },
    ),
    kangarooCase(
      "no log in the interval: null, promptly",
      2,
      () => [at(PUB(), 1_000_000n, 1_065_536n, 999_999n), at(PUB(), 1_000_000n, 1_065_536n, 2_000_000n)],
      {
        timeoutHint:
          "here the log lies outside [a, b], so the wild kangaroo can never land on the trap: stop it once dW " +
          "> (b − a) + dT (it has passed the trap), retry a bounded number of times, then return null.",
        lesson: "the wild kangaroo stops once it has passed the trap, and the retries are bounded",
      },
    ),
    kangarooCase(
      "a 2^32-wide interval, 64-bit group, in seconds",
      2,
      () => [at(PUB(), 1n << 40n, (1n << 40n) + WIDE, (1n << 40n) + 2_863_311_530n)],
      {
        timeoutMs: 15000,
        timeoutHint: TOO_SLOW,
        lesson: "the cost follows sqrt(b − a), not b − a and not sqrt(ord g)",
      },
    ),
  ],
  hidden: [
    // wirelab:hidden-begin
    kangarooCase(
      "five random intervals of 2^20 to 2^24, 48-bit group",
      2,
      () => {
        const G = group(48, "dlog.kangaroo.hidden");
        const rng = new Rng("dlog.kangaroo.hidden.cases");
        return Array.from({ length: 5 }, () => {
          const a = rng.bigBetween(0n, 1n << 40n);
          const w = 1n << BigInt(rng.int(20, 24));
          return at(G, a, a + w, a + rng.bigBetween(0n, w));
        });
      },
      { timeoutMs: 15000, timeoutHint: TOO_SLOW, lesson: "other groups and intervals" },
    ),
    kangarooCase("an interval starting at 0", 1, () => [at(PUB(), 0n, 1n << 20n, 777_777n)], {
      lesson: "a = 0 works like any other start",
    }),
    kangarooCase(
      "h is not a power of g: null",
      1,
      () => {
        const G = PUB();
        // <4> is the subgroup of squares. 2 is a non-square unless 2^q ≡ 1; then −1 is one (p ≡ 3 mod 4).
        const h = modPow(2n, G.q, G.p) === 1n ? G.p - 1n : 2n;
        return [{ G, a: 0n, b: 1n << 16n, x: null, h }];
      },
      {
        timeoutHint: "h has no log at all: the wild kangaroo must still stop once it has passed the trap.",
        lesson: "a kangaroo that never meets the trap gives up",
      },
    ),
    // wirelab:hidden-end
  ],
});

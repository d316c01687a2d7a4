/**
 * The two warm-up exercises of notebook 00: one value answer and one function, so a learner sees
 * the whole pipeline (answer → check → CLI grade) before the real topics.
 * Facts: an IPv4 prefix of length n holds 2^(32−n) addresses (RFC 4632 §3.1); a wildcard mask is
 * the bitwise complement of the netmask (as in Cisco ACLs and OSPF network statements).
 */
import { callCase, fail, pass } from "../grading/checks";
import { asInteger, sealedValue } from "../grading/sealed-checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";

// wirelab:hidden-begin
/** Reference for the hidden tests (removed from student releases with them). */
function wildcardOf(prefixLen: number): string {
  const host = prefixLen === 0 ? 0xffffffff : (2 ** (32 - prefixLen) - 1) >>> 0;
  return [24, 16, 8, 0].map((s) => (host >>> s) & 0xff).join(".");
}
// wirelab:hidden-end

/** wildcardMask(bad) must throw a RangeError (errors cross the process boundary as data: compared by name). */
function rejects(name: string, bads: number[]): TestCase {
  return {
    name,
    points: 1,
    async run(mod) {
      for (const bad of bads) {
        try {
          const got = await mod.wildcardMask(bad);
          return fail(
            `wildcardMask(${bad}) returned ${JSON.stringify(got)}: a prefix length must be an integer in ` +
              `0–32, so this must throw a RangeError instead of returning a mask`,
          );
        } catch (e) {
          if ((e as Error)?.name !== "RangeError")
            return fail(
              `wildcardMask(${bad}) threw ${(e as Error)?.name ?? typeof e}: throw a RangeError (new ` +
                `RangeError("…")), the error type for a value outside its allowed range`,
            );
        }
      }
      return pass(`${bads.map((b) => `wildcardMask(${b})`).join(" and ")} throw a RangeError`);
    },
  };
}

export const exercises: Exercise[] = [
  defineExercise({
    id: "start.addresses",
    title: "Addresses in a /22",
    kind: "value",
    notebook: "00-start-here.ipynb",
    prompt:
      "How many IPv4 addresses does a /22 prefix hold (network and broadcast included)? You may write an " +
      "expression such as `2^8`.",
    answer: { file: "exercises/start/answers.ts", export: "addresses" },
    public: [
      sealedValue("addresses in a /22", 2, {
        as: asInteger,
        hint: "A /n leaves 32 − n bits for hosts, and each bit doubles the count.",
        // wirelab:hidden-begin
        key: () => ({ right: 2n ** (32n - 22n) }),
        // wirelab:hidden-end
      }),
    ],
    hidden: [
      // wirelab:hidden-begin
      {
        name: "written as a power of two or a number",
        points: 1,
        run(answer, ctx) {
          const v = ctx.evaluate(answer);
          return v === 1024n ? pass("1024 = 2^10") : fail(`${v} is not 2^(32−22)`);
        },
      },
      // wirelab:hidden-end
    ],
  }),
  defineExercise({
    id: "start.wildcard",
    title: "Wildcard mask of a prefix length",
    kind: "code",
    notebook: "00-start-here.ipynb",
    prompt:
      "Implement `wildcardMask(prefixLen)` in `exercises/start/wildcard.ts`: the dotted-quad wildcard mask " +
      "(the complement of the netmask), e.g. 24 → `0.0.0.255`, 22 → `0.0.3.255`. Throw a RangeError for " +
      "lengths outside 0–32 or non-integers.",
    answer: { file: "exercises/start/wildcard.ts" },
    public: [
      callCase("/24", 1, "wildcardMask", [24], "0.0.0.255"),
      callCase("/22", 1, "wildcardMask", [22], "0.0.3.255", {
        hint: "22 bits of network leave 10 host bits: 3 in the third octet, 8 in the fourth.",
      }),
      callCase("/0", 1, "wildcardMask", [0], "255.255.255.255", {
        hint:
          "A /0 has no network bits: every bit is a wildcard. In JavaScript 1 << 32 is 1, not 2^32 (shift " +
          "counts are taken mod 32): use 2 ** n or handle 0 apart.",
      }),
      rejects("rejects 33 and 24.5", [33, 24.5]),
    ],
    hidden: [
      // wirelab:hidden-begin
      callCase("/32", 1, "wildcardMask", [32], wildcardOf(32)),
      callCase("/17", 1, "wildcardMask", [17], wildcardOf(17)),
      rejects("rejects -1", [-1]),
      // wirelab:hidden-end
    ],
  }),
];

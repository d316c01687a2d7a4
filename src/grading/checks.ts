/**
 * Test builders for exercise specs. Each returns a `TestCase` whose message teaches: it says what
 * was expected and, on failure, what the learner gave and where to look.
 *
 * @example
 *   defineExercise({ id: "mod.ex1", …, public: [integerAnswer("103·42 mod 17", 8n, 1)], hidden: [] })
 */
import { inspect, isDeepStrictEqual } from "node:util";
import type { TestCase, TestOutcome } from "./spec";

const SHOW_MAX = 200;

/** A short, safe rendering of a learner's value for a message (never huge). */
export function brief(value: unknown): string {
  let s: string;
  try {
    s =
      typeof value === "string"
        ? JSON.stringify(value)
        : inspect(value, { depth: 3, breakLength: 120, maxArrayLength: 20, maxStringLength: SHOW_MAX });
  } catch {
    s = "<unprintable value>";
  }
  return s.length > SHOW_MAX ? s.slice(0, SHOW_MAX - 1) + "…" : s;
}

export function pass(message: string): TestOutcome {
  return { pass: true, message };
}
export function fail(message: string): TestOutcome {
  return { pass: false, message };
}

/**
 * The answer is an integer (or an expression that evaluates to one) equal to `expected`.
 * `hint` is shown on failure. With `modulus`, an answer congruent to the expected residue but
 * outside 0 … modulus − 1 (e.g. −1 for 12 mod 13) gets a message about residues instead, and a
 * message never prints the expected value: it is keyed to what the learner gave.
 */
export function integerAnswer(
  name: string,
  expected: bigint,
  points: number,
  hint = "",
  opts: { modulus?: bigint; wrong?: Array<{ when: (got: bigint) => boolean; say: string }> } = {},
): TestCase {
  return {
    name,
    points,
    run(answer, ctx) {
      const got = ctx.evaluate(answer);
      if (got === expected) return pass(`${brief(answer)} = ${got}`);
      const m = opts.modulus;
      if (m !== undefined && m > 0n && (((got - expected) % m) + m) % m === 0n) {
        const advice =
          got < 0n
            ? `a negative number is congruent to a residue: add the modulus (${got} + ${m} = ${got + m}), ` +
              `because ${got} and ${got + m} differ by a multiple of ${m}`
            : `it is congruent to the answer but larger than the modulus: subtract multiples of ${m} until it ` +
              `lies in 0 … ${m - 1n}`;
        return fail(`${brief(answer)} evaluates to ${got}, which is not a residue mod ${m}: ${advice}.`);
      }
      const w = opts.wrong?.find((x) => {
        try {
          return x.when(got);
        } catch {
          return false;
        }
      });
      if (w) return fail(`${brief(answer)} evaluates to ${got}: ${w.say}`);
      return fail(`${brief(answer)} evaluates to ${got}, which is not the answer.${hint ? " " + hint : ""}`);
    },
  };
}

/**
 * The answer (a string) names the right choice: "B", "b", "B: …" all count as "B".
 * `explain` is shown only to a right answer (it may name the answer). A wrong letter gets
 * `wrong[letter]`, which names the misconception behind that choice and never the right one.
 */
export function choiceAnswer(
  name: string,
  expected: string,
  points: number,
  explain: string,
  wrong: Record<string, string> = {},
): TestCase {
  return {
    name,
    points,
    run(answer) {
      if (typeof answer !== "string")
        return fail(`give the letter of your choice as a string, e.g. "A" (got ${brief(answer)})`);
      const letter = answer.trim().charAt(0).toUpperCase();
      if (letter === expected.toUpperCase()) return pass(`${letter} is right: ${explain}`);
      if (!letter) return fail("the answer is empty: give the letter of one choice");
      const why = wrong[letter];
      return fail(
        `${letter} is not right. ${
          why ??
          "Re-read the scenario and check each choice against the evidence, not " + "just the first one that fits."
        }`,
      );
    },
  };
}

/**
 * A function export, called with `args`, must return `expected` (deep equality; bigints compare
 * exactly). `fnName` is used in messages.
 */
export function callCase<A extends unknown[], R>(
  name: string,
  points: number,
  fnName: string,
  args: A,
  expected: R,
  opts: { timeoutMs?: number; equal?: (got: unknown, want: R) => boolean; hint?: string } = {},
): TestCase {
  return {
    name,
    points,
    timeoutMs: opts.timeoutMs,
    async run(answer) {
      const fn = typeof answer === "function" ? answer : answer?.[fnName];
      if (typeof fn !== "function") return fail(`export a function named ${fnName} (found ${brief(fn)})`);
      const got = await fn(...args);
      const ok = opts.equal ? opts.equal(got, expected) : isDeepStrictEqual(got, expected);
      const call = `${fnName}(${args.map(brief).join(", ")})`;
      if (ok) return pass(`${call} = ${brief(got)}`);
      return fail(`${call} returned ${brief(got)}, expected ${brief(expected)}.${opts.hint ? " " + opts.hint : ""}`);
    },
  };
}

/**
 * A predict-table answer: rows of cells, compared cell by cell. The message lists the first few
 * wrong cells by row and column name, so the learner knows where to look.
 */
export function tableAnswer(
  name: string,
  points: number,
  columns: string[],
  expected: Array<Record<string, string | number | bigint | boolean | null>>,
  opts: { rowLabel?: string; normalize?: (v: unknown) => string } = {},
): TestCase {
  const norm =
    opts.normalize ??
    ((v: unknown) =>
      String(v ?? "")
        .trim()
        .toLowerCase()
        .replace(/\s+/g, " "));
  return {
    name,
    points,
    run(answer) {
      if (!Array.isArray(answer))
        return fail(`the answer must be an array of ${expected.length} rows (got ${brief(answer)})`);
      if (answer.length !== expected.length) return fail(`expected ${expected.length} rows, got ${answer.length}`);
      const wrong: string[] = [];
      expected.forEach((row, i) => {
        const got = answer[i] ?? {};
        const label = opts.rowLabel ? `${opts.rowLabel} ${String(row[opts.rowLabel] ?? i + 1)}` : `row ${i + 1}`;
        for (const c of columns) {
          if (norm(got[c]) !== norm(row[c])) wrong.push(`${label}, ${c}: you have ${brief(got[c])}`);
        }
      });
      if (wrong.length === 0) return pass(`all ${expected.length} rows match`);
      const more = wrong.length > 4 ? ` (and ${wrong.length - 4} more)` : "";
      return fail(`${wrong.length} cell(s) differ: ${wrong.slice(0, 4).join("; ")}${more}`);
    },
  };
}

/**
 * Test builders for value, choice and predict answers that compare through seals (sealed.ts), so
 * the student copy can check an answer without holding it, and still teaches: a known wrong
 * answer opens its own message, any other answer gets the slot's hint, and the right answer opens
 * its explanation. No message ever prints the right answer unless the learner gave it.
 *
 * The plain answers (`key`) go inside hidden-test markers, so only the instructor's copy has them:
 *
 *     sealedValue("7^2 mod 13", 1, {
 *       as: asInteger,
 *       hint: "49 = 3·13 + ?",
 *       // wirelab:hidden-begin
 *       key: () => ({
 *         right: modPow(7n, 2n, 13n),
 *         wrong: [{ answer: 49, message: "49 is 7^2 itself: reduce it mod 13." }],
 *       }),
 *       // wirelab:hidden-end
 *     })
 *
 * then `wirelab seal` writes the entries into src/grading/sealed-keys.ts. A sealed builder used
 * in a *hidden* test compares with its key directly (hidden tests exist only where keys do).
 */
import { brief, fail, pass } from "./checks";
import { evaluateInteger } from "./expr";
import { openSealed, type SealedVerdict } from "./sealed";
import { SEALED_KEYS } from "./sealed-keys";
import type { TestCase, TestContext, TestOutcome } from "./spec";

/**
 * Turns one cell of a learner's answer into the canonical text that is sealed. Throw an Error whose message teaches
 * for a malformed value.
 */
export type Normaliser = (value: unknown, ctx: Pick<TestContext, "evaluate">) => string;

/** An integer or an arithmetic expression ("103*42 mod 17"), compared by value. */
export const asInteger: Normaliser = (v, ctx) => ctx.evaluate(v).toString();
/** Text compared without case, surrounding blanks or runs of blanks. */
export const asText: Normaliser = (v) =>
  String(v ?? "")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ");
/** Exact text (case and blanks matter, e.g. a shell word). */
export const asExact: Normaliser = (v) => {
  if (typeof v !== "string") throw new Error(`give a string (got ${brief(v)})`);
  return v;
};
/** A choice letter: "B", "b", "B: …" all read as "B". */
export const asChoice: Normaliser = (v) => {
  if (typeof v !== "string") throw new Error(`give the letter of your choice as a string, e.g. "A" (got ${brief(v)})`);
  return v.trim().charAt(0).toUpperCase();
};
/** A bigint, or a decimal / 0x-hex string of one. */
export const asBigint: Normaliser = (v) => {
  try {
    return (typeof v === "bigint" ? v : BigInt(String(v).trim())).toString();
  } catch {
    throw new Error(`give a bigint (123n) or a decimal/hex string ("0x…"); got ${brief(v)}`);
  }
};

/** A known answer of one cell and what it earns. */
export interface KnownWrong {
  /** The cell it belongs to (omit for a single-cell check). */
  cell?: string;
  /** The wrong value, as a learner would write it (it is normalised like an answer). */
  answer: unknown;
  /** Names the misconception; never states the right answer. */
  message: string;
}

export interface AnswerKey {
  /** The right answer, in the same shape a learner gives. */
  right: unknown;
  /** Shown when the answer is right (it may explain why: it is sealed with the right answer). */
  why?: string;
  /** Plausible wrong answers with the message each earns. */
  wrong?: KnownWrong[];
}

/** What a sealed test carries besides `run`: the generator (`wirelab seal`) and defineExercise read it. */
export interface SealInfo {
  /** Filled by defineExercise: the exercise id and whether the test is hidden. */
  exercise?: string;
  hidden?: boolean;
  testName: string;
  cells: string[];
  /** The fixed text shown with any unknown answer (public). */
  hint: string;
  /** The canonical text of each cell of a whole answer (or a message saying why the shape is wrong). */
  cellsOf(answer: unknown, ctx: Pick<TestContext, "evaluate">): Record<string, string> | { error: string };
  /** Normalises one raw cell value (for known wrong answers). */
  normalise(cell: string, value: unknown, ctx: Pick<TestContext, "evaluate">): string;
  /** Instructor copy only. */
  key?: () => AnswerKey;
}

export type SealedTestCase = TestCase & { seal: SealInfo };

/** The slot name of one cell: `exercise/test name[/cell]`. */
export function slotOf(info: SealInfo, cell: string): string {
  if (!info.exercise) throw new Error(`sealed test "${info.testName}" is not inside defineExercise()`);
  return cell ? `${info.exercise}/${info.testName}/${cell}` : `${info.exercise}/${info.testName}`;
}

/** Every known answer of a sealed test, per cell, normalised (used by the generator and by hidden tests). */
export function knownAnswers(
  info: SealInfo,
  ctx: Pick<TestContext, "evaluate">,
): Array<{ cell: string; answer: string; verdict: SealedVerdict }> {
  if (!info.key) throw new Error(`sealed test "${info.testName}" has no key in this copy`);
  const k = info.key();
  const right = info.cellsOf(k.right, ctx);
  if ("error" in right) throw new Error(`the key of "${info.testName}" does not read as an answer: ${right.error}`);
  const out: Array<{ cell: string; answer: string; verdict: SealedVerdict }> = [];
  const single = info.cells.length === 1;
  for (const cell of info.cells) {
    out.push({ cell, answer: right[cell]!, verdict: { pass: true, message: single ? (k.why ?? "") : "" } });
  }
  for (const w of k.wrong ?? []) {
    const cell = w.cell ?? (single ? info.cells[0]! : undefined);
    if (cell === undefined || !info.cells.includes(cell))
      throw new Error(`a wrong answer of "${info.testName}" names no cell of it (${String(w.cell)})`);
    out.push({ cell, answer: info.normalise(cell, w.answer, ctx), verdict: { pass: false, message: w.message } });
  }
  return out;
}

function verdictOf(
  info: SealInfo,
  cell: string,
  normalised: string,
  ctx: Pick<TestContext, "evaluate">,
): SealedVerdict | undefined {
  if (info.hidden && info.key) {
    const known = knownAnswers(info, ctx).find((k) => k.cell === cell && k.answer === normalised);
    return known?.verdict;
  }
  const slot = slotOf(info, cell);
  return openSealed(slot, SEALED_KEYS[slot], normalised);
}

interface BuildOptions {
  cells: string[];
  cellsOf: SealInfo["cellsOf"];
  normalise: SealInfo["normalise"];
  label: (cell: string) => string;
  /** Shown raw value of a cell of the learner's answer. */
  shown: (answer: unknown, cell: string) => unknown;
  hint: string;
  key?: () => AnswerKey;
  passText: (answer: unknown) => string;
  timeoutMs?: number;
  /**
   * A message keyed to the learner's own value of a cell that is not a known answer (public: it must not give the
   * answer away).
   */
  teach?: (cell: string, raw: unknown) => string | undefined;
}

function build(name: string, points: number, o: BuildOptions): SealedTestCase {
  const seal: SealInfo = {
    testName: name,
    cells: o.cells,
    hint: o.hint,
    cellsOf: o.cellsOf,
    normalise: o.normalise,
    key: o.key,
  };
  return {
    name,
    points,
    timeoutMs: o.timeoutMs,
    seal,
    run(answer: unknown, given: TestContext): TestOutcome {
      const ctx: Pick<TestContext, "evaluate"> = given ?? { evaluate: evaluateInteger };
      let got: Record<string, string> | { error: string };
      try {
        got = o.cellsOf(answer, ctx);
      } catch (e) {
        return fail((e as Error).message);
      }
      if ("error" in got && typeof got.error === "string") return fail(got.error);
      const cells = got as Record<string, string>;
      const wrong: string[] = [];
      // Each misconception is said once, however many cells show it.
      const lessons: string[] = [];
      let why = "";
      for (const cell of o.cells) {
        const v = verdictOf(seal, cell, cells[cell] ?? "", ctx);
        if (v?.pass) {
          if (v.message) why = v.message;
          continue;
        }
        const lead =
          o.cells.length === 1
            ? `${brief(o.shown(answer, cell))} is not right`
            : `${o.label(cell)}: you have ${brief(o.shown(answer, cell))}`;
        const lesson = v ? v.message : o.teach?.(cell, o.shown(answer, cell));
        if (o.cells.length === 1) wrong.push(lesson ? `${lead}: ${lesson}` : lead);
        else {
          wrong.push(lead);
          if (lesson && !lessons.includes(lesson)) lessons.push(lesson);
        }
      }
      if (wrong.length === 0) return pass(why ? `${o.passText(answer)}: ${why}` : o.passText(answer));
      const more = wrong.length > 4 ? ` (and ${wrong.length - 4} more)` : "";
      const head =
        o.cells.length === 1
          ? wrong[0]!
          : `${wrong.length} of ${o.cells.length} cell(s) differ: ${wrong.slice(0, 4).join("; ")}${more}`;
      const taught = lessons.length
        ? ` ${lessons.map((l) => (/[.!?)]\s*$/.test(l) ? l.trim() : `${l.trim()}.`)).join(" ")}`
        : "";
      return fail(`${head}.${taught}${o.hint ? " " + o.hint : ""}`);
    },
  };
}

/** One value (a number, an expression, a string) compared through its seal. */
export function sealedValue(
  name: string,
  points: number,
  o: {
    as: Normaliser;
    hint: string;
    key?: () => AnswerKey;
    timeoutMs?: number;
    /**
     * For integer answers mod m: an answer congruent to the right residue but outside 0 … m − 1
     * (e.g. −1 for 12 mod 13) gets a message about residues (found by looking up its residue).
     */
    modulus?: bigint;
  },
): SealedTestCase {
  const t = build(name, points, {
    cells: [""],
    cellsOf: (a, ctx) => ({ "": o.as(a, ctx) }),
    normalise: (_c, v, ctx) => o.as(v, ctx),
    label: () => "the answer",
    shown: (a) => a,
    hint: o.hint,
    key: o.key,
    passText: (a) => `${brief(a)} is right`,
    timeoutMs: o.timeoutMs,
  });
  const m = o.modulus;
  if (m === undefined || m <= 0n) return t;
  const plain = t.run;
  t.run = async (answer: unknown, given: TestContext) => {
    const out = (await plain(answer, given)) as TestOutcome;
    if (out.pass) return out;
    const ctx = given ?? { evaluate: evaluateInteger };
    let got: bigint;
    try {
      got = ctx.evaluate(answer);
    } catch {
      return out;
    }
    const r = ((got % m) + m) % m;
    if (r === got || !verdictOf(t.seal, "", r.toString(), ctx)?.pass) return out;
    const advice =
      got < 0n
        ? `a negative number is congruent to a residue: add the modulus (${got} + ${m} = ${got + m}), because ` +
          `the two differ by a multiple of ${m}`
        : `it is congruent to the answer but not reduced: subtract multiples of ${m} until it lies in 0 … ${m - 1n}`;
    return fail(`${brief(answer)} evaluates to ${got}, which is not a residue mod ${m}: ${advice}.`);
  };
  return t;
}

/** A choice letter compared through its seal. */
export function sealedChoice(name: string, points: number, o: { hint: string; key?: () => AnswerKey }): SealedTestCase {
  return build(name, points, {
    cells: [""],
    cellsOf: (a) => ({ "": asChoice(a, { evaluate: () => 0n }) }),
    normalise: (_c, v) => asChoice(v, { evaluate: () => 0n }),
    label: () => "your choice",
    shown: (a) => (typeof a === "string" ? a.trim().charAt(0).toUpperCase() : a),
    hint: o.hint,
    key: o.key,
    passText: (a) => `${String(a).trim().charAt(0).toUpperCase()} is right`,
  });
}

/**
 * Several named parts of one answer object (`{ J, K, secret }`, `{ binary, squares }`), each
 * sealed on its own so the message says which part is wrong. `parts` maps a part name to how it
 * is read from the answer (default: the property of that name).
 */
export function sealedFields(
  name: string,
  points: number,
  o: {
    fields: Record<string, Normaliser>;
    shape: string;
    hint: string;
    key?: () => AnswerKey;
    read?: (answer: any, field: string) => unknown;
    teach?: (field: string, raw: unknown) => string | undefined;
  },
): SealedTestCase {
  const cells = Object.keys(o.fields);
  const read = o.read ?? ((a: any, f: string) => a?.[f]);
  return build(name, points, {
    cells,
    cellsOf: (a, ctx) => {
      if (!a || typeof a !== "object") return { error: `answer with an object ${o.shape} (got ${brief(a)})` };
      const out: Record<string, string> = {};
      for (const c of cells) out[c] = o.fields[c]!(read(a, c), ctx);
      return out;
    },
    normalise: (c, v, ctx) => o.fields[c]!(v, ctx),
    label: (c) => c,
    shown: (a, c) => read(a, c),
    hint: o.hint,
    key: o.key,
    passText: () => (cells.length === 1 ? `${cells[0]} is right` : `${cells.join(", ")} are right`),
    teach: o.teach,
  });
}

/**
 * A predict table: rows of cells, each cell sealed on its own (`r<row>/<column>`), plus the number
 * of rows, so per-cell feedback still works. `rows` restricts the check to some rows (the others
 * belong to hidden tests and are not sealed). Row numbers in messages count from 1.
 */
export function sealedTable(
  name: string,
  points: number,
  o: {
    columns: string[];
    /** How many rows the answer must have (0-based indexes). */
    rowCount: number;
    rows?: number[];
    normalise?: Normaliser | Record<string, Normaliser>;
    /** A name for a row in messages, from the learner's row (e.g. its `vrf`). Default: "row N". */
    rowLabel?: (i: number) => string;
    shape: string;
    hint: string;
    key?: () => AnswerKey;
  },
): SealedTestCase {
  const rows = o.rows ?? Array.from({ length: o.rowCount }, (_, i) => i);
  const cells = rows.flatMap((r) => o.columns.map((c) => `r${r + 1}/${c}`));
  const normOf = (col: string): Normaliser =>
    (typeof o.normalise === "function" ? o.normalise : o.normalise?.[col]) ?? asText;
  const split = (cell: string) => {
    const m = /^r(\d+)\/(.*)$/.exec(cell)!;
    return { row: Number(m[1]) - 1, col: m[2]! };
  };
  return build(name, points, {
    cells,
    cellsOf: (a, ctx) => {
      if (!Array.isArray(a)) return { error: `answer with an array of rows (${o.shape}); got ${brief(a)}` };
      if (a.length !== o.rowCount)
        return { error: `your table has ${a.length} row(s): check how many the question asks for (${o.shape})` };
      const out: Record<string, string> = {};
      for (const cell of cells) {
        const { row, col } = split(cell);
        out[cell] = normOf(col)(a[row]?.[col], ctx);
      }
      return out;
    },
    normalise: (cell, v, ctx) => normOf(split(cell).col)(v, ctx),
    label: (cell) => {
      const { row, col } = split(cell);
      return `${o.rowLabel ? o.rowLabel(row) : `row ${row + 1}`}, ${col}`;
    },
    shown: (a, cell) => {
      const { row, col } = split(cell);
      return (a as any[])?.[row]?.[col];
    },
    hint: o.hint,
    key: o.key,
    passText: () => `all ${rows.length} row(s) you were asked for match`,
  });
}

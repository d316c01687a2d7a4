/**
 * Exercise specifications: the one definition that the notebook `check()`, the CLI grader,
 * the instructor's collector and the release tool all read.
 *
 * An exercise has an id `topic.name`, a title, a prompt, a kind (value, code, choice, predict,
 * fix), the place where the learner's answer lives (`answer.file`, relative to the course root)
 * and two lists of tests. Public tests run everywhere; hidden tests run only when an instructor
 * grades. In the source, hidden tests sit between the markers
 *
 *     // wirelab:hidden-begin
 *     …
 *     // wirelab:hidden-end
 *
 * and `wirelab release` deletes everything between them, so a student copy carries none.
 * Modelled on otter-grader's "one master source" (`otter assign`) and nbgrader's hidden tests.
 */
import { InputError } from "../util/errors";
import type { OwnWork } from "./ownwork";

export type ExerciseKind = "value" | "code" | "choice" | "predict" | "fix";
export const EXERCISE_KINDS: readonly ExerciseKind[] = ["value", "code", "choice", "predict", "fix"];

/** What a test says about an answer. `message` teaches: what was expected, what to look at. */
export interface TestOutcome {
  pass: boolean;
  message: string;
}

/** Context given to a test while it runs inside the isolated grading worker. */
export interface TestContext {
  /** Absolute path of the course root (the folder holding exercises/, notebooks/, …). */
  root: string;
  /** Absolute path of the answer file, when the answer came from a file. */
  answerPath?: string;
  /** Evaluate a learner's arithmetic expression (mathjs syntax, bigint-exact): "103*42 mod 17". */
  evaluate(expr: unknown): bigint;
}

export interface TestCase {
  /** Short name shown in the report, e.g. "7^29 mod 17". */
  name: string;
  /** Points for this test (a positive integer). */
  points: number;
  /**
   * Runs in the judge (trusted; never in the learner's process). `answer` is the learner's answer: the inline value
   * given to
   * `check(id, value)`, the named export of the answer module, the module namespace when no export
   * is named, or the text of a non-TypeScript answer file. Throwing or rejecting fails the test.
   * A module's function exports are async proxies into the learner's sandbox: `await` every call
   * (a learner's errors arrive as errors carrying the learner's `name` and `message`).
   */
  run: (answer: any, ctx: TestContext) => TestOutcome | boolean | Promise<TestOutcome | boolean>;
  /** Per-test time limit in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Added to the "timed out" message: what a slow answer usually gets wrong in this lesson. */
  timeoutHint?: string;
}

export interface AnswerSource {
  /** Path relative to the course root, e.g. "exercises/dh/modpow.ts" or "exercises/vpn/hub.set". */
  file: string;
  /** For a .ts/.js module: the export holding the answer. Absent: the whole module namespace. */
  export?: string;
}

export interface Exercise {
  /** `topic.name`, lower case, e.g. "dh.modpow". */
  id: string;
  title: string;
  /**
   * Markdown prompt: the one text of the question. The notebook build puts it under the
   * exercise's heading (`%% exercise ID` in a notebook source), into the answer file's header
   * comment, `wirelab exercises --json` and the student README (see `present.ts`).
   */
  prompt: string;
  /** Code lines shown in the notebook's check cell before `check(…)` (e.g. a commented hint). */
  starter?: string;
  /**
   * Whether the notebook's check cell carries the answer (`check(id, undefined)`, the learner
   * replaces `undefined`) or grades the answer file (`check(id)`). Default: inline for value,
   * choice and predict exercises, the file for code and fix.
   */
  checkCell?: "inline" | "file";
  /**
   * The reference answer, for `wirelab grade --solutions` and the tests that prove it earns full
   * marks. Default: the answer file's path with `exercises/` replaced by `solutions/`.
   */
  solution?: string;
  kind: ExerciseKind;
  /** Where the learner's answer lives when it is not given inline to `check()`. */
  answer: AnswerSource;
  /** The options of a `choice` exercise, e.g. ["A: …", "B: …"]. */
  choices?: string[];
  /** Notebook file name (in notebooks/) where the exercise is introduced. */
  notebook?: string;
  /**
   * Says whether an answer is the untouched stub. Default: `undefined`, `null`, a `todo()` throw
   * or a module export that is missing. Used to report "not attempted" instead of failures.
   */
  isUnattempted?: (answer: any, ctx: TestContext) => boolean;
  public: TestCase[];
  hidden: TestCase[];
  /**
   * Points of hidden tests this copy does not hold: a student release strips the hidden tests but
   * lists their points in `course/withheld-points.json`, so its headings state the same total as the
   * instructor's. Shown, never graded here.
   */
  withheld?: number;
  /** Set by `ownWork()` (ownwork.ts): library modules whose use earns no credit in this code exercise. */
  ownWork?: OwnWork;
}

const ID_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

/** Total points of an exercise: public and hidden tests together. */
export function totalPoints(ex: Exercise, scope: "public" | "all" = "all"): number {
  const tests = scope === "public" ? ex.public : [...ex.public, ...ex.hidden];
  return tests.reduce((s, t) => s + t.points, 0);
}

/** Points the headings announce: every test this copy holds, plus the hidden points it withholds. */
export function announcedPoints(ex: Exercise): number {
  return totalPoints(ex) + (ex.withheld ?? 0);
}

/** The topic part of an id: "dh.modpow" → "dh". */
export function topicOf(id: string): string {
  return id.split(".")[0]!;
}

/** Validates an exercise definition and returns it (so topic files can `export const x = defineExercise({...})`). */
export function defineExercise(ex: Exercise): Exercise {
  if (!ID_RE.test(ex.id)) {
    throw new InputError("exercise id must look like topic.name (lower case)", {
      value: ex.id,
      where: "defineExercise",
    });
  }
  if (!EXERCISE_KINDS.includes(ex.kind)) {
    throw new InputError(`exercise kind must be one of ${EXERCISE_KINDS.join(", ")}`, { value: ex.kind, where: ex.id });
  }
  if (
    !ex.answer ||
    typeof ex.answer.file !== "string" ||
    ex.answer.file.startsWith("/") ||
    ex.answer.file.includes("..")
  ) {
    throw new InputError("answer.file must be a relative path inside the course", {
      value: ex.answer?.file,
      where: ex.id,
    });
  }
  if (ex.public.length === 0) {
    throw new InputError("an exercise needs at least one public test", { where: ex.id });
  }
  const names = new Set<string>();
  for (const t of [...ex.public, ...ex.hidden]) {
    if (!Number.isInteger(t.points) || t.points <= 0) {
      throw new InputError("test points must be a positive integer", {
        value: t.points,
        where: `${ex.id} / ${t.name}`,
      });
    }
    if (names.has(t.name))
      throw new InputError("test names must be unique within an exercise", { value: t.name, where: ex.id });
    names.add(t.name);
  }
  if (ex.kind === "choice" && (!ex.choices || ex.choices.length < 2)) {
    throw new InputError("a choice exercise needs at least two choices", { where: ex.id });
  }
  // Sealed tests (sealed-checks.ts) learn which exercise they belong to: it salts their seals.
  for (const [list, hidden] of [
    [ex.public, false],
    [ex.hidden, true],
  ] as const) {
    for (const t of list) {
      const seal = (t as { seal?: { exercise?: string; hidden?: boolean } }).seal;
      if (seal) {
        seal.exercise = ex.id;
        seal.hidden = hidden;
      }
    }
  }
  return ex;
}

/** Thrown by learner stubs (`todo()`): the grader reports "not attempted" rather than a failure. */
export class NotAttemptedError extends Error {
  constructor(what = "this exercise") {
    super(`not attempted yet: ${what}`);
    this.name = "NotAttemptedError";
  }
}

/** Use in a learner stub: `export function modPow(...) { return todo("modPow"); }` */
export function todo(what?: string): never {
  throw new NotAttemptedError(what);
}

/** The reference answer's path (relative to the course root): `solution`, or the mirror in solutions/. */
export function solutionFile(ex: Exercise): string {
  return ex.solution ?? ex.answer.file.replace(/^exercises\//, "solutions/");
}

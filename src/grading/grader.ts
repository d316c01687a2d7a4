/**
 * The grader: runs exercises' tests against learners' answers, each exercise in its own child
 * process (`worker.ts`), each test under a time limit. Used by the notebook `check()`, the
 * `wirelab grade` CLI and the instructor's collector: one runner, one set of specs.
 *
 * Guarantees (each proven in test/grading): an infinite loop, a promise that never settles,
 * `process.exit`, a non-Error throw, console noise or a huge output ends as a failed test with a
 * message; the grader itself never crashes, never hangs, and never credits a test that did not
 * run to completion.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { encode } from "./codec";
import { answersInNotebook, type NotebookAnswer } from "./notebook-answers";
import type { AnswerRef, ChildMessage, InitMessage, ReadyMessage, ResultMessage } from "./protocol";
import { findExercise, registeredIn, selectExercises, type RegisteredExercise } from "./registry";
import { solutionFile, totalPoints, type Exercise, type ExerciseKind } from "./spec";

export type TestStatus = "pass" | "fail" | "timeout" | "crash" | "not-attempted" | "not-run";

/**
 * After this many timeouts or crashes in a row within one exercise, its remaining tests are
 * reported "not run" (failed, never credited): hanging code cannot make grading take
 * tests × time-limit.
 */
export const MAX_CONSECUTIVE_HANGS = 2;

export interface TestReport {
  name: string;
  hidden: boolean;
  points: number;
  earned: number;
  status: TestStatus;
  message: string;
  ms: number;
}

export type ExerciseStatus = "full" | "partial" | "zero" | "not-attempted" | "error";

export interface ExerciseReport {
  id: string;
  title: string;
  kind: ExerciseKind;
  /** Points available in the tests that ran. */
  points: number;
  earned: number;
  status: ExerciseStatus;
  /** Where the answer came from: a file, a notebook cell, or "inline". */
  source: string;
  /** Hidden tests were run (instructor grading). */
  hiddenRan: boolean;
  /** Number of hidden tests that exist but were not run. */
  hiddenSkipped: number;
  tests: TestReport[];
  /** A load error (syntax error, missing file), if any. */
  error?: string;
}

export interface GradeOptions {
  /** Course root (holds exercises/, solutions/, notebooks/). */
  root: string;
  /** Run hidden tests too (instructor). */
  hidden?: boolean;
  /** Default per-test limit when a test sets none (ms). */
  defaultTimeoutMs?: number;
  /** Limit for loading the worker and the answer (ms). */
  loadTimeoutMs?: number;
}

const EXT = path.extname(__filename);
const WORKER = path.join(__dirname, `worker${EXT}`);
const DEFAULT_TEST_MS = 5000;
const DEFAULT_LOAD_MS = 30000;
const KEEP_OUTPUT = 4096;

function spawnWorker(root: string): ChildProcess {
  const execArgv = ["--max-old-space-size=768"];
  if (EXT === ".ts") execArgv.unshift("--import", "tsx");
  return fork(WORKER, [], {
    cwd: root,
    execArgv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, NODE_OPTIONS: "", WIRELAB_GRADING: "1" },
    serialization: "json",
  });
}

/** Waits for the next message from the worker, its exit, or the time limit. */
function next(child: ChildProcess, ms: number): Promise<{ msg?: ChildMessage; exit?: string; timeout?: boolean }> {
  return new Promise((resolve) => {
    const onMsg = (msg: ChildMessage) => done({ msg });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => done({ exit: signal ? `signal ${signal}` : `exit code ${code}` });
    const timer = setTimeout(() => done({ timeout: true }), ms);
    function done(r: { msg?: ChildMessage; exit?: string; timeout?: boolean }) {
      clearTimeout(timer);
      child.off("message", onMsg);
      child.off("exit", onExit);
      resolve(r);
    }
    child.on("message", onMsg);
    child.on("exit", onExit);
    if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
  });
}

function kill(child: ChildProcess | undefined): void {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 1 : 0)} s`;
}

function earnedOf(results: TestReport[]): number {
  return results.reduce((s, t) => s + t.earned, 0);
}

/** Grades one exercise against one answer. Never throws for anything the answer does. */
export async function gradeExercise(reg: RegisteredExercise, answer: AnswerRef, opts: GradeOptions): Promise<ExerciseReport> {
  const ex = reg.exercise;
  const tests: InitMessage["tests"] = [
    ...ex.public.map((_, index) => ({ which: "public" as const, index })),
    ...(opts.hidden ? ex.hidden.map((_, index) => ({ which: "hidden" as const, index })) : []),
  ];
  const caseOf = (n: number) => (tests[n]!.which === "public" ? ex.public : ex.hidden)[tests[n]!.index]!;
  const results: TestReport[] = [];
  let child: ChildProcess | undefined;
  let ready: ReadyMessage | undefined;
  let loadError: string | undefined;
  let source = answer.label;
  const loadMs = opts.loadTimeoutMs ?? DEFAULT_LOAD_MS;

  const start = async (): Promise<boolean> => {
    child = spawnWorker(opts.root);
    child.stdout?.on("data", () => undefined);
    let errTail = "";
    child.stderr?.on("data", (d: Buffer) => {
      errTail = (errTail + d.toString()).slice(-KEEP_OUTPUT);
    });
    child.on("error", () => undefined);
    child.send({ type: "init", module: reg.module, id: ex.id, root: opts.root, answer, tests } satisfies InitMessage);
    const r = await next(child, loadMs);
    if (r.msg?.type === "ready") {
      ready = r.msg;
      source = ready.source;
      if (ready.loadError) loadError = ready.loadError;
      return !ready.loadError && !ready.notAttempted;
    }
    loadError = r.timeout
      ? `loading your answer took longer than ${seconds(loadMs)} (code that runs forever when the file is loaded?)`
      : `the grading process stopped while loading (${r.exit ?? "unknown"})${errTail ? ": " + errTail.trim().split("\n").slice(-3).join(" | ") : ""}`;
    kill(child);
    child = undefined;
    return false;
  };

  let hangs = 0;
  try {
    for (let n = 0; n < tests.length; n++) {
      const tc = caseOf(n);
      const hidden = tests[n]!.which === "hidden";
      const base = { name: tc.name, hidden, points: tc.points };
      if (hangs >= MAX_CONSECUTIVE_HANGS) {
        results.push({ ...base, earned: 0, status: "not-run", ms: 0, message: `not run: the ${MAX_CONSECUTIVE_HANGS} tests before it timed out or crashed; fix that first` });
        continue;
      }
      if (!child) {
        const ok = await start();
        if (!ok) {
          const status: TestStatus = ready?.notAttempted && !loadError ? "not-attempted" : "fail";
          const message = status === "not-attempted" ? "not attempted yet" : loadError ?? "could not start";
          for (let m = n; m < tests.length; m++) {
            const t = caseOf(m);
            results.push({ name: t.name, hidden: tests[m]!.which === "hidden", points: t.points, earned: 0, status, message, ms: 0 });
          }
          break;
        }
      }
      const limit = tc.timeoutMs ?? opts.defaultTimeoutMs ?? DEFAULT_TEST_MS;
      const t0 = Date.now();
      const nonce = randomBytes(12).toString("hex");
      child!.send({ type: "run", n, nonce });
      let r = await next(child!, limit);
      // Only the result for this test with this nonce counts; anything else is ignored.
      while (r.msg && !(r.msg.type === "result" && r.msg.n === n && r.msg.nonce === nonce)) r = await next(child!, Math.max(1, limit - (Date.now() - t0)));
      const ms = Date.now() - t0;
      hangs = r.msg ? 0 : hangs + 1;
      if (r.msg) {
        const res = r.msg as ResultMessage;
        const status: TestStatus = res.pass ? "pass" : res.notAttempted ? "not-attempted" : "fail";
        results.push({ ...base, earned: res.pass ? tc.points : 0, status, message: res.message, ms });
      } else if (r.timeout) {
        kill(child);
        child = undefined;
        results.push({ ...base, earned: 0, status: "timeout", ms, message: `timed out after ${seconds(limit)}: ${tc.timeoutHint ?? "an infinite loop, or a promise that never settles?"}` });
      } else {
        child = undefined;
        results.push({ ...base, earned: 0, status: "crash", ms, message: `the grading process died during this test (${r.exit}): did your code call process.exit, or run out of memory?` });
      }
    }
  } finally {
    kill(child);
  }

  const points = results.reduce((s, t) => s + t.points, 0);
  const earned = earnedOf(results);
  // A stub's todo() reaches most tests as "not attempted"; a test that catches errors itself may
  // see it as a wrong answer. Nothing earned and any "not attempted" means the stub is untouched.
  const allNot = results.length > 0 && earnedOf(results) === 0 && results.some((t) => t.status === "not-attempted");
  const status: ExerciseStatus = loadError ? "error" : allNot ? "not-attempted" : earned === points ? "full" : earned === 0 ? "zero" : "partial";
  return {
    id: ex.id,
    title: ex.title,
    kind: ex.kind,
    points,
    earned,
    status,
    source,
    hiddenRan: !!opts.hidden,
    hiddenSkipped: opts.hidden ? 0 : ex.hidden.length,
    tests: results,
    error: loadError,
  };
}

/** Which tree answers come from. */
export type AnswerTree = "exercises" | "solutions";

/** The answer file of an exercise in a tree (solutions mirror exercises). */
export function answerFile(ex: Exercise, root: string, tree: AnswerTree): string {
  const rel = tree === "solutions" ? solutionFile(ex) : ex.answer.file;
  return path.join(root, rel);
}

/** Inline answers found in a folder's notebooks, last attempted one per id wins. */
export function notebookAnswers(dir: string): { answers: Map<string, NotebookAnswer>; problems: string[] } {
  const answers = new Map<string, NotebookAnswer>();
  const problems: string[] = [];
  if (!fs.existsSync(dir)) return { answers, problems };
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort()) {
    const file = path.join(dir, f);
    let found: NotebookAnswer[];
    try {
      found = answersInNotebook(file);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    for (const a of found) {
      if (a.error || a.value !== undefined || !answers.has(a.id)) answers.set(a.id, a);
    }
  }
  return { answers, problems };
}

/** Builds the answer reference for an exercise: its file, with a notebook answer as fallback. */
export function answerRef(ex: Exercise, root: string, tree: AnswerTree, nb?: Map<string, NotebookAnswer>): AnswerRef {
  const file = answerFile(ex, root, tree);
  const label = path.relative(root, file);
  const inNb = tree === "exercises" ? nb?.get(ex.id) : undefined;
  const nbLabel = inNb ? `${path.relative(root, inNb.file)}, cell ${inNb.cell + 1}` : "";
  if (inNb?.error) {
    if (fs.existsSync(file)) return { kind: "file", path: file, export: ex.answer.export, label };
    return { kind: "missing", reason: `${nbLabel}: ${inNb.error}`, label: nbLabel };
  }
  const fallback = inNb && inNb.value !== undefined ? { json: encode(inNb.value), label: nbLabel } : undefined;
  if (!fs.existsSync(file) && !fallback) return { kind: "missing", reason: `${label} does not exist`, label };
  return { kind: "file", path: file, export: ex.answer.export, label, fallback };
}

export interface GradeRun {
  reports: ExerciseReport[];
  earned: number;
  points: number;
  problems: string[];
}

/**
 * Grades a selection (topic, id prefix, id, or everything) from a tree. With tree "exercises",
 * literal answers in `notebooks/*.ipynb` count where the exercise file is still a stub.
 */
export async function gradeMany(opts: GradeOptions & { selector?: string; tree?: AnswerTree; notebooksDir?: string; onReport?: (r: ExerciseReport) => void }): Promise<GradeRun> {
  const tree = opts.tree ?? "exercises";
  const regs = selectExercises(opts.selector);
  const { answers, problems } = tree === "exercises" ? notebookAnswers(opts.notebooksDir ?? path.join(opts.root, "notebooks")) : { answers: new Map(), problems: [] as string[] };
  const reports: ExerciseReport[] = [];
  for (const reg of regs) {
    const r = await gradeExercise(reg, answerRef(reg.exercise, opts.root, tree, answers), opts);
    reports.push(r);
    opts.onReport?.(r);
  }
  return {
    reports,
    earned: reports.reduce((s, r) => s + r.earned, 0),
    points: reports.reduce((s, r) => s + r.points, 0),
    problems,
  };
}

/**
 * Grades one exercise by id for `check()`: an inline answer (already encoded) if the learner gave
 * one, otherwise the exercise's file.
 */
export async function gradeInline(id: string, answerJson: string | undefined, opts: GradeOptions & { module?: string }): Promise<ExerciseReport> {
  const reg = opts.module ? registeredIn(opts.module, id) : findExercise(id);
  const ref: AnswerRef =
    answerJson !== undefined ? { kind: "inline", json: answerJson, label: "your answer in this cell" } : answerRef(reg.exercise, opts.root, "exercises");
  return gradeExercise(reg, ref, opts);
}

export { totalPoints };

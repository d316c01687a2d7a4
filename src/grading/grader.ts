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
import { Judge } from "./judge";
import { answersInNotebook, type NotebookAnswer } from "./notebook-answers";
import type { AnswerRef, ChildMessage, InitMessage, ReadyMessage, ResultMessage, RunMessage } from "./protocol";
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
  /** Loading the learner's module hung or killed its process. */
  loadFault?: "timeout" | "crash";
}

export interface GradeOptions {
  /** Course root (holds exercises/, solutions/, notebooks/). */
  root: string;
  /** Run hidden tests too (instructor). */
  hidden?: boolean;
  /** Default per-test limit when a test sets none (ms). */
  defaultTimeoutMs?: number;
  /** Limit for loading the learner's module in its sandbox (ms; default: the first test's limit). */
  loadTimeoutMs?: number;
  /** false: the learner's process runs without OS confinement (benchmarks' peer, tests' control). */
  confine?: boolean;
  /** Folders a learner's module may import its own files from (default: its own folder). */
  learnerDirs?: string[];
  /**
   * Run the tests in this process instead of a forked judge (check(): one hop from the kernel).
   * Learner code still runs only in its sandbox; a trusted test that hangs synchronously is then
   * bounded only by the caller's own limit.
   */
  inProcess?: boolean;
  /** Judges to reuse between exercises (gradeMany and collect make one per run). */
  pool?: JudgePool;
}

const EXT = path.extname(__filename);
const WORKER = path.join(__dirname, `worker${EXT}`);
const DEFAULT_TEST_MS = 5000;
/** Time the judge (trusted course code) gets to start, on top of the learner's load limit. */
const JUDGE_START_MS = 60000;
/** Time the judge gets on top of a test's limit before it is killed (its own work, not the learner's). */
const JUDGE_GRACE_MS = 3000;
const KEEP_OUTPUT = 4096;

function spawnWorker(_root: string): ChildProcess {
  const execArgv = ["--max-old-space-size=768"];
  if (EXT === ".ts") execArgv.unshift("--import", "tsx");
  // The judge runs from the library's folder (a submission's scratch copy holds no node_modules).
  return fork(WORKER, [], {
    cwd: path.resolve(__dirname, "..", ".."),
    execArgv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, NODE_OPTIONS: "", WIRELAB_GRADING: "1" },
    serialization: "json",
  });
}

/** Waits for the next message from the worker, its exit, or the time limit. */
function next(child: ChildProcess, ms: number): Promise<{ msg?: ChildMessage; exit?: string; timeout?: boolean }> {
  return new Promise((resolve) => {
    const onMsg = (msg: ChildMessage) => {
      if (msg && msg.type !== "sandbox") done({ msg });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      done({ exit: signal ? `signal ${signal}` : `exit code ${code}` });
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

/** Kills the process groups of the sandboxes a judge reported. */
function killGroups(pids: Set<number>): void {
  for (const pid of pids) {
    try {
      process.kill(process.platform === "win32" ? pid : -pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  pids.clear();
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 1 : 0)} s`;
}

function earnedOf(results: TestReport[]): number {
  return results.reduce((s, t) => s + t.earned, 0);
}

/** The grader's view of a judge: a forked process (CLI, collect) or one in this process (check()). */
interface JudgeLink {
  start(init: InitMessage, ms: number): Promise<{ msg?: ReadyMessage; exit?: string; timeout?: boolean }>;
  run(msg: RunMessage, ms: number): Promise<{ msg?: ResultMessage; exit?: string; timeout?: boolean }>;
  /** Ends the judge and kills every sandbox it started (their whole process groups). */
  close(): void;
  /** Kills the sandboxes of the exercise just graded; the (trusted) judge may grade another. */
  endExercise(): void;
  readonly healthy: boolean;
}

/**
 * Judges kept between exercises of one run. Reusing a judge is safe because it never runs
 * learner code: only its sandboxes (killed after every exercise) do. A judge that timed out or
 * crashed is never given back.
 */
export class JudgePool {
  private idle: JudgeLink[] = [];
  take(): JudgeLink | undefined {
    return this.idle.pop();
  }
  give(link: JudgeLink): void {
    link.endExercise();
    if (link.healthy) this.idle.push(link);
    else link.close();
  }
  close(): void {
    for (const l of this.idle.splice(0)) l.close();
  }
}

class ForkedJudge implements JudgeLink {
  private child: ChildProcess;
  private groups = new Set<number>();
  private errTail = "";
  constructor(root: string) {
    this.child = spawnWorker(root);
    this.child.on("message", (m: ChildMessage) => {
      if (m && m.type === "sandbox" && Number.isSafeInteger(m.pid)) this.groups.add(m.pid);
    });
    this.child.stdout?.on("data", () => undefined);
    this.child.stderr?.on("data", (d: Buffer) => {
      this.errTail = (this.errTail + d.toString()).slice(-KEEP_OUTPUT);
    });
    this.child.on("error", () => undefined);
  }
  async start(init: InitMessage, ms: number) {
    this.child.send(init);
    const r = await next(this.child, ms);
    if (r.msg?.type === "ready") return { msg: r.msg };
    const tail = this.errTail.trim().split("\n").slice(-3).join(" | ");
    return { timeout: r.timeout, exit: `${r.exit ?? "unexpected message"}${tail ? ": " + tail : ""}` };
  }
  async run(msg: RunMessage, ms: number) {
    const t0 = Date.now();
    this.child.send(msg);
    let r = await next(this.child, ms);
    // Only the result for this test with this nonce counts; anything else is ignored.
    while (r.msg && !(r.msg.type === "result" && r.msg.n === msg.n && r.msg.nonce === msg.nonce))
      r = await next(this.child, Math.max(1, ms - (Date.now() - t0)));
    return { msg: r.msg as ResultMessage | undefined, exit: r.exit, timeout: r.timeout };
  }
  close(): void {
    kill(this.child);
    killGroups(this.groups);
  }
  endExercise(): void {
    killGroups(this.groups);
  }
  get healthy(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.connected;
  }
}

/** The judge in this process: one hop for check() (the notebook kernel → this process → sandbox). */
class LocalJudge implements JudgeLink {
  private judge = new Judge();
  private race<T>(p: Promise<T>, ms: number): Promise<{ msg?: T; timeout?: boolean; exit?: string }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ timeout: true }), ms);
      p.then(
        (msg) => (clearTimeout(timer), resolve({ msg })),
        (e: unknown) => (clearTimeout(timer), resolve({ exit: e instanceof Error ? e.message : String(e) })),
      );
    });
  }
  start(init: InitMessage, ms: number) {
    return this.race(this.judge.start(init), ms);
  }
  run(msg: RunMessage, ms: number) {
    return this.race(this.judge.run(msg.n, msg.nonce, msg.limitMs), ms);
  }
  close(): void {
    this.judge.close();
  }
  endExercise(): void {
    this.judge.close();
  }
  readonly healthy = true;
}

/** Grades one exercise against one answer. Never throws for anything the answer does. */
export async function gradeExercise(
  reg: RegisteredExercise,
  answer: AnswerRef,
  opts: GradeOptions,
): Promise<ExerciseReport> {
  const ex = reg.exercise;
  const tests: InitMessage["tests"] = [
    ...ex.public.map((_, index) => ({ which: "public" as const, index })),
    ...(opts.hidden ? ex.hidden.map((_, index) => ({ which: "hidden" as const, index })) : []),
  ];
  const caseOf = (n: number) => (tests[n]!.which === "public" ? ex.public : ex.hidden)[tests[n]!.index]!;
  const results: TestReport[] = [];
  let link: JudgeLink | undefined;
  let ready: ReadyMessage | undefined;
  let loadError: string | undefined;
  let source = answer.label;
  let loadFault: "timeout" | "crash" | undefined;
  const limitOf = (tc: { timeoutMs?: number }) => tc.timeoutMs ?? opts.defaultTimeoutMs ?? DEFAULT_TEST_MS;
  // Loading a module gets one test's limit (the first test's, at most the default): a module that
  // hangs while loading costs that, once per file and run (FaultyFiles), never the sum of its tests.
  const loadMs =
    opts.loadTimeoutMs ??
    Math.min(tests.length ? limitOf(caseOf(0)) : DEFAULT_TEST_MS, opts.defaultTimeoutMs ?? DEFAULT_TEST_MS);

  const start = async (): Promise<boolean> => {
    link = opts.pool?.take() ?? (opts.inProcess ? new LocalJudge() : new ForkedJudge(opts.root));
    const init: InitMessage = {
      type: "init",
      module: reg.module,
      id: ex.id,
      root: opts.root,
      answer,
      tests,
      loadMs,
      confine: opts.confine,
      learnerDirs: opts.learnerDirs,
    };
    const r = await link.start(init, JUDGE_START_MS + loadMs);
    if (r.msg) {
      ready = r.msg;
      source = ready.source;
      if (ready.loadError) loadError = ready.loadError;
      loadFault = ready.loadFault;
      return !ready.loadError && !ready.notAttempted;
    }
    loadError = r.timeout
      ? `the grader could not load this exercise in ${seconds(JUDGE_START_MS + loadMs)}`
      : `the grading process stopped while loading (${r.exit ?? "unknown"})`;
    link.close();
    link = undefined;
    return false;
  };

  let hangs = 0;
  try {
    for (let n = 0; n < tests.length; n++) {
      const tc = caseOf(n);
      const hidden = tests[n]!.which === "hidden";
      const base = { name: tc.name, hidden, points: tc.points };
      if (hangs >= MAX_CONSECUTIVE_HANGS) {
        results.push({
          ...base,
          earned: 0,
          status: "not-run",
          ms: 0,
          message: `not run: the ${MAX_CONSECUTIVE_HANGS} tests before it timed out or crashed; fix that first`,
        });
        continue;
      }
      if (!link) {
        const ok = await start();
        if (!ok) {
          const status: TestStatus = ready?.notAttempted && !loadError ? "not-attempted" : "fail";
          const message = status === "not-attempted" ? "not attempted yet" : (loadError ?? "could not start");
          for (let m = n; m < tests.length; m++) {
            const t = caseOf(m);
            results.push({
              name: t.name,
              hidden: tests[m]!.which === "hidden",
              points: t.points,
              earned: 0,
              status,
              message,
              ms: 0,
            });
          }
          break;
        }
      }
      const limit = limitOf(tc);
      const t0 = Date.now();
      const nonce = randomBytes(12).toString("hex");
      const r = await link!.run({ type: "run", n, nonce, limitMs: limit }, limit + JUDGE_GRACE_MS);
      const ms = Date.now() - t0;
      const res = r.msg;
      hangs = res && !res.fault ? 0 : hangs + 1;
      if (res?.fault) {
        results.push({ ...base, earned: 0, status: res.fault, message: res.message, ms });
      } else if (res) {
        const status: TestStatus = res.pass ? "pass" : res.notAttempted ? "not-attempted" : "fail";
        results.push({ ...base, earned: res.pass ? tc.points : 0, status, message: res.message, ms });
      } else {
        link!.close();
        link = undefined;
        const message = r.timeout
          ? `timed out after ${seconds(limit)}: ` +
            `${tc.timeoutHint ?? "an infinite loop, or a promise that never settles?"}`
          : `the grading process died during this test (${r.exit}); this is a bug in the exercise or the grader`;
        results.push({ ...base, earned: 0, status: r.timeout ? "timeout" : "crash", ms, message });
      }
    }
  } finally {
    if (link && opts.pool) opts.pool.give(link);
    else link?.close();
  }

  const points = results.reduce((s, t) => s + t.points, 0);
  const earned = earnedOf(results);
  // A stub's todo() reaches most tests as "not attempted"; a test that catches errors itself may
  // see it as a wrong answer. Nothing earned and any "not attempted" means the stub is untouched.
  const allNot = results.length > 0 && earnedOf(results) === 0 && results.some((t) => t.status === "not-attempted");
  const status: ExerciseStatus = loadError
    ? "error"
    : allNot
      ? "not-attempted"
      : earned === points
        ? "full"
        : earned === 0
          ? "zero"
          : "partial";
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
    loadFault,
  };
}

/**
 * Answer files whose module hung or killed its process while loading, within one grading run:
 * every later exercise answered in the same (unchanged) file gets the same load error at once,
 * so a file that loops at load costs one time limit, not one per exercise it answers.
 */
export class FaultyFiles {
  private files = new Map<string, { stamp: string; error: string; id: string }>();
  private stamp(file: string): string {
    try {
      const st = fs.statSync(file);
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return "";
    }
  }
  note(ref: AnswerRef, r: ExerciseReport): void {
    if (ref.kind === "file" && r.loadFault && r.error && !this.files.has(ref.path))
      this.files.set(ref.path, { stamp: this.stamp(ref.path), error: r.error, id: r.id });
  }
  /** A report without grading when the answer's file is known to hang or crash at load. */
  report(reg: RegisteredExercise, ref: AnswerRef, opts: GradeOptions): ExerciseReport | undefined {
    if (ref.kind !== "file" || ref.fallback) return undefined;
    const bad = this.files.get(ref.path);
    if (!bad || bad.stamp !== this.stamp(ref.path)) return undefined;
    const ex = reg.exercise;
    const error = `${bad.error} (found while grading ${bad.id}; not loaded again)`;
    const tests = [
      ...ex.public.map((t) => ({ t, hidden: false })),
      ...(opts.hidden ? ex.hidden.map((t) => ({ t, hidden: true })) : []),
    ];
    return {
      id: ex.id,
      title: ex.title,
      kind: ex.kind,
      points: tests.reduce((s, x) => s + x.t.points, 0),
      earned: 0,
      status: "error",
      source: ref.label,
      hiddenRan: !!opts.hidden,
      hiddenSkipped: opts.hidden ? 0 : ex.hidden.length,
      tests: tests.map(({ t, hidden }) => ({
        name: t.name,
        hidden,
        points: t.points,
        earned: 0,
        status: "fail",
        message: error,
        ms: 0,
      })),
      error,
      loadFault: "timeout",
    };
  }
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
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()) {
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
export async function gradeMany(
  opts: GradeOptions & {
    selector?: string;
    tree?: AnswerTree;
    notebooksDir?: string;
    onReport?: (r: ExerciseReport) => void;
  },
): Promise<GradeRun> {
  const tree = opts.tree ?? "exercises";
  const regs = selectExercises(opts.selector);
  const { answers, problems } =
    tree === "exercises"
      ? notebookAnswers(opts.notebooksDir ?? path.join(opts.root, "notebooks"))
      : { answers: new Map(), problems: [] as string[] };
  const reports: ExerciseReport[] = [];
  const faulty = new FaultyFiles();
  const pool = opts.pool ?? new JudgePool();
  try {
    for (const reg of regs) {
      const ref = answerRef(reg.exercise, opts.root, tree, answers);
      const r = faulty.report(reg, ref, opts) ?? (await gradeExercise(reg, ref, { ...opts, pool }));
      faulty.note(ref, r);
      reports.push(r);
      opts.onReport?.(r);
    }
  } finally {
    if (!opts.pool) pool.close();
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
export async function gradeInline(
  id: string,
  answerJson: string | undefined,
  opts: GradeOptions & { module?: string },
): Promise<ExerciseReport> {
  const reg = opts.module ? registeredIn(opts.module, id) : findExercise(id);
  const ref: AnswerRef =
    answerJson !== undefined
      ? { kind: "inline", json: answerJson, label: "your answer in this cell" }
      : answerRef(reg.exercise, opts.root, "exercises");
  return gradeExercise(reg, ref, opts);
}

export { totalPoints };

/**
 * The isolated grading worker: a child process that loads one exercise definition (course code)
 * and one learner answer, then runs the tests the parent asks for, one at a time.
 *
 * Everything a learner's code can do wrong ends as a failed test with a clear message, never as
 * credit: a throw (of anything, Error or not), a rejected promise, `process.exit` (turned into a
 * throw here; a real exit is caught by the parent), console noise (swallowed), a huge result
 * (messages are cut). Infinite loops and promises that never settle are the parent's job: it
 * kills this process when a test's time is up.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import { decode } from "./codec";
import { evaluateInteger, preloadFor } from "./expr";
import { MAX_MESSAGE, type AnswerRef, type ChildMessage, type InitMessage, type ParentMessage } from "./protocol";
import { loadModule } from "./registry";
import type { Exercise, TestCase, TestContext, TestOutcome } from "./spec";

class ExitAttempt extends Error {
  constructor(code: unknown) {
    super(`your code called process.exit(${code === undefined ? "" : String(code)}); an exercise function must return its answer instead`);
    this.name = "ExitAttempt";
  }
}

// Keep the IPC sender private: learner code gets no `process.send` to forge results with.
const realSend = process.send?.bind(process);
function send(msg: ChildMessage): void {
  realSend?.(msg);
}

function cut(s: string): string {
  return s.length > MAX_MESSAGE ? s.slice(0, MAX_MESSAGE - 1) + "…" : s;
}

/** Describes anything thrown, Error or not. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  let s: string;
  try {
    s = inspect(e, { depth: 2, maxStringLength: 200, breakLength: Infinity });
  } catch {
    s = "<unprintable>";
  }
  return `threw a non-Error value: ${s}`;
}

function isNotAttempted(e: unknown): boolean {
  return !!e && typeof e === "object" && (e as { name?: unknown }).name === "NotAttemptedError";
}

function silenceConsole(): void {
  const noop = () => undefined;
  for (const k of ["log", "info", "warn", "error", "debug", "trace", "dir", "table"] as const) {
    (console as unknown as Record<string, unknown>)[k] = noop;
  }
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
}

function lockProcess(): void {
  process.exit = ((code?: unknown) => {
    throw new ExitAttempt(code);
  }) as typeof process.exit;
  process.abort = (() => {
    throw new ExitAttempt("abort");
  }) as typeof process.abort;
  const kill = process.kill.bind(process);
  process.kill = ((pid: number, signal?: string | number) => {
    if (pid === process.pid || pid === 0 || pid === process.ppid) throw new ExitAttempt(`kill ${String(signal ?? "")}`);
    return kill(pid, signal);
  }) as typeof process.kill;
}

let registered = false;
function loadLearnerModule(file: string): Record<string, unknown> {
  if (!registered && /\.(ts|mts|cts)$/.test(file) && !__filename.endsWith(".ts")) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    (require("tsx/cjs/api") as { register: () => unknown }).register();
    registered = true;
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(file) as Record<string, unknown>;
}

interface Loaded {
  answer: unknown;
  source: string;
  loadError?: string;
}

function loadAnswer(ref: AnswerRef, root: string): Loaded {
  if (ref.kind === "missing") return { answer: undefined, source: ref.label, loadError: ref.reason };
  if (ref.kind === "inline") return { answer: decode(ref.json), source: ref.label };
  const rel = path.relative(root, ref.path);
  if (!fs.existsSync(ref.path)) {
    if (ref.fallback) return { answer: decode(ref.fallback.json), source: ref.fallback.label };
    return { answer: undefined, source: rel, loadError: `${rel} does not exist` };
  }
  if (/\.(ts|js|mts|cts|mjs|cjs)$/.test(ref.path)) {
    let mod: Record<string, unknown>;
    try {
      mod = loadLearnerModule(ref.path);
    } catch (e) {
      if (isNotAttempted(e)) return { answer: undefined, source: rel };
      return { answer: undefined, source: rel, loadError: `could not load ${rel}: ${describeThrown(e)}` };
    }
    const value = ref.export ? mod[ref.export] : mod;
    if (ref.export && !(ref.export in mod)) {
      if (ref.fallback) return { answer: decode(ref.fallback.json), source: ref.fallback.label };
      return { answer: undefined, source: rel, loadError: `${rel} has no export named ${ref.export}` };
    }
    return { answer: value, source: rel };
  }
  return { answer: fs.readFileSync(ref.path, "utf8"), source: rel };
}

let init: InitMessage | undefined;
let exercise: Exercise | undefined;
let answer: unknown;
let ctx: TestContext | undefined;
let current: number | null = null;
const nonces = new Map<number, string>();
const reported = new Set<number>();

function report(n: number, outcome: TestOutcome & { notAttempted?: boolean }): void {
  if (reported.has(n)) return;
  reported.add(n);
  current = null;
  send({ type: "result", n, nonce: nonces.get(n) ?? "", pass: outcome.pass, message: cut(outcome.message), notAttempted: outcome.notAttempted });
}

function failCurrent(e: unknown, how: string): void {
  if (current === null) return;
  report(current, { pass: false, message: `${how}: ${describeThrown(e)}` });
}

process.on("uncaughtException", (e) => failCurrent(e, "an error escaped your code asynchronously"));
process.on("unhandledRejection", (e) => failCurrent(e, "a promise was rejected and nobody caught it"));

function testAt(n: number): TestCase {
  const t = init!.tests[n]!;
  const list = t.which === "public" ? exercise!.public : exercise!.hidden;
  const tc = list[t.index];
  if (!tc) throw new Error(`no ${t.which} test #${t.index} in ${exercise!.id}`);
  return tc;
}

async function runTest(n: number): Promise<void> {
  current = n;
  const tc = testAt(n);
  try {
    const r = await tc.run(answer, ctx!);
    const outcome: TestOutcome = typeof r === "boolean" ? { pass: r, message: r ? "correct" : "not correct" } : r;
    if (!outcome || typeof outcome.pass !== "boolean") {
      report(n, { pass: false, message: `the test returned no verdict (${describeThrown(outcome)}); this is a bug in the exercise` });
      return;
    }
    report(n, { pass: outcome.pass === true, message: String(outcome.message ?? "") });
  } catch (e) {
    if (isNotAttempted(e)) report(n, { pass: false, message: (e as Error).message, notAttempted: true });
    else report(n, { pass: false, message: describeThrown(e) });
  }
}

function handleInit(msg: InitMessage): void {
  init = msg;
  const list = loadModule(msg.module);
  exercise = list.find((e) => e.id === msg.id);
  if (!exercise) {
    send({ type: "ready", notAttempted: false, loadError: `exercise ${msg.id} is not defined in ${msg.module}`, source: msg.answer.label });
    return;
  }
  ctx = { root: msg.root, answerPath: msg.answer.kind === "file" ? msg.answer.path : undefined, evaluate: evaluateInteger };
  // From here on, the learner's code may run.
  process.send = undefined;
  silenceConsole();
  lockProcess();
  let loaded = loadAnswer(msg.answer, msg.root);
  let unattempted = loaded.answer === undefined || loaded.answer === null;
  if (!loaded.loadError && !unattempted && exercise.isUnattempted) {
    try {
      unattempted = exercise.isUnattempted(loaded.answer, ctx);
    } catch {
      unattempted = false;
    }
  }
  if (unattempted && !loaded.loadError && msg.answer.kind === "file" && msg.answer.fallback) {
    loaded = { answer: decode(msg.answer.fallback.json), source: msg.answer.fallback.label };
    unattempted = loaded.answer === undefined || loaded.answer === null;
  }
  answer = loaded.answer;
  if (!unattempted && (exercise.kind === "value" || exercise.kind === "predict")) preloadFor(answer);
  send({ type: "ready", notAttempted: unattempted && !loaded.loadError, loadError: loaded.loadError, source: loaded.source });
}

process.on("message", (msg: ParentMessage) => {
  try {
    if (msg.type === "init") handleInit(msg);
    else if (msg.type === "run") {
      nonces.set(msg.n, msg.nonce);
      void runTest(msg.n);
    }
  } catch (e) {
    if (msg.type === "init") send({ type: "ready", notAttempted: false, loadError: describeThrown(e), source: msg.answer.label });
    else report(msg.n, { pass: false, message: describeThrown(e) });
  }
});

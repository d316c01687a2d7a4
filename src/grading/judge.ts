/**
 * The judge: runs one exercise's tests (trusted course code) against one learner answer, and
 * computes every verdict. It never loads learner code. Literal answers (inline, or from a
 * notebook) are decoded data; text answers (configs, scripts) are read as text; a learner's
 * module is compiled here and run in a sandbox (learner.ts, sandbox.ts), so the tests see data
 * exports as values and function exports as async proxies.
 *
 * Everything a learner's code can do ends as a failed test with a message, never as credit and
 * never as a crash of the judge: a throw of anything, a rejection, `process.exit`, a hang (the
 * sandbox is killed at the test's deadline), a death, a malformed reply.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import { decode } from "./codec";
import { evaluateInteger, preloadFor } from "./expr";
import { answerValue, compileLearner, LearnerModule } from "./learner";
import { MAX_MESSAGE, type AnswerRef, type InitMessage, type ReadyMessage, type ResultMessage } from "./protocol";
import { loadModule } from "./registry";
import { LearnerThrew, SandboxFault } from "./sandbox";
import type { Exercise, TestCase, TestContext, TestOutcome } from "./spec";

const CODE_FILE = /\.(ts|js|mts|cts|mjs|cjs)$/;

function cut(s: string): string {
  return s.length > MAX_MESSAGE ? s.slice(0, MAX_MESSAGE - 1) + "…" : s;
}

/** Describes anything thrown, Error or not, learner's or trusted. */
export function describeThrown(e: unknown): string {
  if (e instanceof LearnerThrew) return e.text;
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
  if (e instanceof LearnerThrew) return e.notAttempted;
  return !!e && typeof e === "object" && (e as { name?: unknown }).name === "NotAttemptedError";
}

interface Loaded {
  answer: unknown;
  source: string;
  loadError?: string;
  loadFault?: "timeout" | "crash";
  notAttempted?: boolean;
}

export class Judge {
  private init?: InitMessage;
  private exercise?: Exercise;
  private answer: unknown;
  private ctx?: TestContext;
  private mod?: LearnerModule;
  private deadline = 0;

  /** `onSandbox` hears the pid of every sandbox started, so a parent can kill its group. */
  constructor(private readonly onSandbox?: (pid: number) => void) {}

  private async loadFile(ref: Extract<AnswerRef, { kind: "file" }>, msg: InitMessage): Promise<Loaded> {
    const rel = path.relative(msg.root, ref.path) || ref.path;
    const fallback = (): Loaded | undefined =>
      ref.fallback ? { answer: decode(ref.fallback.json), source: ref.fallback.label } : undefined;
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(ref.path);
    } catch {
      return fallback() ?? { answer: undefined, source: rel, loadError: `${rel} does not exist` };
    }
    if (st.isSymbolicLink())
      return {
        answer: undefined,
        source: rel,
        loadError: `${rel} is a symbolic link; links are not followed when grading`,
      };
    if (!st.isFile()) return { answer: undefined, source: rel, loadError: `${rel} is not a regular file` };
    if (!CODE_FILE.test(ref.path)) return { answer: fs.readFileSync(ref.path, "utf8"), source: rel };
    const compiled = await compileLearner(ref.path, msg.root, msg.learnerDirs ?? [path.dirname(ref.path)]);
    if ("error" in compiled)
      return { answer: undefined, source: rel, loadError: `could not load ${rel}: ${compiled.error}` };
    this.mod = new LearnerModule(compiled, { root: msg.root, confine: msg.confine }, this.onSandbox);
    let loaded;
    try {
      loaded = await this.mod.open(Date.now() + msg.loadMs);
    } catch (e) {
      this.mod.close();
      const f = e instanceof SandboxFault ? e : undefined;
      const text =
        f?.kind === "timeout"
          ? `loading ${rel} took longer than ${(msg.loadMs / 1000).toFixed(1)} s (code that runs forever when ` +
            `the file is loaded?)`
          : `could not load ${rel}: ${f ? f.message : describeThrown(e)}`;
      return {
        answer: undefined,
        source: rel,
        loadError: text,
        loadFault: f?.kind === "timeout" ? "timeout" : "crash",
      };
    }
    if (loaded.t === "loadfail") {
      if (loaded.notAttempted) return { answer: undefined, source: rel, notAttempted: true };
      return { answer: undefined, source: rel, loadError: `could not load ${rel}: ${loaded.error}` };
    }
    if (ref.export !== undefined && !(ref.export in loaded.exports)) {
      return fallback() ?? { answer: undefined, source: rel, loadError: `${rel} has no export named ${ref.export}` };
    }
    try {
      return { answer: answerValue(loaded, ref.export, this.mod, () => this.deadline), source: rel };
    } catch (e) {
      if (isNotAttempted(e)) return { answer: undefined, source: rel, notAttempted: true };
      return { answer: undefined, source: rel, loadError: `could not read ${rel}: ${describeThrown(e)}` };
    }
  }

  private async loadAnswer(msg: InitMessage): Promise<Loaded> {
    const ref = msg.answer;
    if (ref.kind === "missing") return { answer: undefined, source: ref.label, loadError: ref.reason };
    if (ref.kind === "inline") return { answer: decode(ref.json), source: ref.label };
    return this.loadFile(ref, msg);
  }

  /** Loads the exercise (trusted) and the answer (data, text, or a sandboxed module). */
  async start(msg: InitMessage): Promise<ReadyMessage> {
    this.close(); // a judge may grade several exercises in a row: the last one's sandbox goes
    this.mod = undefined;
    this.answer = undefined;
    this.init = msg;
    try {
      this.exercise = loadModule(msg.module).find((e) => e.id === msg.id);
    } catch (e) {
      return { type: "ready", notAttempted: false, loadError: describeThrown(e), source: msg.answer.label };
    }
    const ex = this.exercise;
    if (!ex)
      return {
        type: "ready",
        notAttempted: false,
        loadError: `exercise ${msg.id} is not defined in ${msg.module}`,
        source: msg.answer.label,
      };
    this.ctx = {
      root: msg.root,
      answerPath: msg.answer.kind === "file" ? msg.answer.path : undefined,
      evaluate: evaluateInteger,
    };
    let loaded: Loaded;
    try {
      loaded = await this.loadAnswer(msg);
    } catch (e) {
      loaded = { answer: undefined, source: msg.answer.label, loadError: describeThrown(e) };
    }
    let unattempted = !!loaded.notAttempted || loaded.answer === undefined || loaded.answer === null;
    if (!loaded.loadError && !unattempted && ex.isUnattempted) {
      try {
        unattempted = ex.isUnattempted(loaded.answer, this.ctx);
      } catch {
        unattempted = false;
      }
    }
    if (unattempted && !loaded.loadError && msg.answer.kind === "file" && msg.answer.fallback) {
      loaded = { answer: decode(msg.answer.fallback.json), source: msg.answer.fallback.label };
      unattempted = loaded.answer === undefined || loaded.answer === null;
    }
    this.answer = loaded.answer;
    if (!unattempted && (ex.kind === "value" || ex.kind === "predict")) preloadFor(this.answer);
    return {
      type: "ready",
      notAttempted: unattempted && !loaded.loadError,
      loadError: loaded.loadError,
      loadFault: loaded.loadFault,
      source: loaded.source,
    };
  }

  private testAt(n: number): TestCase {
    const t = this.init!.tests[n]!;
    const list = t.which === "public" ? this.exercise!.public : this.exercise!.hidden;
    const tc = list[t.index];
    if (!tc) throw new Error(`no ${t.which} test #${t.index} in ${this.exercise!.id}`);
    return tc;
  }

  /** Runs test `n`; the learner's process gets `limitMs` in total for it. */
  async run(n: number, nonce: string, limitMs: number): Promise<ResultMessage> {
    const result = (o: TestOutcome & { notAttempted?: boolean; fault?: "timeout" | "crash" }): ResultMessage => ({
      type: "result",
      n,
      nonce,
      pass: o.pass === true,
      message: cut(o.message),
      notAttempted: o.notAttempted,
      fault: o.fault,
    });
    this.deadline = Date.now() + limitMs;
    try {
      const tc = this.testAt(n);
      const r = await tc.run(this.answer, this.ctx!);
      const outcome = typeof r === "boolean" ? { pass: r, message: r ? "correct" : "not correct" } : r;
      if (!outcome || typeof outcome.pass !== "boolean")
        return result({
          pass: false,
          message: `the test returned no verdict (${describeThrown(outcome)}); this is a bug in the exercise`,
        });
      return result({
        pass: outcome.pass,
        message: typeof outcome.message === "string" ? outcome.message : describeThrown(outcome.message),
      });
    } catch (e) {
      if (e instanceof SandboxFault) {
        if (e.kind === "timeout") {
          const hint = this.testAt(n).timeoutHint ?? "an infinite loop, or a promise that never settles?";
          return result({
            pass: false,
            fault: "timeout",
            message: `timed out after ${(limitMs / 1000).toFixed(1)} s: ${hint}`,
          });
        }
        if (e.kind === "crash")
          return result({
            pass: false,
            fault: "crash",
            message: `${e.message} during this test: did your code call process.exit, or run out of memory?`,
          });
        return result({ pass: false, message: e.message });
      }
      if (isNotAttempted(e))
        return result({
          pass: false,
          message: e instanceof LearnerThrew ? e.message : (e as Error).message,
          notAttempted: true,
        });
      return result({ pass: false, message: describeThrown(e) });
    }
  }

  close(): void {
    this.mod?.close();
  }
}

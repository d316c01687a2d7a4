/**
 * Messages between the grader (parent) and the judge (a trusted child process, judge.ts) that
 * runs an exercise's tests against a learner's answer. The judge never loads learner code: it
 * reads text and literal answers itself and calls learner functions in a sandbox (sandbox.ts).
 * One judge per exercise; the parent sends one test at a time and enforces its time limit by
 * killing the judge and the sandbox's process group.
 */

/** Where the answer comes from. Paths are absolute. */
export type AnswerRef =
  | { kind: "inline"; json: string; label: string }
  | { kind: "file"; path: string; export?: string; label: string; fallback?: { json: string; label: string } }
  | { kind: "missing"; reason: string; label: string };

export interface InitMessage {
  type: "init";
  /** Module defining the exercise (trusted course code, never the learner's). */
  module: string;
  id: string;
  root: string;
  answer: AnswerRef;
  /** The tests to run, in order. */
  tests: Array<{ which: "public" | "hidden"; index: number }>;
  /** Limit for loading the learner's module in its sandbox (ms). */
  loadMs: number;
  /** false: no OS confinement of the learner's process (benchmarks' peer, tests' control). */
  confine?: boolean;
  /** Folders the learner's own files may be imported from (default: the answer file's folder). */
  learnerDirs?: string[];
}

export interface RunMessage {
  type: "run";
  n: number;
  /** Random per test; a result must echo it. */
  nonce: string;
  /** This test's time limit (ms). */
  limitMs: number;
}

export interface ReadyMessage {
  type: "ready";
  /** The answer is the untouched stub (or absent). */
  notAttempted: boolean;
  /** Loading the learner's file failed (syntax error, throw at load, missing file…). */
  loadError?: string;
  /** Loading hung or killed the learner's process (so the same file need not be tried again). */
  loadFault?: "timeout" | "crash";
  /** Where the answer actually came from (file, notebook cell, inline). */
  source: string;
}

export interface ResultMessage {
  type: "result";
  n: number;
  nonce: string;
  pass: boolean;
  message: string;
  notAttempted?: boolean;
  /** The learner's process hung or died during this test. */
  fault?: "timeout" | "crash";
}

/** The judge started a sandbox: the parent kills this process group when the exercise ends. */
export interface SandboxStarted {
  type: "sandbox";
  pid: number;
}

export type ParentMessage = InitMessage | RunMessage;
export type ChildMessage = ReadyMessage | ResultMessage | SandboxStarted;

/** Longest message a test may return (longer ones are cut). */
export const MAX_MESSAGE = 1500;

/**
 * Messages between the grader (parent) and the isolated worker (child process) that runs a
 * learner's answer against an exercise's tests. One worker per exercise; the parent sends one
 * test at a time and enforces its time limit by killing the worker.
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
}

export interface RunMessage {
  type: "run";
  n: number;
  /** Random per test; a result must echo it (learner code cannot see it: it has no IPC access). */
  nonce: string;
}

export interface ReadyMessage {
  type: "ready";
  /** The answer is the untouched stub (or absent). */
  notAttempted: boolean;
  /** Loading the learner's file failed (syntax error, throw at load, missing file…). */
  loadError?: string;
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
}

export type ParentMessage = InitMessage | RunMessage;
export type ChildMessage = ReadyMessage | ResultMessage;

/** Longest message a test may return (longer ones are cut). */
export const MAX_MESSAGE = 1500;

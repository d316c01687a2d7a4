/**
 * `check(id, answer?)` for notebook cells: grades an exercise with its public tests and shows one
 * line per test (✓/✗, points, a message that teaches) and the total, and says that hidden tests
 * run when an instructor grades.
 *
 * - `check("mod.ex1", "103*42 mod 17")` grades the answer written in the cell (a literal value).
 * - `check("dh.modpow")` grades the learner's file (`exercises/dh/modpow.ts`).
 * - `check("mod.ex1", undefined)`, the untouched cell, falls back to the file, and reports
 *   "not attempted" when that is a stub too.
 *
 * The grading runs in a separate process, synchronously, with time limits; `check` never throws.
 * Editing this helper in a notebook changes nothing the CLI grader reports: the grader reads the
 * answers and runs the course's own specs.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { emit } from "../notebook/display";
import { encode } from "./codec";
import type { ExerciseReport } from "./grader";
import { findExercise } from "./registry";
import { exerciseHtml, exerciseText } from "./report";

const EXT = path.extname(__filename);
const ROOT = path.resolve(__dirname, "..", "..");

/** Grades and returns the report without displaying it. */
export function grade(id: string, ...answer: unknown[]): ExerciseReport | { fatal: string } {
  let json: string | undefined;
  try {
    json = answer.length > 0 && answer[0] !== undefined ? encode(answer[0]) : undefined;
  } catch (e) {
    return { fatal: (e as Error).message };
  }
  // Resolve the exercise here (the registry is loaded once per kernel), so the grading process
  // loads only that exercise's module. An unknown id is reported with the valid ones.
  let module: string;
  try {
    module = findExercise(id).module;
  } catch (e) {
    return { fatal: (e as Error).message };
  }
  const script = path.join(__dirname, `oneshot${EXT}`);
  const args = EXT === ".ts" ? ["--import", "tsx", script] : [script];
  const r = spawnSync(process.execPath, args, {
    input: JSON.stringify({ id, answer: json, root: ROOT, module }),
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  if (r.error || r.status !== 0) return { fatal: `the grader could not run: ${r.error?.message ?? `exit ${r.status}`} ${(r.stderr ?? "").slice(-400)}` };
  try {
    return JSON.parse(r.stdout) as ExerciseReport | { fatal: string };
  } catch {
    return { fatal: `the grader printed something unexpected: ${String(r.stdout).slice(0, 200)}` };
  }
}

/** Grades and shows the result in the cell (or the terminal). Returns nothing, never throws. */
export function check(id: string, ...answer: unknown[]): void {
  const r = grade(id, ...answer);
  if ("fatal" in r) {
    emit({ "text/html": `<div style="color:#dc2626;font-family:sans-serif">⚠ check(${JSON.stringify(id)}): ${r.fatal.replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"))}</div>`, "text/plain": `check(${JSON.stringify(id)}): ${r.fatal}` });
    return;
  }
  emit({ "text/html": exerciseHtml(r), "text/plain": exerciseText(r) });
}

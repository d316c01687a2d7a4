/**
 * `loadExercise(id)`: loads the learner's answer file for an exercise into the notebook, so a
 * cell can try the code before checking it. tslab cannot import .ts files from outside the
 * notebooks folder, so the file is compiled with tsx instead, fresh on every call (edits show up
 * at once). This runs the learner's code in the kernel on purpose: it is their experiment;
 * grading never does that (see grader.ts).
 *
 * @example
 *   const { wildcardMask } = loadExercise("start.wildcard");
 *   wildcardMask(22)
 */
import * as path from "node:path";
import { InputError } from "../util/errors";
import { findExercise } from "./registry";
import { solutionFile } from "./spec";

const ROOT = path.resolve(__dirname, "..", "..");

export function loadExercise(id: string, tree: "exercises" | "solutions" = "exercises"): any {
  const ex = findExercise(id).exercise;
  const rel = tree === "solutions" ? solutionFile(ex) : ex.answer.file;
  const file = path.join(ROOT, rel);
  if (!/\.(ts|js)$/.test(file))
    throw new InputError("this exercise's answer is not a code file; open it in the editor instead", {
      value: rel,
      where: id,
    });
  for (const key of Object.keys(require.cache)) {
    if (
      key.startsWith(path.join(ROOT, "exercises") + path.sep) ||
      key.startsWith(path.join(ROOT, "solutions") + path.sep)
    )
      delete require.cache[key];
  }

  const tsx = require("tsx/cjs/api") as { require: (id: string, from: string) => any };
  return tsx.require(file, __filename);
}

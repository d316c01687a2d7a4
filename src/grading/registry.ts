/**
 * Finds every exercise in the course: each topic folder `src/<topic>/exercises.ts` (compiled:
 * `dist/<topic>/exercises.js`) exports `exercises: Exercise[]`. Discovery by folder means a new
 * topic never edits a shared list.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../util/errors";
import type { Exercise } from "./spec";

export interface RegisteredExercise {
  exercise: Exercise;
  /** Absolute path of the module that defines it (the worker loads only this one). */
  module: string;
}

const LIB_DIR = path.resolve(__dirname, "..");
const EXT = path.extname(__filename); // ".js" under dist, ".ts" under tsx

let cache: RegisteredExercise[] | undefined;

/** Absolute paths of the topic exercise modules. */
export function exerciseModules(libDir = LIB_DIR): string[] {
  return fs
    .readdirSync(libDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(libDir, d.name, `exercises${EXT}`))
    .filter((f) => fs.existsSync(f))
    .sort();
}

/** Loads one topic module's exercises (used by the worker). */
export function loadModule(file: string): Exercise[] {
  const mod = require(file) as { exercises?: Exercise[] };
  if (!Array.isArray(mod.exercises))
    throw new InputError("an exercises module must export `exercises: Exercise[]`", { where: file });
  return mod.exercises;
}

/** One exercise from a known module, without loading every topic (the notebook check() path). */
export function registeredIn(module: string, id: string): RegisteredExercise {
  const exercise = loadModule(module).find((e) => e.id === id);
  if (!exercise) throw new InputError("exercise not defined in its module", { value: id, where: module });
  return { exercise, module };
}

/** Every registered exercise, in topic order then definition order. Ids are unique. */
export function allExercises(): RegisteredExercise[] {
  if (cache) return cache;
  const out: RegisteredExercise[] = [];
  const seen = new Map<string, string>();
  for (const file of exerciseModules()) {
    for (const exercise of loadModule(file)) {
      const prev = seen.get(exercise.id);
      if (prev) throw new InputError("two exercises share an id", { value: exercise.id, where: `${prev} and ${file}` });
      seen.set(exercise.id, file);
      out.push({ exercise, module: file });
    }
  }
  cache = applyWithheld(out, path.join(LIB_DIR, "..", "course", WITHHELD_FILE));
  return out;
}

/** A student release's list of the hidden points it withholds (id → points), next to the notebook sources. */
export const WITHHELD_FILE = "withheld-points.json";

/** Sets `withheld` on the exercises listed in `file` (when it exists); an unknown id or a bad value is refused. */
export function applyWithheld(list: RegisteredExercise[], file: string): RegisteredExercise[] {
  if (!fs.existsSync(file)) return list;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(`not valid JSON: ${(e as Error).message}`, { where: file });
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new InputError("expected an object of exercise id → points", { value: raw, where: file });
  const byId = new Map(list.map((r) => [r.exercise.id, r]));
  for (const [id, pts] of Object.entries(raw)) {
    const r = byId.get(id);
    if (!r) throw new InputError("no such exercise", { value: id, where: file });
    if (!Number.isInteger(pts) || (pts as number) < 0)
      throw new InputError("withheld points must be an integer ≥ 0", { value: pts, where: `${file}: ${id}` });
    r.exercise = { ...r.exercise, withheld: pts as number };
  }
  return list;
}

/** Looks an exercise up by id; unknown ids list the valid ones. */
export function findExercise(id: string): RegisteredExercise {
  const all = allExercises();
  const hit = all.find((r) => r.exercise.id === id);
  if (!hit) {
    throw new InputError("unknown exercise id", {
      value: id,
      hint: `Valid ids: ${all.map((r) => r.exercise.id).join(", ") || "(none registered)"}`,
    });
  }
  return hit;
}

/**
 * Selects exercises by a topic ("dh"), an id prefix ("mod"), an exact id ("dh.modpow"), or all
 * when `selector` is empty. Throws listing valid topics and ids when nothing matches.
 */
export function selectExercises(selector?: string): RegisteredExercise[] {
  const all = allExercises();
  if (!selector) return all;
  const hits = all.filter(
    (r) =>
      r.exercise.id === selector ||
      r.exercise.id.startsWith(selector + ".") ||
      path.basename(path.dirname(r.module)) === selector,
  );
  if (hits.length === 0) {
    const topics = [
      ...new Set(all.flatMap((r) => [r.exercise.id.split(".")[0]!, path.basename(path.dirname(r.module))])),
    ].sort();
    throw new InputError("no exercise matches", {
      value: selector,
      hint: `Give a topic (${topics.join(", ")}) or an id (${all.map((r) => r.exercise.id).join(", ")})`,
    });
  }
  return hits;
}

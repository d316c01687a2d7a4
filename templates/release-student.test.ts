/**
 * The student release's own checks (copied to test/release/student.test.ts by `wirelab release`).
 * They need no reference solutions and no external tools: the course library loads, every
 * exercise is registered with its public tests only (hidden tests stay with the instructor),
 * every `check("id")` in a notebook names a real exercise, and `wirelab grade` reports every
 * exercise from public tests alone — whatever state your answers are in.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { it, expect } from "vitest";
import { gradeMany } from "../../src/grading/grader";
import { allExercises } from "../../src/grading/registry";

const ROOT = path.resolve(__dirname, "..", "..");

it("every exercise is registered, with public tests and no hidden tests", { timeout: 60_000 }, () => {
  const all = allExercises();
  expect(all.length > 0, "no exercises found").toBeTruthy();
  for (const { exercise } of all) {
    expect(exercise.public.length > 0, `${exercise.id} has no public test`).toBeTruthy();
    expect(exercise.hidden.length, `${exercise.id} carries hidden tests in a student copy`).toBe(0);
  }
});

it("no reference solutions are shipped", { timeout: 10_000 }, () => {
  expect(fs.existsSync(path.join(ROOT, "solutions"))).toBe(false);
});

it("every check() in a notebook names a registered exercise", { timeout: 60_000 }, () => {
  const ids = new Set(allExercises().map((r) => r.exercise.id));
  const dir = path.join(ROOT, "notebooks");
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb"))) {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    for (const c of nb.cells) {
      if (c.cell_type !== "code") continue;
      const src = Array.isArray(c.source) ? c.source.join("") : c.source;
      for (const m of src.matchAll(/\bcheck\(\s*"([^"]+)"/g)) expect(ids.has(m[1]), `${f}: check("${m[1]}") names no exercise`).toBeTruthy();
    }
  }
});

it("grading runs public tests only, for every exercise", { timeout: 300_000 }, async () => {
  const run = await gradeMany({ root: ROOT, hidden: true, notebooksDir: path.join(os.tmpdir(), "wirelab-no-notebooks") });
  expect(run.reports.length).toBe(allExercises().length);
  for (const r of run.reports) {
    expect(r.tests.every((t) => !t.hidden), `${r.id} ran a hidden test`).toBeTruthy();
    expect(r.hiddenSkipped).toBe(0);
  }
});

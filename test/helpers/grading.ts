/**
 * The test every topic runs on its exercises: untouched stubs score 0 and are reported
 * "not attempted"; the reference solutions score full marks on public AND hidden tests.
 *
 * It grades through the compiled library in dist/ — what learners run — so `npm test` (which builds
 * first) or `npx tsc -p .` must have run.
 *
 * @example
 *   import { gradesStubsZeroSolutionsFull } from "../helpers/grading";
 *   gradesStubsZeroSolutionsFull("dh");
 */
import * as os from "node:os";
import * as path from "node:path";
import { it, expect } from "vitest";
import { gradeMany } from "../../dist/grading/grader";
import { exerciseText } from "../../dist/grading/report";

export const ROOT = path.resolve(__dirname, "..", "..");

export function gradesStubsZeroSolutionsFull(selector: string, opts: { timeoutMs?: number } = {}): void {
  const timeout = opts.timeoutMs ?? 300_000;
  it(`${selector}: untouched stubs score 0, "not attempted"`, { timeout }, async () => {
    // An empty notebooks dir: the stubs alone, not whatever a developer typed into a notebook.
    const run = await gradeMany({
      root: ROOT,
      selector,
      tree: "exercises",
      hidden: true,
      notebooksDir: path.join(os.tmpdir(), "wirelab-no-notebooks"),
    });
    expect(run.reports.length > 0, `no exercises found for ${selector}`).toBeTruthy();
    for (const r of run.reports) {
      expect(r.earned, `stub of ${r.id} earned points:\n${exerciseText(r)}`).toBe(0);
      expect(r.status, `stub of ${r.id} should be "not attempted":\n${exerciseText(r)}`).toBe("not-attempted");
    }
  });
  it(`${selector}: reference solutions get full marks (public + hidden)`, { timeout }, async () => {
    const run = await gradeMany({ root: ROOT, selector, tree: "solutions", hidden: true });
    expect(run.reports.length > 0, `no exercises found for ${selector}`).toBeTruthy();
    for (const r of run.reports) {
      expect(r.status, `solution of ${r.id} is not full marks:\n${exerciseText(r)}`).toBe("full");
      expect(r.tests.some((t) => t.hidden) || r.hiddenSkipped === 0, `${r.id}: hidden tests did not run`).toBeTruthy();
    }
  });
}

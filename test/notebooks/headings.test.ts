// Points in exercise headings equal what the grader reports: public + hidden, both named
// (src/grading/present.ts pointsText), and every exercise has a heading in its notebook.
import { it, expect } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { allExercises } from "../../src/grading/registry";
import { pointsText } from "../../src/grading/present";

const ROOT = path.resolve(__dirname, "..", "..");
const NB = path.join(ROOT, "notebooks");
const all = allExercises().map((r) => r.exercise);
const ids = all.map((e) => e.id);

it("every exercise heading states the grader's points, and every exercise has one", () => {
  const seen = new Set<string>();
  for (const f of fs
    .readdirSync(NB)
    .filter((x) => x.endsWith(".ipynb"))
    .sort()) {
    const nb = JSON.parse(fs.readFileSync(path.join(NB, f), "utf8")) as {
      cells: Array<{ cell_type: string; source: string | string[] }>;
    };
    for (const c of nb.cells) {
      if (c.cell_type !== "markdown") continue;
      const text = Array.isArray(c.source) ? c.source.join("") : c.source;
      for (const m of text.matchAll(/^#+ Exercises? `([^`]+)`(?: to `([^`]+)`)?.*$/gm)) {
        const [line, a, b] = m;
        const i = ids.indexOf(a!);
        const j = b ? ids.indexOf(b) : i;
        expect(i >= 0 && j >= i, `${f}: unknown exercise in "${line}"`).toBeTruthy();
        const exs = all.slice(i, j + 1);
        expect(
          line.endsWith(`(${pointsText(exs)})`),
          `${f}: "${line}" should end with "(${pointsText(exs)})"`,
        ).toBeTruthy();
        for (const e of exs) {
          expect(e.notebook, `${e.id} is introduced in ${f} but its spec says ${e.notebook}`).toBe(f);
          seen.add(e.id);
        }
      }
    }
  }
  const missing = all.filter((e) => e.notebook && !seen.has(e.id)).map((e) => `${e.id} (${e.notebook})`);
  expect(missing, "exercises without a heading in their notebook").toStrictEqual([]);
});

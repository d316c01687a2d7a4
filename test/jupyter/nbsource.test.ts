/**
 * The one notebook-format module (src/jupyter/nbformat.ts) reads and writes both forms: the
 * committed .ipynb files are exactly what it builds from their .nb.md sources (what
 * `scripts/nbbuild.js --check` verifies through it), splitting and joining a source is lossless,
 * and bad input is refused with file:line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, it } from "vitest";
import {
  joinNbMd,
  looseSource,
  nbMdToIpynb,
  parseLooseNotebook,
  parseNbMd,
  parseNotebook,
  splitNbMd,
} from "../../src/jupyter/nbformat";
import { allExercises } from "../../src/grading/registry";
import { exerciseSourceCells } from "../../src/grading/present";

const ROOT = path.resolve(__dirname, "..", "..");
const SRC = path.join(ROOT, "course");

it(
  "every committed notebook is what nbformat builds from its source; sources split and join losslessly",
  { timeout: 60_000 },
  () => {
    const all = allExercises().map((r) => r.exercise);
    const files = fs.readdirSync(SRC).filter((f) => f.endsWith(".nb.md"));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = fs.readFileSync(path.join(SRC, f), "utf8");
      const name = f.replace(/\.nb\.md$/, "");
      const built = nbMdToIpynb(text, `course/${f}`, name, (ids, slide, where, lead) =>
        exerciseSourceCells(all, ids, slide, where, lead),
      );
      expect(built, f).toBe(fs.readFileSync(path.join(ROOT, "notebooks", `${name}.ipynb`), "utf8"));
      expect(joinNbMd(splitNbMd(text)), f).toBe(text);
      const nb = parseNotebook(built, f);
      expect(nb.cells.length).toBe(parseLooseNotebook(built, f).cells.length);
    }
  },
);

it("bad sources and notebooks are refused with where", { timeout: 10_000 }, () => {
  expect(() => parseNbMd("text\n%% md\n# x", "a.nb.md")).toThrow(/a\.nb\.md:1: text before the first cell marker/);
  expect(() => parseNbMd("%% md wobble\n# x", "b.nb.md")).toThrow(/b\.nb\.md:1: unknown slide type "wobble"/);
  expect(() => parseNbMd("%% md\n%%% oops", "c.nb.md")).toThrow(/c\.nb\.md:2: unknown cell marker/);
  expect(() => parseNbMd("%% exercise dh.modpow", "d.nb.md")).toThrow(/needs the exercise specs.*d\.nb\.md:1/);
  const cells = parseNbMd("%% md slide\n\n# T\n\n%% code\nconst x = 1;\n%% notes\nsay it", "e.nb.md");
  expect(
    cells.map((c) => [c.cell_type, (c.metadata as { slideshow: { slide_type: string } }).slideshow.slide_type]),
  ).toStrictEqual([
    ["markdown", "slide"],
    ["code", "-"],
    ["markdown", "notes"],
  ]);
  expect(
    looseSource(
      parseLooseNotebook(JSON.stringify({ cells: [{ cell_type: "code", source: ["a\n", "b"] }] }), "f.ipynb").cells[0]!,
    ),
  ).toBe("a\nb");
  expect(() => parseLooseNotebook("{", "g.ipynb")).toThrow(/not a readable notebook.*g\.ipynb/);
  expect(() => parseLooseNotebook("{}", "h.ipynb")).toThrow(/no cells list.*h\.ipynb/);
});

// Each exercise written once: the notebook cells, answer-file headers and CLI rows come from the spec.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { allExercises } from "../../src/grading/registry";
import { checkCode, commentPrefix, exerciseCells, exerciseHeading, exerciseRow, pointsText, readmeList, stubHeader, wrapText } from "../../src/grading/present";
import { defineExercise, totalPoints, type Exercise } from "../../src/grading/spec";

const ROOT = path.resolve(__dirname, "../..");
const nbbuild = require(path.join(ROOT, "scripts", "nbbuild.js")) as { parseSource(text: string, file: string): Array<{ cell_type: string; source: string[]; metadata: { slideshow: { slide_type: string } } }> };

const ex = (over: Partial<Exercise> = {}): Exercise =>
  defineExercise({
    id: "demo.sum",
    title: "Add two residues",
    prompt: "Compute **(12 + 18) mod 9**.",
    kind: "value",
    notebook: "01-demo.ipynb",
    answer: { file: "exercises/demo/answers.ts", export: "sum" },
    public: [{ name: "p", points: 2, run: () => true }],
    hidden: [{ name: "h", points: 1, run: () => true }],
    ...over,
  });

test("points are the grader's: public and hidden both named", () => {
  assert.equal(pointsText([ex()]), "3 points: 2 public + 1 hidden");
  assert.equal(pointsText([ex({ hidden: [] })]), "2 points, all public");
  assert.equal(pointsText([ex({ public: [{ name: "p", points: 1, run: () => true }], hidden: [] })]), "1 point, all public");
  for (const { exercise } of allExercises()) {
    const m = /(\d+) points?/.exec(pointsText([exercise]))!;
    assert.equal(Number(m[1]), totalPoints(exercise), exercise.id);
  }
});

test("notebook cells: heading, prompt, then a check cell that carries the answer or reads the file", () => {
  const [md, code] = exerciseCells([ex()]);
  assert.equal(md!.text, "### Exercise `demo.sum`: Add two residues (3 points: 2 public + 1 hidden)\n\nCompute **(12 + 18) mod 9**.");
  assert.equal(code!.text, 'check("demo.sum", undefined)');
  assert.equal(checkCode(ex({ kind: "code", answer: { file: "exercises/demo/sum.ts" } })), 'check("demo.sum")');
  assert.equal(checkCode(ex({ checkCell: "file", starter: "// compute it with the library" })), '// compute it with the library\ncheck("demo.sum")');
  const group = exerciseCells([ex(), ex({ id: "demo.prod", prompt: "Compute 3 · 7 mod 11." })]);
  assert.equal(group.length, 3);
  assert.match(exerciseHeading([ex(), ex({ id: "demo.prod" })]), /^### Exercises `demo.sum` to `demo.prod` \(6 points: 4 public \+ 2 hidden\)$/);
});

test("answer-file headers use the file's own comment syntax and carry the prompt", () => {
  assert.equal(commentPrefix("x/a.ts"), "//");
  assert.equal(commentPrefix("x/broken.yaml"), "#");
  assert.equal(commentPrefix("x/r.set"), "#");
  assert.equal(commentPrefix("x/relay.conf"), "!");
  assert.throws(() => commentPrefix("x/a.docx"), /no comment syntax.*a\.docx/);
  const h = stubHeader([ex({ prompt: "word ".repeat(60).trim() })], "exercises/demo/sum.ts").split("\n");
  assert.match(h[0]!, /^\/\/ Exercise demo\.sum: Add two residues \(notebook 01-demo; 3 points: 2 public \+ 1 hidden\)$/);
  assert.ok(h.every((l) => l.startsWith("//") && l.length <= 100), h.join("\n"));
  assert.equal(h[h.length - 1], "// Grade with: npx wirelab grade demo.sum");
  assert.deepEqual(wrapText("- a list item that is long enough to pass the width of the wrap\n\nshort", 20), ["- a list item that is long enough to pass the width of the wrap", "", "short"]);
});

test("exercises --json rows and the student README list carry the prompt and points", () => {
  const row = exerciseRow(ex());
  assert.deepEqual([row.points, row.hiddenPoints, row.prompt], [2, 1, "Compute **(12 + 18) mod 9**."]);
  assert.match(readmeList([ex()]), /^### 01-demo\n\n- `demo\.sum` — Add two residues \(value, 3 points: 2 public \+ 1 hidden\): `exercises\/demo\/answers\.ts`\n$/);
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "wirelab.js"), "exercises", "--json"], { encoding: "utf8", cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<{ id: string; prompt: string }>;
  assert.equal(rows.length, allExercises().length);
  assert.ok(rows.every((x) => typeof x.prompt === "string" && x.prompt.length > 10), "every row has its prompt");
});

test("the notebook build expands `%% exercise ID…` from the spec, and refuses an unknown id with its line", () => {
  const first = allExercises()[0]!.exercise;
  const cells = nbbuild.parseSource(`%% md slide\n# Title\n\n%% exercise ${first.id}\n\n%% code\n1 + 1\n`, "demo.nb.md");
  assert.equal(cells.length, 4);
  assert.equal(cells[1]!.cell_type, "markdown");
  assert.equal(cells[1]!.metadata.slideshow.slide_type, "subslide");
  assert.equal(cells[1]!.source.join(""), exerciseCells([first])[0]!.text);
  assert.equal(cells[2]!.source.join(""), checkCode(first));
  assert.equal(cells[2]!.metadata.slideshow.slide_type, "fragment");
  assert.throws(() => nbbuild.parseSource("%% exercise nope.nothing slide\n", "demo.nb.md"), /demo\.nb\.md:1: no exercise "nope\.nothing"/);
  assert.throws(() => nbbuild.parseSource(`%% exercise ${first.id}\nstray text\n`, "demo.nb.md"), /demo\.nb\.md:2: text after an exercise line/);
});

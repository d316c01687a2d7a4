// Each exercise written once: the notebook cells, answer-file headers and CLI rows come from the spec.
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { allExercises, applyWithheld } from "../../src/grading/registry";
import {
  checkCode,
  commentPrefix,
  exerciseCells,
  exerciseHeading,
  exerciseRow,
  pointsText,
  readmeList,
  stubHeader,
  wrapText,
} from "../../src/grading/present";
import { defineExercise, totalPoints, type Exercise } from "../../src/grading/spec";

const ROOT = path.resolve(__dirname, "../..");
const nbbuild = require(path.join(ROOT, "scripts", "nbbuild.js")) as {
  parseSource(
    text: string,
    file: string,
  ): Array<{ cell_type: string; source: string[]; metadata: { slideshow: { slide_type: string } } }>;
};

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

it("points are the grader's: public and hidden both named", () => {
  expect(pointsText([ex()])).toBe("3 points: 2 public + 1 hidden");
  expect(pointsText([ex({ hidden: [] })])).toBe("2 points, all public");
  expect(pointsText([ex({ public: [{ name: "p", points: 1, run: () => true }], hidden: [] })])).toBe(
    "1 point, all public",
  );
  // A student release holds no hidden tests but announces their points (course/withheld-points.json).
  expect(pointsText([ex({ hidden: [], withheld: 1 })])).toBe("3 points: 2 public + 1 hidden");
  expect(exerciseRow(ex({ hidden: [], withheld: 4 })).hiddenPoints).toBe(4);
  for (const { exercise } of allExercises()) {
    const m = /(\d+) points?/.exec(pointsText([exercise]))!;
    expect(Number(m[1]), exercise.id).toBe(totalPoints(exercise));
  }
});

it("notebook cells: heading, prompt, then a check cell that carries the answer or reads the file", () => {
  const [md, code] = exerciseCells([ex()]);
  expect(md!.text).toBe(
    "### Exercise `demo.sum`: Add two residues (3 points: 2 public + 1 hidden)\n\nCompute **(12 + 18) mod 9**.",
  );
  expect(code!.text).toBe('check("demo.sum", undefined)');
  expect(checkCode(ex({ kind: "code", answer: { file: "exercises/demo/sum.ts" } }))).toBe('check("demo.sum")');
  expect(checkCode(ex({ checkCell: "file", starter: "// compute it with the library" }))).toBe(
    '// compute it with the library\ncheck("demo.sum")',
  );
  const group = exerciseCells([ex(), ex({ id: "demo.prod", prompt: "Compute 3 · 7 mod 11." })]);
  expect(group[0]!.text).toContain(
    "\n\n- **`demo.sum`** (3 points: 2 public + 1 hidden): Compute **(12 + 18) mod 9**.\n- **`demo.prod`**",
  );
  expect(group.length).toBe(3);
  expect(exerciseHeading([ex(), ex({ id: "demo.prod" })])).toMatch(
    /^### Exercises `demo.sum` to `demo.prod` \(6 points: 4 public \+ 2 hidden\)$/,
  );
});

it("answer-file headers use the file's own comment syntax and carry the prompt", () => {
  expect(commentPrefix("x/a.ts")).toBe("//");
  expect(commentPrefix("x/broken.yaml")).toBe("#");
  expect(commentPrefix("x/r.set")).toBe("#");
  expect(commentPrefix("x/relay.conf")).toBe("!");
  expect(() => commentPrefix("x/a.docx")).toThrow(/no comment syntax.*a\.docx/);
  const h = stubHeader([ex({ prompt: "word ".repeat(60).trim() })], "exercises/demo/sum.ts").split("\n");
  expect(h[0]!).toMatch(
    /^\/\/ Exercise demo\.sum: Add two residues \(notebook 01-demo; 3 points: 2 public \+ 1 hidden\)$/,
  );
  expect(
    h.every((l) => l.startsWith("//") && l.length <= 100),
    h.join("\n"),
  ).toBeTruthy();
  expect(h[h.length - 1]).toBe("// Grade with: npx wirelab grade demo.sum");
  expect(wrapText("- a list item that is long enough to pass the width of the wrap\n\nshort", 20)).toStrictEqual([
    "- a list item that is long enough to pass the width of the wrap",
    "",
    "short",
  ]);
});

it("exercises --json rows and the student README list carry the prompt and points", () => {
  const row = exerciseRow(ex());
  expect([row.points, row.hiddenPoints, row.prompt]).toStrictEqual([2, 1, "Compute **(12 + 18) mod 9**."]);
  expect(readmeList([ex()])).toMatch(
    /^### 01-demo\n\n- `demo\.sum` — Add two residues \(value, 3 points: 2 public \+ 1 hidden\): `exercises\/demo\/answers\.ts`\n$/,
  );
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "wirelab.js"), "exercises", "--json"], {
    encoding: "utf8",
    cwd: ROOT,
  });
  expect(r.status, r.stderr).toBe(0);
  const rows = JSON.parse(r.stdout) as Array<{ id: string; prompt: string }>;
  expect(rows.length).toBe(allExercises().length);
  expect(
    rows.every((x) => typeof x.prompt === "string" && x.prompt.length > 10),
    "every row has its prompt",
  ).toBeTruthy();
});

it("the notebook build expands `%% exercise ID…` from the spec, and refuses an unknown id with its line", () => {
  const first = allExercises()[0]!.exercise;
  const cells = nbbuild.parseSource(
    `%% md slide\n# Title\n\n%% exercise ${first.id}\n\n%% code\n1 + 1\n`,
    "demo.nb.md",
  );
  expect(cells.length).toBe(4);
  expect(cells[1]!.cell_type).toBe("markdown");
  expect(cells[1]!.metadata.slideshow.slide_type).toBe("subslide");
  expect(cells[1]!.source.join("")).toBe(exerciseCells([first])[0]!.text);
  expect(cells[2]!.source.join("")).toBe(checkCode(first));
  expect(cells[2]!.metadata.slideshow.slide_type).toBe("fragment");
  expect(() => nbbuild.parseSource("%% exercise nope.nothing slide\n", "demo.nb.md")).toThrow(
    /no exercise "nope\.nothing".*demo\.nb\.md:1/,
  );
  const led = nbbuild.parseSource(`%% exercise ${first.id}\nA lead-in from the story.\n`, "demo.nb.md");
  expect(led[0]!.source.join("")).toBe(exerciseCells([first], "A lead-in from the story.")[0]!.text);
  expect(led[0]!.source.join("")).toContain("\n\nA lead-in from the story.\n\n");
});

it("no copy drifts: every answer file's header and export comments are what the specs generate", () => {
  const { answerHeaders } = require(path.join(ROOT, "scripts", "nbbuild.js")) as {
    answerHeaders(): Array<{ file: string; text: string; expected: string }>;
  };
  const files = answerHeaders();
  expect(files.length).toBeGreaterThan(15);
  for (const h of files) expect(h.text, `${h.file}: run node scripts/nbbuild.js`).toBe(h.expected);
  const stub = files.find((h) => h.text.includes("Grade with: npx wirelab grade"))!;
  expect(stub.text.replace(/\(notebook [^;]+; /, "(notebook elsewhere; ")).not.toBe(stub.expected);
});

it("withheld points: read from a student release's list, unknown ids and bad values refused with the file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wlwithheld-"));
  try {
    const file = path.join(dir, "withheld-points.json");
    const list = () => [{ exercise: ex(), module: "m.ts" }];
    expect(applyWithheld(list(), path.join(dir, "none.json"))[0]!.exercise.withheld).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify({ "demo.sum": 3 }));
    expect(applyWithheld(list(), file)[0]!.exercise.withheld).toBe(3);
    fs.writeFileSync(file, JSON.stringify({ "demo.nope": 3 }));
    expect(() => applyWithheld(list(), file)).toThrow(/no such exercise.*demo\.nope.*withheld-points\.json/);
    fs.writeFileSync(file, JSON.stringify({ "demo.sum": -1 }));
    expect(() => applyWithheld(list(), file)).toThrow(/integer ≥ 0.*demo\.sum/);
    fs.writeFileSync(file, "{");
    expect(() => applyWithheld(list(), file)).toThrow(/not valid JSON.*withheld-points\.json/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The timing model is the only source of every notebook's Time line and of the agendas'
// minutes (docs/workshop.md); the agendas' clock times add up, breaks included.
import { it, expect } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { notebookTiming, statedTimeLine, timeLineFor, type NotebookTiming } from "../../src/workshop/timing";
import { allExercises } from "../../src/grading/registry";

const ROOT = path.resolve(__dirname, "..", "..");
const SRC = path.join(ROOT, "course");
const exercises = allExercises().map((r) => r.exercise);
const timings: NotebookTiming[] = fs
  .readdirSync(SRC)
  .filter((f) => f.endsWith(".nb.md"))
  .sort()
  .map((f) => notebookTiming(f, fs.readFileSync(path.join(SRC, f), "utf8"), exercises));
const byName = new Map(timings.map((t) => [t.notebook, t]));
const DOC = fs.readFileSync(path.join(ROOT, "docs", "workshop.md"), "utf8");

it("every notebook's Time line is what the timing model gives", () => {
  for (const t of timings) {
    const text = fs.readFileSync(path.join(SRC, `${t.notebook}.nb.md`), "utf8");
    expect((text.match(/^\*\*Time:\*\*/gm) ?? []).length, `${t.notebook}: exactly one Time line`).toBe(1);
    expect(statedTimeLine(text), `${t.notebook}: run node scripts/timings.js`).toBe(timeLineFor(t));
  }
});

it("the model counts what it says: exercises by kind, labs, low ≤ plan ≤ high + 5", () => {
  for (const t of timings) {
    expect(
      t.low <= t.plan && t.plan <= t.high + 5 && t.plan % 5 === 0,
      `${t.notebook}: ${t.low} ${t.plan} ${t.high}`,
    ).toBeTruthy();
    const ids = exercises.filter((e) => e.notebook === `${t.notebook}.ipynb`).map((e) => e.id);
    expect(t.exercises.map((e) => e.id)).toStrictEqual(ids);
  }
  const six = notebookTiming(
    "x.nb.md",
    "%% md\n" + "word ".repeat(395) + "\nLab time: about 7 minutes\n%% code\n1\n",
    [],
  );
  expect(six.readMinutes).toBe(2);
  expect(six.labMinutes).toBe(7);
  expect(six.low).toBe(9); // 2 reading + 0.5 running + 7 lab
});

it("docs/workshop.md: the per-notebook table equals the model", () => {
  for (const t of timings) {
    const row = new RegExp(`^\\| ${t.notebook} \\| (\\d+) \\| ([^|]*)\\|`, "m").exec(DOC);
    expect(row, `${t.notebook} missing from the table in docs/workshop.md`).toBeTruthy();
    expect(Number(row[1]), `${t.notebook}: plan`).toBe(t.plan);
    expect(row[2]!.trim(), `${t.notebook}: low–high`).toBe(`${t.low}–${t.high}`);
  }
});

const clock = (s: string) => {
  const [h, m] = s.split(":").map(Number);
  return h! * 60 + m!;
};

for (const [title, expectTotal] of [
  ["Half day", undefined],
  ["Full day", undefined],
] as const) {
  it(`docs/workshop.md: the ${title} agenda adds up and uses the model's minutes`, () => {
    const head = new RegExp(`^### ${title} \\((\\d+) h (\\d+)[^)]*\\)$`, "m").exec(DOC);
    expect(head, `no "### ${title} (H h MM…)" heading`).toBeTruthy();
    const total = Number(head[1]) * 60 + Number(head[2]);
    const section = DOC.slice(head.index, DOC.indexOf("\n### ", head.index + 1) >>> 0 || undefined);
    const rows = [...section.matchAll(/^\| (\d+:\d\d) \| (.+?) \| (\d+) \|$/gm)].map((m) => ({
      at: clock(m[1]!),
      what: m[2]!,
      min: Number(m[3]),
    }));
    expect(rows.length >= 5, `${title}: agenda rows`).toBeTruthy();
    expect(rows[0]!.at).toBe(0);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i]!.at, `${title}: ${rows[i]!.what} starts when the previous item ends`).toBe(
        rows[i - 1]!.at + rows[i - 1]!.min,
      );
    const last = rows.at(-1)!;
    expect(last.at + last.min, `${title}: the heading's length`).toBe(expectTotal ?? total);
    let notebooks = 0;
    for (const r of rows) {
      const named = [...r.what.matchAll(/\b(0\d-[a-z0-9-]+)/g)].map((m) => m[1]!);
      for (const n of named) {
        const t = byName.get(n);
        expect(t, `${title}: unknown notebook ${n}`).toBeTruthy();
        expect(r.min, `${title}: ${n} is planned at ${t.plan} minutes by the model, the agenda says ${r.min}`).toBe(
          t.plan,
        );
      }
      if (named.length) notebooks++;
    }
    expect(notebooks >= 3, `${title}: notebooks in the agenda`).toBeTruthy();
    expect(
      rows.some((r) => /break|lunch/.test(r.what)),
      `${title}: has a break`,
    ).toBeTruthy();
  });
}

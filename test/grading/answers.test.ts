/**
 * Value answers (exact expressions), literal answers read from notebooks, and the rule that a
 * learner's notebook cannot change what the CLI grader reports.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { decode, encode } from "../../src/grading/codec";
import { evaluateInteger } from "../../src/grading/expr";
import { gradeMany } from "../../dist/grading/grader";
import { answersInCell, answersInNotebook } from "../../src/grading/notebook-answers";
import { selectExercises } from "../../dist/grading/registry";
import { defineExercise } from "../../src/grading/spec";

const ROOT = path.resolve(__dirname, "..", "..");

describe("evaluateInteger", { timeout: 30_000 }, () => {
  it("expressions from the DH primer evaluate exactly", () => {
    expect(evaluateInteger("103*42 mod 17")).toBe(8n);
    expect(evaluateInteger("7^29 mod 17")).toBe(6n);
    expect(evaluateInteger("-3 mod 7")).toBe(4n);
    expect(evaluateInteger("2^200")).toBe(2n ** 200n);
    expect(evaluateInteger(" 1024 ")).toBe(1024n);
    expect(evaluateInteger("0x1f")).toBe(31n);
    expect(evaluateInteger(42)).toBe(42n);
    expect(evaluateInteger(42n)).toBe(42n);
  });
  it("non-integers and bad input are clear errors that name the expression", () => {
    expect(() => evaluateInteger("10/3")).toThrow(/not an integer \(it is 3\.\(3\)\).*"10\/3"/);
    expect(() => evaluateInteger("x + 1")).toThrow(/cannot evaluate the expression: Undefined symbol x/);
    expect(() => evaluateInteger("")).toThrow(/the answer is empty/);
    expect(() => evaluateInteger(1.5)).toThrow(/must be an integer \(got 1\.5\)/);
    expect(() => evaluateInteger({})).toThrow(/integer or an expression in a string/);
    expect(() => evaluateInteger("1".repeat(3000))).toThrow(/longer than 2000 characters/);
  });
});

describe("codec", { timeout: 10_000 }, () => {
  it("bigints and undefined survive; functions are refused with advice", () => {
    const v = { a: 1n, b: [2n, "x"], c: null };
    expect(decode(encode(v))).toStrictEqual(v);
    expect(() => encode(() => 1)).toThrow(/put your code in the exercise file/);
  });
});

describe("answers in notebook cells", { timeout: 30_000 }, () => {
  it("literal answers of every shape are read without running anything", () => {
    const src = `import { check } from "../dist/grading";
check("a.one", "103*42 mod 17")
check("a.two", -12n);
check("a.three", [{ hop: "P1", stack: "16003 | 299776" }, { hop: "PE2", stack: "IPv4" }] as Row[])
check("a.four", undefined)
check("a.five", someVariable)
check("a.six")`;
    const got = answersInCell(src, "nb.ipynb", 3);
    expect(got.map((a) => [a.id, a.value, a.line])).toStrictEqual([
      ["a.one", "103*42 mod 17", 2],
      ["a.two", -12n, 3],
      [
        "a.three",
        [
          { hop: "P1", stack: "16003 | 299776" },
          { hop: "PE2", stack: "IPv4" },
        ],
        4,
      ],
      ["a.four", undefined, 5],
      ["a.five", undefined, 6],
    ]);
    expect(got[4]!.error!).toMatch(/`someVariable` is not a literal value/);
  });
  it("a malformed notebook is a ParseError naming the file", () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wl-nb-")), "bad.ipynb");
    fs.writeFileSync(f, "{ not json");
    expect(thrownBy(() => answersInNotebook(f))).toSatisfy(
      (e: Error) => e.name === "ParseError" && e.message.includes("bad.ipynb"),
    );
  });
});

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((c) => ({ cell_type: "code", source: c, metadata: {}, outputs: [], execution_count: null })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
}

describe("the CLI grader ignores the learner's side", { timeout: 120_000 }, () => {
  it("redefining check() in a notebook changes nothing the grader reports", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wl-nbs-"));
    fs.writeFileSync(
      path.join(dir, "00-start-here.ipynb"),
      notebook([
        `function check(id: string, a?: unknown) { console.log(id + ": 2/2 points, full marks"); }`,
        `(globalThis as any).wirelabScore = 100;`,
        `check("start.addresses", 999)`,
      ]),
    );
    const run = await gradeMany({
      root: ROOT,
      selector: "start.addresses",
      tree: "exercises",
      notebooksDir: dir,
      hidden: true,
    });
    expect(run.reports[0]!.earned).toBe(0);
    expect(run.reports[0]!.status).toBe("zero");
    expect(run.reports[0]!.tests[0]!.message).toMatch(/999 is not right/);
    expect(run.reports[0]!.source).toMatch(/00-start-here\.ipynb, cell 3/);
  });
  it("a right literal answer in a notebook gets the points", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wl-nbs-"));
    fs.writeFileSync(path.join(dir, "00-start-here.ipynb"), notebook([`check("start.addresses", "2^10")`]));
    const run = await gradeMany({
      root: ROOT,
      selector: "start.addresses",
      tree: "exercises",
      notebooksDir: dir,
      hidden: true,
    });
    expect(run.reports[0]!.status).toBe("full");
  });
});

describe("specs", { timeout: 30_000 }, () => {
  it("defineExercise rejects bad definitions with the value named", () => {
    const base = {
      title: "t",
      prompt: "p",
      kind: "value" as const,
      answer: { file: "exercises/x/a.ts" },
      public: [{ name: "n", points: 1, run: () => true }],
      hidden: [],
    };
    expect(() => defineExercise({ ...base, id: "NoDot" })).toThrow(/topic\.name.*"NoDot"/);
    expect(() => defineExercise({ ...base, id: "x.y", answer: { file: "../etc/passwd" } })).toThrow(
      /relative path inside the course/,
    );
    expect(() => defineExercise({ ...base, id: "x.y", public: [{ name: "n", points: 0, run: () => true }] })).toThrow(
      /positive integer \(got 0/,
    );
    expect(() => defineExercise({ ...base, id: "x.y", public: [] })).toThrow(/at least one public test/);
  });
  it("selecting an unknown exercise lists the valid ones", () => {
    expect(() => selectExercises("nope.nothing")).toThrow(
      /no exercise matches.*Give a topic \(.*start.*\) or an id \(.*start\.addresses/,
    );
  });
});

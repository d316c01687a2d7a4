/**
 * Value answers (exact expressions), literal answers read from notebooks, and the rule that a
 * learner's notebook cannot change what the CLI grader reports.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, test } from "node:test";
import { decode, encode } from "../../src/grading/codec";
import { evaluateInteger } from "../../src/grading/expr";
import { gradeMany } from "../../dist/grading/grader";
import { answersInCell, answersInNotebook } from "../../src/grading/notebook-answers";
import { selectExercises } from "../../dist/grading/registry";
import { defineExercise } from "../../src/grading/spec";

const ROOT = path.resolve(__dirname, "..", "..");

describe("evaluateInteger", { timeout: 30_000 }, () => {
  test("expressions from the DH primer evaluate exactly", () => {
    assert.equal(evaluateInteger("103*42 mod 17"), 8n);
    assert.equal(evaluateInteger("7^29 mod 17"), 6n);
    assert.equal(evaluateInteger("-3 mod 7"), 4n);
    assert.equal(evaluateInteger("2^200"), 2n ** 200n);
    assert.equal(evaluateInteger(" 1024 "), 1024n);
    assert.equal(evaluateInteger("0x1f"), 31n);
    assert.equal(evaluateInteger(42), 42n);
    assert.equal(evaluateInteger(42n), 42n);
  });
  test("non-integers and bad input are clear errors that name the expression", () => {
    assert.throws(() => evaluateInteger("10/3"), /not an integer \(it is 3\.\(3\)\).*"10\/3"/);
    assert.throws(() => evaluateInteger("x + 1"), /cannot evaluate the expression: Undefined symbol x/);
    assert.throws(() => evaluateInteger(""), /the answer is empty/);
    assert.throws(() => evaluateInteger(1.5), /must be an integer \(got 1\.5\)/);
    assert.throws(() => evaluateInteger({}), /integer or an expression in a string/);
    assert.throws(() => evaluateInteger("1".repeat(3000)), /longer than 2000 characters/);
  });
});

describe("codec", { timeout: 10_000 }, () => {
  test("bigints and undefined survive; functions are refused with advice", () => {
    const v = { a: 1n, b: [2n, "x"], c: null };
    assert.deepEqual(decode(encode(v)), v);
    assert.throws(() => encode(() => 1), /put your code in the exercise file/);
  });
});

describe("answers in notebook cells", { timeout: 30_000 }, () => {
  test("literal answers of every shape are read without running anything", () => {
    const src = `import { check } from "../dist/grading";
check("a.one", "103*42 mod 17")
check("a.two", -12n);
check("a.three", [{ hop: "P1", stack: "16003 | 299776" }, { hop: "PE2", stack: "IPv4" }] as Row[])
check("a.four", undefined)
check("a.five", someVariable)
check("a.six")`;
    const got = answersInCell(src, "nb.ipynb", 3);
    assert.deepEqual(
      got.map((a) => [a.id, a.value, a.line]),
      [["a.one", "103*42 mod 17", 2], ["a.two", -12n, 3], ["a.three", [{ hop: "P1", stack: "16003 | 299776" }, { hop: "PE2", stack: "IPv4" }], 4], ["a.four", undefined, 5], ["a.five", undefined, 6]],
    );
    assert.match(got[4]!.error!, /`someVariable` is not a literal value/);
  });
  test("a malformed notebook is a ParseError naming the file", () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wl-nb-")), "bad.ipynb");
    fs.writeFileSync(f, "{ not json");
    assert.throws(() => answersInNotebook(f), (e: Error) => e.name === "ParseError" && e.message.includes("bad.ipynb"));
  });
});

function notebook(cells: string[]): string {
  return JSON.stringify({ cells: cells.map((c) => ({ cell_type: "code", source: c, metadata: {}, outputs: [], execution_count: null })), metadata: {}, nbformat: 4, nbformat_minor: 5 });
}

describe("the CLI grader ignores the learner's side", { timeout: 120_000 }, () => {
  test("redefining check() in a notebook changes nothing the grader reports", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wl-nbs-"));
    fs.writeFileSync(
      path.join(dir, "00-start-here.ipynb"),
      notebook([
        `function check(id: string, a?: unknown) { console.log(id + ": 2/2 points, full marks"); }`,
        `(globalThis as any).wirelabScore = 100;`,
        `check("start.addresses", 999)`,
      ]),
    );
    const run = await gradeMany({ root: ROOT, selector: "start.addresses", tree: "exercises", notebooksDir: dir, hidden: true });
    assert.equal(run.reports[0]!.earned, 0);
    assert.equal(run.reports[0]!.status, "zero");
    assert.match(run.reports[0]!.tests[0]!.message, /999 is not right/);
    assert.match(run.reports[0]!.source, /00-start-here\.ipynb, cell 3/);
  });
  test("a right literal answer in a notebook gets the points", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wl-nbs-"));
    fs.writeFileSync(path.join(dir, "00-start-here.ipynb"), notebook([`check("start.addresses", "2^10")`]));
    const run = await gradeMany({ root: ROOT, selector: "start.addresses", tree: "exercises", notebooksDir: dir, hidden: true });
    assert.equal(run.reports[0]!.status, "full");
  });
});

describe("specs", { timeout: 30_000 }, () => {
  test("defineExercise rejects bad definitions with the value named", () => {
    const base = { title: "t", prompt: "p", kind: "value" as const, answer: { file: "exercises/x/a.ts" }, public: [{ name: "n", points: 1, run: () => true }], hidden: [] };
    assert.throws(() => defineExercise({ ...base, id: "NoDot" }), /topic\.name.*"NoDot"/);
    assert.throws(() => defineExercise({ ...base, id: "x.y", answer: { file: "../etc/passwd" } }), /relative path inside the course/);
    assert.throws(() => defineExercise({ ...base, id: "x.y", public: [{ name: "n", points: 0, run: () => true }] }), /positive integer \(got 0/);
    assert.throws(() => defineExercise({ ...base, id: "x.y", public: [] }), /at least one public test/);
  });
  test("selecting an unknown exercise lists the valid ones", () => {
    assert.throws(() => selectExercises("nope.nothing"), /no exercise matches.*Give a topic \(.*start.*\) or an id \(.*start\.addresses/);
  });
});

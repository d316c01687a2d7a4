/**
 * The grader's promises, one test each: whatever a learner's code does, it ends as a failed test
 * with a clear message; the grader never crashes, hangs, or credits a test that did not run.
 */
import * as path from "node:path";
import { describe, it, expect } from "vitest";
import { gradeExercise, type ExerciseReport } from "../../dist/grading/grader";
import { findExercise } from "../../dist/grading/registry";

const ROOT = path.resolve(__dirname, "..", "..");
const FIX = path.join(ROOT, "test", "fixtures", "grading");
const WILDCARD = findExercise("start.wildcard").exercise;
/** Every test of start.wildcard, public and hidden (the exercise may gain tests). */
const N = WILDCARD.public.length + WILDCARD.hidden.length;
const notRun = (k: number) => Array.from({ length: N - k }, () => "not-run");

async function gradeFixture(
  name: string,
  opts: { defaultTimeoutMs?: number; loadTimeoutMs?: number } = {},
): Promise<ExerciseReport> {
  const reg = findExercise("start.wildcard");
  return gradeExercise(
    reg,
    { kind: "file", path: path.join(FIX, name), label: name },
    {
      root: ROOT,
      hidden: true,
      defaultTimeoutMs: opts.defaultTimeoutMs ?? 1500,
      loadTimeoutMs: opts.loadTimeoutMs ?? 20000,
    },
  );
}

function assertNoCredit(r: ExerciseReport, pattern: RegExp): void {
  expect(r.earned, `earned ${r.earned}: ${JSON.stringify(r.tests)}`).toBe(0);
  expect(r.tests.length, "every test is reported").toBe(N);
  const msgs = [r.error ?? "", ...r.tests.map((t) => t.message)].join("\n");
  expect(msgs).toMatch(pattern);
}

describe("grader isolation", { timeout: 240_000 }, () => {
  it("an infinite loop times out, each test separately, and the grader goes on", { timeout: 60_000 }, async () => {
    const t0 = Date.now();
    const r = await gradeFixture("loop.ts", { defaultTimeoutMs: 800 });
    assertNoCredit(r, /timed out after 0\.8 s: an infinite loop/);
    // Two timeouts in a row, then the rest are "not run" so a hang cannot cost tests × limit.
    expect(r.tests.map((t) => t.status)).toStrictEqual(["timeout", "timeout", ...notRun(2)]);
    expect(r.tests[2]!.message).toMatch(/not run: the 2 tests before it timed out or crashed/);
    expect(Date.now() - t0 < 50_000, "bounded time").toBeTruthy();
  });
  it("a promise that never settles times out", { timeout: 60_000 }, async () => {
    const r = await gradeFixture("hang.ts", { defaultTimeoutMs: 500 });
    assertNoCredit(r, /promise that never settles/);
  });
  it("process.exit is a failure that names it", { timeout: 60_000 }, async () => {
    const r = await gradeFixture("exit.ts");
    assertNoCredit(r, /called process\.exit\(0\)/);
    expect(r.tests.every((t) => t.status === "fail")).toBeTruthy();
  });
  it("process.exit from a timer is caught too", { timeout: 60_000 }, async () => {
    const r = await gradeFixture("exit-async.ts");
    assertNoCredit(r, /process\.exit\(7\)/);
  });
  it("a hard exit that bypasses process.exit is a crash, not credit", { timeout: 60_000 }, async () => {
    const r = await gradeFixture("really-exit.ts");
    assertNoCredit(r, /your code's process ended \(exit code 3\) during this test/);
    expect(r.tests.map((t) => t.status)).toStrictEqual(["crash", "crash", ...notRun(2)]);
  });
  it("throwing a string or an object is described", { timeout: 60_000 }, async () => {
    assertNoCredit(await gradeFixture("throw-string.ts"), /threw a non-Error value: 'a string, not an Error'/);
    assertNoCredit(await gradeFixture("throw-object.ts"), /threw a non-Error value: \{ code: 42 \}/);
  });
  it("a rejected promise fails with its error", { timeout: 60_000 }, async () => {
    assertNoCredit(await gradeFixture("reject.ts"), /TypeError: nope/);
  });
  it("a floating unhandled rejection fails the running test", { timeout: 60_000 }, async () => {
    assertNoCredit(
      await gradeFixture("unhandled.ts"),
      /a promise was rejected and nobody caught it: Error: floating rejection/,
    );
  });
  it("console noise neither crashes the grader nor changes the verdict", { timeout: 60_000 }, async () => {
    const wrong = await gradeFixture("noisy-wrong.ts", { defaultTimeoutMs: 5000 });
    assertNoCredit(wrong, /returned "1\.2\.3\.4", expected "0\.0\.0\.255"/);
    const right = await gradeFixture("noisy-right.ts", { defaultTimeoutMs: 5000 });
    expect(right.status, JSON.stringify(right.tests)).toBe("full");
  });
  it("a huge result is cut in the message", { timeout: 60_000 }, async () => {
    const r = await gradeFixture("huge.ts", { defaultTimeoutMs: 5000 });
    // 40 MB of text: refused on arrival (replies are capped), never parsed, never credited.
    assertNoCredit(r, /sent a reply longer than 8 MiB/);
    for (const t of r.tests) expect(t.message.length <= 1500, `message of ${t.message.length} chars`).toBeTruthy();
  });
  it("running out of memory is a crash, not credit", { timeout: 90_000 }, async () => {
    const r = await gradeFixture("oom.ts", { defaultTimeoutMs: 20000 });
    expect(r.earned).toBe(0);
    expect(
      r.tests.every((t) => ["crash", "timeout", "fail", "not-run"].includes(t.status)),
      JSON.stringify(r.tests.map((t) => t.status)),
    ).toBeTruthy();
  });
  it("a syntax error names the file and gives no credit", { timeout: 60_000 }, async () => {
    const r = await gradeFixture("syntax.ts");
    expect(r.status).toBe("error");
    assertNoCredit(
      r,
      /could not load test\/fixtures\/grading\/syntax\.ts: [\s\S]*syntax\.ts:3:3: ERROR: Unexpected "}"/,
    );
  });
  it("a throw at load time and a loop at load time are load errors", { timeout: 60_000 }, async () => {
    const a = await gradeFixture("load-throw.ts");
    expect(a.status).toBe("error");
    assertNoCredit(a, /boom at load time/);
    const b = await gradeFixture("load-loop.ts", { loadTimeoutMs: 3000 });
    expect(b.status).toBe("error");
    assertNoCredit(b, /took longer than 3\.0 s \(code that runs forever when the file is loaded\?\)/);
  });
  it("learner code cannot forge results over IPC", { timeout: 60_000 }, async () => {
    const r = await gradeFixture("forge.ts");
    assertNoCredit(r, /returned "forged"/);
  });
  it("a missing file is reported, not credited", { timeout: 60_000 }, async () => {
    const r = await gradeFixture("does-not-exist.ts");
    expect(r.status).toBe("error");
    assertNoCredit(r, /does-not-exist\.ts does not exist/);
  });
});

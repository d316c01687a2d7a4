/**
 * Sealed answers: public checks of value, choice and predict answers compare through salted,
 * slow digests and open a message only for the answer it was written for; the sealed file is up
 * to date with the keys, holds no right answer, and no failure message prints one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { it, expect } from "vitest";
import { evaluateInteger } from "../../src/grading/expr";
import { allExercises } from "../../src/grading/registry";
import { openSealed, sealSlot } from "../../src/grading/sealed";
import {
  asInteger,
  knownAnswers,
  sealedChoice,
  sealedTable,
  sealedValue,
  type SealedTestCase,
} from "../../src/grading/sealed-checks";
import { SEALED_KEYS } from "../../src/grading/sealed-keys";
import { defineExercise } from "../../src/grading/spec";
import { seal, sealAll, sealedTests, SEALED_KEYS_FILE } from "../../src/workshop/seal";

const ROOT = path.resolve(__dirname, "..", "..");
const ctx = { root: ROOT, evaluate: evaluateInteger };
type Outcome = { pass: boolean; message: string };

it("a seal opens only for a known answer, and each message only for its own answer", { timeout: 10_000 }, () => {
  const slot = `t${process.pid}.x/value`;
  const entries = sealSlot(slot, [
    { answer: "3", verdict: { pass: true, message: "reduce after adding" } },
    { answer: "30", verdict: { pass: false, message: "you added but did not reduce" } },
  ]);
  expect(Object.keys(entries).length).toBe(2);
  const text = JSON.stringify(entries);
  for (const secret of ["reduce after adding", "did not reduce", '"3"', '"30"'])
    expect(!text.includes(secret), `${secret} visible in the seal`).toBeTruthy();
  expect(openSealed(slot, entries, "3")).toStrictEqual({ pass: true, message: "reduce after adding" });
  expect(openSealed(slot, entries, "30")).toStrictEqual({ pass: false, message: "you added but did not reduce" });
  expect(openSealed(slot, entries, "4")).toBe(undefined);
  expect(openSealed(slot + "-other", entries, "3"), "the slot salts the digest").toBe(undefined);
  const [id] = Object.keys(entries);
  const tampered = { ...entries, [id!]: Buffer.from("x".repeat(40)).toString("base64") };
  expect(
    openSealed(slot, tampered, "3") === undefined || openSealed(slot, tampered, "30") === undefined,
    "a tampered entry does not open",
  ).toBeTruthy();
  expect(() =>
    sealSlot(slot, [
      { answer: "3", verdict: { pass: true, message: "" } },
      { answer: "3", verdict: { pass: false, message: "" } },
    ]),
  ).toThrow(/both right and wrong/);
});

it(
  "sealed builders: right passes, a known wrong answer teaches, anything else gets the hint; the right answer is never printed",
  { timeout: 20_000 },
  async () => {
    const ex = defineExercise({
      id: `sealtest${process.pid}.sum`,
      title: "t",
      prompt: "p",
      kind: "value",
      answer: { file: "exercises/x.ts", export: "x" },
      public: [
        sealedValue("the sum", 1, {
          as: asInteger,
          hint: "Add, then reduce.",
          key: () => ({
            right: 3n,
            why: "30 mod 9 = 3",
            wrong: [{ answer: "30", message: "you added but did not reduce mod 9" }],
          }),
        }),
        sealedChoice("the letter", 1, {
          hint: "Think about p − 1.",
          key: () => ({ right: "B", wrong: [{ answer: "A", message: "a safe prime leaves one huge factor" }] }),
        }),
        sealedTable("the table", 2, {
          columns: ["ip", "port"],
          rowCount: 2,
          shape: "{ ip, port }",
          hint: "Read the capture.",
          key: () => ({
            right: [
              { ip: "10.1.2.3", port: 67 },
              { ip: "10.9.9.9", port: 68 },
            ],
          }),
        }),
      ],
      hidden: [sealedValue("the sum again", 1, { as: asInteger, hint: "h", key: () => ({ right: 3n }) })],
    });
    Object.assign(SEALED_KEYS, sealAll([ex]));
    const [sum, letter, table] = ex.public as SealedTestCase[];
    const run = async (t: SealedTestCase, a: unknown) => (await t.run(a, ctx)) as Outcome;
    expect(await run(sum!, "(12 + 18) mod 9")).toStrictEqual({
      pass: true,
      message: '"(12 + 18) mod 9" is right: 30 mod 9 = 3',
    });
    const w = await run(sum!, 30);
    expect(w.pass).toBe(false);
    expect(w.message).toMatch(/did not reduce mod 9/);
    const other = await run(sum!, 5);
    expect(other.pass).toBe(false);
    expect(other.message).toMatch(/5 is not right.*Add, then reduce/);
    expect(!/\b3\b/.test(other.message), other.message).toBeTruthy();
    expect((await run(letter!, "b: the weak one")).pass).toBe(true);
    expect((await run(letter!, "A")).message).toMatch(/one huge factor/);
    expect((await run(letter!, "C")).message).not.toMatch(/B/);
    expect(
      (
        await run(table!, [
          { ip: "10.1.2.3", port: "67" },
          { ip: " 10.9.9.9", port: 68 },
        ])
      ).pass,
    ).toBe(true);
    const t1 = await run(table!, [
      { ip: "10.1.2.4", port: 67 },
      { ip: "10.9.9.9", port: 69 },
    ]);
    expect(t1.pass).toBe(false);
    expect(t1.message).toMatch(/2 of 4 cell\(s\) differ: row 1, ip: you have "10.1.2.4"; row 2, port: you have 69/);
    expect(!t1.message.includes("10.1.2.3") && !t1.message.includes("68"), t1.message).toBeTruthy();
    expect((await run(table!, [{}])).message).toMatch(/has 1 row\(s\)/);
    // A hidden sealed test compares with its key (instructor copy) and is never sealed.
    expect(((await ex.hidden[0]!.run(3n, ctx)) as Outcome).pass).toBe(true);
    expect(Object.keys(sealAll([ex])).some((s) => s.includes("again"))).toBe(false);
  },
);

it("src/grading/sealed-keys.ts is up to date with the course's keys", { timeout: 120_000 }, () => {
  const rep = seal(
    ROOT,
    allExercises().map((r) => r.exercise),
    { check: true },
  );
  expect(rep.stale, `run \`wirelab seal\`: stale slots ${rep.stale.join(", ")}`).toStrictEqual([]);
  expect(rep.slots > 50).toBeTruthy();
});

it(
  "every sealed public check of the course: its right answer passes, nowhere in the sealed file, never printed on failure",
  { timeout: 300_000 },
  async () => {
    // The entries only: slot names carry test names, which quote the question (e.g. a shell line).
    const sealedFile = fs
      .readFileSync(path.join(ROOT, SEALED_KEYS_FILE), "utf8")
      .split("\n")
      .map((l) => l.replace(/^ {2}"(?:[^"\\]|\\.)*": /, ""))
      .join("\n");
    const tests = sealedTests(allExercises().map((r) => r.exercise));
    expect(tests.length >= 25, `${tests.length} sealed checks`).toBeTruthy();
    const shapes: unknown[] = [undefined, {}, [], "Z", 0, [{}], [[]], "nothing"];
    for (const t of tests) {
      const key = t.seal.key!();
      const right = await t.run(key.right, ctx);
      expect(
        (right as Outcome).pass,
        `${t.seal.exercise} / ${t.name}: the key does not pass: ${(right as Outcome).message}`,
      ).toBe(true);
      const values = knownAnswers(t.seal, ctx)
        .filter((k) => k.verdict.pass)
        .map((k) => k.answer.replace(/^"|"$/g, ""));
      const fixedText = `${t.name} ${t.seal.hint} ${t.seal.cells.join(" ")}`.toLowerCase();
      for (const v of values.filter((x) => x.length >= 4 && !fixedText.includes(x.toLowerCase())))
        expect(
          !sealedFile.includes(v),
          `${t.seal.exercise}: right answer ${v} readable in the sealed file`,
        ).toBeTruthy();
      for (const a of shapes) {
        const r = (await t.run(a, ctx)) as Outcome;
        expect(r.pass, `${t.seal.exercise} / ${t.name} passes ${JSON.stringify(a)}`).toBe(false);
        for (const v of values.filter((x) => x.length >= 3 && !/^(none|true|false)$/.test(x))) {
          expect(
            !r.message.toLowerCase().includes(v.toLowerCase()) || fixedText.includes(v.toLowerCase()),
            `${t.seal.exercise} / ${t.name}: message for ${JSON.stringify(a)} shows the answer ${v}: ${r.message}`,
          ).toBeTruthy();
        }
      }
    }
  },
);

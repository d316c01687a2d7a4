/**
 * The student release carries no answer: it builds a release and searches every file of it for
 * every expected answer the instructor's copy knows (the keys of the sealed checks), for every
 * line of a reference solution that the stub does not have, and for every name defined inside a
 * hidden-test region (answer-key functions, hidden fixtures). The release must also type-check
 * on its own (nothing left pointing at a removed key).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { it, expect, beforeAll, afterAll } from "vitest";
import { evaluateInteger } from "../../src/grading/expr";
import { allExercises } from "../../src/grading/registry";
import { knownAnswers } from "../../src/grading/sealed-checks";
import { hiddenRegions, release, walkFiles } from "../../src/workshop/release";
import { sealedTests } from "../../src/workshop/seal";

const ROOT = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `wl-leaks-${process.pid}-`));
const OUT = path.join(tmp, "student");
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const flat = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
let files: Array<{ rel: string; text: string }> = [];

beforeAll(() => {
  release({ root: ROOT, out: OUT });
  files = walkFiles(OUT).map((f) => ({ rel: path.relative(OUT, f), text: flat(fs.readFileSync(f, "utf8")) }));
});

const where = (needle: string) =>
  files.filter((f) => f.text.includes(needle)).map((f) => f.rel.split(path.sep).join("/"));

/**
 * Places where a right answer appears as part of the question's own material, each with its
 * reason. Nothing else may hold one.
 */
const QUESTION_MATERIAL: Record<string, { files: string[]; why: string }> = {
  // The decode exercise's values are the lab's own configuration (pool, addresses, boot file), which the
  // notebook and the simulator show: the exercise is reading them out of the OFFER's bytes.
  "dhcp.decode": {
    files: [
      "src/dhcp/lab.ts",
      "src/dhcp/server.ts",
      "src/dhcp/relay.ts",
      "src/dhcp/exercises.ts",
      "notebooks/06-dhcp-relay.ipynb",
      "course/06-dhcp-relay.nb.md",
    ],
    why: "lab configuration read from bytes",
  },
  "vpn.predict": {
    files: ["src/vpn/lab.ts"],
    why: "a spoke's single import is the HUB's network, written in the configurations the learner reads",
  },
  "mpls.cspf / the CSPF path": {
    files: ["labs/mpls/README.md"],
    why: "the lab README names the path of the lab's own ERO-pinned LSP, a different LSP than the exercise's",
  },
};

it("no right answer of a sealed check appears anywhere in the release", { timeout: 300_000 }, () => {
  const ctx = { evaluate: evaluateInteger };
  const regs = allExercises();
  let searched = 0;
  const problems: string[] = [];
  for (const t of sealedTests(regs.map((r) => r.exercise))) {
    const ex = regs.find((r) => r.exercise.id === t.seal.exercise)!.exercise;
    // Text a learner is given with the question may contain parts of an answer (an address of the lab).
    const question = flat(
      `${ex.prompt} ${(ex.choices ?? []).join(" ")} ${t.name} ${t.seal.hint} ${t.seal.cells.join(" ")}`,
    );
    const rights = knownAnswers(t.seal, ctx).filter((k) => k.verdict.pass);
    const forms = new Set<string>();
    // A table's cells (an address, a port) are lab facts one by one: its whole answer is what must not appear.
    const cells = rights.map((k) => flat(k.answer.replace(/^"|"$/g, "")));
    if (cells.length > 1) forms.add(cells.join(" "));
    else if (cells[0]!.length >= 5 && !question.includes(cells[0]!)) forms.add(cells[0]!);
    const allowed = (QUESTION_MATERIAL[`${ex.id} / ${t.name}`] ?? QUESTION_MATERIAL[ex.id])?.files ?? [];
    for (const v of forms) {
      searched++;
      const hits = where(v).filter((f) => !allowed.includes(f));
      if (hits.length)
        problems.push(`${ex.id} / ${t.name}: the right answer ${JSON.stringify(v)} is in ${hits.join(", ")}`);
    }
  }
  expect(problems).toStrictEqual([]);
  expect(searched >= 15, `searched ${searched} answer forms`).toBeTruthy();
});

it("no line of a reference solution that its stub lacks appears in the release", { timeout: 120_000 }, () => {
  const sol = path.join(ROOT, "solutions");
  let searched = 0;
  const problems: string[] = [];
  for (const f of walkFiles(sol)) {
    const rel = path.relative(sol, f).split(path.sep).join("/");
    const stub = path.join(ROOT, "exercises", rel);
    const stubLines = new Set(fs.existsSync(stub) ? fs.readFileSync(stub, "utf8").split("\n").map(flat) : []);
    // Comments and short generic lines (`}`, `return r;`) say nothing about the answer.
    const changed = fs
      .readFileSync(f, "utf8")
      .split("\n")
      .map(flat)
      .filter((l) => l.length >= 16 && !stubLines.has(l) && !/^(\/\/|#|!|\*|\/\*\*)/.test(l));
    // A code exercise re-implements a library function: its lines may also be the library's own.
    const isCode = rel.endsWith(".ts") && !rel.endsWith("answers.ts");
    // One or two changed lines are the fix itself; a longer answer leaks when two of its lines appear together.
    const needles = changed.length <= 2 ? changed : changed.slice(1).map((l, k) => `${changed[k]} ${l}`);
    for (const n of needles) {
      searched++;
      const hits = where(n).filter((r) => r !== `exercises/${rel}` && !(isCode && r.startsWith("src/")));
      if (hits.length) problems.push(`solutions/${rel}: ${JSON.stringify(n)} is in ${hits.join(", ")}`);
    }
  }
  expect(problems).toStrictEqual([]);
  expect(searched > 30, `searched ${searched} solution lines`).toBeTruthy();
});

it("nothing defined inside a hidden region (keys, fixtures) is named in the release", { timeout: 60_000 }, () => {
  const names = new Set<string>();
  for (const r of hiddenRegions(ROOT)) {
    // Top-level declarations only (keys, fixtures); locals of a hidden test are not worth naming.
    for (const m of r.text.matchAll(
      /^(?:export\s+)?(?:async\s+)?(?:function|const|let|class)\s+([A-Za-z_$][\w$]{5,})/gm,
    ))
      names.add(m[1]!);
  }
  expect(names.size >= 5, `found ${[...names].join(", ")}`).toBeTruthy();
  const raw = walkFiles(OUT).map((f) => ({ rel: path.relative(OUT, f), text: fs.readFileSync(f, "utf8") }));
  const problems: string[] = [];
  for (const n of names) {
    const re = new RegExp(`\\b${n.replace(/\$/g, "\\$")}\\b`);
    const hits = raw.filter((f) => re.test(f.text)).map((f) => f.rel);
    if (hits.length) problems.push(`${n} (defined in a hidden region) is named in ${hits.join(", ")}`);
  }
  expect(problems).toStrictEqual([]);
});

it("the release type-checks on its own", { timeout: 240_000 }, () => {
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(OUT, "node_modules"), "dir");
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(OUT, "tsconfig.json"), "--noEmit"],
    { encoding: "utf8" },
  );
  expect(r.status, r.stdout + r.stderr).toBe(0);
});

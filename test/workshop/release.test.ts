/**
 * `wirelab release`: the student copy has no solutions and no hidden test anywhere (every hidden
 * region of the instructor's sources is searched for in every released file), notebooks have
 * their solution regions replaced, an existing folder is never overwritten without --force, and
 * the copy's own grade and test suite work and run public tests only.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { hiddenRegions, release, stripHidden, stripIpynb, stripNbMd, stripSolutions, walkFiles, fillTemplate } from "../../src/workshop/release";
import { main } from "../../src/cli/main";

const ROOT = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wl-release-test-"));
const OUT = path.join(tmp, "student");
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

test("stripHidden removes marked regions and names unbalanced markers by file:line", { timeout: 10_000 }, () => {
  const src = ["a", "  // wirelab:hidden-begin", "  secret1", "  // wirelab:hidden-end", "b", "// wirelab:hidden-begin", "secret2", "// wirelab:hidden-end"].join("\n");
  const r = stripHidden(src, "x.ts");
  assert.equal(r.regions.length, 2);
  assert.ok(!r.text.includes("secret"));
  assert.ok(r.text.startsWith("a\n"));
  assert.throws(() => stripHidden("x\n// wirelab:hidden-begin\ny", "f.ts"), /never closed.*f\.ts:2:1/);
  assert.throws(() => stripHidden("// wirelab:hidden-end", "g.ts"), /without a begin marker.*g\.ts:1:1/);
  assert.throws(() => stripHidden("// wirelab:hidden-begin\n// wirelab:hidden-begin\n", "h.ts"), /inside another.*h\.ts:2:1/);
});

test("solution regions in notebook code cells become a TODO prompt (sources and .ipynb)", { timeout: 10_000 }, () => {
  const code = "const a = 1;\n  // BEGIN SOLUTION\n  const key = modPow(g, x, p);\n  // END SOLUTION\nkey";
  const r = stripSolutions(code);
  assert.equal(r.count, 1);
  assert.equal(r.text, "const a = 1;\n  // TODO: write your code here\nkey");
  const md = "%% md slide\n# T\n// BEGIN SOLUTION\nnot code\n// END SOLUTION\n%% code\nx\n// BEGIN SOLUTION\nsecret()\n// END SOLUTION\n";
  const m = stripNbMd(md, "n.nb.md");
  assert.equal(m.count, 1, "only code cells are rewritten");
  assert.ok(m.text.includes("not code") && !m.text.includes("secret()"));
  const nb = JSON.stringify({ cells: [{ cell_type: "code", source: ["y\n", "// BEGIN SOLUTION\n", "secret()\n", "// END SOLUTION\n"], outputs: [{ output_type: "stream" }], execution_count: 3, metadata: {} }] });
  const j = stripIpynb(nb, "n.ipynb");
  const cell = JSON.parse(j.text).cells[0];
  assert.equal(j.count, 1);
  assert.equal(cell.source.join(""), "y\n// TODO: write your code here\n");
  assert.deepEqual(cell.outputs, []);
  assert.throws(() => stripSolutions("// BEGIN SOLUTION\nx", "c"), /never closed/);
  assert.throws(() => fillTemplate("{{nope}}", { a: "1" }, "t.md"), /unknown template placeholder.*nope.*t\.md:1/);
});

before(() => {
  release({ root: ROOT, out: OUT });
});

test("release refuses an existing folder without --force and replaces it with --force", { timeout: 60_000 }, async () => {
  const dir = path.join(tmp, "exists");
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "keep.txt"), "mine");
  const errs: string[] = [];
  const io = { out: () => undefined, err: (s: string) => errs.push(s), root: ROOT };
  assert.equal(await main(["release", "--out", dir], io), 2);
  assert.match(errs.join("\n"), /already exists.*--force/s);
  assert.equal(fs.readFileSync(path.join(dir, "keep.txt"), "utf8"), "mine");
  assert.equal(await main(["release", "--out", dir, "--force"], io), 0);
  assert.equal(fs.existsSync(path.join(dir, "keep.txt")), false);
  assert.ok(fs.existsSync(path.join(dir, "README.md")));
  assert.equal(await main(["release", "--out", ROOT, "--force"], io), 2, "the course folder itself is refused");
});

test("the release has no solutions, no compiled code, no instructor guide, and a student README", { timeout: 30_000 }, () => {
  assert.equal(fs.existsSync(path.join(OUT, "solutions")), false);
  assert.equal(fs.existsSync(path.join(OUT, "dist")), false);
  assert.equal(fs.existsSync(path.join(OUT, "docs", "workshop.md")), false);
  assert.equal(fs.existsSync(path.join(OUT, "bench")), false);
  const readme = fs.readFileSync(path.join(OUT, "README.md"), "utf8");
  assert.match(readme, /npm start/);
  assert.match(readme, /00-start-here\.ipynb/);
  assert.ok(!/\{\{\w+\}\}/.test(readme));
  for (const f of fs.readdirSync(path.join(ROOT, "exercises"), { recursive: true }) as string[]) {
    const src = path.join(ROOT, "exercises", f);
    if (fs.statSync(src).isFile()) assert.equal(fs.readFileSync(path.join(OUT, "exercises", f), "utf8"), fs.readFileSync(src, "utf8"), `stub ${f} copied as is`);
  }
  const nbs = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  for (const f of nbs) {
    assert.ok(fs.existsSync(path.join(OUT, "notebooks", f)), `${f} released`);
    assert.ok(!fs.readFileSync(path.join(OUT, "notebooks", f), "utf8").includes("BEGIN SOLUTION"), `${f} still holds a solution region`);
  }
});

test("no hidden test survives anywhere in the release (every region searched in every file)", { timeout: 60_000 }, () => {
  const regions = hiddenRegions(ROOT);
  assert.ok(regions.length > 0, "the course has hidden tests to look for");
  // Lines that occur in hidden regions only (not elsewhere in the shipped sources) are the hidden content.
  const shippedElsewhere = new Set<string>();
  for (const f of walkFiles(path.join(ROOT, "src")).filter((f) => f.endsWith(".ts"))) {
    for (const l of stripHidden(fs.readFileSync(f, "utf8"), f).text.split("\n")) shippedElsewhere.add(norm(l));
  }
  const files = walkFiles(OUT).map((f) => ({ f, text: fs.readFileSync(f, "utf8") }));
  const flat = files.map(({ f, text }) => ({ f, text: norm(text) }));
  assert.ok(files.length > 50);
  let uniqueLines = 0;
  for (const r of regions) {
    const body = norm(r.text);
    if (body.length === 0) continue;
    for (const { f, text } of flat) assert.ok(!text.includes(body), `hidden region ${r.file}:${r.line} found in ${path.relative(OUT, f)}`);
    for (const line of r.text.split("\n").map(norm)) {
      if (line.length < 12 || shippedElsewhere.has(line)) continue;
      uniqueLines++;
      for (const { f, text } of flat) assert.ok(!text.includes(line), `hidden line ${JSON.stringify(line)} (${r.file}:${r.line}) found in ${path.relative(OUT, f)}`);
    }
  }
  assert.ok(uniqueLines > regions.length, `searched ${uniqueLines} distinctive hidden lines`);
  for (const { f, text } of files) assert.ok(!/^\s*\/\/ wirelab:hidden-(begin|end)\s*$/m.test(text), `marker line left in ${f}`);
});

test("the release's own grade runs public tests only, and its own test suite passes", { timeout: 400_000 }, () => {
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(OUT, "node_modules"), "dir");
  // Its `wirelab grade --hidden --json` (through tsx: no build needed): every exercise reported, no hidden test anywhere.
  const g = spawnSync(process.execPath, ["--import", "tsx", "-e", 'require("./src/cli/main.ts").main(["grade", "--hidden", "--json"]).then((c) => process.exit(c === 2 ? 2 : 0))'], { cwd: OUT, encoding: "utf8", timeout: 300_000, maxBuffer: 64 << 20 });
  assert.equal(g.status, 0, `grade failed: ${g.stderr.slice(-2000)}`);
  const run = JSON.parse(g.stdout) as { reports: Array<{ id: string; hiddenSkipped: number; tests: Array<{ hidden: boolean }> }> };
  assert.ok(run.reports.length > 0);
  for (const r of run.reports) {
    assert.ok(r.tests.length > 0, `${r.id}: public tests ran`);
    assert.ok(r.tests.every((t) => !t.hidden), `${r.id}: a hidden test ran in the release`);
    assert.equal(r.hiddenSkipped, 0, `${r.id}: the release knows of hidden tests`);
  }
  // Its notebooks match their (solution-stripped) sources, as its npm test checks.
  const nb = spawnSync(process.execPath, ["scripts/nbbuild.js", "--check"], { cwd: OUT, encoding: "utf8", timeout: 60_000 });
  assert.equal(nb.status, 0, nb.stderr);
  // The cheap part of the release's own npm test: its student checks and hygiene (the notebook run is exercised by test/notebooks in the course).
  // (Its full-grade test is left out here by name: the grade above already ran every exercise.)
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const t = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=tap", "--test-name-pattern=^(?!grading runs)", "test/release/student.test.ts", "test/hygiene.test.ts"], { cwd: OUT, encoding: "utf8", timeout: 300_000, env });
  assert.equal(t.status, 0, `the release's tests failed:\n${t.stdout.slice(-3000)}\n${t.stderr.slice(-1000)}`);
  assert.match(t.stdout, /# pass [1-9]/);
  assert.match(t.stdout, /# fail 0/);
});

/**
 * `wirelab release`: the student copy has no solutions and no hidden test anywhere (every hidden
 * region of the instructor's sources is searched for in every released file), notebooks have
 * their solution regions replaced, an existing folder is never overwritten without --force, and
 * the copy's own grade and test suite work and run public tests only.
 */
import { withoutComments } from "../../src/grading/present";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { it, expect, beforeAll, afterAll } from "vitest";
import {
  hiddenRegions,
  release,
  stripHidden,
  stripIpynb,
  stripNbMd,
  stripSolutions,
  walkFiles,
  fillTemplate,
} from "../../src/workshop/release";
import { main } from "../../src/cli/main";

const ROOT = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wl-release-test-"));
const OUT = path.join(tmp, "student");
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

it("stripHidden removes marked regions and names unbalanced markers by file:line", { timeout: 10_000 }, () => {
  const src = [
    "a",
    "  // wirelab:hidden-begin",
    "  secret1",
    "  // wirelab:hidden-end",
    "b",
    "// wirelab:hidden-begin",
    "secret2",
    "// wirelab:hidden-end",
  ].join("\n");
  const r = stripHidden(src, "x.ts");
  expect(r.regions.length).toBe(2);
  expect(!r.text.includes("secret")).toBeTruthy();
  expect(r.text.startsWith("a\n")).toBeTruthy();
  expect(() => stripHidden("x\n// wirelab:hidden-begin\ny", "f.ts")).toThrow(/never closed.*f\.ts:2:1/);
  expect(() => stripHidden("// wirelab:hidden-end", "g.ts")).toThrow(/without a begin marker.*g\.ts:1:1/);
  expect(() => stripHidden("// wirelab:hidden-begin\n// wirelab:hidden-begin\n", "h.ts")).toThrow(
    /inside another.*h\.ts:2:1/,
  );
});

it("solution regions in notebook code cells become a TODO prompt (sources and .ipynb)", { timeout: 10_000 }, () => {
  const code = "const a = 1;\n  // BEGIN SOLUTION\n  const key = modPow(g, x, p);\n  // END SOLUTION\nkey";
  const r = stripSolutions(code);
  expect(r.count).toBe(1);
  expect(r.text).toBe("const a = 1;\n  // TODO: write your code here\nkey");
  const md =
    "%% md slide\n# T\n// BEGIN SOLUTION\nnot code\n// END SOLUTION\n%% code\nx\n// BEGIN SOLUTION\nsecret()\n// END SOLUTION\n";
  const m = stripNbMd(md, "n.nb.md");
  expect(m.count, "only code cells are rewritten").toBe(1);
  expect(m.text.includes("not code") && !m.text.includes("secret()")).toBeTruthy();
  const nb = JSON.stringify({
    cells: [
      {
        cell_type: "code",
        source: ["y\n", "// BEGIN SOLUTION\n", "secret()\n", "// END SOLUTION\n"],
        outputs: [{ output_type: "stream" }],
        execution_count: 3,
        metadata: {},
      },
    ],
  });
  const j = stripIpynb(nb, "n.ipynb");
  const cell = JSON.parse(j.text).cells[0];
  expect(j.count).toBe(1);
  expect(cell.source.join("")).toBe("y\n// TODO: write your code here\n");
  expect(cell.outputs).toStrictEqual([]);
  expect(() => stripSolutions("// BEGIN SOLUTION\nx", "c")).toThrow(/never closed/);
  expect(() => fillTemplate("{{nope}}", { a: "1" }, "t.md")).toThrow(/unknown template placeholder.*nope.*t\.md:1/);
});

beforeAll(() => {
  release({ root: ROOT, out: OUT });
});

it("release refuses an existing folder without --force and replaces it with --force", { timeout: 60_000 }, async () => {
  const dir = path.join(tmp, "exists");
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "keep.txt"), "mine");
  const errs: string[] = [];
  const io = { out: () => undefined, err: (s: string) => errs.push(s), root: ROOT };
  expect(await main(["release", "--out", dir], io)).toBe(2);
  expect(errs.join("\n")).toMatch(/already exists.*--force/s);
  expect(fs.readFileSync(path.join(dir, "keep.txt"), "utf8")).toBe("mine");
  expect(await main(["release", "--out", dir, "--force"], io)).toBe(0);
  expect(fs.existsSync(path.join(dir, "keep.txt"))).toBe(false);
  expect(fs.existsSync(path.join(dir, "README.md"))).toBeTruthy();
  expect(await main(["release", "--out", ROOT, "--force"], io), "the course folder itself is refused").toBe(2);
});

it(
  "the release has no solutions, no compiled code, no instructor guide, and a student README",
  { timeout: 30_000 },
  () => {
    expect(fs.existsSync(path.join(OUT, "solutions"))).toBe(false);
    expect(fs.existsSync(path.join(OUT, "dist"))).toBe(false);
    expect(fs.existsSync(path.join(OUT, "docs", "workshop.md"))).toBe(false);
    expect(fs.existsSync(path.join(OUT, "bench"))).toBe(false);
    const readme = fs.readFileSync(path.join(OUT, "README.md"), "utf8");
    expect(readme).toMatch(/npm start/);
    expect(readme).toMatch(/00-start-here\.ipynb/);
    expect(!/\{\{\w+\}\}/.test(readme)).toBeTruthy();
    for (const f of fs.readdirSync(path.join(ROOT, "exercises"), { recursive: true }) as string[]) {
      const src = path.join(ROOT, "exercises", f);
      if (!fs.statSync(src).isFile()) continue;
      // The code is copied as is; the generated comments state the points (hidden ones announced).
      const rel = `exercises/${f}`;
      const copy = fs.readFileSync(path.join(OUT, "exercises", f), "utf8");
      expect(withoutComments(copy, rel), `stub ${f} copied as is`).toBe(
        withoutComments(fs.readFileSync(src, "utf8"), rel),
      );
    }
    const nbs = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
    // Exercise headings announce the instructor's points (hidden included), though the hidden tests stay out.
    const headings = (file: string) => fs.readFileSync(file, "utf8").match(/### Exercises? [^\n"]*/g) ?? [];
    let withHidden = 0;
    for (const f of nbs) {
      const mine = headings(path.join(ROOT, "notebooks", f));
      expect(headings(path.join(OUT, "notebooks", f)), `${f}: exercise headings`).toStrictEqual(mine);
      withHidden += mine.filter((h) => /public \+ \d+ hidden/.test(h)).length;
    }
    expect(withHidden, "no heading announces hidden points").toBeGreaterThan(5);
    for (const f of nbs) {
      expect(fs.existsSync(path.join(OUT, "notebooks", f)), `${f} released`).toBeTruthy();
      expect(
        !fs.readFileSync(path.join(OUT, "notebooks", f), "utf8").includes("BEGIN SOLUTION"),
        `${f} still holds a solution region`,
      ).toBeTruthy();
    }
  },
);

it("no hidden test survives anywhere in the release (every region searched in every file)", { timeout: 60_000 }, () => {
  const regions = hiddenRegions(ROOT);
  expect(regions.length > 0, "the course has hidden tests to look for").toBeTruthy();
  // Lines that occur in hidden regions only (not elsewhere in the shipped sources) are the hidden content.
  // A hidden line that is also part of a shipped line (a call spread over lines, `kangarooCase(`) is not hidden content either.
  const shippedElsewhere = new Set<string>();
  const shippedText: string[] = [];
  for (const f of walkFiles(path.join(ROOT, "src")).filter((f) => f.endsWith(".ts"))) {
    for (const l of stripHidden(fs.readFileSync(f, "utf8"), f).text.split("\n")) {
      shippedElsewhere.add(norm(l));
      shippedText.push(norm(l));
    }
  }
  const shippedJoined = shippedText.join("\n");
  const files = walkFiles(OUT).map((f) => ({ f, text: fs.readFileSync(f, "utf8") }));
  const flat = files.map(({ f, text }) => ({ f, text: norm(text) }));
  expect(files.length > 50).toBeTruthy();
  let uniqueLines = 0;
  for (const r of regions) {
    const body = norm(r.text);
    if (body.length === 0) continue;
    for (const { f, text } of flat)
      expect(!text.includes(body), `hidden region ${r.file}:${r.line} found in ${path.relative(OUT, f)}`).toBeTruthy();
    for (const line of r.text.split("\n").map(norm)) {
      if (line.length < 12 || shippedElsewhere.has(line) || shippedJoined.includes(line)) continue;
      uniqueLines++;
      for (const { f, text } of flat)
        expect(
          !text.includes(line),
          `hidden line ${JSON.stringify(line)} (${r.file}:${r.line}) found in ${path.relative(OUT, f)}`,
        ).toBeTruthy();
    }
  }
  expect(uniqueLines > regions.length, `searched ${uniqueLines} distinctive hidden lines`).toBeTruthy();
  for (const { f, text } of files)
    expect(!/^\s*\/\/ wirelab:hidden-(begin|end)\s*$/m.test(text), `marker line left in ${f}`).toBeTruthy();
});

it("the release's own grade runs public tests only, and its own test suite passes", { timeout: 400_000 }, () => {
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(OUT, "node_modules"), "dir");
  // Its `wirelab grade --hidden --json` (through tsx: no build needed): every exercise reported, no hidden test anywhere.
  const g = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      'require("./src/cli/main.ts").main(["grade", "--hidden", "--json"]).then((c) => process.exit(c === 2 ? 2 : 0))',
    ],
    { cwd: OUT, encoding: "utf8", timeout: 300_000, maxBuffer: 64 << 20 },
  );
  expect(g.status, `grade failed: ${g.stderr.slice(-2000)}`).toBe(0);
  const run = JSON.parse(g.stdout) as {
    reports: Array<{ id: string; hiddenSkipped: number; tests: Array<{ hidden: boolean }> }>;
  };
  expect(run.reports.length > 0).toBeTruthy();
  for (const r of run.reports) {
    expect(r.tests.length > 0, `${r.id}: public tests ran`).toBeTruthy();
    expect(
      r.tests.every((t) => !t.hidden),
      `${r.id}: a hidden test ran in the release`,
    ).toBeTruthy();
    expect(r.hiddenSkipped, `${r.id}: the release knows of hidden tests`).toBe(0);
  }
  // Its notebooks match their (solution-stripped) sources, as its npm test checks.
  const nb = spawnSync(process.execPath, ["scripts/nbbuild.js", "--check"], {
    cwd: OUT,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(nb.status, nb.stderr).toBe(0);
  // The cheap part of the release's own npm test: its student checks and hygiene (the notebook run is exercised by test/notebooks in the course).
  // (Its full-grade test is left out here by name: the grade above already ran every exercise.)
  // A nested vitest must not think it runs inside this one: drop the variables vitest sets for its workers.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|TEST$|NODE_TEST_CONTEXT$)/.test(k)) env[k] = v;
  const report = path.join(tmp, "release-tests.json");
  const t = spawnSync(
    process.execPath,
    [
      path.join("node_modules", "vitest", "vitest.mjs"),
      "run",
      "--maxWorkers=1",
      "--reporter=json",
      `--outputFile=${report}`,
      "--testNamePattern=^(?!grading runs)",
      "test/release/student.test.ts",
      "test/hygiene.test.ts",
    ],
    { cwd: OUT, encoding: "utf8", timeout: 300_000, env },
  );
  expect(t.status, `the release's tests failed:\n${t.stdout.slice(-3000)}\n${t.stderr.slice(-1000)}`).toBe(0);
  const res = JSON.parse(fs.readFileSync(report, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numTotalTestSuites: number;
    testResults: Array<{ name: string }>;
  };
  expect(res.testResults.map((f) => path.relative(OUT, f.name)).sort()).toStrictEqual([
    "test/hygiene.test.ts",
    "test/release/student.test.ts",
  ]);
  expect(res.numPassedTests).toBeGreaterThan(0);
  expect(res.numFailedTests).toBe(0);
});

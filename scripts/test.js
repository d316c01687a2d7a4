#!/usr/bin/env node
/*
 * `npm test`: the one test command (README, .ci/run).
 *  1. installs what is missing (node modules, the .venv with JupyterLab, the kernelspec) and
 *     type-checks + builds the library (a type error fails the run);
 *  2. checks that every committed notebook equals the build of its source and has no outputs, and
 *     lints: ESLint (eslint.config.mjs) and Prettier's check (.prettierrc.json);
 *  3. runs the tests with vitest (vitest.config.mts: each test with a time limit, the files that
 *     share a resource one at a time, the rest two at a time); the notebook test executes every
 *     notebook headless with the wirelab kernel. Reports: artifacts/junit.xml (JUnit) and
 *     artifacts/test-results.json.
 * Options: node scripts/test.js [test files or folders…]  (default: every test; vitest filters)
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
process.chdir(root);

function step(title, cmd, args, opts = {}) {
  process.stderr.write(`\n=== ${title}\n`);
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  if (r.status !== 0) {
    process.stderr.write(`\n${title}: failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
}

const targets = process.argv.slice(2);
step("setup (node modules, .venv with JupyterLab, kernelspec)", process.execPath, ["bin/wirelab.js", "setup"]);
step("type-check and build the library", process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]);
fs.writeFileSync(path.join(root, "dist", ".build-stamp"), new Date().toISOString() + "\n");
step("notebooks match their sources", process.execPath, ["scripts/nbbuild.js", "--check"]);
step("lint (ESLint)", process.execPath, ["node_modules/eslint/bin/eslint.js", "."]);
step("format check (Prettier)", process.execPath, [
  "node_modules/prettier/bin/prettier.cjs",
  "--check",
  "--log-level",
  "warn",
  "src/**/*.ts",
  "test/**/*.ts",
  "bench/**/*.ts",
  "scripts/**/*.js",
  "bin/**/*.js",
]);
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const junit = path.join(root, "artifacts", "junit.xml");
const json = path.join(root, "artifacts", "test-results.json");
fs.mkdirSync(path.dirname(junit), { recursive: true });
for (const f of [junit, json]) fs.rmSync(f, { force: true });
process.stderr.write(`\n=== tests (vitest${targets.length ? ": " + targets.join(" ") : ""})\n`);
// vitest.config.mts holds the rest: which files, per-test limits, 2 files at once, one per shared resource.
const r = spawnSync(
  process.execPath,
  [
    vitest,
    "run",
    "--reporter=default",
    "--reporter=junit",
    `--outputFile.junit=${junit}`,
    "--reporter=json",
    `--outputFile.json=${json}`,
    ...targets,
  ],
  { stdio: "inherit", cwd: root, env: { ...process.env, WIRELAB_TEST: "1" } },
);
// One plain closing line, counted from vitest's JSON report. A file that fails before its tests
// run (an import error) counts as one failed test, so it is never silently lost.
let passed = 0;
let failed = 1;
let skipped = 0;
if (fs.existsSync(json)) {
  const res = JSON.parse(fs.readFileSync(json, "utf8"));
  passed = res.numPassedTests;
  skipped = res.numPendingTests + res.numTodoTests;
  failed =
    res.numFailedTests +
    res.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"))
      .length;
}
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);

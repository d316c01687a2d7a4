#!/usr/bin/env node
/*
 * `npm test`: the one test command (README, .ci/run).
 *  1. installs what is missing (node modules, the .venv with JupyterLab, the kernelspec) and
 *     type-checks + builds the library (a type error fails the run);
 *  2. checks that every committed notebook equals the build of its source and has no outputs;
 *  3. runs every test file (node:test, TypeScript through tsx), each test with a time limit; the
 *     notebook test executes every notebook headless with the wirelab kernel.
 * Options: node scripts/test.js [test files or folders…]  (default: test/)
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

function testFiles(targets) {
  const out = [];
  const walk = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) if (e !== "fixtures" && e !== "node_modules") walk(path.join(p, e));
    } else if (p.endsWith(".test.ts")) out.push(p);
  };
  for (const t of targets) walk(t);
  return out;
}

const targets = process.argv.slice(2);
step("setup (node modules, .venv with JupyterLab, kernelspec)", process.execPath, ["bin/wirelab.js", "setup"]);
step("type-check and build the library", process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]);
fs.writeFileSync(path.join(root, "dist", ".build-stamp"), new Date().toISOString() + "\n");
step("notebooks match their sources", process.execPath, ["scripts/nbbuild.js", "--check"]);
const files = testFiles(targets.length ? targets : ["test"]);
if (files.length === 0) {
  process.stderr.write("no test files found\n");
  process.exit(1);
}
const tap = path.join(root, "artifacts", "test-results.tap");
fs.mkdirSync(path.dirname(tap), { recursive: true });
process.stderr.write(`\n=== tests (${files.length} files)\n`);
const r = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=600000",
   "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap", `--test-reporter-destination=${tap}`, ...files],
  { stdio: "inherit", cwd: root, env: { ...process.env, WIRELAB_TEST: "1" } },
);
// One plain closing line, counted from the TAP summary.
const text = fs.existsSync(tap) ? fs.readFileSync(tap, "utf8") : "";
const count = (k) => Number((new RegExp(`^# ${k} (\\d+)$`, "m").exec(text) || [])[1] || 0);
const passed = count("pass"), failed = count("fail") + count("cancelled"), skipped = count("skipped") + count("todo");
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);

#!/usr/bin/env node
/*
 * The `wirelab` command. Builds the library (src/ → dist/) when dist/ is missing or older than a
 * source file, then hands over to dist/cli/main.js. Plain JavaScript so it runs before any build.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const stamp = path.join(root, "dist", ".build-stamp");

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Installs node modules (npm ci) when they are missing or older than package-lock.json. */
function ensureNodeModules() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs - 1000) return;
  process.stderr.write("wirelab: installing node modules (npm ci)…\n");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error("wirelab: `npm ci` failed (see above). Check your access to the npm registry and run it again.");
    process.exit(2);
  }
}

function ensureBuilt() {
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const tsconfig = path.join(root, "tsconfig.json");
  if (built > newestMtime(path.join(root, "src")) && built > fs.statSync(tsconfig).mtimeMs) return;
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  if (!fs.existsSync(tsc)) {
    console.error(
      "wirelab: node modules are not installed. Run `npm install` (or `npm start`, which installs everything) in " +
        root,
    );
    process.exit(2);
  }
  process.stderr.write("wirelab: building the library (src/ → dist/)…\n");
  const r = spawnSync(process.execPath, [tsc, "-p", tsconfig], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error("wirelab: the TypeScript build failed (see above).");
    process.exit(2);
  }
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, new Date().toISOString() + "\n");
}

ensureNodeModules();
ensureBuilt();
require(path.join(root, "dist", "cli", "main.js"))
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));

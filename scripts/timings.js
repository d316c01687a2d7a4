#!/usr/bin/env node
/*
 * Prints how long each notebook takes by the stated timing model (src/workshop/timing.ts):
 * reading at 200 words a minute, half a minute per code cell, 1–2 minutes per value or choice
 * exercise, 3–5 per predict table, 8–15 per code or fix exercise, plus each lab's stated minutes.
 * Usage: node scripts/timings.js [--json]   (needs the build in dist/: npx tsc -p .)
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const { notebookTiming, timingTable } = require(path.join(ROOT, "dist/workshop/timing.js"));
const { allExercises } = require(path.join(ROOT, "dist/grading/registry.js"));

const exercises = allExercises().map((r) => r.exercise);
const dir = path.join(ROOT, "course");
const rows = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".nb.md"))
  .sort()
  .map((f) => notebookTiming(f, fs.readFileSync(path.join(dir, f), "utf8"), exercises));
if (process.argv.includes("--json")) console.log(JSON.stringify(rows, null, 2));
else console.log(timingTable(rows));

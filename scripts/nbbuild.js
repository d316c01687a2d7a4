#!/usr/bin/env node
/*
 * Builds committed notebooks (notebooks/NN-name.ipynb, no outputs) from their diffable sources
 * (course/NN-name.nb.md), through the one notebook-format module src/jupyter/nbformat.ts
 * (loaded with tsx). A source is a sequence of cells, each introduced by a line
 *
 *   %% md [slide_type]      Markdown cell
 *   %% code [slide_type]    TypeScript code cell
 *   %% notes                speaker notes (Markdown, slide_type "notes")
 *   %% exercise ID… [slide_type]   an exercise (or a group shown together), generated from its
 *                           spec in src/<topic>/exercises.ts: heading with the grader's points,
 *                           the text under the line (the notebook's lead-in, optional), the
 *                           prompt(s), and one check cell each (see src/grading/present.ts)
 *
 * slide_type is one of slide, subslide, fragment, skip, notes, "-" (default "-").
 * Usage: node scripts/nbbuild.js [--check] [sources…]   (default: every course/*.nb.md)
 * --check exits 1 if a committed .ipynb differs from what its source builds, or an answer file's
 * header comment (exercises/…) differs from its spec (used by npm test); without --check both are
 * rewritten.
 * This is an authoring tool for the course's maintainers; learners never run it.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

let tsxOn = false;
/** The course's TypeScript modules, loaded from src/ through tsx. */
function load(rel) {
  if (!tsxOn) {
    require("tsx/cjs/api").register();
    tsxOn = true;
  }
  return require(path.join(ROOT, "src", ...rel.split("/")));
}

/** The one notebook-format module (src/jupyter/nbformat.ts): .ipynb and .nb.md. */
function nbformat() {
  return load("jupyter/nbformat.ts");
}

/** A notebook source's cells in nbformat (see the .nb.md section of src/jupyter/nbformat.ts). */
function parseSource(text, file) {
  return nbformat().parseNbMd(text, file, exerciseSourceCells);
}

let specs;
/** The course's exercise specs and their presentation, loaded from src/ through tsx. */
function course() {
  if (!specs) {
    const registry = load("grading/registry.ts");
    const present = load("grading/present.ts");
    specs = { all: registry.allExercises().map((r) => r.exercise), present };
  }
  return specs;
}

/** The source cells an `%% exercise ID…` line (and the lead-in text under it) stands for. */
function exerciseSourceCells(ids, slide, where, lead) {
  const { all, present } = course();
  return present.exerciseSourceCells(all, ids, slide, where, lead);
}

/** Answer files whose header comment is generated from the specs: path → current and expected text. */
function answerHeaders() {
  const { all, present } = course();
  return present.answerFilesOf(all).map(({ file, exercises }) => {
    const abs = path.join(ROOT, file);
    if (!fs.existsSync(abs))
      throw new Error(`${file}: answer file named by ${exercises.map((e) => e.id).join(", ")} is missing`);
    const text = fs.readFileSync(abs, "utf8");
    return { file, text, expected: present.withGeneratedComments(text, exercises, file) };
  });
}

function buildNotebook(srcFile) {
  const text = fs.readFileSync(srcFile, "utf8");
  return nbformat().nbMdToIpynb(
    text,
    path.relative(ROOT, srcFile),
    path.basename(srcFile, ".nb.md"),
    exerciseSourceCells,
  );
}

function main(argv) {
  const check = argv.includes("--check");
  let files = argv.filter((a) => !a.startsWith("--"));
  const srcDir = path.join(ROOT, "course");
  const explicit = files.length > 0;
  if (files.length === 0)
    files = fs
      .readdirSync(srcDir)
      .filter((f) => f.endsWith(".nb.md"))
      .sort()
      .map((f) => path.join(srcDir, f));
  let bad = 0;
  for (const f of files) {
    const out = path.join(ROOT, "notebooks", path.basename(f).replace(/\.nb\.md$/, ".ipynb"));
    const built = buildNotebook(path.resolve(f));
    const current = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : null;
    if (check) {
      if (current !== built) {
        console.error(
          `notebook out of date with its source: ${path.relative(ROOT, out)} (run: node scripts/nbbuild.js ${path.relative(ROOT, f)})`,
        );
        bad++;
      }
      continue;
    }
    if (current === built) continue;
    fs.writeFileSync(out, built);
    console.log(`built ${path.relative(ROOT, out)}`);
  }
  if (!explicit) {
    for (const h of answerHeaders()) {
      if (h.text === h.expected) continue;
      if (check) {
        console.error(
          `answer file header out of date with its exercise spec: ${h.file} (run: node scripts/nbbuild.js)`,
        );
        bad++;
      } else {
        fs.writeFileSync(path.join(ROOT, h.file), h.expected);
        console.log(`updated the header of ${h.file}`);
      }
    }
  }
  process.exit(bad ? 1 : 0);
}

if (require.main === module) main(process.argv.slice(2));
module.exports = { parseSource, buildNotebook, answerHeaders };

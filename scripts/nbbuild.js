#!/usr/bin/env node
/*
 * Builds committed notebooks (notebooks/NN-name.ipynb, no outputs) from their diffable sources
 * (notebooks/src/NN-name.nb.md). A source is a sequence of cells, each introduced by a line
 *
 *   %% md [slide_type]      Markdown cell
 *   %% code [slide_type]    TypeScript code cell
 *   %% notes                speaker notes (Markdown, slide_type "notes")
 *
 * slide_type is one of slide, subslide, fragment, skip, notes, "-" (default "-").
 * Usage: node scripts/nbbuild.js [--check] [sources…]   (default: every notebooks/src/*.nb.md)
 * --check exits 1 if a committed .ipynb differs from what its source builds (used by npm test).
 * This is an authoring tool for the course's maintainers; learners never run it.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const SLIDE_TYPES = new Set(["slide", "subslide", "fragment", "skip", "notes", "-"]);

function parseSource(text, file) {
  const lines = text.split("\n");
  const cells = [];
  let cur = null;
  lines.forEach((line, i) => {
    const m = /^%% (md|code|notes)(?: +(\S+))?\s*$/.exec(line);
    if (m) {
      const slide = m[1] === "notes" ? "notes" : m[2] || "-";
      if (!SLIDE_TYPES.has(slide)) throw new Error(`${file}:${i + 1}: unknown slide type ${JSON.stringify(slide)} (use slide, subslide, fragment, skip, notes or -)`);
      cur = { kind: m[1], slide, lines: [] };
      cells.push(cur);
      return;
    }
    if (line.startsWith("%%")) throw new Error(`${file}:${i + 1}: unknown cell marker ${JSON.stringify(line)} (use "%% md", "%% code" or "%% notes")`);
    if (!cur) {
      if (line.trim() === "") return;
      throw new Error(`${file}:${i + 1}: text before the first cell marker`);
    }
    cur.lines.push(line);
  });
  return cells.map((c) => {
    while (c.lines.length && c.lines[c.lines.length - 1].trim() === "") c.lines.pop();
    while (c.lines.length && c.lines[0].trim() === "") c.lines.shift();
    const source = c.lines.map((l, i) => (i < c.lines.length - 1 ? l + "\n" : l));
    const metadata = { slideshow: { slide_type: c.slide } };
    if (c.kind === "code") return { cell_type: "code", execution_count: null, metadata, outputs: [], source };
    return { cell_type: "markdown", metadata, source };
  });
}

function buildNotebook(srcFile) {
  const text = fs.readFileSync(srcFile, "utf8");
  const cells = parseSource(text, path.relative(ROOT, srcFile));
  cells.forEach((c, i) => (c.id = `${path.basename(srcFile, ".nb.md")}-${i}`.replace(/[^A-Za-z0-9-_]/g, "-")));
  const nb = {
    cells,
    metadata: {
      kernelspec: { display_name: "TypeScript (wirelab)", language: "typescript", name: "wirelab" },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", codemirror_mode: { mode: "typescript", name: "javascript", typescript: true } },
      rise: { autolaunch: false, scroll: true, enable_chalkboard: false, transition: "none" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return JSON.stringify(nb, null, 1) + "\n";
}

function main(argv) {
  const check = argv.includes("--check");
  let files = argv.filter((a) => !a.startsWith("--"));
  const srcDir = path.join(ROOT, "notebooks", "src");
  if (files.length === 0) files = fs.readdirSync(srcDir).filter((f) => f.endsWith(".nb.md")).sort().map((f) => path.join(srcDir, f));
  let bad = 0;
  for (const f of files) {
    const out = path.join(ROOT, "notebooks", path.basename(f).replace(/\.nb\.md$/, ".ipynb"));
    const built = buildNotebook(path.resolve(f));
    const current = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : null;
    if (check) {
      if (current !== built) {
        console.error(`notebook out of date with its source: ${path.relative(ROOT, out)} (run: node scripts/nbbuild.js ${path.relative(ROOT, f)})`);
        bad++;
      }
      continue;
    }
    if (current === built) continue;
    fs.writeFileSync(out, built);
    console.log(`built ${path.relative(ROOT, out)}`);
  }
  process.exit(bad ? 1 : 0);
}

if (require.main === module) main(process.argv.slice(2));
module.exports = { parseSource, buildNotebook };

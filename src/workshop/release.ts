/**
 * The student release: a copy of the course a learner runs on their own machine, with nothing an
 * instructor keeps back.
 *
 * What goes in: the library sources (src/, with every hidden-test region between the exact lines
 * `// wirelab:hidden-begin` and `// wirelab:hidden-end` deleted), the learner stubs (exercises/),
 * the notebooks (code between `// BEGIN SOLUTION` and `// END SOLUTION` replaced by a TODO prompt,
 * in both the .nb.md sources and the built .ipynb), labs/, the topic docs, the tooling (bin/,
 * scripts/, package files), a README for students, and a test suite that needs neither solutions
 * nor the instructor's oracles (`releaseTests`). What stays out: solutions/, dist/ (compiled
 * hidden tests), test/ except the release tests, bench/, the instructor guide, anything built or
 * installed. An existing output folder is never overwritten without `force`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError, ParseError } from "../util/errors";
import { prepareOutputFolder } from "../util/outpath";
import {
  joinNbMd,
  looseSource,
  nbMdToIpynb,
  parseLooseNotebook,
  splitNbMd,
  type ExerciseExpander,
} from "../jupyter/nbformat";
import { answerFilesOf, exerciseSourceCells, withGeneratedComments } from "../grading/present";
import { allExercises, WITHHELD_FILE } from "../grading/registry";
import { totalPoints } from "../grading/spec";

export const HIDDEN_BEGIN = "// wirelab:hidden-begin";
export const HIDDEN_END = "// wirelab:hidden-end";
export const SOLUTION_BEGIN = "// BEGIN SOLUTION";
export const SOLUTION_END = "// END SOLUTION";
export const TODO_PROMPT = "// TODO: write your code here";

/** Top-level entries copied into a release (when present). */
export const RELEASE_ENTRIES = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "vitest.config.mts",
  "requirements.txt",
  ".gitignore",
  "LICENSE",
  "bin",
  "scripts",
  "src",
  "notebooks",
  "course",
  "exercises",
  "labs",
  "docs",
  "binder",
  "templates",
];

/** Paths (relative, forward slashes) never copied even under a released entry. */
export const RELEASE_EXCLUDE = ["docs/workshop.md"];

/** The release's test suite: files of the course's test/ that need no solutions and no oracles. */
export const RELEASE_TESTS = ["test/hygiene.test.ts", "test/notebooks/execute.test.ts"];

/** What the release's tests need to run under vitest.config.mts (its scheduler), copied with them. */
export const RELEASE_TEST_SUPPORT = ["test/vitest/slots-server.ts", "test/vitest/slots-setup.ts"];

export interface HiddenRegion {
  file: string;
  /** 1-based line of the begin marker. */
  line: number;
  text: string;
}

/**
 * Splits a source into the text without hidden regions and the regions themselves. Unbalanced markers throw with
 * file:line.
 */
export function stripHidden(text: string, file = "<source>"): { text: string; regions: HiddenRegion[] } {
  const lines = text.split("\n");
  const out: string[] = [];
  const regions: HiddenRegion[] = [];
  let open: { line: number; body: string[] } | null = null;
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === HIDDEN_BEGIN) {
      if (open)
        throw new ParseError("a hidden-test region opens inside another one", {
          location: { file, line: i + 1, column: 1 },
        });
      open = { line: i + 1, body: [] };
      out.push(line.replace(HIDDEN_BEGIN, "// (hidden tests run when your instructor grades)"));
      return;
    }
    if (t === HIDDEN_END) {
      if (!open)
        throw new ParseError("a hidden-test region ends without a begin marker", {
          location: { file, line: i + 1, column: 1 },
        });
      const o: { line: number; body: string[] } = open;
      regions.push({ file, line: o.line, text: o.body.join("\n") });
      open = null;
      return;
    }
    if (open) (open as { body: string[] }).body.push(line);
    else out.push(line);
  });
  if (open)
    throw new ParseError("a hidden-test region is never closed", {
      location: { file, line: (open as { line: number }).line, column: 1 },
    });
  return { text: out.join("\n"), regions };
}

/** Replaces `// BEGIN SOLUTION` … `// END SOLUTION` blocks in code with an indented TODO prompt. */
export function stripSolutions(code: string, file = "<cell>"): { text: string; count: number } {
  const lines = code.split("\n");
  const out: string[] = [];
  let inside = -1;
  let count = 0;
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith(SOLUTION_BEGIN)) {
      if (inside >= 0)
        throw new ParseError("a solution region opens inside another one", {
          location: { file, line: i + 1, column: 1 },
        });
      inside = i;
      count++;
      out.push(`${line.slice(0, line.indexOf("//"))}${TODO_PROMPT}`);
      return;
    }
    if (t.startsWith(SOLUTION_END)) {
      if (inside < 0)
        throw new ParseError("a solution region ends without a begin marker", {
          location: { file, line: i + 1, column: 1 },
        });
      inside = -1;
      return;
    }
    if (inside < 0) out.push(line);
  });
  if (inside >= 0)
    throw new ParseError("a solution region is never closed", { location: { file, line: inside + 1, column: 1 } });
  return { text: out.join("\n"), count };
}

/** Applies stripSolutions to the code cells of a notebook source (`%% code` blocks of a .nb.md). */
export function stripNbMd(text: string, file: string): { text: string; count: number } {
  let count = 0;
  const blocks = splitNbMd(text).map((b) => {
    if (b.kind !== "code") return b;
    const r = stripSolutions(b.body.join("\n"), `${file}:${b.line + 1}`);
    count += r.count;
    return { ...b, body: r.text.split("\n") };
  });
  return { text: joinNbMd(blocks), count };
}

/** Applies stripSolutions to an .ipynb's code cells (for notebooks that have no .nb.md source); clears outputs. */
export function stripIpynb(json: string, file: string): { text: string; count: number } {
  const nb = parseLooseNotebook(json, file);
  let count = 0;
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    const r = stripSolutions(looseSource(c), `${file} cell ${i + 1}`);
    count += r.count;
    const lines = r.text.split("\n");
    c.source = lines.map((l, k) => (k < lines.length - 1 ? l + "\n" : l));
    c.outputs = [];
    c.execution_count = null;
  });
  return { text: JSON.stringify(nb, null, 1) + "\n", count };
}

/** Every hidden-test region in a course's src/ (what the release must not contain). */
export function hiddenRegions(root: string): HiddenRegion[] {
  const out: HiddenRegion[] = [];
  for (const f of walkFiles(path.join(root, "src"))) {
    if (!f.endsWith(".ts")) continue;
    const text = fs.readFileSync(f, "utf8");
    if (!text.includes(HIDDEN_BEGIN)) continue;
    out.push(...stripHidden(text, path.relative(root, f)).regions);
  }
  return out;
}

/** Files under a folder (recursively, sorted), skipping node_modules and symbolic links. */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === "node_modules" || e.name === ".ipynb_checkpoints") continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Prepares an output folder through the shared guard (src/util/outpath.ts): never inside the
 * course's notebooks/, exercises/, solutions/ or src/, never the course or a parent of it, an
 * existing non-empty folder only with `force` (emptied, never a folder holding a course).
 */
export function prepareOut(out: string, opts: { force?: boolean; root: string; what: string; where?: string }): void {
  prepareOutputFolder(out, { root: opts.root, force: opts.force, where: opts.where ?? "--out" });
}

export interface ReleaseOptions {
  root: string;
  out: string;
  force?: boolean;
  /** Student README template (default: templates/student-README.md in the course). */
  readmeTemplate?: string;
  log?: (line: string) => void;
}

export interface ReleaseReport {
  out: string;
  files: number;
  hiddenRegionsRemoved: number;
  solutionRegionsReplaced: number;
  notebooks: string[];
  tests: string[];
}

/** Copies a file keeping its modification time (bin/wirelab.js compares times to decide what to rebuild). */
function copyFile(src: string, dst: string): void {
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.copyFileSync(src, dst);
  const st = fs.statSync(src);
  fs.utimesSync(dst, st.atime, st.mtime);
}

/** Fills `{{name}}` placeholders; an unknown placeholder is an error naming it. */
export function fillTemplate(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_m, k: string, offset: number) => {
    if (!(k in values)) {
      const line = text.slice(0, offset).split("\n").length;
      throw new InputError("unknown template placeholder", {
        value: `{{${k}}}`,
        location: { file, line },
        hint: `Known: ${Object.keys(values).join(", ")}`,
      });
    }
    return values[k]!;
  });
}

/** Builds the student release. */
export function release(opts: ReleaseOptions): ReleaseReport {
  const root = path.resolve(opts.root);
  const out = path.resolve(opts.out);
  const log = opts.log ?? (() => undefined);
  prepareOut(out, { force: opts.force, root, what: "release" });
  let files = 0;
  let hidden = 0;
  let solutions = 0;
  const rel = (p: string) => path.relative(root, p).split(path.sep).join("/");
  const nbSources = new Set<string>();

  for (const entry of RELEASE_ENTRIES) {
    const src = path.join(root, entry);
    if (!fs.existsSync(src)) continue;
    const list = fs.statSync(src).isDirectory() ? walkFiles(src) : [src];
    for (const f of list) {
      const r = rel(f);
      if (RELEASE_EXCLUDE.includes(r)) continue;
      if (f.startsWith(out + path.sep)) continue;
      const dst = path.join(out, r);
      if (r.startsWith("src/") && f.endsWith(".ts")) {
        const text = fs.readFileSync(f, "utf8");
        const s = stripHidden(text, r);
        hidden += s.regions.length;
        fs.mkdirSync(path.dirname(dst), { recursive: true });
        fs.writeFileSync(dst, s.text);
      } else if (r.startsWith("course/") && r.endsWith(".nb.md")) {
        const s = stripNbMd(fs.readFileSync(f, "utf8"), r);
        solutions += s.count;
        fs.mkdirSync(path.dirname(dst), { recursive: true });
        fs.writeFileSync(dst, s.text);
        nbSources.add(path.basename(r, ".nb.md"));
      } else if (/^notebooks\/[^/]+\.ipynb$/.test(r)) {
        const s = stripIpynb(fs.readFileSync(f, "utf8"), r);
        solutions += s.count;
        fs.mkdirSync(path.dirname(dst), { recursive: true });
        fs.writeFileSync(dst, s.text);
      } else copyFile(f, dst);
      files++;
    }
  }
  // Notebooks built from a source are rebuilt from the stripped source, so `nbbuild --check` holds in the release.
  // `%% exercise` lines expand from the specs as the student copy has them: without hidden tests.
  if (nbSources.size) {
    // The hidden tests stay out, their points do not: headings announce the instructor's totals.
    const studentSpecs = allExercises().map((r) => ({
      ...r.exercise,
      hidden: [],
      withheld: totalPoints(r.exercise) - totalPoints(r.exercise, "public"),
    }));
    const withheld = Object.fromEntries(studentSpecs.filter((e) => e.withheld > 0).map((e) => [e.id, e.withheld]));
    fs.writeFileSync(path.join(out, "course", WITHHELD_FILE), JSON.stringify(withheld, null, 2) + "\n");
    const expand: ExerciseExpander = (ids, slide, where, lead) =>
      exerciseSourceCells(studentSpecs, ids, slide, where, lead);
    for (const name of nbSources) {
      const srcFile = path.join(out, "course", `${name}.nb.md`);
      const text = nbMdToIpynb(fs.readFileSync(srcFile, "utf8"), `course/${name}.nb.md`, name, expand);
      fs.writeFileSync(path.join(out, "notebooks", `${name}.ipynb`), text);
    }
    // The answer files' generated comments follow the same student specs.
    for (const { file, exercises } of answerFilesOf(studentSpecs)) {
      const dst = path.join(out, file);
      if (fs.existsSync(dst))
        fs.writeFileSync(dst, withGeneratedComments(fs.readFileSync(dst, "utf8"), exercises, file));
    }
  }
  const tests: string[] = [];
  for (const t of RELEASE_TESTS) {
    const f = path.join(root, t);
    if (!fs.existsSync(f)) continue;
    copyFile(f, path.join(out, t));
    tests.push(t);
    files++;
  }
  for (const t of RELEASE_TEST_SUPPORT) {
    const f = path.join(root, t);
    if (!fs.existsSync(f)) continue;
    copyFile(f, path.join(out, t));
    files++;
  }
  const studentTest = path.join(root, "templates", "release-student.test.ts");
  if (fs.existsSync(studentTest)) {
    copyFile(studentTest, path.join(out, "test", "release", "student.test.ts"));
    tests.push("test/release/student.test.ts");
    files++;
  }
  const notebooks = fs.existsSync(path.join(out, "notebooks"))
    ? fs
        .readdirSync(path.join(out, "notebooks"))
        .filter((f) => f.endsWith(".ipynb"))
        .sort()
    : [];
  const tplFile = opts.readmeTemplate ?? path.join(root, "templates", "student-README.md");
  if (!fs.existsSync(tplFile)) throw new InputError("the student README template is missing", { value: tplFile });
  const readme = fillTemplate(
    fs.readFileSync(tplFile, "utf8"),
    {
      notebooks: notebooks.map((n) => `- \`notebooks/${n}\``).join("\n"),
      exercises: exerciseList(path.join(out, "exercises")),
      date: new Date().toISOString().slice(0, 10),
    },
    tplFile,
  );
  fs.writeFileSync(path.join(out, "README.md"), readme);
  files++;
  log(
    `release: ${files} files in ${out} (${hidden} hidden-test regions removed, ${solutions} notebook ` +
      `solution regions replaced, ${notebooks.length} notebooks)`,
  );
  return { out, files, hiddenRegionsRemoved: hidden, solutionRegionsReplaced: solutions, notebooks, tests };
}

function exerciseList(dir: string): string {
  const files = walkFiles(dir).map((f) => `- \`exercises/${path.relative(dir, f).split(path.sep).join("/")}\``);
  return files.join("\n") || "- (none yet)";
}

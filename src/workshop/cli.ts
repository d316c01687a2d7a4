/**
 * Instructor commands for running a workshop: `release` (the student copy), `collect` (grade a
 * folder of submissions into a CSV gradebook and feedback pages) and `slides` (offline reveal.js
 * decks from the executed notebooks). See docs/workshop.md.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { CliCommand } from "../cli/types";
import { selectExercises } from "../grading/registry";
import { InputError } from "../util/errors";
import { guardOutput, prepareOutputFolder, writeOutputFile } from "../util/outpath";
import { collect, feedbackHtml, gradebookCsv } from "./collect";
import { prepareOut, release } from "./release";
import { seal } from "./seal";
import { buildSlides, resolveNotebooks } from "./slides";
import { allExercises } from "../grading/registry";

const releaseCmd: CliCommand = {
  name: "release",
  summary: "make the student copy: stubs, notebooks without solutions, no hidden tests, a student README",
  usage: `Usage: wirelab release --out DIR [--force]

Writes a copy of the course for students into DIR: the library (hidden-test regions removed),
exercises/ stubs, notebooks (// BEGIN SOLUTION … // END SOLUTION code replaced by a TODO prompt),
labs/, topic docs, a student README (templates/student-README.md) and a test suite that needs
no solutions. No solutions/, no dist/, no instructor guide.
  --out DIR   where to write (must not exist or be empty)
  --force     replace DIR if it exists`,
  run(args, io) {
    const { values } = parseArgs({ args, options: { out: { type: "string" }, force: { type: "boolean" } } });
    if (!values.out) throw new InputError("--out DIR is required", { where: "wirelab release" });
    const rep = release({ root: io.root, out: values.out, force: values.force, log: (s) => io.err(s) });
    io.out(
      `released to ${rep.out}: ${rep.files} files, ${rep.notebooks.length} notebooks, ` +
        `${rep.hiddenRegionsRemoved} hidden-test regions removed, ${rep.solutionRegionsReplaced} solution ` +
        `regions replaced`,
    );
    io.out(`student test suite: ${rep.tests.join(", ")}`);
    return 0;
  },
};

function positiveInt(v: string | undefined, where: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError("expected a positive integer", { value: v, where });
  return n;
}

const collectCmd: CliCommand = {
  name: "collect",
  summary: "grade a folder of submissions (public + hidden tests) into a CSV gradebook and feedback pages",
  usage: `Usage: wirelab collect SUBMISSIONS_DIR --out grades.csv [--feedback DIR] [--force] [--only topic|id]
                       [--jobs N] [--test-timeout MS] [--json]

Each entry of SUBMISSIONS_DIR is one student: a folder (a released copy), a .zip of one, or a
single .ipynb. Each is graded in its own scratch copy (never modified) with public and hidden
tests, learner code isolated with time limits. Broken submissions are graded as far as possible
and their problems listed in the CSV.
  --out FILE          the gradebook CSV (one row per student, a column per exercise, total)
  --feedback DIR      also write one HTML feedback page per student, and index.html
  --force             overwrite an existing --out file / --feedback folder
  --only SEL          grade only a topic or exercise id
  --jobs N            submissions graded in parallel (default: CPU count)
  --test-timeout MS   per-test limit when a test sets none (default 5000)
  --json              print the results as JSON`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        feedback: { type: "string" },
        force: { type: "boolean" },
        only: { type: "string" },
        jobs: { type: "string" },
        "test-timeout": { type: "string" },
        json: { type: "boolean" },
      },
    });
    if (positionals.length !== 1)
      throw new InputError("give exactly one SUBMISSIONS_DIR", {
        value: positionals.join(" ") || "(none)",
        where: "wirelab collect",
      });
    if (!values.out) throw new InputError("--out FILE is required (the gradebook CSV)", { where: "wirelab collect" });
    const outCsv = guardOutput(values.out, { root: io.root, force: values.force, kind: "file", where: "--out" });
    const exercises = values.only ? selectExercises(values.only) : undefined;
    const tplFile = path.join(io.root, "templates", "feedback.html");
    if (values.feedback) {
      guardOutput(values.feedback, { root: io.root, force: values.force, kind: "folder", where: "--feedback" });
      if (!fs.existsSync(tplFile)) throw new InputError("the feedback template is missing", { value: tplFile });
    }
    const t0 = Date.now();
    const {
      results,
      ignored,
      exercises: regs,
    } = await collect({
      root: io.root,
      submissions: positionals[0]!,
      exercises,
      jobs: positiveInt(values.jobs, "--jobs", Math.max(1, os.cpus().length)),
      testTimeoutMs: positiveInt(values["test-timeout"], "--test-timeout", 5000),
      onStudent: values.json
        ? undefined
        : (r) =>
            io.err(
              `graded ${r.student}: ` +
                `${r.earned}/${r.possible}${r.problems.length ? ` (${r.problems.length} problem(s))` : ""} in ` +
                `${(r.ms / 1000).toFixed(1)} s`,
            ),
    });
    writeOutputFile(outCsv, gradebookCsv(results, regs), { root: io.root, force: values.force, where: "--out" });
    if (values.feedback) {
      const tpl = fs.readFileSync(tplFile, "utf8");
      const dir = prepareOutputFolder(values.feedback, { root: io.root, force: values.force, where: "--feedback" });
      for (const r of results) fs.writeFileSync(path.join(dir, `${r.student}.html`), feedbackHtml(r, tpl, tplFile));
      const rows = results.map(
        (r) =>
          `<li><a href="${encodeURIComponent(r.student)}.html">${r.student}</a>: ` +
          `${r.earned}/${r.possible}${r.problems.length ? ` — ${r.problems.length} problem(s)` : ""}</li>`,
      );
      fs.writeFileSync(
        path.join(dir, "index.html"),
        `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>wirelab ` +
          `feedback</title></head><body><h1>Feedback pages</h1><ul>${rows.join("")}</ul></body></html>\n`,
      );
    }
    for (const f of ignored) io.err(`ignored ${f}: not a folder, .zip or .ipynb`);
    if (values.json) io.out(JSON.stringify({ results, ignored }, null, 2));
    else
      io.out(
        `${results.length} submission(s) graded in ${((Date.now() - t0) / 1000).toFixed(1)} s → ` +
          `${values.out}${values.feedback ? `, feedback in ${values.feedback}` : ""}`,
      );
    return 0;
  },
};

const slidesCmd: CliCommand = {
  name: "slides",
  summary: "execute notebooks and export offline reveal.js slide decks (speaker notes, charts)",
  usage: `Usage: wirelab slides [NOTEBOOK…] [--out DIR] [--force]

Executes each notebook (default: all of notebooks/) with the wirelab kernel and writes
DIR/NAME.slides.html (default DIR: artifacts/slides), with reveal.js, require.js, jQuery and
MathJax copied into DIR/vendor so the decks work offline from file://. Slide structure comes from
the cells' slideshow metadata; notes cells are speaker notes (press S). NOTEBOOK may be a path, a
name (00-start-here) or a number (00). An existing non-empty DIR is replaced only with --force.
Exit code 1 if a notebook had a cell error (the deck is still written).`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: "string" }, force: { type: "boolean" } },
    });
    const notebooks = resolveNotebooks(io.root, positionals);
    if (notebooks.length === 0) throw new InputError("no notebooks found", { where: path.join(io.root, "notebooks") });
    const out = path.resolve(values.out ?? path.join(io.root, "artifacts", "slides"));
    prepareOut(out, { force: values.force, root: io.root, what: "slides" });
    const reps = await buildSlides({ root: io.root, notebooks, out, log: (s) => io.err(s) });
    for (const r of reps)
      io.out(
        `${path.basename(r.deck)}  ${r.slides} slides  ` +
          `${r.executed === "ok" ? "executed ok" : `ERRORS: ${r.errors.join("; ")}`}`,
      );
    io.out(`open ${path.join(out, path.basename(reps[0]!.deck))} in a browser (offline); press S for speaker notes`);
    return reps.every((r) => r.executed === "ok") ? 0 : 1;
  },
};

const sealCmd: CliCommand = {
  name: "seal",
  summary: "instructor: seal the public value/choice/predict answers into src/grading/sealed-keys.ts",
  usage: `Usage: wirelab seal [--check]

Reads the answer keys of the exercise specs (inside hidden-test markers: instructor copy only) and
writes the salted, encrypted entries the public checks compare with (src/grading/sealed-keys.ts),
so a student copy checks answers without containing them. Run it after changing a key, a wrong-
answer message, a sealed test's name or a lab the keys are computed from.
  --check   write nothing; exit 1 when the file is out of date (lists the stale slots)`,
  run(args, io) {
    const { values } = parseArgs({ args, options: { check: { type: "boolean" } } });
    const rep = seal(
      io.root,
      allExercises().map((r) => r.exercise),
      { check: values.check },
    );
    if (values.check) {
      if (rep.stale.length) {
        io.err(
          `${rep.file} is out of date (${rep.stale.length} slot(s)): ` +
            `${rep.stale.slice(0, 10).join(", ")}${rep.stale.length > 10 ? ", …" : ""}. Run \`wirelab seal\`.`,
        );
        return 1;
      }
      io.out(`${rep.slots} sealed slots up to date`);
      return 0;
    }
    io.out(rep.written ? `sealed ${rep.slots} slots into ${rep.file}` : `${rep.slots} sealed slots already up to date`);
    return 0;
  },
};

export const commands: CliCommand[] = [releaseCmd, collectCmd, slidesCmd, sealCmd];

/**
 * The grading commands: `grade` (self-grading from the CLI, or the reference solutions) and
 * `exercises` (list them, with their prompts under --json).
 */
import { parseArgs } from "node:util";
import { gradeMany } from "./grader";
import { allExercises } from "./registry";
import { runJson, runJunit, runText } from "./report";
import { exerciseRow } from "./present";
import type { CliCommand } from "../cli/types";
import { guardOutput, writeOutputFile } from "../util/outpath";

const grade: CliCommand = {
  name: "grade",
  summary: "grade your exercises (or the reference solutions) with a table per exercise",
  usage: `Usage: wirelab grade [topic|id] [--solutions] [--hidden] [--json] [--junit FILE]

Grades the answers in exercises/ (and literal answers written in notebooks/*.ipynb check() cells)
with each exercise's public tests; learner code runs only in a sandboxed process, with time limits.
  topic|id      a topic (dh, mod, vpn, …) or an exercise id (dh.modpow); default: all
  --solutions   grade solutions/ instead (must give full marks)
  --hidden      also run hidden tests (instructor copies only: a student release has none)
  --json        print the full report as JSON
  --junit FILE  also write JUnit XML to FILE (never inside notebooks/, exercises/, solutions/, src/)
  --force       replace an existing --junit FILE
Exit code: 0 when every graded exercise has full marks, 1 otherwise, 2 on bad input.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        solutions: { type: "boolean" },
        hidden: { type: "boolean" },
        json: { type: "boolean" },
        junit: { type: "string" },
        force: { type: "boolean" },
      },
    });
    // Refuse a bad --junit path before grading, so nothing runs for a report that cannot be written.
    if (values.junit) guardOutput(values.junit, { root: io.root, force: values.force, kind: "file", where: "--junit" });
    const hidden = !!values.hidden;
    const run = await gradeMany({
      root: io.root,
      selector: positionals[0],
      tree: values.solutions ? "solutions" : "exercises",
      hidden,
      onReport: values.json ? undefined : (r) => io.err(`graded ${r.id}: ${r.earned}/${r.points}`),
    });
    if (values.junit)
      writeOutputFile(values.junit, runJunit(run), { root: io.root, force: values.force, where: "--junit" });
    io.out(values.json ? runJson(run) : runText(run, { hidden }));
    return run.earned === run.points && run.reports.every((r) => r.status === "full") ? 0 : 1;
  },
};

const exercisesCmd: CliCommand = {
  name: "exercises",
  summary: "list every exercise: id, kind, points, notebook, answer file (--json adds each prompt)",
  usage: "Usage: wirelab exercises [--json]",
  run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: "boolean" } } });
    const rows = allExercises().map(({ exercise }) => exerciseRow(exercise));
    if (values.json) {
      io.out(JSON.stringify(rows, null, 2));
      return 0;
    }
    const w = Math.max(...rows.map((r) => r.id.length), 2);
    io.out(
      rows
        .map(
          (r) =>
            `${r.id.padEnd(w)}  ${r.kind.padEnd(7)}  ${String(r.points).padStart(3)} pts  ` +
            `${r.file.padEnd(34)}  ${r.title}`,
        )
        .join("\n"),
    );
    return 0;
  },
};

export const commands: CliCommand[] = [grade, exercisesCmd];

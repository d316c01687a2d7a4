/**
 * `wirelab run [notebooks…]`: executes notebooks headless with the wirelab kernel (or plain
 * tslab) and prints each cell's status and time; the exit code is 1 when any notebook has an
 * error output, a failing or timed-out cell. With no arguments it runs every notebooks/*.ipynb.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { CliCommand, CliIO } from "../cli/types";
import { InputError } from "../util/errors";
import { guardOutput } from "../util/outpath";
import { killAllKernels } from "./client";
import { runNotebook, type CellReport, type KernelKind, type NotebookReport } from "./runner";

const USAGE =
  "usage: wirelab run [notebooks…] [--kernel wirelab|tslab] [--out DIR [--force]] [--timeout S] " +
  `[--allow-errors] [--jobs N] [--json]

Executes notebooks headless, cell by cell, in a fresh kernel started in the notebook's folder.
  notebooks…       .ipynb files (default: every notebooks/*.ipynb)
  --kernel K       wirelab (default) or tslab (plain tslab, for comparison)
  --out DIR        write each executed notebook, with its outputs, to DIR/<name>.ipynb
                   (never into notebooks/, exercises/, solutions/ or src/ of the course)
  --force          replace existing DIR/<name>.ipynb files
  --timeout S      per-cell time limit in seconds (default 120): interrupt, then kill
  --allow-errors   keep running after a failing cell (default: later cells are not run)
  --jobs N         run N notebooks at a time (default 1; each has its own kernel)
  --json           print a JSON report instead of the table
Exit code: 0 when every cell ran without an error output, 1 otherwise, 2 on bad arguments.`;

function fmtSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function cellLine(c: CellReport): string {
  const num = `[${c.number}]`.padEnd(6);
  const err = c.error ? `  ${c.error.ename}: ${c.error.evalue.split("\n")[0]!.slice(0, 120)}` : "";
  return `  ${num}${c.status.padEnd(8)}${c.status === "aborted" ? "".padStart(9) : fmtSeconds(c.ms).padStart(9)}${err}`;
}

function summary(r: NotebookReport): string {
  const count = (s: string) => r.cells.filter((c) => c.status === s).length;
  const parts = [`${count("ok")} ok`];
  for (const s of ["error", "timeout", "aborted"])
    if (count(s)) parts.push(`${count(s)} ${s === "aborted" ? "not run" : s}`);
  return (
    `  ${r.status === "ok" ? "PASS" : "FAIL"}  ${parts.join(", ")}; kernel start ` +
    `${fmtSeconds(r.startMs)}, total ${fmtSeconds(r.totalMs)}`
  );
}

export async function runCommand(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        kernel: { type: "string", default: "wirelab" },
        out: { type: "string" },
        force: { type: "boolean", default: false },
        timeout: { type: "string", default: "120" },
        "allow-errors": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        jobs: { type: "string", default: "1" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new InputError((e as Error).message, { where: "wirelab run arguments", hint: "see wirelab run --help" });
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const kernel = values.kernel as string;
  if (kernel !== "wirelab" && kernel !== "tslab")
    throw new InputError("unknown kernel", { value: kernel, where: "--kernel", hint: "use wirelab or tslab" });
  const seconds = Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new InputError("the per-cell timeout must be a positive number of seconds", {
      value: values.timeout,
      where: "--timeout",
    });
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16)
    throw new InputError("--jobs must be an integer from 1 to 16", { value: values.jobs, where: "--jobs" });
  let files = positionals;
  if (files.length === 0) {
    const dir = path.join(io.root, "notebooks");
    files = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith(".ipynb"))
          .sort()
          .map((f) => path.join(dir, f))
      : [];
    if (files.length === 0) {
      io.err(`no notebooks found in ${dir}`);
      return 1;
    }
  }
  for (const f of files)
    if (!fs.existsSync(f)) throw new InputError("notebook not found", { value: f, where: "wirelab run notebooks" });
  // Nothing lost: every output path is checked before any notebook runs.
  if (values.out) {
    const seen = new Set<string>();
    for (const f of files) {
      const target = guardOutput(path.join(values.out as string, path.basename(f)), {
        root: io.root,
        force: values.force as boolean,
        kind: "file",
        where: "--out",
      });
      if (seen.has(target))
        throw new InputError("two notebooks would be written to the same file", { value: target, where: "--out" });
      seen.add(target);
    }
  }
  const reports: NotebookReport[] = new Array(files.length);
  let failed = false;
  // Ctrl-C / kill: take the kernels down with us (they run in their own process groups).
  const onSignal = (sig: NodeJS.Signals) => {
    killAllKernels();
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const runOne = async (i: number): Promise<void> => {
    const f = files[i]!;
    const relative = path.relative(process.cwd(), path.resolve(f));
    const rel = relative && !relative.startsWith("..") ? relative : f;
    // With several jobs a notebook's lines are printed together when it finishes.
    const lines: string[] = [];
    const say = jobs > 1 ? (line: string) => lines.push(line) : (line: string) => io.out(line);
    if (!values.json) say(`${rel}  (${kernel} kernel)`);
    try {
      const r = await runNotebook(f, {
        kernel: kernel as KernelKind,
        timeoutPerCellMs: seconds * 1000,
        root: io.root,
        allowErrors: values["allow-errors"] as boolean,
        ...(values.out ? { write: path.join(values.out as string, path.basename(f)) } : {}),
        ...(values.json ? {} : { onCell: (c: CellReport) => say(cellLine(c)) }),
      });
      reports[i] = r;
      if (r.status !== "ok") failed = true;
      if (!values.json) say(summary(r));
    } catch (e) {
      failed = true;
      const msg = (e as Error)?.message ?? String(e);
      if (!values.json) say(`  FAIL  could not run ${rel}: ${msg}`);
      reports[i] = {
        path: f,
        kernel: kernel as KernelKind,
        status: "error",
        startMs: 0,
        totalMs: 0,
        cells: [],
        errorOutputs: 0,
        kernelPid: null,
        notebook: undefined as never,
        ...{ failure: msg },
      };
    }
    if (lines.length) io.out(lines.join("\n"));
  };
  try {
    let next = 0;
    const worker = async () => {
      while (next < files.length) await runOne(next++);
    };
    await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (values.json) {
    io.out(
      JSON.stringify(
        reports.map(({ notebook: _nb, ...rest }) => rest),
        null,
        2,
      ),
    );
  } else if (files.length > 1) {
    const bad = reports.filter((r) => r.status !== "ok").length;
    io.out(`${files.length - bad}/${files.length} notebooks passed`);
  }
  return failed ? 1 : 0;
}

export const commands: CliCommand[] = [
  {
    name: "run",
    summary: "execute notebooks headless with the wirelab kernel (per-cell status and time)",
    usage: USAGE,
    run: runCommand,
  },
];

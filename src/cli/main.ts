/**
 * The `wirelab` command line: one binary, a sub-command per topic and per instructor task.
 *
 * Commands are discovered: every folder under src/ may export `commands: CliCommand[]` from its
 * `cli.ts` (topics, grading, the notebook runner, the workshop tools, setup). `wirelab --help`
 * lists them all; a new topic needs no edit here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { WirelabError } from "../util/errors";
import type { CliCommand, CliIO } from "./types";

const LIB_DIR = path.resolve(__dirname, "..");
const EXT = path.extname(__filename);
export const ROOT = path.resolve(LIB_DIR, "..");

/** Every command of every folder's `cli` module, sorted by name. */
export function allCommands(): CliCommand[] {
  const found: CliCommand[] = [];
  for (const d of fs.readdirSync(LIB_DIR, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const file = path.join(LIB_DIR, d.name, `cli${EXT}`);
    if (!fs.existsSync(file)) continue;

    const mod = require(file) as { commands?: CliCommand[] };
    for (const c of mod.commands ?? []) found.push(c);
  }
  const seen = new Set<string>();
  for (const c of found) {
    if (seen.has(c.name)) throw new Error(`two CLI commands are named ${c.name}`);
    seen.add(c.name);
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

function help(cmds: CliCommand[]): string {
  const w = Math.max(...cmds.map((c) => c.name.length));
  return [
    "wirelab — a course kit for network engineers (TypeScript notebooks, graded exercises, labs)",
    "",
    "Usage: wirelab <command> [options]      wirelab <command> --help",
    "",
    ...cmds.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
  ].join("\n");
}

export const stdio: CliIO = {
  out: (t) => process.stdout.write(t.endsWith("\n") ? t : t + "\n"),
  err: (t) => process.stderr.write(t.endsWith("\n") ? t : t + "\n"),
  root: ROOT,
};

/** Exit status after the reader of stdout went away: 128 + SIGPIPE, what a C tool's death by SIGPIPE reports. */
export const BROKEN_PIPE_EXIT = 141;

let pipesGuarded = false;

/**
 * `wirelab … | head`: when the reader closes the pipe, Node reports EPIPE as an unhandled 'error'
 * event (a stack trace). A C program would die quietly of SIGPIPE, which Node ignores; this does the
 * same by hand: stop at once with status 141, print nothing. A closed stderr is ignored (there is
 * nowhere to report it). Installed once, for every command, when `main` writes to the real stdio.
 */
export function guardBrokenPipes(proc: NodeJS.Process = process): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  proc.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") proc.exit(BROKEN_PIPE_EXIT);
    proc.stderr.write(`wirelab: cannot write to stdout: ${e.message}\n`);
    proc.exit(1);
  });
  proc.stderr.on("error", () => undefined);
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure/unhealthy, 2 bad input). */
export async function main(argv: string[], io: CliIO = stdio): Promise<number> {
  if (io === stdio) guardBrokenPipes();
  let cmds: CliCommand[];
  try {
    cmds = allCommands();
  } catch (e) {
    io.err(`wirelab: could not load commands: ${(e as Error).stack ?? e}`);
    return 1;
  }
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(help(cmds));
    return name ? 0 : 2;
  }
  const cmd = cmds.find((c) => c.name === name);
  if (!cmd) {
    io.err(`wirelab: unknown command ${JSON.stringify(name)}. Commands: ${cmds.map((c) => c.name).join(", ")}`);
    return 2;
  }
  const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (own.includes("--help") || own.includes("-h")) {
    io.out(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof WirelabError) {
      io.err(`wirelab ${name}: ${e.message}`);
      return 2;
    }
    if (e && typeof e === "object" && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`wirelab ${name}: ${(e as Error).message}\n\n${cmd.usage}`);
      return 2;
    }
    io.err(`wirelab ${name}: unexpected error (a bug; please report it):\n${(e as Error)?.stack ?? String(e)}`);
    return 1;
  }
}

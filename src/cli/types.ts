/**
 * The contract between the `wirelab` CLI and the modules that add sub-commands.
 *
 * A topic adds commands by exporting `commands: CliCommand[]` from `src/<topic>/cli.ts`; the CLI
 * finds them by scanning the compiled `dist/` folders, so adding a topic never edits a shared file.
 * A command parses its own arguments (node:util `parseArgs` is the house style), writes through
 * `io`, and returns an exit code. Errors thrown as `WirelabError` are printed as one clear line
 * (no stack trace) with exit code 2; anything else is a bug and prints its stack.
 */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Course root: the folder with package.json, notebooks/, exercises/. */
  root: string;
}

export interface CliCommand {
  /** The word after `wirelab`, e.g. "dh", "grade", "run". */
  name: string;
  /** One line for `wirelab --help`. */
  summary: string;
  /** Full usage text for `wirelab <name> --help`. */
  usage: string;
  run(args: string[], io: CliIO): Promise<number> | number;
}

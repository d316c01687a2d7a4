/**
 * Runs one CLI command object in-process with captured output, for the topics' CLI tests.
 *
 * `out`/`err` hold every line written, each ending in "\n". A thrown error rejects, unless
 * `catchErrors` is set: then it is returned as `error` (for tests of error messages).
 */
import type { CliCommand } from "../../src/cli/types";

export interface CliRun {
  code?: number;
  out: string;
  err: string;
  error?: Error;
}

export async function runCli(
  cmd: CliCommand,
  args: string[],
  opts: { root?: string; catchErrors?: boolean } = {},
): Promise<CliRun> {
  let out = "";
  let err = "";
  const io = {
    out: (s: string) => void (out += s.endsWith("\n") ? s : s + "\n"),
    err: (s: string) => void (err += s.endsWith("\n") ? s : s + "\n"),
    root: opts.root ?? process.cwd(),
  };
  try {
    const code = await cmd.run(args, io);
    return { code, out, err };
  } catch (e) {
    if (!opts.catchErrors) throw e;
    return { out, err, error: e as Error };
  }
}

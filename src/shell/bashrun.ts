/**
 * Runs many command lines through real bash in one process and reads back, for every command
 * named `f`, the exact argv it received. This is the oracle for the differential tests and the
 * benchmark: values travel to bash through a NUL-separated data file (never through quoting we
 * are testing), each line runs under `eval`, and `f` prints `$#` and its arguments NUL-terminated.
 *
 * Follows bash 5.2 semantics of `read -d ''`, `printf -v` and `eval` (Bash Reference Manual §4.2).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../util/errors";

export interface BashCase {
  /** The line to run; commands named `f` report their argv. */
  line: string;
  /** Variables to set before the line (IFS included); every other test variable is unset. */
  vars?: Record<string, string>;
  positional?: string[];
}

export interface BashResult {
  /** The argv (without the leading "f") of each `f` call, in order. */
  calls: string[][];
}

/** Names every case starts with unset (so a case cannot leak into the next). */
export const TEST_VARS = ["a", "b", "c", "x", "y", "e", "u", "IFS", "HOME"];

const SCRIPT = `
f() { printf '%s\\0' "$#" "$@"; }
export -f f
exec 3<"$1"
__r() { IFS= read -r -u3 -d '' "$1"; }
while __r __line; do
  unset ${TEST_VARS.join(" ")}
  __r __n
  while (( __n > 0 )); do __r __k; __r __v; printf -v "$__k" '%s' "$__v"; __n=$((__n-1)); done
  __r __n; __args=()
  while (( __n > 0 )); do __r __v; __args+=("$__v"); __n=$((__n-1)); done
  set -- "\${__args[@]}"
  printf '%s\\0' "#"
  eval "$__line"
done
`;

/** Path of the bash used as the oracle (override with WIRELAB_BASH). */
export function bashPath(): string {
  return process.env.WIRELAB_BASH ?? "bash";
}

/** Runs the cases in one bash process; returns one result per case. */
export function runBash(cases: BashCase[], opts: { timeoutMs?: number; bash?: string } = {}): BashResult[] {
  const parts: string[] = [];
  for (const c of cases) {
    for (const s of [c.line, ...Object.keys(c.vars ?? {}), ...Object.values(c.vars ?? {}), ...(c.positional ?? [])]) {
      if (s.includes("\0")) throw new InputError("a bash test case cannot contain NUL", { value: s, where: "runBash" });
    }
    const vars = Object.entries(c.vars ?? {});
    parts.push(c.line, String(vars.length));
    for (const [k, v] of vars) parts.push(k, v);
    const pos = c.positional ?? [];
    parts.push(String(pos.length), ...pos);
  }
  const dir = mkdtempSync(join(tmpdir(), "wlshell-"));
  try {
    const data = join(dir, "cases.bin");
    writeFileSync(data, parts.map((p) => p + "\0").join(""));
    const r = spawnSync(opts.bash ?? bashPath(), ["-c", SCRIPT, "wirelab-oracle", data], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C.UTF-8", HOME: dir },
      maxBuffer: 256 * 1024 * 1024,
      timeout: opts.timeoutMs ?? 60000,
      encoding: "buffer",
    });
    if (r.error) throw r.error;
    const fields = r.stdout.toString("utf8").split("\0");
    fields.pop();
    const out: BashResult[] = [];
    let i = 0;
    while (i < fields.length) {
      if (fields[i] !== "#")
        throw new Error(`bash oracle output out of step at field ${i}: ${JSON.stringify(fields[i])}`);
      i++;
      const calls: string[][] = [];
      while (i < fields.length && fields[i] !== "#") {
        const n = Number(fields[i]);
        if (!Number.isInteger(n))
          throw new Error(`bash oracle output: expected a count, got ${JSON.stringify(fields[i])}`);
        calls.push(fields.slice(i + 1, i + 1 + n));
        i += 1 + n;
      }
      out.push({ calls });
    }
    if (out.length !== cases.length) {
      throw new Error(
        `bash oracle returned ${out.length} results for ${cases.length} cases (exit ${r.status}); stderr: ` +
          `${r.stderr.toString().slice(0, 400)}`,
      );
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

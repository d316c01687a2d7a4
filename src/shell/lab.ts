/**
 * The shell-quoting sandbox: runs your script through real bash in a temporary directory where
 * `docker`, `ssh` and `FastCli` are fakes that record exactly what they receive (argv, and stdin
 * for FastCli) and then pass the command on the way the real tools do: `docker exec C cmd…` runs
 * cmd… directly, `ssh HOST cmd…` joins cmd… with spaces and runs it with `bash -c`.
 *
 * Nothing leaves the machine: no container, no network. The directory is removed afterwards.
 * The fakes follow docker-exec(1) and ssh(1) argument handling (see levels.ts).
 *
 * @example
 *   const r = runSandbox(`docker exec sw1 bash -c 'echo hi | FastCli -p15 -e'`);
 *   r.calls.map(c => c.program)   // ["docker", "FastCli"]
 *   r.calls[1].stdin              // "hi\n"
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../util/errors";
import { bashPath } from "./bashrun";
import { confineProgram, confinesUser } from "../util/confine";

export interface SandboxCall {
  program: string;
  argv: string[];
  /** The chain of fakes that led here, e.g. "docker exec sw1 > ". */
  via: string;
  /** What FastCli read on stdin. */
  stdin?: string;
}

export interface SandboxResult {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: SandboxCall[];
  timedOut: boolean;
}

const LOG_FN = `wl_log() {
  local f="$WL_LOG/$(date +%s%N)-$$-$1"; shift
  printf '%s\\0' "$@" > "$f.argv"
  printf '%s' "\${WL_VIA:-}" > "$f.via"
  WL_LAST="$f"
}`;

const FAKES: Record<string, string> = {
  docker: `#!/usr/bin/env bash
# fake docker: records argv; "docker exec [opts] CONTAINER CMD…" runs CMD… here, like the real one.
${LOG_FN}
wl_log docker docker "$@"
[ "$1" = exec ] || { echo "fake docker: only 'docker exec' is simulated" >&2; exit 1; }
shift
while [ $# -gt 0 ]; do
  case "$1" in
    -e|--env|-u|--user|-w|--workdir|--env-file|--detach-keys) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
c="$1"; shift
[ $# -gt 0 ] || { echo "fake docker: exec needs a command" >&2; exit 1; }
export WL_VIA="\${WL_VIA:-}docker exec $c > "
exec "$@"
`,
  ssh: `#!/usr/bin/env bash
# fake ssh: records argv; joins the remote command with spaces and runs it with bash -c, like sshd.
${LOG_FN}
wl_log ssh ssh "$@"
while [ $# -gt 0 ]; do
  case "$1" in
    -b|-c|-D|-E|-e|-F|-I|-i|-J|-L|-l|-m|-O|-o|-p|-Q|-R|-S|-W|-w|-B) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
h="$1"; shift
[ $# -gt 0 ] || { echo "fake ssh: no interactive sessions here" >&2; exit 1; }
export WL_VIA="\${WL_VIA:-}ssh $h > "
IFS=' '
exec bash -c "$*"
`,
  FastCli: `#!/usr/bin/env bash
# fake Arista FastCli: records argv and the configuration text it reads on stdin.
${LOG_FN}
wl_log FastCli FastCli "$@"
cat > "$WL_LAST.stdin"
n=$(wc -l < "$WL_LAST.stdin")
echo "FastCli: read $n line(s)"
`,
};

export interface SandboxOptions {
  /** Arguments for the script ($1, $2, …). */
  args?: string[];
  /** Exported environment variables for the script (and every inner shell). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Keep the temporary directory (its path is in the error/log) for debugging. */
  keep?: boolean;
}

/** Runs `script` with bash in a fresh sandbox and returns what every fake program received. */
export function runSandbox(script: string, opts: SandboxOptions = {}): SandboxResult {
  if (typeof script !== "string") throw new InputError("runSandbox needs a script string", { value: script });
  if (script.includes("\0"))
    throw new InputError("a bash script cannot contain NUL", {
      value: script,
      location: { offset: script.indexOf("\0") },
    });
  const dir = mkdtempSync(join(tmpdir(), "wlshell-lab-"));
  try {
    const bin = join(dir, "bin");
    const log = join(dir, "log");
    mkdirSync(bin);
    mkdirSync(log);
    for (const [name, text] of Object.entries(FAKES)) {
      writeFileSync(join(bin, name), text);
      chmodSync(join(bin, name), 0o755);
    }
    writeFileSync(join(dir, "script.sh"), script);
    // The script is learner text (shell.fastcli grades it): bash runs confined where the platform
    // allows (no network, no survivor, memory cap, user nobody: src/util/confine.ts).
    if (confinesUser()) {
      chmodSync(dir, 0o755);
      chmodSync(log, 0o777);
    }
    const [cmd, ...argv] = confineProgram([bashPath(), join(dir, "script.sh"), ...(opts.args ?? [])]);
    const r = spawnSync(cmd!, argv, {
      cwd: dir,
      env: {
        ...(opts.env ?? {}),
        PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
        WL_LOG: log,
        LC_ALL: "C.UTF-8",
        HOME: dir,
      },
      encoding: "utf8",
      timeout: opts.timeoutMs ?? 10000,
      input: "",
    });
    const calls: SandboxCall[] = [];
    const files = readdirSync(log)
      .filter((f) => f.endsWith(".argv"))
      .sort((a, b) => {
        const [ta, pa] = a.split("-");
        const [tb, pb] = b.split("-");
        return BigInt(ta!) === BigInt(tb!) ? Number(pa) - Number(pb) : BigInt(ta!) < BigInt(tb!) ? -1 : 1;
      });
    for (const f of files) {
      const stem = f.slice(0, -".argv".length);
      const argv = readFileSync(join(log, f), "utf8").split("\0");
      argv.pop();
      const call: SandboxCall = { program: argv[0]!, argv, via: readFileSync(join(log, stem + ".via"), "utf8") };
      try {
        call.stdin = readFileSync(join(log, stem + ".stdin"), "utf8");
      } catch {
        /* only FastCli records stdin */
      }
      calls.push(call);
    }
    return {
      status: r.status,
      stdout: r.stdout ?? "",
      stderr: r.stderr ?? "",
      calls,
      timedOut: r.error !== undefined && /ETIMEDOUT/.test(String(r.error)),
    };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** The four versions of the function in the post "Bash: shell quoting", as scripts that define `fast_cli`. */
export const FASTCLI_VERSIONS: Record<string, string> = {
  original: `fast_cli() {\n  docker exec "\${1}" bash -c "echo -e \${commands} | FastCli -p15 -e"\n}`,
  blog: `fast_cli() {\n  docker exec "\${1}" bash -c 'echo -e '"'\${commands}'"' | FastCli -p15 -e'\n}`,
  argument: `fast_cli() {\n  docker exec "\${1}" bash -c 'echo -e "$1" | FastCli -p15 -e' _ "\${commands}"\n}`,
  atQ: `fast_cli() {\n  docker exec "\${1}" bash -c "echo -e \${commands@Q} | FastCli -p15 -e"\n}`,
};

export interface FastCliRun {
  version: string;
  commands: string;
  /** What FastCli read on stdin (undefined when it never ran). */
  received?: string;
  /** What it should have read: `echo -e "$commands"` run directly, by bash. */
  expected: string;
  ok: boolean;
  /** The script the container's bash received. */
  innerScript?: string;
  stderr: string;
}

const echoCache = new Map<string, string>();

/** What bash's `echo -e "$text"` prints (run for real in the sandbox; cached per text). */
export function echoE(text: string): string {
  const hit = echoCache.get(text);
  if (hit !== undefined) return hit;
  const ref = runSandbox(`FastCli <<< "$(echo -e "$WL_COMMANDS"; echo x)"`, { env: { WL_COMMANDS: text } });
  // The "x" line keeps trailing newlines through $(…); <<< adds one newline back: drop "x\n".
  const out = (ref.calls[0]?.stdin ?? "").replace(/x\n$/, "");
  echoCache.set(text, out);
  return out;
}

/**
 * Runs one function definition with `commands` set to `commands`, then `fast_cli sw1`.
 * `intended` is the command text the author meant (default: `commands` itself); FastCli should
 * read what `echo -e "$intended"` prints.
 */
export function runFastCli(
  functionText: string,
  commands: string,
  version = "custom",
  intended = commands,
): FastCliRun {
  const script = `${functionText}\ncommands=$WL_COMMANDS\nfast_cli sw1\n`;
  const r = runSandbox(script, { env: { WL_COMMANDS: commands } });
  const expected = echoE(intended);
  const fc = r.calls.find((c) => c.program === "FastCli");
  const docker = r.calls.find((c) => c.program === "docker");
  const dashC = docker ? docker.argv.indexOf("-c") : -1;
  return {
    version,
    commands,
    received: fc?.stdin,
    expected,
    ok: fc?.stdin === expected,
    innerScript: dashC >= 0 ? docker!.argv[dashC + 1] : undefined,
    stderr: r.stderr,
  };
}

/** The lines of the custom-IFS exercise: IFS, the value of v, and the command (also shown in the notebook). */
export const IFS_CASES: Array<{ ifs: string; v: string; line: string }> = [
  { ifs: ":", v: "a::b:", line: "f $v" },
  { ifs: ": ", v: " a : b  ", line: "f $v" },
  { ifs: "", v: "a b", line: "f $v" },
  { ifs: ":", v: "x:y", line: 'f "$v" $v' },
  { ifs: ":", v: ":a", line: "f $v" },
  { ifs: ":", v: "p:q::", line: "f $v" },
  { ifs: "-", v: "a--b-", line: "f $v" },
];

/** The four lines of the predict exercise and their variables (also shown in the notebook). */
export const PREDICT_ENV = { vars: { x: "a  b", e: "" } };
export const PREDICT_LINES = [
  `printf '%s\\n' $x "$x" '$x'`,
  `echo -e "a\\nb" 'c\\nd' e\\nf`,
  `cmd $e "$e" '' $e$e x$e`,
  `ssh r1 echo "$x" "'$x'"`,
];

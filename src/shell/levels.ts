/**
 * "What does the inner shell see?": follows a command line through the programs that hand text
 * to another shell — `bash -c`, `sh -c`, `docker exec … CMD`, `ssh HOST CMD…`, `sudo`, `env` —
 * and returns, level by level, the script each shell parses and the argv each program receives.
 *
 * Follows bash(1) "-c string [name [args…]]" (the string is the script, the next arguments are
 * $0, $1, …), ssh(1) (the remote command is the arguments joined with spaces, run by the remote
 * user's login shell — assumed bash here), docker-exec(1) (argv is executed directly, no shell).
 *
 * @example
 *   levels(`docker exec sw1 bash -c "echo -e $c | FastCli -p15 -e"`, { vars: { c: "a\\nb" } })
 *   // level 0: the line; level 1: bash -c script "echo -e a\\nb | FastCli -p15 -e", FastCli argv …
 */
import { InputError, ParseError, UnsupportedError } from "../util/errors";
import { expandLine, parse, type ExpandedCommand } from "./parse";
import type { ShellEnv } from "./expand";

export interface ProgramCall {
  /** The argv the program receives. */
  argv: string[];
  /** How it was reached: "shell" (run by the level's shell), "docker exec", "sudo", "env". */
  via: string;
  /** The operator after the command in its shell line (| ; && …). */
  next?: string;
}

export interface Level {
  /** 0 for the line you typed; 1 for the first inner shell; … */
  depth: number;
  /** Which shell parses this level's script. */
  shell: string;
  /** How the script got there: "typed", "bash -c", "sh -c", "ssh host". */
  via: string;
  /** The exact script text this shell parses. */
  script: string;
  /** $1, $2, … of this shell (from `bash -c script name args…`). */
  positional: string[];
  /** The programs this level runs, with their argv (after wrappers such as docker exec). */
  calls: ProgramCall[];
  /** Assumptions the model made (unset variables in inner shells, login shell of ssh). */
  notes: string[];
  /** An inner script bash would reject (syntax) or that wirelab does not model (unsupported). */
  error?: { kind: "syntax" | "unsupported"; message: string };
}

const SHELLS = new Set(["bash", "sh", "dash", "/bin/bash", "/bin/sh", "/usr/bin/bash", "/usr/bin/env bash"]);
const MAX_DEPTH = 8;

function base(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** bash -c / sh -c: returns script, $0 and $1… or undefined when not a -c call. */
export function shellDashC(
  argv: string[],
): { script: string; name?: string; args: string[]; shell: string } | undefined {
  if (!SHELLS.has(argv[0]!) && !SHELLS.has(base(argv[0]!))) return undefined;
  let sawC = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (a === "-o" || a === "+o" || a === "-O" || a === "+O") {
      i++;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(a)) {
      if (a.startsWith("-") && a.includes("c")) sawC = true;
      continue;
    }
    break;
  }
  if (!sawC || i >= argv.length) return undefined;
  return { script: argv[i]!, name: argv[i + 1], args: argv.slice(i + 2), shell: base(argv[0]!) };
}

const DOCKER_VALUE_OPTS = new Set(["-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file", "--detach-keys"]);
const SSH_VALUE_OPTS = new Set([
  "-b",
  "-c",
  "-D",
  "-E",
  "-e",
  "-F",
  "-I",
  "-i",
  "-J",
  "-L",
  "-l",
  "-m",
  "-O",
  "-o",
  "-p",
  "-Q",
  "-R",
  "-S",
  "-W",
  "-w",
  "-B",
]);
const SUDO_VALUE_OPTS = new Set(["-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t", "-D"]);

type Unwrapped =
  { kind: "exec"; argv: string[]; via: string } | { kind: "ssh"; host: string; command: string } | { kind: "leaf" };

/** Peels one wrapper (docker exec, sudo, env, ssh) off an argv. */
export function unwrap(argv: string[]): Unwrapped {
  const p = base(argv[0] ?? "");
  if (p === "docker" && argv[1] === "exec") {
    let i = 2;
    while (i < argv.length && argv[i]!.startsWith("-")) {
      const a = argv[i]!;
      i += DOCKER_VALUE_OPTS.has(a) ? 2 : 1;
    }
    const rest = argv.slice(i + 1);
    if (i >= argv.length || rest.length === 0) return { kind: "leaf" };
    return { kind: "exec", argv: rest, via: `docker exec ${argv[i]}` };
  }
  if (p === "sudo" || p === "env") {
    let i = 1;
    const valueOpts = p === "sudo" ? SUDO_VALUE_OPTS : new Set(["-u", "--unset", "-C", "--chdir"]);
    while (
      i < argv.length &&
      (argv[i]!.startsWith("-") || (p === "env" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!)))
    ) {
      if (p === "sudo" && (argv[i] === "-i" || argv[i] === "-s")) return { kind: "leaf" };
      i += valueOpts.has(argv[i]!) ? 2 : 1;
    }
    if (i >= argv.length) return { kind: "leaf" };
    return { kind: "exec", argv: argv.slice(i), via: p };
  }
  if (p === "ssh") {
    let i = 1;
    while (i < argv.length && argv[i]!.startsWith("-")) i += SSH_VALUE_OPTS.has(argv[i]!) ? 2 : 1;
    if (i + 1 >= argv.length) return { kind: "leaf" };
    return { kind: "ssh", host: argv[i]!, command: argv.slice(i + 1).join(" ") };
  }
  return { kind: "leaf" };
}

/**
 * Follows a line through nested shells. `env` is the outer shell's state; inner shells start with
 * no variables (what they inherit from their environment is outside the line), and a reference to
 * an unset variable there is reported in `notes`.
 */
export function levels(line: string, env: ShellEnv = {}): Level[] {
  if (typeof line !== "string") throw new InputError("levels() needs a command line string", { value: line });
  const out: Level[] = [];
  const visit = (script: string, shell: string, via: string, depth: number, lvEnv: ShellEnv, notes: string[]) => {
    if (depth > MAX_DEPTH)
      throw new InputError(`more than ${MAX_DEPTH} nested shells`, { value: script.slice(0, 60), where: "levels()" });
    const level: Level = { depth, shell, via, script, positional: lvEnv.positional ?? [], calls: [], notes };
    let ex: ReturnType<typeof expandLine>;
    try {
      if (shell === "sh" || shell === "dash") {
        // bash expands a tilde after = in an argument; POSIX sh does not (checked before expansion,
        // which would ask for HOME).
        const argTilde = parse(script)
          .commands.flatMap((c) => [...c.words, ...c.redirects.map((r) => r.target)])
          .find((w) => w.spans.some((sp) => sp.kind === "tilde" && sp.tildeIn === "argument"));
        if (argTilde) {
          level.error = {
            kind: "unsupported",
            message:
              `unsupported: ${shell} (POSIX sh) reads the ~ in ${JSON.stringify(argTilde.source)} ` +
              `literally; bash expands a tilde after = in an argument`,
          };
          out.push(level);
          return;
        }
      }
      ex = expandLine(script, lvEnv, depth === 0 ? "<line>" : `<level ${depth}>`);
    } catch (e) {
      // The line you typed must parse; an inner script that does not is the lesson itself.
      if (depth === 0 || !(e instanceof ParseError || e instanceof UnsupportedError)) throw e;
      level.error = { kind: e instanceof ParseError ? "syntax" : "unsupported", message: e.message };
      out.push(level);
      return;
    }
    if (shell === "sh" || shell === "dash") {
      // POSIX sh (dash here) has no $'…', ${x@Q}, |& or &>: bash's reading would be a wrong answer.
      const bashism = ex.parsed.tokens.find(
        (t) =>
          (t.type === "word" && t.spans.some((sp) => sp.kind === "ansi-c" || sp.param?.transform === "Q")) ||
          (t.type === "operator" && t.op === "|&") ||
          (t.type === "redirect" && t.op.startsWith("&>")),
      );
      if (bashism) {
        level.error = {
          kind: "unsupported",
          message:
            `unsupported: ${shell} (POSIX sh) reads ` +
            `${JSON.stringify(script.slice(bashism.start, bashism.end))} differently from bash ($'…', ` +
            `\${x@Q}, |& and &> are bash extensions)`,
        };
        out.push(level);
        return;
      }
      // bash's string reader treats a backslash at the very end differently from dash's.
      // dash: a lone final backslash is literal. bash: see stringInputEnd (lexer.ts).
      const run = /\\+$/.exec(script)?.[0].length ?? 0;
      const endQuirk = run > 0 && ex.parsed.inputEnd !== (run % 2 === 1 ? "\\" : "\n");
      if (endQuirk) {
        level.error = {
          kind: "unsupported",
          message:
            `unsupported: ${shell} (POSIX sh) reads the backslash at the end of the script differently ` + `from bash`,
        };
        out.push(level);
        return;
      }
      notes.push(`${shell} is read with the POSIX subset of bash's rules modelled here`);
    }
    if (depth > 0)
      for (const u of ex.unset)
        notes.push(
          `$${u} is not set by anything in the line: taken as empty (the real ${shell} may get it from its ` +
            `environment)`,
        );
    out.push(level);
    const inner: Array<() => void> = [];
    for (const c of ex.commands as ExpandedCommand[]) {
      if (c.argv.length === 0) continue;
      let argv = c.argv;
      let how = "shell";
      for (let hop = 0; hop < 8; hop++) {
        level.calls.push({ argv, via: how, next: c.next });
        const dc = shellDashC(argv);
        if (dc) {
          const a = dc;
          inner.push(() => visit(a.script, a.shell, `${a.shell} -c`, depth + 1, { positional: a.args }, []));
          break;
        }
        const u = unwrap(argv);
        if (u.kind === "exec") {
          argv = u.argv;
          how = u.via;
          continue;
        }
        if (u.kind === "ssh") {
          const host = u.host;
          const cmd = u.command;
          inner.push(() =>
            visit(cmd, "bash", `ssh ${host}`, depth + 1, {}, [
              `ssh joins its arguments with spaces and the remote login shell parses the result (assumed bash)`,
            ]),
          );
        }
        break;
      }
    }
    for (const f of inner) f();
  };
  visit(line, "bash", "typed", 0, env, []);
  return out;
}

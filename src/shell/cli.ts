/**
 * `wirelab shell …`: words, quote, explain and levels from the command line.
 *
 *   wirelab shell words [--var NAME=VALUE]… [--arg VALUE]… [--json] <line>
 *   wirelab shell quote [--levels N] [--posix] [--json] -- <string>…
 *   wirelab shell explain [--var NAME=VALUE]… [--arg VALUE]… [--json|--html] <line>
 *   wirelab shell levels [--var NAME=VALUE]… [--arg VALUE]… [--json] <line>
 *   wirelab shell sandbox [--json] <script.sh> [args…]
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CliCommand, CliIO } from "../cli/types";
import { InputError } from "../util/errors";
import type { ShellEnv } from "./expand";
import { explain, visible } from "./explain";
import { levels } from "./levels";
import { expandLine } from "./parse";
import { quote } from "./quote";
import { runSandbox } from "./lab";
import { sandboxTable } from "./views";

/** `NAME=value` as a command's assignment prefix shows it. */
const assignmentText = (a: { name: string; value: string }) => `${a.name}=${visible(a.value)}`;

const USAGE = `wirelab shell — how bash splits and unquotes a line, and quoting that survives nested shells

  wirelab shell words   [options] <line>    the argv of each command in the line
  wirelab shell quote   [--levels N] [--posix] -- <string>…
                                            a bash word for each string (N shells deep)
  wirelab shell explain [options] <line>    which characters are quoted how, and the words
  wirelab shell levels  [options] <line>    what each inner shell (bash -c, sh -c, ssh,
                                            docker exec) parses and each program receives
  wirelab shell sandbox [--json] <script.sh> [args…]
                                            run a script in real bash with fake docker, ssh
                                            and FastCli on PATH; print what each received
                                            (try labs/shell/playground.sh)

Options for words/explain/levels:
  --var NAME=VALUE   set a shell variable (repeatable; --var IFS=: for a custom IFS)
  --arg VALUE        append a positional parameter $1, $2, … (repeatable)
  --stdin            read the line from standard input instead of the argument
  --json             machine-readable output (explain: also --html)

Quote the line for YOUR shell first, e.g.  wirelab shell words 'printf "%s\\n" $x' --var 'x=a b'
Constructs wirelab does not model ($(…), globs, {a,b}, ~ at the start of a word, ~user, here-docs,
\${x:-y}, …) are reported as "unsupported" with their position (exit 2), never guessed. A ~ after
= or : (x=~/a, f PATH=a:~/bin) becomes $HOME, as in bash 5.2: give it with --var HOME=/home/you.`;

function readLine(pos: string[], stdin: boolean | undefined, what: string): string {
  if (stdin) return readFileSync(0, "utf8").replace(/\n$/, "");
  if (pos.length === 0)
    throw new InputError(`${what} needs a command line`, {
      where: `wirelab shell ${what}`,
      hint: "give it as one quoted argument",
    });
  return pos.join(" ");
}

function envFrom(vars: string[] | undefined, args: string[] | undefined): ShellEnv {
  const v: Record<string, string> = {};
  for (const kv of vars ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(kv);
    if (!m) throw new InputError("--var needs NAME=VALUE", { value: kv, where: "--var" });
    v[m[1]!] = m[2]!;
  }
  return { vars: v, positional: args ?? [] };
}

const LINE_OPTS = {
  var: { type: "string", multiple: true },
  arg: { type: "string", multiple: true },
  stdin: { type: "boolean" },
  json: { type: "boolean" },
  html: { type: "boolean" },
} as const;

function run(args: string[], io: CliIO): number {
  const [sub, ...rest] = args;
  if (sub === "quote") {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { levels: { type: "string" }, posix: { type: "boolean" }, json: { type: "boolean" } },
      allowPositionals: true,
    });
    const levelsN = values.levels === undefined ? 1 : Number(values.levels);
    if (!Number.isInteger(levelsN))
      throw new InputError("--levels needs an integer", { value: values.levels, where: "--levels" });
    if (positionals.length === 0)
      throw new InputError("quote needs at least one string", {
        where: "wirelab shell quote",
        hint: "wirelab shell quote -- 'it'\\''s'",
      });
    const out = positionals.map((s) => quote(s, { levels: levelsN, posix: values.posix }));
    io.out(values.json ? JSON.stringify({ strings: positionals, levels: levelsN, quoted: out }) : out.join(" "));
    return 0;
  }
  if (sub === "sandbox") {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { json: { type: "boolean" } },
      allowPositionals: true,
    });
    const file = positionals[0];
    if (!file)
      throw new InputError("sandbox needs a script file", {
        where: "wirelab shell sandbox",
        hint: "try labs/shell/playground.sh",
      });
    let script: string;
    try {
      script = readFileSync(resolve(io.root, file), "utf8");
    } catch {
      script = readFileSync(file, "utf8");
    }
    const r = runSandbox(script, { args: positionals.slice(1) });
    if (values.json) io.out(JSON.stringify(r));
    else {
      io.out(sandboxTable(r, `what the fake programs received (${file})`).text);
      if (r.stdout) io.out("stdout:\n" + r.stdout.replace(/\n$/, ""));
      if (r.stderr) io.out("stderr:\n" + r.stderr.replace(/\n$/, ""));
      io.out(`exit status ${r.status}${r.timedOut ? " (timed out)" : ""}`);
    }
    return 0;
  }
  if (sub === "words" || sub === "explain" || sub === "levels") {
    const { values, positionals } = parseArgs({ args: rest, options: LINE_OPTS, allowPositionals: true });
    const line = readLine(positionals, values.stdin, sub);
    const env = envFrom(values.var, values.arg);
    if (sub === "words") {
      const ex = expandLine(line, env);
      if (values.json)
        io.out(
          JSON.stringify({
            commands: ex.commands.map((c) => ({
              argv: c.argv,
              assignments: c.assignments,
              redirects: c.redirects,
              next: c.next ?? null,
            })),
            unset: ex.unset,
          }),
        );
      else
        ex.commands.forEach((c, i) =>
          io.out(
            `${i + 1}: ${c.argv.map(visible).join(" ")}` +
              `${c.assignments.length ? `  (sets ${c.assignments.map(assignmentText).join(" ")})` : ""}` +
              `${c.next && c.next !== "\n" ? "  " + c.next : ""}`,
          ),
        );
      return 0;
    }
    if (sub === "explain") {
      const e = explain(line, env);
      if (values.json) {
        const { html: _h, text: _t, ...data } = e;
        io.out(JSON.stringify(data));
      } else io.out(values.html ? e.html : e.text);
      return 0;
    }
    const lv = levels(line, env);
    if (values.json) io.out(JSON.stringify(lv));
    else {
      for (const l of lv) {
        io.out(
          `level ${l.depth}: ${l.shell} (${l.via}) parses ` +
            `${visible(l.script)}${l.positional.length ? `  with $1… = ${l.positional.map(visible).join(" ")}` : ""}`,
        );
        for (const n of l.notes) io.out(`  note: ${n}`);
        if (l.error) io.out(`  ${l.error.kind === "syntax" ? "SYNTAX ERROR" : "not modelled"}: ${l.error.message}`);
        for (const c of l.calls)
          io.out(
            `  ${c.via === "shell" ? "runs" : `via ${c.via}:`} ` +
              `${c.argv.map(visible).join(" ")}${c.next && c.next !== "\n" ? "  " + c.next : ""}`,
          );
      }
    }
    return 0;
  }
  io.err(USAGE);
  return 2;
}

export const commands: CliCommand[] = [
  { name: "shell", summary: "bash words, quoting for N shells, explainer, what inner shells see", usage: USAGE, run },
];

/**
 * From tokens to simple commands, and from simple commands to the argv bash would run.
 *
 * Follows the Bash Reference Manual (5.2) §3.2.2 Simple Commands, §3.2.3 Pipelines, §3.2.4 Lists,
 * §3.7.1 Simple Command Expansion (assignments before the command name, redirections), §3.4
 * Shell Parameters (an assignment-only command sets the variable for what follows).
 * Compound commands and reserved words are refused (UnsupportedError), never guessed.
 *
 * @example
 *   words(`x='a b'; printf '%s\n' $x "$x"`) // [[], ["printf", "%s\n", "a", "b", "a b"]]
 *   expandLine(`printf '%s\n' $x "$x"`, { vars: { x: "a b" } }).commands[0].argv
 *   // ["printf", "%s\n", "a", "b", "a b"]
 */
import { ParseError, UnsupportedError } from "../util/errors";
import { lex, locate, type LexResult, type RedirectToken, type WordToken } from "./lexer";
import { expandWord, type ShellEnv } from "./expand";
import { markTildes } from "./tilde";

export interface Assignment {
  name: string;
  append: boolean;
  /** The value part of the word (after `=`), as a word token of its own. */
  value: WordToken;
  word: WordToken;
}

export interface SimpleCommand {
  assignments: Assignment[];
  words: WordToken[];
  redirects: RedirectToken[];
  /** The operator after this command: | |& ; & && || "\n", or undefined at the end. */
  next?: string;
}

export interface ParsedLine extends LexResult {
  commands: SimpleCommand[];
}

const RESERVED = new Set([
  "!",
  "case",
  "coproc",
  "do",
  "done",
  "elif",
  "else",
  "esac",
  "fi",
  "for",
  "function",
  "if",
  "in",
  "select",
  "then",
  "until",
  "while",
  "{",
  "}",
  "time",
  "[[",
  "]]",
]);
const DECLARATION = new Set(["declare", "typeset", "local", "export", "readonly"]);
const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/;

/** The literal text of a word if it is entirely unquoted plain text, else undefined. */
export function plainText(w: WordToken): string | undefined {
  return w.spans.every((s) => s.kind === "plain") ? w.spans.map((s) => s.value).join("") : undefined;
}

/**
 * If the word starts with NAME= (or NAME+=) in unquoted text, splits it into an assignment. Line
 * continuations inside NAME are removed first, as bash's reader does (`x\<newline>y=1` assigns xy).
 */
function asAssignment(w: WordToken): Assignment | undefined {
  let name = "";
  for (let i = 0; i < w.spans.length; i++) {
    const s = w.spans[i]!;
    if (s.kind === "continuation") continue;
    if (s.kind !== "plain" || s.dollar) return undefined;
    const eq = s.value.indexOf("=");
    if (eq < 0) {
      name += s.value;
      if (!/^[A-Za-z_][A-Za-z0-9_]*\+?$/.test(name)) return undefined;
      continue;
    }
    const m = ASSIGN.exec(name + s.value.slice(0, eq + 1));
    if (!m || m[0].length !== name.length + eq + 1) return undefined;
    const cut = s.start + eq + 1;
    const rest = { ...s, start: cut, source: s.source.slice(eq + 1), value: s.value.slice(eq + 1) };
    const spans = [...(rest.value ? [rest] : []), ...w.spans.slice(i + 1)];
    return {
      name: m[1]!,
      append: m[2] === "+",
      word: w,
      value: { type: "word", start: cut, end: w.end, source: w.source.slice(cut - w.start), spans },
    };
  }
  return undefined;
}

/** bash expands a here-string like an assignment value (a tilde after `:`, not after `=`): refused. */
function refuseHereStringTilde(r: RedirectToken, line: string, file: string): RedirectToken {
  const spans = r.target.spans;
  spans.forEach((s, i) => {
    if (s.kind !== "plain") return;
    for (let k = 0; k < s.value.length; k++) {
      if (s.value[k] !== "~") continue;
      const prev = k > 0 ? s.value[k - 1] : spans[i - 1]?.kind === "plain" ? spans[i - 1]!.value.slice(-1) : "";
      if (prev === ":" || prev === "=") {
        throw new UnsupportedError("unsupported: tilde expansion in a here-string (<<<) after : or =", {
          value: r.target.source,
          location: locate(line, s.start + k, file),
          hint: "quote the ~ ('~') if you mean the character",
        });
      }
    }
  });
  return r;
}

/** Groups tokens into simple commands. Throws on syntax errors and unmodelled constructs. */
export function parse(line: string, file = "<line>"): ParsedLine {
  const lx = lex(line, file);
  const commands: SimpleCommand[] = [];
  let cur: SimpleCommand = { assignments: [], words: [], redirects: [] };
  const empty = (c: SimpleCommand) => c.assignments.length + c.words.length + c.redirects.length === 0;
  for (const t of lx.tokens) {
    if (t.type === "operator") {
      if (empty(cur)) {
        if (t.op === "\n") continue;
        throw new ParseError(`syntax error near unexpected token ${JSON.stringify(t.op)}`, {
          value: t.op,
          where: "bash line",
          location: locate(line, t.start, file),
        });
      }
      cur.next = t.op;
      commands.push(cur);
      cur = { assignments: [], words: [], redirects: [] };
      continue;
    }
    if (t.type === "redirect") {
      cur.redirects.push(
        t.op === "<<<"
          ? refuseHereStringTilde(t, line, file)
          : { ...t, target: markTildes(t.target, "argument", line, file) },
      );
      continue;
    }
    if (cur.words.length === 0) {
      if (asAssignment(t)) {
        const a = asAssignment(markTildes(t, "assignment", line, file))!;
        cur.assignments.push(a);
        continue;
      }
      const p = plainText(t);
      if (p !== undefined && RESERVED.has(p)) {
        throw new UnsupportedError(`unsupported: the reserved word ${JSON.stringify(p)} starts a compound command`, {
          value: p,
          where: "bash line",
          location: locate(line, t.start, file),
          hint: "wirelab models simple commands, pipelines and lists only",
        });
      }
    } else {
      const cmd = plainText(cur.words[0]!);
      if (cmd !== undefined && DECLARATION.has(cmd) && asAssignment(t)) {
        throw new UnsupportedError(
          `unsupported: ${cmd} expands NAME=value arguments like assignments (no word splitting)`,
          {
            value: t.source,
            location: locate(line, t.start, file),
          },
        );
      }
    }
    cur.words.push(markTildes(t, "argument", line, file));
  }
  if (!empty(cur)) commands.push(cur);
  else if (commands.length > 0) {
    const last = commands[commands.length - 1]!;
    if (last.next === "|" || last.next === "|&" || last.next === "&&" || last.next === "||") {
      throw new ParseError(`syntax error: ${last.next} at the end of the line needs a command after it`, {
        value: last.next,
        where: "bash line",
        location: locate(line, line.length, file),
      });
    }
  }
  return { ...lx, commands };
}

export interface ExpandedRedirect {
  op: string;
  fd?: number;
  target: string;
}

export interface ExpandedCommand {
  /** The words bash passes to the program (argv[0] first). Empty for assignment-only commands. */
  argv: string[];
  /** Where each argv entry came from: the index of its word in `command.words`. */
  origin: number[];
  /** Expanded assignments, in order. */
  assignments: Array<{ name: string; value: string }>;
  redirects: ExpandedRedirect[];
  next?: string;
  command: SimpleCommand;
}

export interface ExpandedLine {
  line: string;
  parsed: ParsedLine;
  commands: ExpandedCommand[];
  /** Variables that were referenced while unset (they expanded to nothing). */
  unset: string[];
  /** Shell variables after the line ran (assignment-only commands change them). */
  vars: Record<string, string>;
}

/**
 * Parses and expands a line like bash would, command by command. An assignment-only command
 * (`x=1`) sets the variable for the commands after it; assignments before a command name apply
 * to that command's environment only, and do not change how its own words expand.
 * Pipelines run in subshells in bash, so an assignment-only command inside a pipeline is refused.
 */
export function expandLine(line: string, env: ShellEnv = {}, file = "<line>"): ExpandedLine {
  const parsed = parse(line, file);
  const vars: Record<string, string> = { ...(env.vars ?? {}) };
  const unset = new Set<string>();
  const out: ExpandedCommand[] = [];
  let prevNext: string | undefined;
  for (const c of parsed.commands) {
    const cur: ShellEnv = { vars: { ...vars }, positional: env.positional };
    const opts = { unset, file, line };
    const assignments: Array<{ name: string; value: string }> = [];
    for (const a of c.assignments) {
      const v = expandWord(a.value, cur, { ...opts, noSplit: true })[0]!;
      const value = a.append ? (cur.vars![a.name] ?? "") + v : v;
      assignments.push({ name: a.name, value });
      if (c.words.length === 0) {
        const inPipe = prevNext === "|" || prevNext === "|&" || c.next === "|" || c.next === "|&" || c.next === "&";
        if (inPipe)
          throw new UnsupportedError(
            "unsupported: an assignment inside a pipeline or background job (it runs in a subshell)",
            { value: a.word.source, location: locate(line, a.word.start, file) },
          );
        if (prevNext === "&&" || prevNext === "||" || c.next === "&&" || c.next === "||") {
          throw new UnsupportedError(
            "unsupported: an assignment inside && / || (whether it runs depends on exit statuses)",
            { value: a.word.source, location: locate(line, a.word.start, file) },
          );
        }
        vars[a.name] = value;
        cur.vars![a.name] = value; // x=1 y=$x: later assignments see earlier ones
      }
    }
    const argv: string[] = [];
    const origin: number[] = [];
    c.words.forEach((w, k) => {
      for (const f of expandWord(w, cur, opts)) {
        argv.push(f);
        origin.push(k);
      }
    });
    const redirects = c.redirects.map((r) => {
      if (r.op === "<<<")
        return { op: r.op, fd: r.fd, target: expandWord(r.target, cur, { ...opts, noSplit: true })[0]! };
      const f = expandWord(r.target, cur, opts);
      if (f.length !== 1) {
        throw new UnsupportedError(
          `unsupported: ambiguous redirect (the target expands to ${f.length} words; bash reports an error)`,
          {
            value: r.target.source,
            location: locate(line, r.target.start, file),
          },
        );
      }
      if ((r.op === ">&" || r.op === "<&") && !/^([0-9]+-?|-)$/.test(f[0]!)) {
        throw new UnsupportedError(
          `unsupported: ${r.op} with a target that is not a file descriptor number or - (bash reports an ` +
            `ambiguous redirect or writes a file)`,
          {
            value: f[0],
            location: locate(line, r.target.start, file),
          },
        );
      }
      return { op: r.op, fd: r.fd, target: f[0]! };
    });
    out.push({ argv, origin, assignments, redirects, next: c.next, command: c });
    prevNext = c.next;
  }
  return { line, parsed, commands: out, unset: [...unset].sort(), vars };
}

/** The argv of every command in the line (assignment-only commands give []). */
export function words(line: string, env: ShellEnv = {}): string[][] {
  return expandLine(line, env).commands.map((c) => c.argv);
}

/**
 * Quoting strings for bash: `quote(s)` returns a word that bash turns back into exactly `s`;
 * `quote(s, { levels: n })` survives n shells in a row (ssh → bash -c → …); `quoteArgv` and
 * `nestCommand` build whole command lines.
 *
 * Follows the Bash Reference Manual (5.2) §3.1.2 Quoting and POSIX.1-2017 XCU §2.2 Quoting.
 * The readable form is chosen among: bare (only characters no shell treats specially), "…" (when
 * the only special character is '), '…' with ' written as '\'' (the classic, POSIX), and $'…'
 * (bash/ksh/zsh ANSI-C quoting, for control characters). With `posix: true` only bare and '…'
 * forms are used (for `sh -c`, dash). Every form is checked against bash 5.2 in test/shell/.
 * NUL cannot be part of a shell string (C strings end there): it is an InputError.
 *
 * @example
 *   quote("it's")          // "\"it's\""
 *   quote("a b")           // "'a b'"
 *   quote("line1\nline2")  // "$'line1\\nline2'"
 *   quote("$HOME", { levels: 2 }) // "''\\''$HOME'\\'''"
 */
import { InputError } from "../util/errors";

export interface QuoteOptions {
  /** Number of shells the text goes through (default 1). */
  levels?: number;
  /** Only POSIX forms (no $'…'): for sh/dash. Control characters then stay raw inside '…'. */
  posix?: boolean;
}

/** Characters no shell treats specially anywhere in a word. */
const BARE = /^[A-Za-z0-9_@%+,./:=-]+$/;
/** A bare word that would be an assignment in command position (x=1, x+=1): quote it. */
const ASSIGNMENT_LIKE = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
/** Control characters that make $'…' the readable choice. */
const CONTROL = /[\x01-\x1f\x7f]/;
/** Characters that stay special inside "…" (plus ! for interactive shells). */
const DQ_SPECIAL = /[$`"\\!]/;

function checkString(s: unknown, where: string): string {
  if (typeof s !== "string") throw new InputError("quote() needs a string", { value: s, where });
  const nul = s.indexOf("\0");
  if (nul >= 0) {
    throw new InputError("a shell string cannot contain NUL (byte 0): programs receive C strings, which end there", {
      value: s,
      where,
      location: { offset: nul },
      hint: "pass binary data through a file or a pipe instead of an argument",
    });
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff)
      throw new InputError("a lone UTF-16 surrogate cannot be written as UTF-8 for the shell", {
        value: s,
        where,
        location: { offset: i },
      });
  }
  return s;
}

/** '…' quoting: ' becomes '\'' ; leading/trailing quotes are written as \' to stay short. */
export function singleQuote(s: string): string {
  if (s === "") return "''";
  let lead = "";
  let trail = "";
  let body = s;
  while (body.startsWith("'")) {
    lead += "\\'";
    body = body.slice(1);
  }
  while (body.endsWith("'")) {
    trail += "\\'";
    body = body.slice(0, -1);
  }
  return lead + (body === "" ? "" : "'" + body.split("'").join("'\\''") + "'") + trail;
}

/** $'…' quoting: backslash, quote and control characters escaped; everything else literal. */
export function ansiCQuote(s: string): string {
  const names: Record<string, string> = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\x07": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
    "\x1b": "\\E",
  };
  let out = "$'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (names[ch] !== undefined) out += names[ch];
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + "'";
}

/** One level of quoting, in the most readable form that is exact. */
function quoteOnce(s: string, posix: boolean): string {
  if (s === "") return "''";
  if (BARE.test(s) && !ASSIGNMENT_LIKE.test(s)) return s;
  if (!posix && CONTROL.test(s)) return ansiCQuote(s);
  if (s.includes("'") && !DQ_SPECIAL.test(s) && !CONTROL.test(s)) return '"' + s + '"';
  return singleQuote(s);
}

/**
 * A bash word that evaluates to `s` after `levels` shells (default 1).
 * @throws InputError for NUL bytes, lone surrogates, or a levels value that is not 0…16.
 */
export function quote(s: string, opts: QuoteOptions = {}): string {
  checkString(s, "quote(s)");
  const levels = opts.levels ?? 1;
  if (!Number.isInteger(levels) || levels < 0 || levels > 16) {
    throw new InputError("levels must be an integer from 0 to 16", {
      value: opts.levels,
      where: "quote(s, { levels })",
    });
  }
  let out = s;
  for (let k = 0; k < levels; k++) out = quoteOnce(out, opts.posix ?? false);
  return out;
}

/** A command line that runs argv exactly: each argument quoted, joined with spaces. */
export function quoteArgv(argv: string[], opts: QuoteOptions = {}): string {
  if (!Array.isArray(argv) || argv.length === 0)
    throw new InputError("quoteArgv needs a non-empty array of strings", { value: argv, where: "quoteArgv(argv)" });
  return argv
    .map((a, i) => {
      checkString(a, `quoteArgv(argv[${i}])`);
      return quote(a, { ...opts, levels: 1 });
    })
    .join(" ");
}

/**
 * Wraps a command in shells: `nestCommand(["printf", "%s", s], [["bash", "-c"], ["ssh", "host"]])`
 * gives the line for the outermost shell (assumed bash). Layers are listed outermost first; each
 * receives the inner line as one quoted argument (bash -c, sh -c, ssh host, docker exec c sh -c).
 * Text parsed by a POSIX sh (a layer named sh or dash) is quoted without $'…'.
 */
export function nestCommand(argv: string[], layers: string[][]): string {
  const isSh = (k: number) => k >= 0 && layers[k]!.some((a) => a === "sh" || a === "dash" || a === "/bin/sh");
  let line = quoteArgv(argv, { posix: isSh(layers.length - 1) });
  for (let k = layers.length - 1; k >= 0; k--) {
    const posix = isSh(k - 1);
    line = quoteArgv(layers[k]!, { posix }) + " " + quote(line, { posix });
  }
  return line;
}

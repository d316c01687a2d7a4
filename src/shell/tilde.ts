/**
 * Tilde expansion after `=` and `:` in assignments and in arguments that look like assignments.
 *
 * Follows the Bash Reference Manual (5.2) §3.5.2 Tilde Expansion: "Each variable assignment is
 * checked for unquoted tilde-prefixes immediately following a ':' or the first '='", and bash (not in
 * POSIX mode) does the same for words that satisfy the conditions of a variable assignment when they
 * appear as arguments (`f x=~/a` passes `x=/home/me/a`). The details are bash 5.2's code: subst.c
 * sets the tilde flag on the first unquoted `=` or an unquoted `:` followed by `~`;
 * general.c bash_tilde_find_word takes the tilde-prefix up to the first `/` or `:` and gives up
 * (no expansion) when a quote character (\ ' ") comes first; the prefix `~` alone is $HOME.
 *
 * Modelled exactly: a prefix of just `~`, replaced by the shell variable HOME, as one quoted piece
 * (never split). Refused: `~name` (the user database), `~+` / `~-` (PWD, OLDPWD), `~N` (the directory
 * stack), a prefix holding an expansion, and `~=~…`, whose meaning depends on whether the shell has
 * already expanded a tilde in an assignment (bash keeps the `=~` suffix list across calls).
 * Expanded tildes become spans of kind "tilde"; expand.ts substitutes HOME.
 *
 * @example
 *   words("f x=~/a y=a:~", { vars: { HOME: "/h" } })  // [["f", "x=/h/a", "y=a:/h"]]
 *   words("f x=~'/a'", { vars: { HOME: "/h" } })      // [["f", "x=~/a"]]  (quoted: no expansion)
 */
import { UnsupportedError } from "../util/errors";
import { locate, type Span, type WordToken } from "./lexer";

const ASSIGNMENT_LIKE = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

interface RawChar {
  ch: string;
  /** Index of the span in word.spans and offset inside its source. */
  span: number;
  offset: number;
}

/** The word as bash's expander sees it: the source without line continuations, char by char. */
function rawChars(w: WordToken): RawChar[] {
  const out: RawChar[] = [];
  w.spans.forEach((s, i) => {
    if (s.kind === "continuation") return;
    for (let k = 0; k < s.source.length; k++) out.push({ ch: s.source[k]!, span: i, offset: k });
  });
  return out;
}

/**
 * Returns the word with each tilde bash expands marked as a "tilde" span (the word itself when there
 * is none). `where` tells what the word is: an assignment statement or an assignment-like argument.
 * Throws UnsupportedError for tilde-prefixes whose expansion depends on the machine or shell state.
 */
export function markTildes(w: WordToken, where: "assignment" | "argument", line: string, file = "<line>"): WordToken {
  const raw = rawChars(w);
  const text = raw.map((r) => r.ch).join("");
  const m = ASSIGNMENT_LIKE.exec(text);
  if (!m) return w;
  const plainAt = (i: number) => w.spans[raw[i]!.span]!.kind === "plain" && !w.spans[raw[i]!.span]!.dollar;
  const sites: number[] = [];
  for (let i = m[0].length; i < raw.length; i++) {
    if (raw[i]!.ch !== "~" || !plainAt(i)) continue;
    const afterEq = i === m[0].length;
    const afterColon = raw[i - 1]!.ch === ":" && plainAt(i - 1);
    if (!afterEq && !afterColon) continue;
    // bash_tilde_find_word: up to the first `/` or `:`; a quote character first means no expansion.
    let j = i + 1;
    let quoted = false;
    while (j < raw.length && raw[j]!.ch !== "/" && raw[j]!.ch !== ":") {
      if (raw[j]!.ch === "\\" || raw[j]!.ch === "'" || raw[j]!.ch === '"') {
        quoted = true;
        break;
      }
      j++;
    }
    if (quoted) continue;
    const prefix = text.slice(i, j);
    if (prefix !== "~") {
      const why = /^~[+-]$/.test(prefix)
        ? "it is the current or previous directory (PWD / OLDPWD)"
        : /^~[+-]?[0-9]+$/.test(prefix)
          ? "it reads the directory stack (dirs)"
          : /\$/.test(prefix)
            ? "bash looks up a user named by the raw text, then expands the parameter"
            : prefix.includes("=~")
              ? "bash 5.2 splits at =~ or not depending on earlier assignments in the same shell"
              : `bash looks up the user ${JSON.stringify(prefix.slice(1))} on this machine`;
      const s = w.spans[raw[i]!.span]!;
      throw new UnsupportedError(
        `unsupported: the tilde-prefix ${prefix} in ` +
          `${where === "assignment" ? "an assignment" : "an argument that looks like an assignment"}: ${why}`,
        {
          value: w.source,
          where: "bash line",
          location: locate(line, s.start + raw[i]!.offset, file),
          hint: "quote the ~ ('~') if you mean the character",
        },
      );
    }
    sites.push(i);
  }
  if (sites.length === 0) return w;
  const spans: Span[] = [];
  w.spans.forEach((s, idx) => {
    const here = sites.filter((i) => raw[i]!.span === idx).map((i) => raw[i]!.offset);
    if (here.length === 0) {
      spans.push(s);
      return;
    }
    let from = 0;
    for (const off of here) {
      if (off > from)
        spans.push({
          ...s,
          start: s.start + from,
          end: s.start + off,
          source: s.source.slice(from, off),
          value: s.value.slice(from, off),
        });
      spans.push({
        kind: "tilde",
        start: s.start + off,
        end: s.start + off + 1,
        source: "~",
        value: "~",
        tildeIn: where,
      });
      from = off + 1;
    }
    if (from < s.source.length)
      spans.push({ ...s, start: s.start + from, end: s.end, source: s.source.slice(from), value: s.value.slice(from) });
  });
  return { ...w, spans };
}

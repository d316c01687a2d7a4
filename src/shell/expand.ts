/**
 * Bash word expansion for the constructs the lexer accepts: parameter expansion, word splitting on
 * IFS, removal of empty unquoted expansions, quote removal, "$@" / "$*", and ${name@Q}.
 *
 * Follows the Bash Reference Manual (5.2) §3.5 Shell Expansions (§3.5.3 parameter expansion,
 * §3.5.7 word splitting, §3.5.9 quote removal), §3.4.2 Special Parameters, and POSIX.1-2017 XCU
 * §2.6.5 Field Splitting. Every rule here is checked against bash 5.2 by the differential tests in
 * test/shell/.
 *
 * The splitter works on a stream of characters, each marked "splittable" (came from an unquoted
 * expansion) or not, plus markers for quoted nulls ("" or '') and hard breaks (between "$@"
 * elements). Literal text is never split, even when IFS contains its characters.
 *
 * @example
 *   expandWord(lex('a"$x"$y').tokens[0], { vars: { x: "1 2", y: "3 4" } }) // ["a1 23", "4"]
 */
import { UnsupportedError } from "../util/errors";
import { locate, type Span, type WordToken } from "./lexer";
import { quoteLikeBashQ } from "./bashq";

export interface ShellEnv {
  /** Shell variables (IFS included). A name missing here is unset. */
  vars?: Record<string, string>;
  /** Positional parameters $1, $2, … (what "$@" expands to). */
  positional?: string[];
}

export const DEFAULT_IFS = " \t\n";

/** The IFS bash uses: the variable if set (even to ""), else space, tab, newline. */
export function ifsOf(env: ShellEnv): string {
  const v = env.vars?.IFS;
  return v === undefined ? DEFAULT_IFS : v;
}

type Item =
  | { t: "text"; s: string; split: boolean } // a run of characters (split: from an unquoted expansion)
  | { t: "qnull" } // something quoted was here: the field exists even if empty
  | { t: "break" }; // a boundary between "$@" elements

/** Looks up a parameter; undefined means unset. */
export function paramValue(name: string, env: ShellEnv): string | undefined {
  if (/^[0-9]+$/.test(name)) return env.positional?.[Number(name) - 1];
  if (name === "#") return String(env.positional?.length ?? 0);
  return env.vars?.[name];
}

export interface ExpandOptions {
  /** Assignment values and here-strings: no word splitting, always one field. */
  noSplit?: boolean;
  /** Collects names of unset variables that were referenced. */
  unset?: Set<string>;
  file?: string;
  line?: string;
}

function refuse(what: string, span: Span, opts: ExpandOptions, hint?: string): never {
  throw new UnsupportedError(`unsupported: ${what}`, {
    value: span.source,
    where: "bash word expansion",
    location: opts.line !== undefined ? locate(opts.line, span.start, opts.file) : { offset: span.start },
    hint,
  });
}

/** Turns a word's spans into the item stream the splitter reads. */
function items(word: WordToken, env: ShellEnv, opts: ExpandOptions): Item[] {
  const out: Item[] = [];
  const ifs = ifsOf(env);
  const pos = env.positional ?? [];
  // "$@" with no positional parameters removes the quoted null of its "…" group when the group
  // expands to nothing else (bash 5.2: "$@" and "$e$@" vanish, """$@" stays).
  const groupsWithEmptyAt = new Set<number>();
  if (pos.length === 0) {
    const groups = new Map<number, Span[]>();
    for (const s of word.spans) if (s.group !== undefined) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
    for (const [g, spans] of groups) {
      const hasAt = spans.some((s) => s.kind === "param-quoted" && s.param!.name === "@");
      const otherText = spans.some((s) => (s.kind === "double" || s.kind === "double-escape") && s.value !== "");
      const otherParam = spans.some(
        (s) => s.kind === "param-quoted" && s.param!.name !== "@" && expandParam(s, env, opts) !== "",
      );
      if (hasAt && !otherText && !otherParam) groupsWithEmptyAt.add(g);
    }
  }
  const chars = (text: string, split: boolean) => {
    if (text !== "") out.push({ t: "text", s: text, split });
  };
  for (const s of word.spans) {
    switch (s.kind) {
      case "plain":
        chars(s.value, false);
        break;
      case "escape":
      case "single":
      case "ansi-c":
        out.push({ t: "qnull" });
        chars(s.value, false);
        break;
      case "double":
      case "double-escape":
        // Inside "…": the group's quote marks decide whether an empty result is kept.
        chars(s.value, false);
        break;
      case "quote":
        if (s.group === undefined || !groupsWithEmptyAt.has(s.group)) out.push({ t: "qnull" });
        break;
      case "continuation":
      case "comment":
        break;
      case "tilde": {
        // Tilde expansion (tilde.ts): $HOME as one quoted piece, never split.
        const home = env.vars?.HOME;
        if (home === undefined)
          refuse(
            "tilde expansion with HOME unset (bash then reads the home directory from the user database)",
            s,
            opts,
            "set HOME in the environment you give, or quote the ~",
          );
        out.push({ t: "qnull" });
        chars(home, false);
        break;
      }
      case "param-quoted": {
        const name = s.param!.name;
        if (name === "@") {
          if (opts.noSplit) refuse('"$@" in an assignment or here-string (bash joins it)', s, opts);
          pos.forEach((p, k) => {
            if (k > 0) out.push({ t: "break" });
            out.push({ t: "qnull" });
            chars(p, false);
          });
        } else if (name === "*") {
          chars(pos.join(ifs === "" ? "" : firstChar(ifs)), false);
        } else {
          chars(expandParam(s, env, opts), false);
        }
        break;
      }
      case "param": {
        const name = s.param!.name;
        if (name === "@" || name === "*") {
          if (opts.noSplit) refuse(`unquoted $${name} in an assignment or here-string`, s, opts);
          if (ifs === "") {
            pos.forEach((p, k) => {
              if (k > 0) out.push({ t: "break" });
              chars(p, false);
            });
          } else {
            // bash joins the elements with the first IFS character, then splits the result.
            chars(pos.join(firstChar(ifs)), true);
          }
        } else {
          chars(expandParam(s, env, opts), !opts.noSplit);
        }
        break;
      }
    }
  }
  return out;
}

/** The value of one param span (not "$@"/"$*"), with ${x@Q} applied. */
function expandParam(s: Span, env: ShellEnv, opts: ExpandOptions): string {
  const ref = s.param!;
  const v = paramValue(ref.name, env);
  if (v === undefined) {
    if (!/^[0-9#]+$/.test(ref.name)) opts.unset?.add(ref.name);
    return "";
  }
  if (ref.transform === "Q") {
    const q = quoteLikeBashQ(v);
    if (q === undefined)
      refuse("${name@Q} of a value with characters whose printability depends on the C library", s, opts);
    return q;
  }
  return v;
}

const GLOB = /[*?[]/;

/**
 * Whether bash word-splits this word at all. Measured on bash 5.2 (and visible in its source,
 * subst.c: param_expand clears `expanded_something` when `$` starts no expansion): an unquoted
 * literal `$` turns splitting off for the word unless an unquoted expansion comes after it, or
 * the word contains "$@", $@, ${@} or $* (not ${*}) anywhere. `x='1 2'; printf '[%s]' $x$` prints [1 2$].
 */
export function splitsAtAll(word: WordToken): boolean | "forced" {
  let flag = false;
  for (const s of word.spans) {
    if (s.kind === "param") {
      flag = true;
      // $@, ${@} and $* always split; ${*} (braced) does not force it (bash 5.2).
      if (s.param!.name === "@" || (s.param!.name === "*" && !s.param!.braced)) return "forced";
    } else if (s.kind === "param-quoted" && s.param!.name === "@") return "forced";
    else if (s.kind === "plain" && s.dollar) flag = false;
  }
  return flag;
}

/**
 * bash 5.2 with IFS set to "" splits a "…" group that holds "$@" at a literal backslash followed
 * by a space ("a\ b$@" gives [a\] [b]). A bug we do not imitate: refuse.
 */
function refuseBackslashSpaceQuirk(word: WordToken, opts: ExpandOptions): void {
  const groups = new Set<number>();
  for (const s of word.spans)
    if (s.kind === "param-quoted" && s.param!.name === "@" && s.group !== undefined) groups.add(s.group);
  for (const s of word.spans) {
    if (s.kind === "double" && s.group !== undefined && groups.has(s.group) && s.source.includes("\\ ")) {
      refuse(
        'a literal "\\ " next to "$@" inside "…" while IFS is empty ' + "(bash 5.2 splits there; a bash bug)",
        s,
        opts,
      );
    }
  }
}

/** Expands one word into the fields bash passes on (zero, one or more). */
export function expandWord(word: WordToken, env: ShellEnv = {}, opts: ExpandOptions = {}): string[] {
  if (/[^\x00-\x7f]/.test(ifsOf(env)) && word.spans.some((s) => s.kind === "param" || s.kind === "param-quoted")) {
    // Measured: IFS="中 ", set -- "p中q" r; "$*" gives "p\ufffd中中q中r" in bash 5.2.
    refuse(
      'IFS holding a non-ASCII (multibyte) character: bash 5.2 mangles such characters in "$*" and $@',
      word.spans[0]!,
      opts,
    );
  }
  const stream = items(word, env, opts);
  const mode = splitsAtAll(word);
  const ifs = opts.noSplit || !mode ? "" : ifsOf(env);
  if (ifsOf(env) === "") refuseBackslashSpaceQuirk(word, opts);
  for (const it of stream) {
    const g = it.t === "text" && it.split ? GLOB.exec(it.s) : null;
    if (g) {
      const span = word.spans.find((s) => s.kind === "param") ?? word.spans[0]!;
      refuse(
        `pathname expansion: an unquoted expansion produced ${JSON.stringify(g[0])}, which bash treats as a ` +
          `glob pattern`,
        span,
        opts,
        'put the expansion in double quotes ("$x")',
      );
    }
  }
  const fields: string[] = [];
  let cur = "";
  let quoted = false;
  // start: nothing yet; field: inside a field; wsEnd: a whitespace delimiter ended a field;
  // nonWs: a non-whitespace delimiter was just seen.
  let state: "start" | "field" | "wsEnd" | "nonWs" = "start";
  const emit = () => {
    fields.push(cur);
    cur = "";
    quoted = false;
  };
  for (const it of stream) {
    if (it.t === "qnull") {
      quoted = true;
      state = "field";
      continue;
    }
    if (it.t === "break") {
      if (cur !== "" || quoted) emit();
      state = "start";
      continue;
    }
    if (!it.split || ifs === "") {
      cur += it.s;
      state = "field";
      continue;
    }
    for (const c of it.s) {
      if (ifs.includes(c)) {
        const ws = c === " " || c === "\t" || c === "\n";
        if (ws) {
          if (state === "field") {
            emit();
            state = "wsEnd";
          } else if (state === "start" && mode === "forced") {
            // bash splits $@ words with leading IFS white space kept (list_string, quoted):
            // " :a" gives [a], not ["", a] as it does for $x.
            state = "wsEnd";
          }
        } else {
          if (state === "field") emit();
          else if (state === "start" || state === "nonWs") emit();
          state = "nonWs";
        }
        continue;
      }
      cur += c;
      state = "field";
    }
  }
  if (state === "field" && (cur !== "" || quoted)) emit();
  if (opts.noSplit) return [fields.join("")];
  return fields;
}

/** The first character of IFS (a whole code point: IFS may hold non-ASCII characters). */
function firstChar(ifs: string): string {
  return String.fromCodePoint(ifs.codePointAt(0)!);
}

/**
 * Bash command-line lexer: splits a line into words, operators and redirections, and records for
 * every source character how it is quoted (the "spans" the explainer colours).
 *
 * Follows the GNU Bash Reference Manual (5.2), §3.1.2 Quoting, §3.2 Shell Commands, §3.5.3
 * Parameter Expansion, §3.6 Redirections, and POSIX.1-2017 XCU §2.3 Token Recognition.
 *
 * Input is read as bash reads a string (`bash -c`, `eval`): at the very end of the input, bash's
 * reader (parse.y, shell_getc) appends a backslash instead of a newline when the last line, read
 * together with the backslash-only lines continued into it, ends in an odd number of backslashes;
 * otherwise a newline. So a final `\` is a literal backslash (`f \` passes "\"), except when an even
 * count makes it a line continuation: `f \<newline>\<newline>\` runs f with no arguments.
 *
 * Scope: simple commands joined by `|`, `|&`, `;`, `&`, `&&`, `||` and newlines; unquoted text,
 * backslash escapes, '…', "…" (with \$ \` \" \\ \newline), $'…' (ANSI-C), comments, $name,
 * ${name}, ${name@Q}, $1…$9, ${10}, $@, $*, $#, redirections with optional fd numbers. Anything else
 * bash would do (command substitution, arithmetic, globbing, brace and tilde expansion, here-docs,
 * subshells, compound commands, other ${…} operators) raises `UnsupportedError` naming the construct
 * and its position: this module refuses rather than guesses.
 *
 * @example
 *   lex(`echo "a $x" 'b c' >out`).tokens.map(t => t.type) // ["word", "word", "word", "redirect"]
 */
import { ParseError, UnsupportedError, type SourceLocation } from "../util/errors";

/** How a run of source characters is treated by bash. */
export type SpanKind =
  | "plain" // unquoted literal text
  | "escape" // unquoted backslash + character: the character, quoted
  | "single" // inside '…'
  | "double" // literal text inside "…"
  | "double-escape" // \$ \` \" \\ inside "…"
  | "ansi-c" // the body of $'…' (escapes decoded)
  | "quote" // a quote mark or the $' / ' of ANSI-C quoting: removed
  | "param" // an unquoted parameter expansion: split on IFS
  | "param-quoted" // a parameter expansion inside "…": not split
  | "continuation" // backslash-newline: removed
  | "tilde" // an unquoted ~ that bash replaces by $HOME (assignments and assignment-like arguments)
  | "comment"; // # … to end of line: ignored

export interface Span {
  kind: SpanKind;
  /** 0-based [start, end) offsets into the line (UTF-16 code units). */
  start: number;
  end: number;
  /** The source text of the span. */
  source: string;
  /** Literal characters the span contributes (decoded); "" for quote marks, continuations, params. */
  value: string;
  /** For param spans: which parameter, and the transformation (only @Q). */
  param?: ParamRef;
  /** For quote/double spans: an id shared by every span of one "…" group. */
  group?: number;
  /** An unquoted `$` that starts no expansion (bash then skips word splitting, see expand.ts). */
  dollar?: boolean;
  /** For tilde spans: in an assignment statement's value, or in an argument that looks like one. */
  tildeIn?: "assignment" | "argument";
}

export interface ParamRef {
  /** Variable name, a positional number as a string ("1"), or "@", "*", "#". */
  name: string;
  braced: boolean;
  transform?: "Q";
}

export interface WordToken {
  type: "word";
  start: number;
  end: number;
  source: string;
  spans: Span[];
}

export interface OperatorToken {
  type: "operator";
  /** One of | |& ; & && || and "\n". */
  op: string;
  start: number;
  end: number;
}

export interface RedirectToken {
  type: "redirect";
  /** < > >> >| <> <& >& &> &>> <<< */
  op: string;
  /** Explicit file descriptor number written before the operator (e.g. 2 in 2>). */
  fd?: number;
  target: WordToken;
  start: number;
  end: number;
}

export type Token = WordToken | OperatorToken | RedirectToken;

export interface LexResult {
  line: string;
  tokens: Token[];
  comments: Span[];
  /** What bash's string reader appended to the input: "\\", "\n" or nothing (see `stringInputEnd`). */
  inputEnd: "" | "\\" | "\n";
}

/** Where an offset sits in the line, as file:line:column (1-based). */
export function locate(line: string, offset: number, file = "<line>"): SourceLocation {
  let ln = 1;
  let col = 1;
  for (let i = 0; i < offset && i < line.length; i++) {
    if (line[i] === "\n") {
      ln++;
      col = 1;
    } else col++;
  }
  return { file, line: ln, column: col, offset };
}

const META = new Set([" ", "\t", "\n", "|", "&", ";", "<", ">", "(", ")"]);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

class Lexer {
  private i = 0;
  private group = 0;
  readonly tokens: Token[] = [];
  readonly comments: Span[] = [];
  /** Offsets of the backslashes of backslash-newline continuations seen so far. */
  private readonly continuations = new Set<number>();

  constructor(
    readonly src: string,
    readonly file: string,
  ) {}

  /** [open, close] offsets of '…' and $'…' strings: bash reads the lines inside them differently. */
  private readonly rawQuoted: Array<[number, number]> = [];

  /**
   * What bash's reader appends to this input (see `stringInputEnd`). Asked only at the end of the
   * input, when every quoted string before it is known: if the last line starts inside '…' or
   * $'…', bash read it with shell_getc(0), which always appends a newline.
   */
  private get end(): "" | "\\" | "\n" {
    const lastNl = this.src.lastIndexOf("\n");
    if (lastNl >= 0 && !this.src.endsWith("\n") && this.rawQuoted.some(([a, b]) => a < lastNl && lastNl < b))
      return "\n";
    return stringInputEnd(this.src);
  }

  private unsupported(what: string, at: number, hint?: string): never {
    throw new UnsupportedError(`unsupported: ${what}`, {
      value: this.src.slice(at, at + 12),
      where: "bash line",
      location: locate(this.src, at, this.file),
      hint: hint ?? "wirelab models words, quoting and parameter expansion only; it refuses rather than guess",
    });
  }

  private parseError(what: string, at: number, hint?: string): never {
    throw new ParseError(what, {
      value: this.src.slice(at, at + 12),
      where: "bash line",
      location: locate(this.src, at, this.file),
      hint,
    });
  }

  run(): LexResult {
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === " " || c === "\t") {
        this.i++;
        continue;
      }
      if (c === "\\" && (s[this.i + 1] === "\n" || (this.i === s.length - 1 && this.end === "\n"))) {
        // A continuation between words is just removed.
        this.continuations.add(this.i);
        this.i += 2;
        continue;
      }
      if (c === "#") {
        const end = s.indexOf("\n", this.i);
        const stop = end < 0 ? s.length : end;
        this.comments.push({ kind: "comment", start: this.i, end: stop, source: s.slice(this.i, stop), value: "" });
        this.i = stop;
        continue;
      }
      if (META.has(c)) {
        this.operator();
        continue;
      }
      const w = this.word();
      const nx = s[this.i];
      if ((nx === "<" || nx === ">") && /^[0-9]+$/.test(w.source)) {
        this.operator(Number(w.source), w.start);
        continue;
      }
      if (w.spans.length > 0) this.tokens.push(w);
    }
    return { line: s, tokens: this.tokens, comments: this.comments, inputEnd: this.end };
  }

  private operator(fd?: number, fdStart?: number): void {
    const s = this.src;
    const at = this.i;
    const three = s.slice(at, at + 3);
    const two = s.slice(at, at + 2);
    const c = s[at]!;
    const push = (op: string) => {
      this.i = at + op.length;
      this.tokens.push({ type: "operator", op, start: at, end: this.i });
    };
    if (c === "(" || c === ")") this.unsupported("subshells, groups and function definitions with ( )", at);
    if (two === ";;" || two === ";&") this.unsupported("case clauses (;; ;&)", at);
    if (two === "<(" || two === ">(") this.unsupported("process substitution <( ) / >( )", at);
    if (c === "\n" || c === ";") return push(c);
    if (c === "|") return push(two === "||" || two === "|&" ? two : "|");
    if (c === "&") {
      if (three === "&>>") return this.redirect("&>>", at, fd, fdStart);
      if (two === "&>") return this.redirect("&>", at, fd, fdStart);
      return push(two === "&&" ? "&&" : "&");
    }
    if (c === "<") {
      if (three === "<<<") return this.redirect("<<<", at, fd, fdStart);
      if (two === "<<") this.unsupported("here-documents (<<)", at);
      if (two === "<&" || two === "<>") return this.redirect(two, at, fd, fdStart);
      return this.redirect("<", at, fd, fdStart);
    }
    // c === ">"
    if (two === ">>" || two === ">&" || two === ">|") return this.redirect(two, at, fd, fdStart);
    return this.redirect(">", at, fd, fdStart);
  }

  private redirect(op: string, at: number, fd: number | undefined, fdStart: number | undefined): void {
    const s = this.src;
    this.i = at + op.length;
    while (s[this.i] === " " || s[this.i] === "\t") this.i++;
    if (this.i >= s.length || META.has(s[this.i]!) || s[this.i] === "#") {
      this.parseError(`syntax error: redirection ${op} needs a target word`, this.i);
    }
    const target = this.word();
    if (target.spans.length === 0) this.parseError(`syntax error: redirection ${op} needs a target word`, this.i);
    this.tokens.push({ type: "redirect", op, fd, target, start: fdStart ?? at, end: this.i });
  }

  private word(): WordToken {
    const s = this.src;
    const start = this.i;
    const spans: Span[] = [];
    const add = (kind: SpanKind, a: number, b: number, value: string, extra: Partial<Span> = {}) => {
      const last = spans[spans.length - 1];
      if (
        last &&
        last.kind === kind &&
        (kind === "plain" || kind === "single" || kind === "double") &&
        last.end === a &&
        last.group === extra.group &&
        !extra.param &&
        !extra.dollar &&
        !last.dollar
      ) {
        last.end = b;
        last.source = s.slice(last.start, b);
        last.value += value;
        return;
      }
      spans.push({ kind, start: a, end: b, source: s.slice(a, b), value, ...extra });
    };
    while (this.i < s.length) {
      const at = this.i;
      const c = s[at]!;
      if (META.has(c)) break;
      if (c === "\\") {
        if (at + 1 >= s.length && this.end === "\n") {
          // The newline bash appends makes this a continuation.
          this.continuations.add(at);
          add("continuation", at, at + 1, "");
          this.i++;
        } else if (at + 1 >= s.length) {
          add("plain", at, at + 1, "\\");
          this.i++;
        } else if (s[at + 1] === "\n") {
          this.continuations.add(at);
          add("continuation", at, at + 2, "");
          this.i += 2;
        } else {
          const ch = charAt(s, at + 1);
          add("escape", at, at + 1 + ch.length, ch);
          this.i = at + 1 + ch.length;
          if (this.i === s.length && this.end === "\\") {
            // The backslash bash appends is left alone at the end: it quotes nothing (an empty,
            // quoted piece: subst.c turns it into a quoted null).
            add("escape", this.i, this.i, "");
          }
        }
        continue;
      }
      if (c === "'") {
        const close = s.indexOf("'", at + 1);
        if (close < 0)
          this.parseError(
            "unterminated single quote: no closing '",
            at,
            "add the closing ' (nothing is special inside '…', not even \\)",
          );
        this.rawQuoted.push([at, close]);
        add("quote", at, at + 1, "");
        if (close > at + 1) add("single", at + 1, close, s.slice(at + 1, close));
        add("quote", close, close + 1, "");
        this.i = close + 1;
        continue;
      }
      if (c === '"') {
        this.double(add);
        continue;
      }
      if (c === "$") {
        this.dollar(false, add);
        continue;
      }
      if (c === "`") this.unsupported("command substitution with backquotes", at);
      if (c === "*" || c === "?" || c === "[")
        this.unsupported(
          `unquoted ${c}: pathname expansion (globbing) depends on the files present`,
          at,
          `quote it ('${c}') if you mean the character`,
        );
      if (c === "{")
        this.unsupported(
          "unquoted {: brace expansion or a command group",
          at,
          "quote it ('{') if you mean the character",
        );
      if (c === "~" && at === start)
        this.unsupported("tilde expansion (~ at the start of a word)", at, "quote it ('~') if you mean the character");
      const ch = charAt(s, at);
      add("plain", at, at + ch.length, ch);
      this.i = at + ch.length;
    }
    return { type: "word", start, end: this.i, source: s.slice(start, this.i), spans };
  }

  private double(add: (kind: SpanKind, a: number, b: number, value: string, extra?: Partial<Span>) => void): void {
    const s = this.src;
    const open = this.i;
    const group = ++this.group;
    add("quote", open, open + 1, "", { group });
    this.i++;
    for (;;) {
      const at = this.i;
      if (at >= s.length) this.parseError('unterminated double quote: no closing "', open, 'add the closing "');
      const c = s[at]!;
      if (c === '"') {
        add("quote", at, at + 1, "", { group });
        this.i++;
        return;
      }
      if (c === "\\") {
        const n = s[at + 1];
        if (n === "\n") {
          this.continuations.add(at);
          add("continuation", at, at + 2, "");
          this.i += 2;
        } else if (n === "$" || n === "`" || n === '"' || n === "\\") {
          add("double-escape", at, at + 2, n, { group });
          this.i += 2;
        } else {
          add("double", at, at + 1, "\\", { group });
          this.i++;
        }
        continue;
      }
      if (c === "$") {
        this.dollar(true, add, group);
        continue;
      }
      if (c === "`") this.unsupported("command substitution with backquotes", at);
      const ch = charAt(s, at);
      add("double", at, at + ch.length, ch, { group });
      this.i = at + ch.length;
    }
  }

  private dollar(
    quoted: boolean,
    add: (kind: SpanKind, a: number, b: number, value: string, extra?: Partial<Span>) => void,
    group?: number,
  ): void {
    const s = this.src;
    const at = this.i;
    const n = s[at + 1];
    const kind: SpanKind = quoted ? "param-quoted" : "param";
    const literal = () => {
      add(quoted ? "double" : "plain", at, at + 1, "$", quoted ? { group } : { dollar: true });
      this.i = at + 1;
    };
    const param = (end: number, ref: ParamRef) => {
      if (s[end] === "\\" && s[end + 1] === "\n")
        this.unsupported(
          "a line continuation right after a parameter (bash joins the lines before it reads the name)",
          end,
        );
      add(kind, at, end, "", { param: ref, group });
      this.i = end;
    };
    if (n === undefined) return literal();
    if (n === "(")
      this.unsupported(s[at + 2] === "(" ? "arithmetic expansion $((…))" : "command substitution $(…)", at);
    if (n === "[") this.unsupported("arithmetic expansion $[…]", at);
    if (n === "\\" && s[at + 2] === "\n") this.unsupported("a line continuation right after $", at);
    if (n === "'" && !quoted) return this.ansiC(add);
    if (n === '"' && !quoted) this.unsupported('locale translation $"…"', at, 'drop the $ to get plain "…"');
    if (n === "{") return this.braced(quoted, add, group);
    if (NAME_START.test(n)) {
      let e = at + 2;
      while (e < s.length && NAME_CHAR.test(s[e]!)) e++;
      const name = s.slice(at + 1, e);
      if (name === "_") this.unsupported("the special parameter $_ (last argument of the previous command)", at);
      return param(e, { name, braced: false });
    }
    if (/[0-9]/.test(n)) {
      if (n === "0") this.unsupported("$0 (the shell or script name)", at);
      return param(at + 2, { name: n, braced: false });
    }
    if (n === "@" || n === "*" || n === "#") return param(at + 2, { name: n, braced: false });
    if (n === "?" || n === "$" || n === "!" || n === "-")
      this.unsupported(`the special parameter $${n} (depends on the running shell)`, at);
    return literal();
  }

  private braced(
    quoted: boolean,
    add: (kind: SpanKind, a: number, b: number, value: string, extra?: Partial<Span>) => void,
    group?: number,
  ): void {
    const s = this.src;
    const at = this.i;
    let e = at + 2;
    let name: string;
    if (e < s.length && NAME_START.test(s[e]!)) {
      while (e < s.length && NAME_CHAR.test(s[e]!)) e++;
      name = s.slice(at + 2, e);
      if (name === "_") this.unsupported("the special parameter ${_}", at);
    } else if (e < s.length && /[0-9]/.test(s[e]!)) {
      while (e < s.length && /[0-9]/.test(s[e]!)) e++;
      name = String(Number(s.slice(at + 2, e)));
      if (name === "0") this.unsupported("${0} (the shell or script name)", at);
    } else if (s[e] === "@" || s[e] === "*" || (s[e] === "#" && s[e + 1] === "}")) {
      name = s[e]!;
      e++;
    } else {
      const close = s.indexOf("}", at);
      if (close < 0) this.parseError("bad substitution: ${ without a closing }", at);
      this.unsupported(
        `parameter expansion form ${s.slice(at, Math.min(close + 1, at + 20))} (only \${name} and ` +
          `\${name@Q} are modelled)`,
        at,
      );
    }
    let transform: "Q" | undefined;
    if (s[e] === "@" && s[e + 1] === "Q" && s[e + 2] === "}") {
      if (name === "@" || name === "*") this.unsupported("${@@Q} / ${*@Q}", at);
      transform = "Q";
      e += 2;
    }
    if (s[e] !== "}") {
      if (s.indexOf("}", e) < 0) this.parseError("bad substitution: ${ without a closing }", at);
      this.unsupported(
        `parameter expansion operator in ${s.slice(at, Math.min(s.indexOf("}", e) + 1, at + 24))} (only ` +
          `\${name} and \${name@Q} are modelled)`,
        at,
      );
    }
    e++;
    if (s[e] === "\\" && s[e + 1] === "\n") this.unsupported("a line continuation right after a parameter", e);
    add(quoted ? "param-quoted" : "param", at, e, "", { param: { name, braced: true, transform }, group });
    this.i = e;
  }

  private ansiC(add: (kind: SpanKind, a: number, b: number, value: string, extra?: Partial<Span>) => void): void {
    const s = this.src;
    const at = this.i;
    let i = at + 2;
    let out = "";
    for (;;) {
      if (i >= s.length) this.parseError("unterminated $'…' (ANSI-C) quote", at, "add the closing '");
      const c = s[i]!;
      if (c === "'") break;
      if (c !== "\\") {
        const ch = charAt(s, i);
        out += ch;
        i += ch.length;
        continue;
      }
      const e = s[i + 1];
      if (e === undefined) this.parseError("unterminated $'…' (ANSI-C) quote", at);
      const simple: Record<string, string> = {
        a: "\x07",
        b: "\b",
        e: "\x1b",
        E: "\x1b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
        v: "\v",
        "\\": "\\",
        "'": "'",
        '"': '"',
        "?": "?",
      };
      if (simple[e] !== undefined) {
        out += simple[e];
        i += 2;
        continue;
      }
      if (/[0-7]/.test(e)) {
        let j = i + 1;
        while (j < s.length && j < i + 4 && /[0-7]/.test(s[j]!)) j++;
        const v = parseInt(s.slice(i + 1, j), 8);
        out += this.byteChar(v, i);
        i = j;
        continue;
      }
      if (e === "x") {
        if (s[i + 2] === "{") this.unsupported("\\x{…} escapes in $'…'", i);
        let j = i + 2;
        while (j < s.length && j < i + 4 && /[0-9a-fA-F]/.test(s[j]!)) j++;
        if (j === i + 2) {
          out += "\\x";
          i += 2;
          continue;
        }
        out += this.byteChar(parseInt(s.slice(i + 2, j), 16), i);
        i = j;
        continue;
      }
      if (e === "u" || e === "U") {
        const max = e === "u" ? 4 : 8;
        let j = i + 2;
        while (j < s.length && j < i + 2 + max && /[0-9a-fA-F]/.test(s[j]!)) j++;
        if (j === i + 2) {
          out += "\\" + e;
          i += 2;
          continue;
        }
        const cp = parseInt(s.slice(i + 2, j), 16);
        if (cp === 0) this.unsupported("a NUL byte in $'…' (bash cuts the string there)", i);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
          this.unsupported(`\\${e} escape for a code point that is not a character (U+${cp.toString(16)})`, i);
        if (cp >= 0x80 && cp <= 0x9f)
          this.unsupported("\\u escape for a C1 control character (printed differently per locale)", i);
        out += String.fromCodePoint(cp);
        i = j;
        continue;
      }
      if (e === "c") {
        const x = s[i + 2];
        if (x === undefined || !/[A-Za-z[\]^_?]/.test(x))
          this.unsupported("\\c followed by anything but a letter or [ ] ^ _ ?", i);
        out += x === "?" ? "\x7f" : String.fromCharCode(x.toUpperCase().charCodeAt(0) & 0x1f);
        i += 3;
        continue;
      }
      // Unknown escape: bash keeps the backslash.
      const ch = charAt(s, i + 1);
      out += "\\" + ch;
      i += 1 + ch.length;
    }
    this.rawQuoted.push([at + 1, i]);
    add("quote", at, at + 2, "");
    if (i > at + 2) add("ansi-c", at + 2, i, out);
    add("quote", i, i + 1, "");
    this.i = i + 1;
  }

  private byteChar(v: number, at: number): string {
    if (v === 0) this.unsupported("a NUL byte in $'…' (bash cuts the string there)", at);
    if (v > 0x7f)
      this.unsupported(
        "a raw byte above 0x7f in $'…' (not a character on its own in UTF-8)",
        at,
        "write the character itself or use \\u",
      );
    return String.fromCharCode(v);
  }
}

/**
 * What bash 5.2 appends to a string it reads as input (`bash -c`, `eval`) whose last line has no
 * newline: parse.y shell_getc adds "\\" instead of "\n" when `last_was_backslash` is set. That flag
 * toggles on each backslash, is cleared by other characters and not touched by newlines, and starts
 * at 0 in each call of shell_getc; one call reads the last line together with the lines before it
 * that hold only a continuation backslash. So: count the trailing backslashes of the last line,
 * plus, when the line is nothing but backslashes, the backslash-only lines just before it; odd
 * gives "\\", even "\n". Returns "" when the input is empty or ends in a newline.
 *
 * @example
 *   stringInputEnd("f \\")          // "\\": bash reads `f \\\\` and passes one backslash
 *   stringInputEnd("f \\\n\\\n\\") // "\n": the last backslash continues the line; f gets no argument
 */
export function stringInputEnd(src: string): "" | "\\" | "\n" {
  if (src === "" || src.endsWith("\n")) return "";
  let k = src.length - 1;
  let run = 0;
  while (k >= 0 && src[k] === "\\") {
    run++;
    k--;
  }
  if (run > 0 && (k < 0 || src[k] === "\n")) {
    // The last line is all backslashes: the backslash-only lines before it were read in the same call.
    while (k >= 1 && src[k] === "\n" && src[k - 1] === "\\" && (k === 1 || src[k - 2] === "\n")) {
      run++;
      k -= 2;
    }
  }
  return run % 2 === 1 ? "\\" : "\n";
}

/** One full code point at i (a surrogate pair counts as one). */
function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i)!;
  return cp > 0xffff ? s.slice(i, i + 2) : s[i]!;
}

/** Tokenizes a bash line. Throws ParseError (bad syntax) or UnsupportedError (not modelled). */
export function lex(line: string, file = "<line>"): LexResult {
  if (typeof line !== "string")
    throw new ParseError("a bash line must be a string", { value: line, where: "lex(line)" });
  const nul = line.indexOf("\0");
  if (nul >= 0)
    throw new ParseError("a bash line cannot contain a NUL byte", {
      value: line.slice(Math.max(0, nul - 5), nul + 5),
      location: locate(line, nul, file),
    });
  return new Lexer(line, file).run();
}

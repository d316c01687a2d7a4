/**
 * Line tokenizer shared by the Junos and IOS parsers: words with their 1-based columns, double
 * quoted strings, and Junos `[ a b ]` lists kept as single tokens; the line cursor both parsers'
 * statement handlers read a line through (and refuse it with file:line:column); small address
 * helpers.
 */
import { ParseError, UnsupportedError, type SourceLocation } from "../util/errors";

export interface Token {
  text: string;
  column: number;
  /** Items of a `[ … ]` list. */
  list?: string[];
}

export function tokenize(line: string, file: string, lineNo: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === " " || ch === "\t") {
      i++;
      continue;
    }
    const col = i + 1;
    if (ch === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0)
        throw new ParseError("unterminated quoted string", {
          value: line.slice(i),
          location: { file, line: lineNo, column: col },
        });
      out.push({ text: line.slice(i + 1, end), column: col });
      i = end + 1;
      continue;
    }
    if (ch === "[") {
      const end = line.indexOf("]", i + 1);
      if (end < 0)
        throw new ParseError("unterminated [ list ]", {
          value: line.slice(i),
          location: { file, line: lineNo, column: col },
        });
      const items = line
        .slice(i + 1, end)
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      out.push({ text: line.slice(i, end + 1), column: col, list: items });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < line.length && line[j] !== " " && line[j] !== "\t") j++;
    out.push({ text: line.slice(i, j), column: col });
    i = j;
  }
  return out;
}

export function loc(file: string, line: number, tok?: Token): SourceLocation {
  return { file, line, column: tok?.column ?? 1 };
}

/** The words of some tokens, joined by one space. */
export function wordsOf(tokens: Token[]): string {
  return tokens.map((x) => x.text).join(" ");
}

/**
 * One tokenized configuration line and the helpers every statement handler uses to read it and to
 * refuse it. Each refusal names the file, the line and the column of the word at fault.
 */
export interface LineCursor {
  file: string;
  lineNo: number;
  t: Token[];
  /** The text of word k, if the line has one. */
  w: (k: number) => string | undefined;
  /** Where word k stands (past the end of the line: where the last word stands). */
  at: (k: number) => SourceLocation;
  /** Throws a ParseError: word k makes no statement this model reads. */
  unknown: (k: number) => never;
  /** Throws an UnsupportedError: the statement is recognised, but `what` is not modelled. */
  unsupported: (k: number, what: string) => never;
  /** Throws a ParseError if the line goes on from word k. */
  end: (k: number) => void;
}

/** How one configuration dialect names its lines in the errors of its LineCursor. */
export interface CursorDialect {
  /** What one line is called, e.g. `IOS-XE line`, `Junos statement`. */
  line: string;
  /** The words an error quotes for a fault at word k (the whole line, or the words up to k). */
  quote: (t: Token[], k: number) => string;
  /** Where the learner finds what this dialect's model reads. */
  hint: string;
}

/** A cursor over one tokenized line of `file`. */
export function lineCursor(t: Token[], file: string, lineNo: number, dialect: CursorDialect): LineCursor {
  const at = (k: number): SourceLocation => loc(file, lineNo, t[k] ?? t[t.length - 1]);
  const w = (k: number): string | undefined => t[k]?.text;
  return {
    file,
    lineNo,
    t,
    w,
    at,
    unknown: (k) => {
      throw new ParseError(`unknown or unsupported ${dialect.line} "${dialect.quote(t, k)}"`, {
        value: w(k) ?? "(end of line)",
        location: at(k),
        hint: dialect.hint,
      });
    },
    unsupported: (k, what) => {
      throw new UnsupportedError(`${what} is not modelled`, { value: dialect.quote(t, k), location: at(k) });
    },
    end: (k) => {
      if (t.length > k) throw new ParseError("unexpected extra words", { value: wordsOf(t.slice(k)), location: at(k) });
    },
  };
}

/** "10.0.0.1/32" → address part, with a check. */
export function checkPrefix(text: string, where: SourceLocation): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    throw new ParseError("expected an IPv4 prefix like 192.0.2.0/24", { value: text, location: where });
  }
  const len = Number(m[5]);
  const n = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join(".")}/${len}`;
}

export function checkAddress(text: string, where: SourceLocation): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m || m.slice(1).some((o) => Number(o) > 255))
    throw new ParseError("expected an IPv4 address", { value: text, location: where });
  return text;
}

/** "255.255.255.0" → 24 (contiguous masks only). */
export function maskLength(mask: string, where: SourceLocation): number {
  checkAddress(mask, where);
  const n = mask.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  let len = 0;
  while (len < 32 && n & (2 ** (31 - len))) len++;
  const rebuilt = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  if (rebuilt !== n) throw new ParseError("not a contiguous netmask", { value: mask, location: where });
  return len;
}

export function parseUintToken(
  t: Token | undefined,
  what: string,
  file: string,
  line: number,
  max = 0xffffffff,
): number {
  if (!t || !/^\d+$/.test(t.text) || Number(t.text) > max) {
    throw new ParseError(`expected ${what}`, { value: t?.text ?? "(end of line)", location: loc(file, line, t) });
  }
  return Number(t.text);
}

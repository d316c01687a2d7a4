/**
 * Errors that name the bad value and where it came from.
 *
 * Every parser and every input check in wirelab throws a `WirelabError` (or a subclass) whose
 * message names the offending value and, when the value came from a file or a packet, its
 * location: `file:line:column` for text, `byte offset N` for binary data.
 *
 * @example
 *   throw new InputError("modulus must be greater than 1", { value: 1n, where: "modPow(…, m)" });
 *   // → InputError: modulus must be greater than 1 (got 1n, in modPow(…, m))
 */
import { inspect } from "node:util";

/** Where a bad value came from. All fields optional; the more the better. */
export interface SourceLocation {
  /** File name (or a label such as "<stdin>", "--routes"). */
  file?: string;
  /** 1-based line number. */
  line?: number;
  /** 1-based column number. */
  column?: number;
  /** 0-based byte offset in a binary input. */
  offset?: number;
}

export interface ErrorDetails {
  /** The bad value itself; it is shown, truncated, in the message. */
  value?: unknown;
  /** A short phrase naming the argument or field, e.g. "modPow(…, m)" or "option 82 length". */
  where?: string;
  /** File/line/column or byte offset. */
  location?: SourceLocation;
  /** A hint that tells the user what to do instead. */
  hint?: string;
}

/** Formats a location as `file:line:column` or `byte offset N`. Empty string if nothing is known. */
export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc) return "";
  const parts: string[] = [];
  if (loc.file !== undefined) {
    let s = loc.file;
    if (loc.line !== undefined) s += `:${loc.line}`;
    if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
    parts.push(s);
  } else if (loc.line !== undefined) {
    parts.push(`line ${loc.line}${loc.column !== undefined ? `, column ${loc.column}` : ""}`);
  }
  if (loc.offset !== undefined) parts.push(`byte offset ${loc.offset}`);
  return parts.join(", ");
}

/** Renders any value briefly for an error message (bigints keep their `n`). */
export function describeValue(value: unknown, max = 80): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else s = inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: max });
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

/** Base class of every error wirelab throws on purpose. */
export class WirelabError extends Error {
  readonly details: ErrorDetails;
  constructor(message: string, details: ErrorDetails = {}) {
    const bits: string[] = [];
    if ("value" in details) bits.push(`got ${describeValue(details.value)}`);
    if (details.where) bits.push(`in ${details.where}`);
    const loc = formatLocation(details.location);
    if (loc) bits.push(`at ${loc}`);
    let full = bits.length ? `${message} (${bits.join(", ")})` : message;
    if (details.hint) full += `. ${details.hint}`;
    super(full);
    this.name = new.target.name;
    this.details = details;
  }
}

/** A value of the wrong type or out of range, given by a caller. */
export class InputError extends WirelabError {}

/** Text or bytes that do not parse. Carries a location. */
export class ParseError extends WirelabError {}

/** A construct that is valid in the real world but not modelled here: we refuse rather than guess. */
export class UnsupportedError extends WirelabError {}

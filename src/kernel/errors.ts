/**
 * Turns what went wrong in a notebook cell into the content of a Jupyter `error` message
 * (Jupyter messaging spec 5.3, "Execution errors": `ename`, `evalue`, `traceback`).
 *
 * Three sources: TypeScript diagnostics (the cell did not compile), a thrown value (an `Error`
 * or anything else: strings, numbers, `undefined`), and a rejected promise (top-level await,
 * a tracked display). Pure functions: the kernel and the tests share them.
 */
import { inspect } from "node:util";

/** The `error` content Jupyter front ends and nbformat expect. */
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** One TypeScript diagnostic as tslab reports it (1-based line and column). */
export interface CellDiagnostic {
  file?: string;
  line: number;
  column: number;
  message: string;
}

/** Stack frames that belong to the kernel machinery, not to the learner's code. */
const INTERNAL_FRAME =
  /node:vm|node:internal|[\\/]tslab[\\/]dist[\\/]|[\\/]dist[\\/]kernel[\\/]|[\\/]src[\\/]kernel[\\/]/;

/**
 * How a cell's own frames are named. Positions in them are in the JavaScript tslab compiled the
 * cell to (not the TypeScript the learner typed), so the name says so.
 */
export const CELL_FRAME_NAME = "<cell, compiled JS>";

/** Removes kernel-internal frames from a stack trace; keeps the header and the cell's frames. */
export function cleanStack(stack: string): string[] {
  const lines = stack.split("\n");
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s+at /.test(line)) {
      if (INTERNAL_FRAME.test(line)) continue;
      out.push(line.replace(/evalmachine\.<anonymous>/g, CELL_FRAME_NAME));
    } else out.push(line);
  }
  return out;
}

/** Formats one diagnostic as `line:col - message` (prefixed by the file when it is not the cell). */
export function formatDiagnostic(d: CellDiagnostic): string {
  return `${d.file ? d.file + " " : ""}${d.line}:${d.column} - ${d.message}`;
}

/** The error content for a cell that did not compile. */
export function diagnosticsError(diags: CellDiagnostic[]): ErrorContent {
  const lines = diags.map(formatDiagnostic);
  const n = diags.length;
  return {
    ename: "TSError",
    evalue: lines.join("\n"),
    traceback: [
      `TSError: the cell did not compile (${n} TypeScript error${n === 1 ? "" : "s"}):`,
      ...lines.map((l) => "  " + l),
    ],
  };
}

function isErrorLike(x: unknown): x is Error {
  return (
    x instanceof Error ||
    (typeof x === "object" &&
      x !== null &&
      typeof (x as Error).message === "string" &&
      typeof (x as Error).name === "string")
  );
}

/** The error content for a thrown value or a rejection reason. */
export function thrownError(value: unknown): ErrorContent {
  if (isErrorLike(value)) {
    const ename = value.name || value.constructor?.name || "Error";
    const evalue = String(value.message ?? "");
    const header = `${ename}: ${evalue}`;
    let stack = typeof value.stack === "string" && value.stack.length > 0 ? cleanStack(value.stack) : [header];
    // Node prefixes errors thrown inside vm scripts with the source line and a caret: drop that.
    const start = stack.findIndex((l) => l.startsWith(ename));
    if (start > 0) stack = stack.slice(start);
    // Some errors (e.g. with a custom name set after construction) have a stale first stack line.
    if (!stack[0]!.startsWith(ename)) stack.unshift(header);
    return { ename, evalue, traceback: stack };
  }
  const shown = inspect(value, { depth: 2, breakLength: Infinity });
  const kind = value === null ? "null" : typeof value;
  return {
    ename: "NonErrorThrown",
    evalue: shown,
    traceback: [
      `Uncaught ${shown}`,
      `(a ${kind} was thrown, not an Error object, so there is no stack trace; throw new Error("…") instead)`,
    ],
  };
}

/** Parses tslab's `console.error("%s%d:%d - %s", file, line, col, message)` diagnostic call. */
export function parseDiagnosticCall(args: unknown[]): CellDiagnostic | null {
  if (args.length !== 5 || args[0] !== "%s%d:%d - %s") return null;
  const [, file, line, column, message] = args;
  const f = typeof file === "string" ? file.trim() : "";
  return { ...(f ? { file: f } : {}), line: Number(line), column: Number(column), message: String(message) };
}

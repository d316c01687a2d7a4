/**
 * Jupyter notebook files, nbformat v4 (https://nbformat.readthedocs.io/en/latest/format_description.html):
 * types, reading with clear errors, writing in Jupyter's own layout (1-space indent, multi-line
 * strings as arrays of lines), and output stripping for committed notebooks.
 */
import * as fs from "node:fs";
import { ParseError } from "../util/errors";

export type MimeBundle = Record<string, unknown>;
export type MultilineString = string | string[];

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: MultilineString;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell {
  cell_type: "code";
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown>;
  outputs: Output[];
  execution_count: number | null;
}
export interface TextCell {
  cell_type: "markdown" | "raw";
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown>;
  attachments?: Record<string, MimeBundle>;
}
export type Cell = CodeCell | TextCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** Joins an nbformat multi-line string. */
export function joinText(s: MultilineString | undefined): string {
  if (s === undefined) return "";
  return Array.isArray(s) ? s.join("") : s;
}

/** Splits text into lines that keep their "\n" (Jupyter's on-disk form). */
export function splitLines(s: string): string[] {
  if (s === "") return [];
  const out = s.split(/(?<=\n)/);
  return out;
}

/** The source text of a cell. */
export function cellSource(cell: Cell): string {
  return joinText(cell.source);
}

/** Parses notebook JSON; `file` names it in errors. Only nbformat 4 is accepted. */
export function parseNotebook(text: string, file = "<notebook>"): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw new ParseError(`not valid notebook JSON: ${(e as Error).message}`, { where: "notebook file", location: { file, ...(m ? { offset: Number(m[1]) } : {}) } });
  }
  const nb = raw as Partial<Notebook> | null;
  if (!nb || typeof nb !== "object" || Array.isArray(nb)) throw new ParseError("a notebook must be a JSON object", { value: raw, location: { file } });
  if (nb.nbformat !== 4) {
    throw new ParseError("unsupported notebook format: only nbformat 4 is supported", { value: nb.nbformat, where: "nbformat", location: { file }, hint: "re-save the notebook with JupyterLab 3 or later" });
  }
  if (!Array.isArray(nb.cells)) throw new ParseError("a notebook needs a cells array", { value: nb.cells, where: "cells", location: { file } });
  nb.cells.forEach((c, i) => {
    const ct = (c as Partial<Cell> | null)?.cell_type;
    if (ct !== "code" && ct !== "markdown" && ct !== "raw") throw new ParseError("unknown cell type", { value: ct, where: `cells[${i}].cell_type`, location: { file } });
    const src = (c as Cell).source;
    if (typeof src !== "string" && !(Array.isArray(src) && src.every((l) => typeof l === "string"))) {
      throw new ParseError("a cell source must be a string or an array of strings", { value: src, where: `cells[${i}].source`, location: { file } });
    }
    if (ct === "code") {
      const cc = c as CodeCell;
      cc.outputs ??= [];
      cc.execution_count ??= null;
      cc.metadata ??= {};
    }
  });
  nb.metadata ??= {};
  nb.nbformat_minor ??= 4;
  return nb as Notebook;
}

/** Reads a notebook file. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ParseError(`cannot read notebook: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { where: "notebook path", location: { file } });
  }
  return parseNotebook(text, file);
}

function isTextMime(mime: string): boolean {
  return !mime.endsWith("json") && (mime.startsWith("text/") || mime === "image/svg+xml" || mime === "application/javascript");
}

function diskOutput(o: Output): Output {
  switch (o.output_type) {
    case "stream":
      return { ...o, text: splitLines(joinText(o.text)) };
    case "display_data":
    case "execute_result": {
      const data: MimeBundle = {};
      for (const [k, v] of Object.entries(o.data)) data[k] = typeof v === "string" && isTextMime(k) ? splitLines(v) : v;
      return { ...o, data };
    }
    default:
      return o;
  }
}

/** Serializes a notebook the way Jupyter writes it. */
export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((c) => {
    const source = splitLines(cellSource(c));
    if (c.cell_type !== "code") return { ...c, source };
    return { ...c, source, outputs: c.outputs.map(diskOutput) };
  });
  return JSON.stringify({ ...nb, cells }, null, 1) + "\n";
}

export function writeNotebook(file: string, nb: Notebook): void {
  fs.writeFileSync(file, serializeNotebook(nb));
}

/** A copy without outputs and execution counts (how notebooks are committed). */
export function stripOutputs(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: null } : { ...c })),
  };
}

/** Appends an output to a cell's list, merging consecutive stream text of the same name. */
export function appendOutput(outputs: Output[], o: Output): Output {
  const last = outputs[outputs.length - 1];
  if (o.output_type === "stream" && last && last.output_type === "stream" && last.name === o.name) {
    last.text = joinText(last.text) + joinText(o.text);
    return last;
  }
  outputs.push(o);
  return o;
}

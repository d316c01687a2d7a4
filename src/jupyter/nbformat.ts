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
    throw new ParseError(`not valid notebook JSON: ${(e as Error).message}`, {
      where: "notebook file",
      location: { file, ...(m ? { offset: Number(m[1]) } : {}) },
    });
  }
  const nb = raw as Partial<Notebook> | null;
  if (!nb || typeof nb !== "object" || Array.isArray(nb))
    throw new ParseError("a notebook must be a JSON object", { value: raw, location: { file } });
  if (nb.nbformat !== 4) {
    throw new ParseError("unsupported notebook format: only nbformat 4 is supported", {
      value: nb.nbformat,
      where: "nbformat",
      location: { file },
      hint: "re-save the notebook with JupyterLab 3 or later",
    });
  }
  if (!Array.isArray(nb.cells))
    throw new ParseError("a notebook needs a cells array", { value: nb.cells, where: "cells", location: { file } });
  nb.cells.forEach((c, i) => {
    const ct = (c as Partial<Cell> | null)?.cell_type;
    if (ct !== "code" && ct !== "markdown" && ct !== "raw")
      throw new ParseError("unknown cell type", { value: ct, where: `cells[${i}].cell_type`, location: { file } });
    const src = (c as Cell).source;
    if (typeof src !== "string" && !(Array.isArray(src) && src.every((l) => typeof l === "string"))) {
      throw new ParseError("a cell source must be a string or an array of strings", {
        value: src,
        where: `cells[${i}].source`,
        location: { file },
      });
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
    throw new ParseError(`cannot read notebook: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      where: "notebook path",
      location: { file },
    });
  }
  return parseNotebook(text, file);
}

function isTextMime(mime: string): boolean {
  return (
    !mime.endsWith("json") &&
    (mime.startsWith("text/") || mime === "image/svg+xml" || mime === "application/javascript")
  );
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

// ------------------------------------------------------------------ lenient reading (learner files)

/** A cell as found in any notebook-like JSON: only its type and source are relied on. */
export interface LooseCell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: unknown;
  [k: string]: unknown;
}

/**
 * Reads the cells of a notebook a learner or a colleague saved, checking only what is used (JSON,
 * a cells list): unlike parseNotebook it accepts any nbformat version. Errors name the file.
 */
export function parseLooseNotebook(text: string, file: string): { cells: LooseCell[]; [k: string]: unknown } {
  let nb: { cells?: LooseCell[] };
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new ParseError(`not a readable notebook: ${(e as Error).message}`, { location: { file } });
  }
  if (!nb || !Array.isArray(nb.cells))
    throw new ParseError("not a Jupyter notebook (no cells list)", { location: { file } });
  return nb as { cells: LooseCell[] };
}

/** The source text of a loose cell. */
export function looseSource(c: LooseCell): string {
  return Array.isArray(c.source) ? c.source.join("") : String(c.source ?? "");
}

// ------------------------------------------------------------------ .nb.md: the diffable notebook source

/**
 * A notebook source (`course/NN-name.nb.md`) is a sequence of cells, each introduced by a line
 *
 *     %% md [slide_type]      Markdown cell
 *     %% code [slide_type]    TypeScript code cell
 *     %% notes                speaker notes (Markdown, slide_type "notes")
 *     %% exercise ID… [slide_type]   cells generated from exercise specs (by the caller's `exercise`);
 *                                    text under it is a lead-in shown between heading and prompt
 *
 * slide_type is one of slide, subslide, fragment, skip, notes, "-" (default "-").
 */
export const SLIDE_TYPES = new Set(["slide", "subslide", "fragment", "skip", "notes", "-"]);

/** One cell of a source before it becomes nbformat: kind, slide type and lines (without "\n"). */
export interface SourceCell {
  kind: "md" | "code" | "notes";
  slide: string;
  lines: string[];
}

/**
 * Expands an `%% exercise ID…` line (and `lead`, the text under it) into cells; `where` is "file:line" for errors.
 */
export type ExerciseExpander = (ids: string[], slide: string, where: string, lead: string) => SourceCell[];

/** One block of a source as written: the marker line (if any), its 1-based line number, the body. */
export interface SourceBlock {
  marker: string | null;
  kind: "md" | "code" | "notes" | "exercise" | null;
  line: number;
  body: string[];
}

/** Splits a source into its marker blocks (text before the first marker is a block with no marker). */
export function splitNbMd(text: string): SourceBlock[] {
  const blocks: SourceBlock[] = [];
  let cur: SourceBlock = { marker: null, kind: null, line: 1, body: [] };
  text.split("\n").forEach((line, i) => {
    const m = /^%% (md|code|notes|exercise)\b/.exec(line);
    if (m) {
      blocks.push(cur);
      cur = { marker: line, kind: m[1] as SourceBlock["kind"], line: i + 1, body: [] };
      return;
    }
    cur.body.push(line);
  });
  blocks.push(cur);
  return blocks;
}

/** Joins blocks back into source text (inverse of splitNbMd). */
export function joinNbMd(blocks: SourceBlock[]): string {
  return blocks.flatMap((b) => (b.marker === null ? b.body : [b.marker, ...b.body])).join("\n");
}

/** Parses a notebook source into nbformat cells (without ids). Errors name file:line. */
export function parseNbMd(text: string, file: string, exercise?: ExerciseExpander): Cell[] {
  type Block = SourceCell | { kind: "exercise"; ids: string[]; slide: string; where: string; lines: string[] };
  const cells: Block[] = [];
  let cur: Block | null = null;
  text.split("\n").forEach((line, i) => {
    const x = /^%% exercise +(.+?)\s*$/.exec(line);
    if (x) {
      const words = x[1]!.split(/ +/);
      const slide = SLIDE_TYPES.has(words[words.length - 1]!) ? words.pop()! : "subslide";
      if (!exercise)
        throw new ParseError("an %% exercise line needs the exercise specs to expand it", {
          location: { file, line: i + 1 },
        });
      cur = { kind: "exercise", ids: words, slide, where: `${file}:${i + 1}`, lines: [] };
      cells.push(cur);
      return;
    }
    const m = /^%% (md|code|notes)(?: +(\S+))?\s*$/.exec(line);
    if (m) {
      const slide = m[1] === "notes" ? "notes" : m[2] || "-";
      if (!SLIDE_TYPES.has(slide))
        throw new Error(
          `${file}:${i + 1}: unknown slide type ${JSON.stringify(slide)} (use slide, subslide, fragment, ` +
            `skip, notes or -)`,
        );
      cur = { kind: m[1] as SourceCell["kind"], slide, lines: [] };
      cells.push(cur);
      return;
    }
    if (line.startsWith("%%"))
      throw new Error(
        `${file}:${i + 1}: unknown cell marker ${JSON.stringify(line)} (use "%% md", "%% code" or "%% notes")`,
      );
    if (!cur) {
      if (line.trim() === "") return;
      throw new Error(`${file}:${i + 1}: text before the first cell marker`);
    }
    cur.lines.push(line);
  });
  const expanded = cells.flatMap((c) =>
    c.kind === "exercise" ? exercise!(c.ids, c.slide, c.where, trimBlank(c.lines).join("\n")) : [c],
  );
  return expanded.map((c) => {
    const lines = trimBlank(c.lines);
    const source = lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l));
    const metadata = { slideshow: { slide_type: c.slide } };
    if (c.kind === "code")
      return { cell_type: "code", execution_count: null, metadata, outputs: [], source } as unknown as CodeCell;
    return { cell_type: "markdown", metadata, source } as TextCell;
  });
}

/** The lines without blank lines at either end. */
function trimBlank(lines: string[]): string[] {
  const out = [...lines];
  while (out.length && out[out.length - 1]!.trim() === "") out.pop();
  while (out.length && out[0]!.trim() === "") out.shift();
  return out;
}

/** The notebook metadata every course notebook carries (kernel, language, RISE). */
export const COURSE_NOTEBOOK_METADATA = {
  kernelspec: { display_name: "TypeScript (wirelab)", language: "typescript", name: "wirelab" },
  language_info: {
    name: "typescript",
    file_extension: ".ts",
    mimetype: "text/typescript",
    codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
  },
  rise: { autolaunch: false, scroll: true, enable_chalkboard: false, transition: "none" },
};

/** Builds the committed .ipynb text of a notebook source: stable cell ids `<name>-<index>`, no outputs. */
export function nbMdToIpynb(text: string, file: string, name: string, exercise?: ExerciseExpander): string {
  const cells = parseNbMd(text, file, exercise);
  cells.forEach((c, i) => (c.id = `${name}-${i}`.replace(/[^A-Za-z0-9-_]/g, "-")));
  const nb = { cells, metadata: COURSE_NOTEBOOK_METADATA, nbformat: 4, nbformat_minor: 5 };
  return JSON.stringify(nb, null, 1) + "\n";
}

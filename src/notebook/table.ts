/**
 * Tables for notebooks: one output with an HTML table (for JupyterLab, HTML export, slides) and an
 * aligned plain-text table (for terminals, logs and the CLI).
 *
 * @example
 *   table([{ bit: 1, square: 7n }, { bit: 0, square: 15n }], { caption: "7^29 mod 17" })
 */
import { emit, escapeHtml, type MimeBundle } from "./display";

export type Cell = string | number | bigint | boolean | null | undefined;
export type Row = Record<string, Cell>;

export interface TableOptions {
  /** Column order and subset; default: keys of the first row, then any new keys. */
  columns?: string[];
  /** Column headers to show instead of the keys. */
  headers?: Record<string, string>;
  caption?: string;
  /** Rows (0-based) to highlight, e.g. the steps where a square is multiplied in. */
  highlight?: number[];
  /** Show at most this many rows (default 200); the rest are summarised. */
  maxRows?: number;
}

export interface TableView {
  kind: "table";
  html: string;
  text: string;
  rows: Row[];
  columns: string[];
}

function cellText(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "✓" : "";
  return String(v);
}

function columnsOf(rows: Row[], opts: TableOptions): string[] {
  if (opts.columns) return opts.columns;
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

/** Builds a table view (HTML + text) without showing it. */
export function renderTable(rows: Row[], opts: TableOptions = {}): TableView {
  const columns = columnsOf(rows, opts);
  const max = opts.maxRows ?? 200;
  const shown = rows.slice(0, max);
  const hidden = rows.length - shown.length;
  const head = (c: string) => opts.headers?.[c] ?? c;
  const hl = new Set(opts.highlight ?? []);
  const numeric = columns.map((c) =>
    shown.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === "number" || typeof r[c] === "bigint"),
  );

  const th = columns.map((c) => `<th>${escapeHtml(head(c))}</th>`).join("");
  const trs = shown
    .map((r, i) => {
      const tds = columns
        .map((c, j) => `<td${numeric[j] ? ' style="text-align:right"' : ""}>${escapeHtml(cellText(r[c]))}</td>`)
        .join("");
      return `<tr${hl.has(i) ? ' style="background:#fff3c4"' : ""}>${tds}</tr>`;
    })
    .join("");
  const more = hidden > 0 ? `<tr><td colspan="${columns.length}"><em>… ${hidden} more rows</em></td></tr>` : "";
  const cap = opts.caption
    ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(opts.caption)}</caption>`
    : "";
  const html = `<table class="wirelab-table">${cap}<thead><tr>${th}</tr></thead><tbody>${trs}${more}</tbody></table>`;

  const cells = [columns.map(head), ...shown.map((r) => columns.map((c) => cellText(r[c])))];
  const widths = columns.map((_, j) => Math.max(...cells.map((row) => [...row[j]!].length)));
  const line = (row: string[], i: number) =>
    row
      .map((s, j) => (numeric[j] ? s.padStart(widths[j]!) : s.padEnd(widths[j]!)))
      .join("  ")
      .trimEnd() + (hl.has(i - 1) ? "  ◀" : "");
  const textRows = cells.map(line);
  textRows.splice(1, 0, widths.map((w) => "─".repeat(w)).join("  "));
  if (hidden > 0) textRows.push(`… ${hidden} more rows`);
  const text = (opts.caption ? opts.caption + "\n" : "") + textRows.join("\n");
  return { kind: "table", html, text, rows, columns };
}

/** The MIME bundle of a table view. */
export function tableBundle(t: TableView): MimeBundle {
  return { "text/html": t.html, "text/plain": t.text };
}

/**
 * Shows rows as a table (HTML + text). Returns nothing, so a cell ending with `table(…)` shows the
 * table once; use `renderTable` to get the view as data.
 */
export function table(rows: Row[], opts: TableOptions = {}): void {
  emit(tableBundle(renderTable(rows, opts)));
}

/**
 * Charts: vega-lite 5 specs (https://vega.github.io/vega-lite/) rendered three ways in one output:
 *
 * - `application/vnd.vegalite.v5+json`: the spec as a JSON object, drawn live by JupyterLab 4's
 *   built-in vega renderer;
 * - `image/svg+xml`: rendered here in Node with vega's headless View (no canvas, no browser), so
 *   nbconvert HTML, offline slides and the classic notebook still show the chart;
 * - `text/plain`: a one-line description for terminals and logs.
 *
 * vega 5 / vega-lite 5 are used on purpose: vega 6 is ESM-only with top-level await and cannot be
 * loaded by tslab's CommonJS cells.
 */
import type { TopLevelSpec } from "vega-lite";
import { captureEmitter, track, type MimeBundle } from "./display";

export type ChartSpec = TopLevelSpec;
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
export const VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** True for an object that looks like a vega-lite spec. */
export function isChartSpec(x: unknown): x is ChartSpec {
  if (!x || typeof x !== "object") return false;
  const o = x as Record<string, unknown>;
  if (typeof o.$schema === "string" && o.$schema.includes("vega-lite")) return true;
  return (
    ("mark" in o ||
      "layer" in o ||
      "hconcat" in o ||
      "vconcat" in o ||
      "concat" in o ||
      "facet" in o ||
      "repeat" in o) &&
    ("data" in o || "datasets" in o)
  );
}

/** Renders a vega-lite spec to an SVG string in Node (≈ 50 ms after the first call). */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  // Loaded lazily: vega is large and most CLI commands never draw.

  const vl = require("vega-lite") as typeof import("vega-lite");

  const vega = require("vega") as typeof import("vega");
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A one-line description of a chart for text-only outputs. */
export function describeChart(spec: ChartSpec): string {
  const o = spec as Record<string, any>;
  const title = typeof o.title === "string" ? o.title : (o.title?.text ?? "chart");
  const values = o.data?.values;
  const n = Array.isArray(values) ? `${values.length} data points` : "data";
  const mark = typeof o.mark === "string" ? o.mark : (o.mark?.type ?? (o.layer ? "layered" : "composite"));
  const x = o.encoding?.x?.field;
  const y = o.encoding?.y?.field;
  const axes = x || y ? ` (x: ${x ?? "-"}, y: ${y ?? "-"})` : "";
  return `[${mark} chart] ${title}: ${n}${axes}`;
}

/** Builds the three-part MIME bundle of a chart. */
export async function chartBundle(spec: ChartSpec): Promise<MimeBundle> {
  const full = { $schema: VEGALITE_SCHEMA, ...(spec as object) } as ChartSpec;
  const image = await renderChartSvg(full);
  return {
    [VEGALITE_MIME]: JSON.parse(JSON.stringify(full, (_k, v) => (typeof v === "bigint" ? Number(v) : v))),
    "image/svg+xml": image,
    "text/plain": describeChart(full),
  };
}

/**
 * Shows a chart: vega-lite + SVG + text in one output. The SVG renders asynchronously; the
 * wirelab kernel waits for it before it reports the cell done. Returns a promise for callers that
 * want to await it (tests, the CLI).
 */
export function showChart(spec: ChartSpec): Promise<void> {
  const out = captureEmitter();
  return track(
    chartBundle(spec).then(
      (bundle) => out(bundle),
      (err: unknown) => out({ "text/plain": `chart could not be rendered: ${(err as Error)?.message ?? String(err)}` }),
    ),
  );
}

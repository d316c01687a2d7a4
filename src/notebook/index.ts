/**
 * `wirelab/notebook`: everything a notebook cell uses to show something.
 *
 * `show(x)` picks the right display for a vega-lite spec, a table view, a diagram, or a string
 * (Markdown). Lower-level helpers: `table`, `markdown`, `html`, `svg`, `showChart`, `progress`,
 * and the diagram builders `ladder`, `stacks`, `topology`.
 */
import { isChartSpec, showChart, type ChartSpec } from "./chart";
import { diagramBundle, type Diagram } from "./diagram";
import { emit, markdown } from "./display";
import { tableBundle, type TableView } from "./table";

export * from "./display";
export * from "./table";
export * from "./chart";
export * from "./diagram";
export * from "./progress";

export type Showable = ChartSpec | TableView | Diagram | string;

/** Shows a chart, a table, a diagram or Markdown text in the notebook (text in a terminal). */
export function show(x: Showable): void {
  if (typeof x === "string") return markdown(x);
  if (x && typeof x === "object" && (x as { kind?: string }).kind === "diagram")
    return emit(diagramBundle(x as Diagram));
  if (x && typeof x === "object" && (x as { kind?: string }).kind === "table") return emit(tableBundle(x as TableView));
  if (isChartSpec(x)) {
    void showChart(x);
    return;
  }
  throw new TypeError(
    `show() takes a vega-lite spec, a table, a diagram or a Markdown string; got ` +
      `${typeof x === "object" ? JSON.stringify(x)?.slice(0, 80) : typeof x}`,
  );
}

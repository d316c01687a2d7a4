/**
 * How long a notebook takes, from a stated model applied to its source and its exercise specs.
 *
 * The model (docs/workshop.md, "How long each notebook takes"):
 * - reading: the Markdown prose (speaker notes excluded) at 200 words a minute;
 * - running: half a minute per code cell (run it, read the table or chart);
 * - exercises, by kind: value or choice 1–2 minutes, predict 3–5, code or fix 8–15;
 * - the lab's own minutes, stated in the notebook ("Lab time: about N minutes").
 * The low and high ends add up the low and high exercise times; the plan is their midpoint
 * rounded up to 5 minutes, the figure a notebook's **Time** line and the agendas use.
 *
 * Pure functions over text and specs; `scripts/timings.js` prints the table.
 *
 * @example
 *   notebookTiming("06-dhcp-relay.nb.md", text, exercises).plan; // e.g. 95
 */
import { cellSource, parseNbMd } from "../jupyter/nbformat";
import type { Exercise, ExerciseKind } from "../grading/spec";

export const TIMING_MODEL = {
  wordsPerMinute: 200,
  minutesPerCodeCell: 0.5,
  exercise: { value: [1, 2], choice: [1, 2], predict: [3, 5], code: [8, 15], fix: [8, 15] } as Record<
    ExerciseKind,
    [number, number]
  >,
} as const;

const TIME_LINE = /^\*\*Time:\*\*.*$/m;
const LAB_TIME = /Lab time: about (\d+) minutes/;

export interface NotebookTiming {
  notebook: string;
  words: number;
  readMinutes: number;
  codeCells: number;
  runMinutes: number;
  exercises: Array<{ id: string; kind: ExerciseKind }>;
  exerciseMinutes: [number, number];
  labMinutes: number;
  low: number;
  high: number;
  plan: number;
}

const wordCount = (t: string) => (t.match(/[A-Za-z0-9][^\s]*/g) ?? []).length;

/**
 * The model applied to one notebook. `exercises` are the specs (all of them; those whose
 * `notebook` is this one are counted). The Time line itself is not counted as reading.
 */
export function notebookTiming(sourceFile: string, text: string, exercises: readonly Exercise[]): NotebookTiming {
  const base = sourceFile.replace(/^.*\//, "").replace(/\.nb\.md$/, "");
  let words = 0;
  let codeCells = 0;
  let labMinutes = 0;
  // `%% exercise` lines count their lead-in, title and prompt as reading, and one code cell each.
  const cells = parseNbMd(text, sourceFile, (ids, _slide, _where, lead) => {
    words += wordCount(lead);
    for (const id of ids) {
      const ex = exercises.find((e) => e.id === id);
      if (ex) words += wordCount(ex.title) + wordCount(ex.prompt);
      codeCells++;
    }
    return [];
  });
  for (const c of cells) {
    const t = cellSource(c);
    if (c.cell_type === "code") codeCells++;
    else if ((c.metadata.slideshow as { slide_type?: string } | undefined)?.slide_type !== "notes") {
      words += wordCount(t.replace(TIME_LINE, ""));
      const lab = LAB_TIME.exec(t);
      if (lab) labMinutes += Number(lab[1]);
    }
  }
  const mine = exercises.filter((e) => e.notebook === `${base}.ipynb`).map((e) => ({ id: e.id, kind: e.kind }));
  const lo = mine.reduce((s, e) => s + TIMING_MODEL.exercise[e.kind][0], 0);
  const hi = mine.reduce((s, e) => s + TIMING_MODEL.exercise[e.kind][1], 0);
  const readMinutes = words / TIMING_MODEL.wordsPerMinute;
  const runMinutes = codeCells * TIMING_MODEL.minutesPerCodeCell;
  const low = Math.floor(readMinutes + runMinutes + lo + labMinutes);
  const high = Math.ceil(readMinutes + runMinutes + hi + labMinutes);
  const plan = Math.ceil((low + high) / 2 / 5) * 5;
  return {
    notebook: base,
    words,
    readMinutes,
    codeCells,
    runMinutes,
    exercises: mine,
    exerciseMinutes: [lo, hi],
    labMinutes,
    low,
    high,
    plan,
  };
}

/** The notebook's **Time** line, as the model gives it. */
export function timeLineFor(t: NotebookTiming): string {
  return `**Time:** ${t.plan} minutes (${t.low}–${t.high}: reading, running the cells, exercises and lab).`;
}

/** The Time line found in a source (its first `**Time:**` line, up to the first period after the parenthesis). */
export function statedTimeLine(text: string): string | undefined {
  const m = /^\*\*Time:\*\* [^\n]*?minutes(?: \([^)]*\))?\./m.exec(text);
  return m?.[0];
}

/** A plain-text table of every notebook's timing, for `node scripts/timings.js`. */
export function timingTable(rows: readonly NotebookTiming[]): string {
  const head = ["notebook", "words", "read", "cells", "run", "exercises", "ex. min", "lab", "low", "high", "plan"];
  const body = rows.map((t) => [
    t.notebook,
    String(t.words),
    t.readMinutes.toFixed(1),
    String(t.codeCells),
    t.runMinutes.toFixed(1),
    t.exercises.map((e) => e.kind).join(" ") || "-",
    `${t.exerciseMinutes[0]}–${t.exerciseMinutes[1]}`,
    String(t.labMinutes),
    String(t.low),
    String(t.high),
    String(t.plan),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const total = rows.reduce((s, t) => s + t.plan, 0);
  return [
    fmt(head),
    ...body.map(fmt),
    "",
    `model: ${TIMING_MODEL.wordsPerMinute} words/min, ${TIMING_MODEL.minutesPerCodeCell} min per code ` +
      `cell, value/choice 1–2, predict 3–5, code/fix 8–15 min, plus lab minutes`,
    `all notebooks: ${total} minutes planned (${Math.floor(total / 60)} h ${total % 60})`,
  ].join("\n");
}

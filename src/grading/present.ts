/**
 * How an exercise is shown, derived from its one definition (`spec.ts`): the notebook's heading,
 * prompt and check cell, the header comment of its answer file, the student README's list and
 * the rows of `wirelab exercises --json`. Written once, shown everywhere — in the manner of
 * otter-grader's `otter assign`, where one master source yields every student-facing copy.
 *
 * Pure functions returning text or plain data; `scripts/nbbuild.js` writes them into notebooks
 * (`%% exercise ID…` lines in a notebook source) and checks the answer files' headers, and a test
 * fails when any copy drifts from the spec.
 *
 * @example
 *   pointsText(ex)        // "11 points: 7 public + 4 hidden"
 *   exerciseCells([ex])   // [{ kind: "md", text: "### Exercise `dh.modpow`: …" }, { kind: "code", … }]
 */
import { InputError } from "../util/errors";
import { announcedPoints, totalPoints, type Exercise } from "./spec";
import type { SourceCell } from "../jupyter/nbformat";

/** A notebook cell before it is given its slide type: Markdown or TypeScript. */
export interface PresentedCell {
  kind: "md" | "code";
  text: string;
}

/** "N points: P public + H hidden", or "N points, all public" — what the grader will report. */
export function pointsText(exs: readonly Exercise[]): string {
  const all = exs.reduce((s, e) => s + announcedPoints(e), 0);
  const pub = exs.reduce((s, e) => s + totalPoints(e, "public"), 0);
  const unit = all === 1 ? "point" : "points";
  return all === pub ? `${all} ${unit}, all public` : `${all} ${unit}: ${pub} public + ${all - pub} hidden`;
}

/** Whether the notebook's check cell carries the answer (`check(id, undefined)`) or reads the file. */
export function answersInCell(ex: Exercise): boolean {
  return ex.checkCell
    ? ex.checkCell === "inline"
    : ex.kind === "value" || ex.kind === "choice" || ex.kind === "predict";
}

/** The notebook heading of one exercise or of a group shown together. */
export function exerciseHeading(exs: readonly Exercise[]): string {
  if (exs.length === 0)
    throw new InputError("an exercise heading needs at least one exercise", { where: "exerciseHeading" });
  if (exs.length === 1) return `### Exercise \`${exs[0]!.id}\`: ${exs[0]!.title} (${pointsText(exs)})`;
  return `### Exercises \`${exs[0]!.id}\` to \`${exs[exs.length - 1]!.id}\` (${pointsText(exs)})`;
}

/** The prompt of one exercise, with the options of a choice exercise listed under it. */
export function promptWithChoices(ex: Exercise): string {
  const choices = ex.kind === "choice" && ex.choices?.length ? "\n\n" + ex.choices.map((c) => `- ${c}`).join("\n") : "";
  return ex.prompt.trim() + choices;
}

/** The Markdown under the heading: the prompt, or a list of prompts for a group. */
export function promptMarkdown(exs: readonly Exercise[]): string {
  if (exs.length === 1) return promptWithChoices(exs[0]!);
  return exs
    .map((e) => `- **\`${e.id}\`** (${pointsText([e])}): ${promptWithChoices(e).replace(/\n/g, "\n  ")}`)
    .join("\n");
}

/** The code of the check cell for one exercise: optional starter lines, then `check(…)`. */
export function checkCode(ex: Exercise): string {
  const call = answersInCell(ex) ? `check(${JSON.stringify(ex.id)}, undefined)` : `check(${JSON.stringify(ex.id)})`;
  return ex.starter ? `${ex.starter.trim()}\n${call}` : call;
}

/**
 * The cells a notebook shows for one exercise or a group: heading, the notebook's own lead-in
 * (optional: story text that is not part of the question), the prompt(s), then the check cells.
 */
export function exerciseCells(exs: readonly Exercise[], lead = ""): PresentedCell[] {
  const parts = [exerciseHeading(exs), lead.trim(), promptMarkdown(exs)].filter((t) => t !== "");
  const md: PresentedCell = { kind: "md", text: parts.join("\n\n") };
  return [md, ...exs.map((e): PresentedCell => ({ kind: "code", text: checkCode(e) }))];
}

/** The line comment of an answer file, chosen by its extension (Junos `.set` and YAML use `#`). */
export function commentPrefix(file: string): string {
  if (/\.(ts|js|mjs|cjs)$/.test(file)) return "//";
  if (/\.(sh|bash|ya?ml|set|txt)$/.test(file)) return "#";
  if (/\.(conf|cfg|ios)$/.test(file)) return "!";
  throw new InputError("no comment syntax known for this answer file type", { value: file, where: "commentPrefix" });
}

/** Wraps Markdown prose at `width` columns, keeping list items, code fences and blank lines. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.trim().split("\n")) {
    if (para.trim() === "" || /^\s*([-*]|\d+\.)\s|^\s*```|^ {4}/.test(para) || para.length <= width) {
      out.push(para);
      continue;
    }
    let line = "";
    for (const word of para.split(/ +/)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(line);
  }
  return out;
}

/** "modPow (src/math/modular.ts), src/dh/validate.ts": what an own-work rule forbids, for people. */
function ownWorkNames(forbid: readonly string[]): string {
  return forbid.map((f) => (f.includes("#") ? `${f.split("#")[1]} (${f.split("#")[0]}.ts)` : `${f}.ts`)).join(", ");
}

/** The generated header block of an answer file that holds one exercise (or several, one block each). */
export function stubHeader(exs: readonly Exercise[], file: string): string {
  const c = commentPrefix(file);
  const blocks = exs.map((e) => {
    const where = e.notebook ? `notebook ${e.notebook.replace(/\.ipynb$/, "")}; ` : "";
    const own = e.ownWork
      ? [
          "",
          ...wrapText(
            `Own work: this answer is also a library function. Calling, wrapping or re-exporting the ` +
              `library's ${ownWorkNames(e.ownWork.forbid)} (or any npm package) here earns no credit. ${e.ownWork.why}`,
            96,
          ),
        ]
      : [];
    const lines = [
      `Exercise ${e.id}: ${e.title} (${where}${pointsText([e])})`,
      "",
      ...wrapText(promptWithChoices(e), 96),
      ...own,
      "",
      `Grade with: npx wirelab grade ${e.id}`,
    ];
    return lines.map((l) => (l ? `${c} ${l}` : c)).join("\n");
  });
  return blocks.join(`\n${c}\n`);
}

/** The comment line above an export in a shared answers file (`answers.ts`). */
export function exportComment(ex: Exercise): string {
  return `// ${ex.id}: ${ex.title} (${pointsText([ex])})`;
}

/** Whether an answer file is a shared file of several small answers, one export each. */
export function isSharedAnswers(ex: Exercise): boolean {
  return /(^|\/)answers\.ts$/.test(ex.answer.file);
}

/** One row of `wirelab exercises --json`. */
export interface ExerciseRow {
  id: string;
  title: string;
  kind: Exercise["kind"];
  points: number;
  hiddenPoints: number;
  notebook: string;
  file: string;
  prompt: string;
}

export function exerciseRow(ex: Exercise): ExerciseRow {
  const pub = totalPoints(ex, "public");
  return {
    id: ex.id,
    title: ex.title,
    kind: ex.kind,
    points: pub,
    hiddenPoints: announcedPoints(ex) - pub,
    notebook: ex.notebook ?? "",
    file: ex.answer.file,
    prompt: promptWithChoices(ex),
  };
}

/** The student README's list of exercises, grouped by notebook, as Markdown. */
export function readmeList(exs: readonly Exercise[]): string {
  const byNotebook = new Map<string, Exercise[]>();
  for (const e of exs) {
    const k = e.notebook ?? "(no notebook)";
    byNotebook.set(k, [...(byNotebook.get(k) ?? []), e]);
  }
  const parts: string[] = [];
  for (const [nb, list] of byNotebook) {
    parts.push(`### ${nb.replace(/\.ipynb$/, "")}`, "");
    for (const e of list)
      parts.push(`- \`${e.id}\` — ${e.title} (${e.kind}, ${pointsText([e])}): \`${e.answer.file}\``);
    parts.push("");
  }
  return parts.join("\n").trimEnd() + "\n";
}

/**
 * The notebook-source cells an `%% exercise ID…` line (and the lead-in text under it) stands for
 * (used by scripts/nbbuild.js and the release, through src/jupyter/nbformat.ts): the first gets
 * `slide`, the rest are fragments.
 */
export function exerciseSourceCells(
  all: readonly Exercise[],
  ids: string[],
  slide: string,
  where: string,
  lead = "",
): SourceCell[] {
  const exs = ids.map((id) => {
    const ex = all.find((e) => e.id === id);
    if (!ex) throw new InputError(`no exercise ${JSON.stringify(id)} in src/*/exercises.ts`, { where });
    return ex;
  });
  return exerciseCells(exs, lead).map((c, k) => ({
    kind: c.kind,
    slide: k === 0 ? slide : "fragment",
    lines: c.text.split("\n"),
  }));
}

/**
 * An answer file's text without its comment lines and trailing blanks: what "the learner changed
 * nothing" compares, so a regenerated header never makes an untouched stub look attempted.
 */
export function withoutComments(text: string, file: string): string {
  const c = commentPrefix(file);
  return text
    .split(/\r?\n/)
    .filter((l) => !l.trimStart().startsWith(c))
    .map((l) => l.trimEnd())
    .filter((l) => l !== "")
    .join("\n");
}

/** The answer files of a set of specs, each with the exercises it answers (in spec order). */
export function answerFilesOf(all: readonly Exercise[]): Array<{ file: string; exercises: Exercise[] }> {
  const byFile = new Map<string, Exercise[]>();
  for (const ex of all) byFile.set(ex.answer.file, [...(byFile.get(ex.answer.file) ?? []), ex]);
  return [...byFile].map(([file, exercises]) => ({ file, exercises }));
}

/**
 * An answer file with its generated comments brought up to date: the header (the leading comment
 * block ending "Grade with: …") of a one-exercise file, or the comment right above each export of a
 * shared `answers.ts`. Everything else in the file is kept as it is.
 */
export function withGeneratedComments(text: string, exs: readonly Exercise[], file: string): string {
  return isSharedAnswers(exs[0]!) ? withExportComments(text, exs) : withHeader(text, exs, file);
}

function withHeader(text: string, exs: readonly Exercise[], file: string): string {
  const c = commentPrefix(file);
  const lines = text.split("\n");
  let end = -1;
  for (let i = 0; i < lines.length && lines[i]!.startsWith(c); i++)
    if (/Grade with: npx wirelab grade /.test(lines[i]!)) end = i;
  return stubHeader(exs, file) + "\n" + (end >= 0 ? lines.slice(end + 1) : lines).join("\n");
}

function withExportComments(text: string, exs: readonly Exercise[]): string {
  const lines = text.split("\n");
  for (const ex of exs) {
    const at = lines.findIndex((l) => new RegExp(`^export (const|let|function) ${ex.answer.export}\\b`).test(l));
    if (at < 0)
      throw new InputError("the shared answers file has no export for this exercise", {
        value: ex.answer.export,
        where: `${ex.answer.file} (${ex.id})`,
      });
    if (at > 0 && lines[at - 1]!.startsWith(`// ${ex.id}:`)) lines[at - 1] = exportComment(ex);
    else lines.splice(at, 0, exportComment(ex));
  }
  return lines.join("\n");
}

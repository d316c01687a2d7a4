/**
 * Grade reports: a text table per exercise (CLI), a notebook view (HTML + text), JSON and JUnit
 * XML (for CI systems), all from the same `ExerciseReport` data.
 */
import { escapeHtml } from "../notebook/display";
import type { ExerciseReport, GradeRun, TestReport } from "./grader";

const MARK: Record<TestReport["status"], string> = {
  pass: "✓",
  fail: "✗",
  timeout: "⏱",
  crash: "✗",
  "not-attempted": "○",
  "not-run": "–",
};

const HIDDEN_NOTE = "Only the public tests ran here: hidden tests run when your instructor grades.";

function statusWord(r: ExerciseReport): string {
  switch (r.status) {
    case "full":
      return "full marks";
    case "not-attempted":
      return "not attempted";
    case "error":
      return "could not be graded";
    default:
      return `${r.earned}/${r.points}`;
  }
}

/** Plain-text report of one exercise: one line per test and a total. */
export function exerciseText(r: ExerciseReport): string {
  const lines = [`${r.id} — ${r.title}  [${r.earned}/${r.points} points, ${statusWord(r)}]  (answer: ${r.source})`];
  if (r.error) lines.push(`  ! ${r.error}`);
  if (r.status === "not-attempted") {
    lines.push(`  ○ not attempted: write your answer in ${r.source} (or in the notebook cell) and check again`);
  } else if (!r.error) {
    for (const t of r.tests)
      lines.push(`  ${MARK[t.status]} ${t.hidden ? "[hidden] " : ""}${t.name} (${t.earned}/${t.points}): ${t.message}`);
  }
  if (!r.hiddenRan && r.hiddenSkipped > 0) lines.push(`  ${HIDDEN_NOTE}`);
  return lines.join("\n");
}

/** HTML view of one exercise for the notebook `check()` and feedback pages. */
export function exerciseHtml(r: ExerciseReport): string {
  const color =
    r.status === "full" ? "#059669" : r.status === "not-attempted" ? "#6b7280" : r.earned > 0 ? "#d97706" : "#dc2626";
  const rows =
    r.status === "not-attempted"
      ? `<li style="color:#6b7280">○ Not attempted yet: write your answer, then run the check again.</li>`
      : r.tests
          .map((t) => {
            const c = t.status === "pass" ? "#059669" : t.status === "not-attempted" ? "#6b7280" : "#dc2626";
            return (
              `<li><span style="color:${c};font-weight:bold">${MARK[t.status]}</span> ` +
              `${t.hidden ? "<em>[hidden]</em> " : ""}<b>${escapeHtml(t.name)}</b> ` +
              `(${t.earned}/${t.points}): ${escapeHtml(t.message)}</li>`
            );
          })
          .join("");
  const err = r.error ? `<div style="color:#dc2626">⚠ ${escapeHtml(r.error)}</div>` : "";
  const note =
    !r.hiddenRan && r.hiddenSkipped > 0 ? `<div style="color:#6b7280;font-size:12px">${HIDDEN_NOTE}</div>` : "";
  return (
    `<div class="wirelab-check" style="border-left:4px solid ${color};padding:4px ` +
    `10px;font-family:sans-serif;font-size:13px">` +
    (`<div><b>${escapeHtml(r.id)}</b> — ${escapeHtml(r.title)}: <b ` +
      `style="color:${color}">${r.earned}/${r.points} points</b> (${statusWord(r)})</div>`) +
    `${err}<ul style="margin:4px 0;padding-left:18px;list-style:none">${rows}</ul>${note}</div>`
  );
}

/** The CLI table for a whole run. */
export function runText(run: GradeRun, opts: { hidden: boolean }): string {
  const out = run.reports.map(exerciseText);
  const idW = Math.max(8, ...run.reports.map((r) => r.id.length));
  out.push("");
  out.push(`${"exercise".padEnd(idW)}  ${"points".padStart(7)}  status`);
  for (const r of run.reports)
    out.push(`${r.id.padEnd(idW)}  ${`${r.earned}/${r.points}`.padStart(7)}  ${statusWord(r)}`);
  out.push(`${"TOTAL".padEnd(idW)}  ${`${run.earned}/${run.points}`.padStart(7)}`);
  if (!opts.hidden) out.push(HIDDEN_NOTE);
  for (const p of run.problems) out.push(`warning: ${p}`);
  return out.join("\n");
}

function xml(s: string): string {
  return s
    .replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/** JUnit XML: one testsuite per exercise, one testcase per test. */
export function runJunit(run: GradeRun): string {
  const suites = run.reports.map((r) => {
    const cases = r.tests.map((t) => {
      const body =
        t.status === "pass"
          ? ""
          : t.status === "not-attempted"
            ? `<skipped message="not attempted"/>`
            : `<failure message="${xml(t.message)}" type="${t.status}"/>`;
      const name = xml((t.hidden ? "[hidden] " : "") + t.name);
      return (
        `    <testcase classname="${xml(r.id)}" name="${name}" time="${(t.ms / 1000).toFixed(3)}">` +
        `${body}</testcase>`
      );
    });
    const failures = r.tests.filter(
      (t) => t.status === "fail" || t.status === "timeout" || t.status === "crash" || t.status === "not-run",
    ).length;
    const skipped = r.tests.filter((t) => t.status === "not-attempted").length;
    return (
      `  <testsuite name="${xml(r.id)}" tests="${r.tests.length}" failures="${failures}" ` +
      `skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>`
    );
  });
  const tests = run.reports.reduce((s, r) => s + r.tests.length, 0);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="wirelab" tests="${tests}">\n` +
    `${suites.join("\n")}\n</testsuites>\n`
  );
}

/** JSON for scripts: bigints never appear in reports, so plain JSON is fine. */
export function runJson(run: GradeRun): string {
  return JSON.stringify(run, null, 2);
}

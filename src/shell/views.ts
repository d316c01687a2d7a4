/**
 * Notebook views for the shell topic: the coloured explainer, a level-by-level table of what
 * each shell and program receives, and the FastCli comparison table. They only turn data from
 * explain.ts / levels.ts / lab.ts into src/notebook displays (HTML + text in one output).
 */
import { html, renderTable, show, type TableView } from "../notebook";
import type { ShellEnv } from "./expand";
import { explain, visible, type Explanation } from "./explain";
import { levels, type Level } from "./levels";
import type { FastCliRun, SandboxResult } from "./lab";

/** Shows the explainer for a line (HTML in Jupyter, text elsewhere). The data: explain(line). */
export function showExplain(line: string, env: ShellEnv = {}): void {
  const e: Explanation = explain(line, env);
  html(e.html, e.text);
}

/** One row per program call per level: depth, who parsed it, the argv received. */
export function levelsTable(lv: Level[], caption = "what each level receives"): TableView {
  const rows = lv.flatMap((l) => {
    const head = {
      level: l.depth,
      shell: `${l.shell} (${l.via})`,
      "script it parses": visible(l.script),
      program: "",
      argv: "",
    };
    const calls = l.calls.map((c) => ({
      level: l.depth,
      shell: "",
      "script it parses": "",
      program: c.via === "shell" ? c.argv[0]! : `${c.argv[0]} (via ${c.via})`,
      argv: c.argv.map(visible).join(" "),
    }));
    const notes = [
      ...l.notes,
      ...(l.error ? [`${l.error.kind === "syntax" ? "SYNTAX ERROR" : "not modelled"}: ${l.error.message}`] : []),
    ].map((n) => ({ level: l.depth, shell: "", "script it parses": "⚠ " + n, program: "", argv: "" }));
    return [head, ...notes, ...calls];
  });
  return renderTable(rows, { caption, columns: ["level", "shell", "script it parses", "program", "argv"] });
}

/** Shows levels(line) as a table. The data: levels(line). */
export function showLevels(line: string, env: ShellEnv = {}): void {
  show(levelsTable(levels(line, env), `levels of ${visible(line)}`));
}

/** The FastCli runs side by side: version, what FastCli read, whether it is the intended text. */
export function fastCliTable(runs: FastCliRun[], caption = "what FastCli read on stdin"): TableView {
  const rows = runs.map((r) => ({
    version: r.version,
    "commands=": visible(r.commands),
    "FastCli read":
      r.received === undefined
        ? `nothing (${r.stderr.split("\n")[0]!.replace(/^.*line \d+: /, "") || "not run"})`
        : visible(r.received),
    correct: r.ok ? "✓" : "✗",
  }));
  return renderTable(rows, { caption, highlight: runs.flatMap((r, i) => (r.ok ? [] : [i])) });
}

/** A sandbox run as a table: every fake program call, the chain that led to it, argv, stdin. */
export function sandboxTable(r: SandboxResult, caption = "what the fake programs received"): TableView {
  const rows = r.calls.map((c, i) => ({
    "#": i + 1,
    via: c.via || "(your script)",
    program: c.program,
    argv: c.argv.slice(1).map(visible).join(" "),
    stdin: c.stdin === undefined ? "" : visible(c.stdin),
  }));
  if (rows.length === 0)
    rows.push({
      "#": 0,
      via: "",
      program: "(no fake program ran)",
      argv: "",
      stdin: r.stderr ? visible(r.stderr.slice(0, 200)) : "",
    });
  return renderTable(rows, { caption });
}

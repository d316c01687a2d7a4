/**
 * explain(line): how bash reads a line, as data (tokens, spans, resulting words) plus a coloured
 * HTML view and a plain-text view. Each source character is classified (unquoted, escaped,
 * '…', "…", $'…', quote mark removed, expansion split or not, comment, operator) and each word
 * shows the fields it becomes after expansion, word splitting and quote removal.
 *
 * Follows the Bash Reference Manual (5.2) §3.1.2 Quoting and §3.5 Shell Expansions; the
 * classification is the lexer's (lexer.ts), the fields are expand.ts's, both verified against
 * bash 5.2 in test/shell/.
 *
 * @example
 *   explain(`echo "$x" $x`, { vars: { x: "a b" } }).words // [["echo", "a b", "a", "b"]]
 */
import { escapeHtml } from "../notebook/display";
import type { ShellEnv } from "./expand";
import { expandWord } from "./expand";
import type { Span, SpanKind, WordToken } from "./lexer";
import { expandLine } from "./parse";

export type PieceKind = SpanKind | "operator" | "redirect";

export interface ExplainedPiece {
  kind: PieceKind;
  start: number;
  end: number;
  source: string;
  /** What the piece contributes before splitting ("" for removed quote marks). */
  value: string;
  /** One-line explanation for a tooltip / the text view. */
  note: string;
}

export interface ExplainedToken {
  type: "word" | "operator" | "redirect" | "comment";
  role: "command" | "argument" | "assignment" | "redirect-target" | "operator" | "comment";
  start: number;
  end: number;
  source: string;
  pieces: ExplainedPiece[];
  /** For words: the fields bash makes of it (zero, one or more). */
  fields?: string[];
  /** For assignments: NAME and the assigned value. */
  assigns?: { name: string; value: string };
}

export interface Explanation {
  line: string;
  tokens: ExplainedToken[];
  /** argv of each simple command. */
  words: string[][];
  operators: string[];
  unset: string[];
  html: string;
  text: string;
}

export const KIND_STYLE: Record<PieceKind, { label: string; color: string; code: string }> = {
  plain: { label: "unquoted text", color: "#e9ecef", code: "-" },
  escape: { label: "backslash escape (next character is literal)", color: "#ffd8a8", code: "\\" },
  single: { label: "inside '…': all literal", color: "#b2f2bb", code: "s" },
  double: { label: 'inside "…": literal', color: "#a5d8ff", code: "d" },
  "double-escape": { label: 'escape inside "…" (\\$ \\` \\" \\\\)', color: "#74c0fc", code: "\\" },
  "ansi-c": { label: "$'…' ANSI-C quoting (escapes decoded)", color: "#d0bfff", code: "c" },
  quote: { label: "quote mark (removed)", color: "#dee2e6", code: "q" },
  param: { label: "unquoted expansion: split on IFS, empty disappears", color: "#ffa94d", code: "$" },
  "param-quoted": { label: 'expansion inside "…": one piece, not split', color: "#ffe066", code: "v" },
  continuation: { label: "backslash-newline (removed)", color: "#ced4da", code: "~" },
  tilde: { label: "tilde expansion after = or : (becomes $HOME, not split)", color: "#63e6be", code: "h" },
  comment: { label: "comment (ignored)", color: "#f1f3f5", code: "#" },
  operator: { label: "operator (ends a word)", color: "#ff8787", code: "o" },
  redirect: { label: "redirection (not an argument)", color: "#faa2c1", code: ">" },
};

/** A string shown with every invisible character visible (JSON escapes, non-ASCII kept). */
export function visible(s: string): string {
  return JSON.stringify(s);
}

function noteFor(s: Span, env: ShellEnv): string {
  switch (s.kind) {
    case "param":
    case "param-quoted": {
      const p = s.param!;
      const what =
        p.name === "@"
          ? "the positional parameters"
          : p.name === "*"
            ? "the positional parameters joined"
            : p.name === "#"
              ? "the number of positional parameters"
              : /^[0-9]+$/.test(p.name)
                ? `positional parameter $${p.name}`
                : `variable ${p.name}`;
      let v: string;
      if (p.name === "@" || p.name === "*") v = visible((env.positional ?? []).join(" "));
      else if (p.name === "#") v = String(env.positional?.length ?? 0);
      else {
        const raw = /^[0-9]+$/.test(p.name) ? env.positional?.[Number(p.name) - 1] : env.vars?.[p.name];
        v = raw === undefined ? "unset" : visible(raw);
      }
      return `${what}${p.transform === "Q" ? " quoted by @Q" : ""} (${v}); ${KIND_STYLE[s.kind].label}`;
    }
    case "escape":
      return s.source === ""
        ? "a backslash bash adds at the end of the input: quotes nothing, adds nothing"
        : `escaped ${visible(s.value)}: literal`;
    case "tilde": {
      const home = env.vars?.HOME;
      return `${KIND_STYLE.tilde.label} (HOME ${home === undefined ? "unset" : visible(home)})`;
    }
    default:
      return KIND_STYLE[s.kind].label + (s.value && s.kind !== "plain" ? `: ${visible(s.value)}` : "");
  }
}

function wordPieces(w: WordToken, env: ShellEnv): ExplainedPiece[] {
  return w.spans.map((s) => ({
    kind: s.kind,
    start: s.start,
    end: s.end,
    source: s.source,
    value: s.value,
    note: noteFor(s, env),
  }));
}

/** Explains a line: tokens with classified pieces, the words of each command, and two views. */
export function explain(line: string, env: ShellEnv = {}): Explanation {
  const ex = expandLine(line, env);
  const tokens: ExplainedToken[] = [];
  // Re-walk commands to attach roles and fields (assignments first, then words, redirects).
  for (const [ci, c] of ex.parsed.commands.entries()) {
    const done = ex.commands[ci]!;
    const shellVars = { vars: { ...(env.vars ?? {}) }, positional: env.positional };
    c.assignments.forEach((a, k) => {
      tokens.push({
        type: "word",
        role: "assignment",
        start: a.word.start,
        end: a.word.end,
        source: a.word.source,
        pieces: wordPieces(a.word, shellVars),
        assigns: done.assignments[k],
      });
    });
    c.words.forEach((w, k) => {
      const fields = done.argv.filter((_, j) => done.origin[j] === k);
      tokens.push({
        type: "word",
        role: k === 0 ? "command" : "argument",
        start: w.start,
        end: w.end,
        source: w.source,
        pieces: wordPieces(w, shellVars),
        fields,
      });
    });
    for (const r of c.redirects) {
      const target = expandWord(r.target, shellVars, { noSplit: r.op === "<<<" });
      tokens.push({
        type: "redirect",
        role: "redirect-target",
        start: r.start,
        end: r.end,
        source: line.slice(r.start, r.end),
        pieces: [
          {
            kind: "redirect",
            start: r.start,
            end: r.target.start,
            source: line.slice(r.start, r.target.start),
            value: "",
            note: `redirection ${r.fd ?? ""}${r.op}: not an argument`,
          },
          ...wordPieces(r.target, shellVars),
        ],
        fields: target,
      });
    }
  }
  for (const t of ex.parsed.tokens) {
    if (t.type === "operator")
      tokens.push({
        type: "operator",
        role: "operator",
        start: t.start,
        end: t.end,
        source: t.op,
        pieces: [
          {
            kind: "operator",
            start: t.start,
            end: t.end,
            source: line.slice(t.start, t.end),
            value: "",
            note: t.op === "\n" ? "newline: ends the command" : `operator ${t.op}`,
          },
        ],
      });
  }
  for (const cm of ex.parsed.comments)
    tokens.push({
      type: "comment",
      role: "comment",
      start: cm.start,
      end: cm.end,
      source: cm.source,
      pieces: [
        { kind: "comment", start: cm.start, end: cm.end, source: cm.source, value: "", note: "comment: ignored" },
      ],
    });
  tokens.sort((a, b) => a.start - b.start);
  const base = {
    line,
    tokens,
    words: ex.commands.map((c) => c.argv),
    operators: ex.commands.map((c) => c.next ?? ""),
    unset: ex.unset,
  };
  return { ...base, html: explainHtml(base), text: explainText(base) };
}

type Core = Omit<Explanation, "html" | "text">;

/** Coloured HTML: the line with one background per piece (tooltip = note), then the words. */
export function explainHtml(e: Core): string {
  const pieces = e.tokens.flatMap((t) => t.pieces).sort((a, b) => a.start - b.start);
  let pos = 0;
  let src = "";
  for (const p of pieces) {
    if (p.start > pos) src += escapeHtml(e.line.slice(pos, p.start));
    if (p.start < pos) continue;
    const st = KIND_STYLE[p.kind];
    const deco =
      p.kind === "quote" || p.kind === "continuation"
        ? "text-decoration:line-through;color:#e03131;font-weight:bold;"
        : p.kind === "param"
          ? "font-weight:bold;"
          : "";
    const shown = p.source.replace(/\n/g, "↵\n").replace(/\t/g, "⇥");
    src +=
      `<span title="${escapeHtml(p.note)}" ` +
      `style="background:${st.color};${deco}border-radius:2px">${escapeHtml(shown)}</span>`;
    pos = p.end;
  }
  src += escapeHtml(e.line.slice(pos));
  const used = [...new Set(pieces.map((p) => p.kind))];
  const legend = used
    .map(
      (k) =>
        `<span style="background:${KIND_STYLE[k].color};padding:0 ` +
        `4px;margin-right:6px;border-radius:2px">${escapeHtml(KIND_STYLE[k].label)}</span>`,
    )
    .join(" ");
  const rows = e.tokens
    .filter((t) => t.type === "word" || t.type === "redirect")
    .map((t) => {
      const result =
        t.role === "assignment"
          ? `${t.assigns!.name}=${visible(t.assigns!.value)} (variable, not an argument)`
          : t.fields!.length === 0
            ? "<i>nothing: the word disappears</i>"
            : t.fields!.map((f) => `<code>${escapeHtml(visible(f))}</code>`).join(" ");
      const source = escapeHtml(t.source.replace(/\n/g, "↵"));
      return `<tr><td><code>${source}</code></td><td>${escapeHtml(t.role)}</td><td>${result}</td></tr>`;
    })
    .join("");
  const argv = e.words
    .map(
      (w, i) =>
        `<div>command ${i + 1}: ` +
        `${w.map((x) => `<code>${escapeHtml(visible(x))}</code>`).join(" ")}` +
        `${e.operators[i] ? ` <b>${escapeHtml(e.operators[i] === "\n" ? "↵" : e.operators[i]!)}</b>` : ""}</div>`,
    )
    .join("");
  const unsetNames = e.unset.map((u) => "$" + escapeHtml(u)).join(" ");
  const unset = e.unset.length ? `<div>unset: ${unsetNames} (expand to nothing)</div>` : "";
  return (
    `<div class="wirelab-shell-explain"><pre style="font-size:1.1em;line-height:1.6">${src}</pre><div ` +
    `style="margin:4px 0">${legend}</div><table><tr><th>word</th><th>role</th><th>becomes</th></tr>` +
    `${rows}</table>${argv}${unset}</div>`
  );
}

/** Plain text: the line, a row of class codes under it, one line per word with its fields. */
export function explainText(e: Core): string {
  const lines: string[] = [];
  const codes: string[] = Array.from({ length: e.line.length }, (_, i) => (e.line[i] === "\n" ? "\n" : " "));
  for (const t of e.tokens)
    for (const p of t.pieces)
      for (let i = p.start; i < p.end; i++) if (e.line[i] !== "\n") codes[i] = KIND_STYLE[p.kind].code;
  const srcLines = e.line.split("\n");
  const codeLines = codes.join("").split("\n");
  srcLines.forEach((l, i) => {
    lines.push("  " + l.replace(/\t/g, "⇥"));
    lines.push("  " + (codeLines[i] ?? "").replace(/\s+$/, ""));
  });
  const used = [...new Set(e.tokens.flatMap((t) => t.pieces.map((p) => p.kind)))];
  lines.push("  key: " + used.map((k) => `${KIND_STYLE[k].code} ${KIND_STYLE[k].label}`).join("; "));
  for (const t of e.tokens) {
    if (t.type === "operator" || t.type === "comment") continue;
    const res =
      t.role === "assignment"
        ? `sets ${t.assigns!.name}=${visible(t.assigns!.value)}`
        : t.fields!.length === 0
          ? "(disappears)"
          : t.fields!.map(visible).join(" ");
    lines.push(`  ${t.role.padEnd(15)} ${visible(t.source).padEnd(24)} → ${res}`);
  }
  e.words.forEach((w, i) =>
    lines.push(
      `  argv ${i + 1}: ` +
        `[${w.map(visible).join(", ")}]` +
        `${e.operators[i] ? " " + (e.operators[i] === "\n" ? "↵" : e.operators[i]) : ""}`,
    ),
  );
  return lines.join("\n");
}

/** explain(): its words are words(), its pieces cover the line, its views show every word. */
import { it, expect } from "vitest";
import { explain, explainText } from "../../src/shell/explain";
import { words } from "../../src/shell/parse";
import { levels } from "../../src/shell/levels";
import { randomCases } from "../../src/shell/gen";
import { UnsupportedError } from "../../src/util/errors";

it(
  "explain() agrees with words() and accounts for every non-blank character (500 random lines)",
  { timeout: 30000 },
  () => {
    let checked = 0;
    for (const c of randomCases(77, 500)) {
      let w: string[][];
      try {
        w = words(c.line, c);
      } catch (e) {
        if (e instanceof UnsupportedError) continue;
        throw e;
      }
      const e = explain(c.line, c);
      expect(e.words, c.line).toStrictEqual(w);
      const covered = new Array(c.line.length).fill(false);
      for (const t of e.tokens) for (const p of t.pieces) for (let i = p.start; i < p.end; i++) covered[i] = true;
      for (let i = 0; i < c.line.length; i++) {
        const ch = c.line[i]!;
        // A final backslash that bash's string reader turns into a continuation is removed like one.
        const between =
          ch === " " ||
          ch === "\t" ||
          (ch === "\n" && c.line[i - 1] === "\\") ||
          (ch === "\\" && (c.line[i + 1] === "\n" || i === c.line.length - 1));
        if (!covered[i] && !between)
          expect.unreachable(`character ${i} (${JSON.stringify(ch)}) of ${JSON.stringify(c.line)} is in no piece`);
      }
      // Each command's argv is the concatenation of its word tokens' fields.
      expect(e.html.includes("<pre"), "html view").toBeTruthy();
      checked++;
    }
    expect(checked > 400, `only ${checked} lines checked`).toBeTruthy();
  },
);

it("text view lists each word's result; HTML escapes the source", { timeout: 5000 }, () => {
  const e = explain(`echo "<b>$x</b>" $x`, { vars: { x: "1 2" } });
  expect(e.text).toMatch(/argument\s+"\\"<b>\$x<\/b>\\""\s+→ "<b>1 2<\/b>"/);
  expect(e.text).toMatch(/argument\s+"\$x"\s+→ "1" "2"/);
  expect(!e.html.includes("<b>1"), "user text is escaped in HTML").toBeTruthy();
  expect(e.html.includes("&lt;b&gt;")).toBeTruthy();
  expect(explainText(e)).toBe(e.text);
});

it("levels(): sh -c scripts with bash-only syntax are refused, not read as bash", { timeout: 5000 }, () => {
  const lv = levels(`sh -c "printf '%s\\n' \\$'a\\\\tb'"`);
  expect(lv[1]!.error?.kind).toBe("unsupported");
  const ok = levels(`sh -c 'printf "%s\\n" "$1"' _ x`);
  expect(ok[1]!.error).toBe(undefined);
  expect(ok[1]!.calls[0]!.argv).toStrictEqual(["printf", "%s\\n", "x"]);
});

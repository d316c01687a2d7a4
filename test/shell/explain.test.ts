/** explain(): its words are words(), its pieces cover the line, its views show every word. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { explain, explainText } from "../../src/shell/explain";
import { words } from "../../src/shell/parse";
import { levels } from "../../src/shell/levels";
import { randomCases } from "../../src/shell/gen";
import { UnsupportedError } from "../../src/util/errors";

test("explain() agrees with words() and accounts for every non-blank character (500 random lines)", { timeout: 30000 }, () => {
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
    assert.deepEqual(e.words, w, c.line);
    const covered = new Array(c.line.length).fill(false);
    for (const t of e.tokens) for (const p of t.pieces) for (let i = p.start; i < p.end; i++) covered[i] = true;
    for (let i = 0; i < c.line.length; i++) {
      const ch = c.line[i]!;
      // A final backslash that bash's string reader turns into a continuation is removed like one.
      const between = ch === " " || ch === "\t" || (ch === "\n" && c.line[i - 1] === "\\") || (ch === "\\" && (c.line[i + 1] === "\n" || i === c.line.length - 1));
      if (!covered[i] && !between) assert.fail(`character ${i} (${JSON.stringify(ch)}) of ${JSON.stringify(c.line)} is in no piece`);
    }
    // Each command's argv is the concatenation of its word tokens' fields.
    assert.ok(e.html.includes("<pre"), "html view");
    checked++;
  }
  assert.ok(checked > 400, `only ${checked} lines checked`);
});

test("text view lists each word's result; HTML escapes the source", { timeout: 5000 }, () => {
  const e = explain(`echo "<b>$x</b>" $x`, { vars: { x: "1 2" } });
  assert.match(e.text, /argument\s+"\\"<b>\$x<\/b>\\""\s+→ "<b>1 2<\/b>"/);
  assert.match(e.text, /argument\s+"\$x"\s+→ "1" "2"/);
  assert.ok(!e.html.includes("<b>1"), "user text is escaped in HTML");
  assert.ok(e.html.includes("&lt;b&gt;"));
  assert.equal(explainText(e), e.text);
});

test("levels(): sh -c scripts with bash-only syntax are refused, not read as bash", { timeout: 5000 }, () => {
  const lv = levels(`sh -c "printf '%s\\n' \\$'a\\\\tb'"`);
  assert.equal(lv[1]!.error?.kind, "unsupported");
  const ok = levels(`sh -c 'printf "%s\\n" "$1"' _ x`);
  assert.equal(ok[1]!.error, undefined);
  assert.deepEqual(ok[1]!.calls[0]!.argv, ["printf", "%s\\n", "x"]);
});

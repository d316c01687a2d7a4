/**
 * The display layer outside a kernel: tables as HTML + aligned text, charts as vega-lite + SVG +
 * text in one bundle, diagrams, progress; and the sink selection.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chartBundle, currentSink, describeChart, isChartSpec, ladder, renderTable, setTextSink, show, stacks, topology, VEGALITE_MIME } from "../../src/notebook";

describe("display", { timeout: 60_000 }, () => {
  test("outside a kernel, displays go to stdout as text", () => {
    assert.equal(currentSink(), "stdout");
    const seen: string[] = [];
    const prev = setTextSink((t) => seen.push(t));
    try {
      show("**hello**");
      show(renderTable([{ a: 1 }]));
    } finally {
      setTextSink(prev);
    }
    assert.deepEqual(seen[0], "**hello**");
    assert.match(seen[1]!, /^a\n─\n1$/);
  });
  test("tables: HTML escaped, numbers right-aligned, highlight marked, long tables cut", () => {
    const t = renderTable([{ name: "<b>", n: 5n }, { name: "x", n: 12345 }], { caption: "c", highlight: [1] });
    assert.match(t.html, /&lt;b&gt;/);
    assert.match(t.html, /background:#fff3c4/);
    assert.equal(t.text, "c\nname      n\n────  ─────\n<b>       5\nx     12345  ◀");
    const long = renderTable(Array.from({ length: 300 }, (_, i) => ({ i })), { maxRows: 10 });
    assert.match(long.text, /… 290 more rows$/);
  });
  test("a chart bundle carries the vega-lite object, an SVG and a text line", async () => {
    const spec = { title: "squares", data: { values: [{ x: 1, y: 1 }, { x: 2, y: 4 }] }, mark: "line" as const, encoding: { x: { field: "x", type: "quantitative" as const }, y: { field: "y", type: "quantitative" as const } } };
    assert.ok(isChartSpec(spec));
    const b = await chartBundle(spec);
    assert.equal(typeof b[VEGALITE_MIME], "object");
    assert.match(String(b["image/svg+xml"]), /^<svg[^>]*>.*squares.*<\/svg>$/s);
    assert.equal(b["text/plain"], describeChart(spec));
    assert.equal(b["text/plain"], "[line chart] squares: 2 data points (x: x, y: y)");
  });
  test("show() refuses what it cannot show, naming it", () => {
    assert.throws(() => show({ foo: 1 } as never), /show\(\) takes a vega-lite spec.*"foo":1/);
  });
  test("diagrams: ladder, stacks and topology give SVG and a text fallback", () => {
    const l = ladder(["a", "b"], [{ from: "a", to: "b", label: "HELLO", detail: "d" }, { from: "b", to: "a", label: "BYE", dropped: true }]);
    assert.match(l.svg, /<svg.*HELLO.*BYE/s);
    assert.match(l.text, / 2\. b → a: BYE  ✕ DROPPED/);
    assert.throws(() => ladder(["a"], [{ from: "a", to: "zz", label: "x" }]), /unknown node "zz"/);
    const s = stacks([{ title: "PE1→P1", boxes: ["L 16003", "L 299776", "IPv4"], caption: "push" }]);
    assert.match(s.text, /PE1→P1 +\[L 16003 \| L 299776 \| IPv4\]  push/);
    const t = topology([{ id: "PE1", role: "pe" }, { id: "P1" }, { id: "PE2", role: "pe" }], [{ a: "PE1", b: "P1", highlight: true }, { a: "P1", b: "PE2", label: "10" }]);
    assert.match(t.svg, /PE1.*P1.*PE2/s);
    assert.throws(() => topology([{ id: "a" }], [{ a: "a", b: "b" }]), /unknown node "b"/);
  });
});

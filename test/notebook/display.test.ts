/**
 * The display layer outside a kernel: tables as HTML + aligned text, charts as vega-lite + SVG +
 * text in one bundle, diagrams, progress; and the sink selection.
 */
import { describe, it, expect } from "vitest";
import {
  chartBundle,
  currentSink,
  describeChart,
  isChartSpec,
  ladder,
  renderTable,
  setTextSink,
  show,
  stacks,
  topology,
  VEGALITE_MIME,
} from "../../src/notebook";

describe("display", { timeout: 60_000 }, () => {
  it("outside a kernel, displays go to stdout as text", () => {
    expect(currentSink()).toBe("stdout");
    const seen: string[] = [];
    const prev = setTextSink((t) => seen.push(t));
    try {
      show("**hello**");
      show(renderTable([{ a: 1 }]));
    } finally {
      setTextSink(prev);
    }
    expect(seen[0]).toStrictEqual("**hello**");
    expect(seen[1]!).toMatch(/^a\n─\n1$/);
  });
  it("tables: HTML escaped, numbers right-aligned, highlight marked, long tables cut", () => {
    const t = renderTable(
      [
        { name: "<b>", n: 5n },
        { name: "x", n: 12345 },
      ],
      { caption: "c", highlight: [1] },
    );
    expect(t.html).toMatch(/&lt;b&gt;/);
    expect(t.html).toMatch(/background:#fff3c4/);
    expect(t.text).toBe("c\nname      n\n────  ─────\n<b>       5\nx     12345  ◀");
    const long = renderTable(
      Array.from({ length: 300 }, (_, i) => ({ i })),
      { maxRows: 10 },
    );
    expect(long.text).toMatch(/… 290 more rows$/);
  });
  it("a chart bundle carries the vega-lite object, an SVG and a text line", async () => {
    const spec = {
      title: "squares",
      data: {
        values: [
          { x: 1, y: 1 },
          { x: 2, y: 4 },
        ],
      },
      mark: "line" as const,
      encoding: { x: { field: "x", type: "quantitative" as const }, y: { field: "y", type: "quantitative" as const } },
    };
    expect(isChartSpec(spec)).toBeTruthy();
    const b = await chartBundle(spec);
    expect(typeof b[VEGALITE_MIME]).toBe("object");
    expect(String(b["image/svg+xml"])).toMatch(/^<svg[^>]*>.*squares.*<\/svg>$/s);
    expect(b["text/plain"]).toBe(describeChart(spec));
    expect(b["text/plain"]).toBe("[line chart] squares: 2 data points (x: x, y: y)");
  });
  it("show() refuses what it cannot show, naming it", () => {
    expect(() => show({ foo: 1 } as never)).toThrow(/show\(\) takes a vega-lite spec.*"foo":1/);
  });
  it("diagrams: ladder, stacks and topology give SVG and a text fallback", () => {
    const l = ladder(
      ["a", "b"],
      [
        { from: "a", to: "b", label: "HELLO", detail: "d" },
        { from: "b", to: "a", label: "BYE", dropped: true },
      ],
    );
    expect(l.svg).toMatch(/<svg.*HELLO.*BYE/s);
    expect(l.text).toMatch(/ 2\. b → a: BYE {2}✕ DROPPED/);
    expect(() => ladder(["a"], [{ from: "a", to: "zz", label: "x" }])).toThrow(/unknown node "zz"/);
    const s = stacks([{ title: "PE1→P1", boxes: ["L 16003", "L 299776", "IPv4"], caption: "push" }]);
    expect(s.text).toMatch(/PE1→P1 +\[L 16003 \| L 299776 \| IPv4\] {2}push/);
    const t = topology(
      [{ id: "PE1", role: "pe" }, { id: "P1" }, { id: "PE2", role: "pe" }],
      [
        { a: "PE1", b: "P1", highlight: true },
        { a: "P1", b: "PE2", label: "10" },
      ],
    );
    expect(t.svg).toMatch(/PE1.*P1.*PE2/s);
    expect(() => topology([{ id: "a" }], [{ a: "a", b: "b" }])).toThrow(/unknown node "b"/);
  });
});

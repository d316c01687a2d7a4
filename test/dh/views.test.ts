/** Views: the trace table and charts carry the right data and render to SVG with vega. */
import { it, expect } from "vitest";
import { renderChartSvg } from "../../src/notebook/chart";
import { modPowTrace } from "../../src/math/modular";
import { runExchange } from "../../src/dh/exchange";
import { getGroup, listGroups } from "../../src/dh/groups";
import { Rng } from "../../src/util/rng";
import {
  abbrev,
  exchangeLadder,
  groupsTable,
  powerRows,
  powersChart,
  traceChart,
  traceTable,
  partiesTable,
} from "../../src/dh/views";
import { keyFixing } from "../../src/dh/attacks";

it("trace table: one row per bit, rows with bit 1 highlighted, caption states the result", { timeout: 10000 }, () => {
  const v = traceTable(modPowTrace(7n, 29n, 17n));
  expect(v.rows.length).toBe(5);
  expect(v.text).toMatch(/29 = 11101b = 16 \+ 8 \+ 4 \+ 1 → result 6/);
  expect((v.text.match(/◀/g) ?? []).length).toBe(4);
  expect((v.html.match(/background:#fff3c4/g) ?? []).length).toBe(4);
});

it("charts: 7^k mod 13 and the trace render to SVG with the right data", { timeout: 60000 }, async () => {
  const pc = powersChart(7n, 13n, 24) as { data: { values: Array<{ k: number; value: number }> } };
  expect(pc.data.values.slice(0, 7).map((d) => d.value)).toStrictEqual([1, 7, 10, 5, 9, 11, 12]);
  expect(
    powerRows(7n, 13n, 12)
      .map((r) => r.value)
      .slice(12),
  ).toStrictEqual([1n]);
  expect(await renderChartSvg(powersChart(7n, 13n, 24))).toMatch(/^<svg/);
  const tc = traceChart(modPowTrace(7n, 29n, 17n)) as { data: { values: Array<{ square: number; use: string }> } };
  expect(tc.data.values.map((d) => d.square)).toStrictEqual([7, 15, 4, 16, 1]);
  expect(await renderChartSvg(traceChart(modPowTrace(7n, 29n, 17n)))).toMatch(/^<svg/);
});

it(
  "ladder and tables: tampered messages are marked, groups listed, big numbers abbreviated",
  { timeout: 20000 },
  () => {
    const g = getGroup("modp768");
    const t = runExchange({ group: g, rng: new Rng(2), validate: "none", tamper: keyFixing(g.p).tamper });
    const d = exchangeLadder(t);
    expect(d.svg).toMatch(/^<svg/);
    expect((d.text.match(/rewritten by Mallory/g) ?? []).length).toBe(2);
    expect(partiesTable(t).text).toMatch(/Eve/);
    expect(groupsTable(listGroups()).rows.length).toBe(13);
    expect(abbrev(12345n)).toBe("12345");
    expect(abbrev(g.p)).toMatch(/^1552518092…\d+ \(768 bits\)$/);
  },
);

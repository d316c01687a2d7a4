/** Views: the trace table and charts carry the right data and render to SVG with vega. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderChartSvg } from "../../src/notebook/chart";
import { modPowTrace } from "../../src/math/modular";
import { runExchange } from "../../src/dh/exchange";
import { getGroup, listGroups } from "../../src/dh/groups";
import { Rng } from "../../src/util/rng";
import { abbrev, exchangeLadder, groupsTable, powerRows, powersChart, traceChart, traceTable, partiesTable } from "../../src/dh/views";
import { keyFixing } from "../../src/dh/attacks";

test("trace table: one row per bit, rows with bit 1 highlighted, caption states the result", { timeout: 10000 }, () => {
  const v = traceTable(modPowTrace(7n, 29n, 17n));
  assert.equal(v.rows.length, 5);
  assert.match(v.text, /29 = 11101b = 16 \+ 8 \+ 4 \+ 1 → result 6/);
  assert.equal((v.text.match(/◀/g) ?? []).length, 4);
  assert.equal((v.html.match(/background:#fff3c4/g) ?? []).length, 4);
});

test("charts: 7^k mod 13 and the trace render to SVG with the right data", { timeout: 60000 }, async () => {
  const pc = powersChart(7n, 13n, 24) as { data: { values: Array<{ k: number; value: number }> } };
  assert.deepEqual(pc.data.values.slice(0, 7).map((d) => d.value), [1, 7, 10, 5, 9, 11, 12]);
  assert.deepEqual(powerRows(7n, 13n, 12).map((r) => r.value).slice(12), [1n]);
  assert.match(await renderChartSvg(powersChart(7n, 13n, 24)), /^<svg/);
  const tc = traceChart(modPowTrace(7n, 29n, 17n)) as { data: { values: Array<{ square: number; use: string }> } };
  assert.deepEqual(tc.data.values.map((d) => d.square), [7, 15, 4, 16, 1]);
  assert.match(await renderChartSvg(traceChart(modPowTrace(7n, 29n, 17n))), /^<svg/);
});

test("ladder and tables: tampered messages are marked, groups listed, big numbers abbreviated", { timeout: 20000 }, () => {
  const g = getGroup("modp768");
  const t = runExchange({ group: g, rng: new Rng(2), validate: "none", tamper: keyFixing(g.p).tamper });
  const d = exchangeLadder(t);
  assert.match(d.svg, /^<svg/);
  assert.equal((d.text.match(/rewritten by Mallory/g) ?? []).length, 2);
  assert.match(partiesTable(t).text, /Eve/);
  assert.equal(groupsTable(listGroups()).rows.length, 13);
  assert.equal(abbrev(12345n), "12345");
  assert.match(abbrev(g.p), /^1552518092…\d+ \(768 bits\)$/);
});

/**
 * A chart made by show() survives export: the executed notebook stores it as vega-lite + SVG in one
 * output, and `jupyter nbconvert --to html` (from .venv, offline) shows the SVG inline.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { runNotebook } from "../../src/jupyter/runner";
import { jupyterEnv, venvBin } from "../../src/setup/python";

const ROOT = path.resolve(__dirname, "..", "..");

test("a show() chart is saved as vega-lite + SVG and appears in nbconvert HTML", { timeout: 300_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wl-export-"));
  const out = path.join(dir, "start.ipynb");
  const rep = await runNotebook(path.join(ROOT, "notebooks", "00-start-here.ipynb"), { root: ROOT, write: out, timeoutPerCellMs: 120_000 });
  assert.equal(rep.status, "ok");
  const nb = JSON.parse(fs.readFileSync(out, "utf8"));
  const charts = nb.cells.flatMap((c: { outputs?: Array<{ data?: Record<string, unknown> }> }) => c.outputs ?? []).filter((o: { data?: Record<string, unknown> }) => o.data?.["application/vnd.vegalite.v5+json"]);
  assert.equal(charts.length, 1, "one chart output");
  assert.equal(typeof charts[0].data["application/vnd.vegalite.v5+json"], "object", "the vega-lite spec is a JSON object, not a string");
  assert.match(String([charts[0].data["image/svg+xml"]].flat().join("")), /<svg/);
  const r = spawnSync(venvBin(ROOT, "jupyter"), ["nbconvert", "--to", "html", "--output-dir", dir, out], { encoding: "utf8", env: jupyterEnv(ROOT), timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const html = fs.readFileSync(path.join(dir, "start.html"), "utf8");
  assert.match(html, /<svg[^>]*class="marks"/, "the chart's SVG is inline in the HTML");
  assert.match(html, /Addresses per prefix length/);
});

/**
 * The wirelab kernel under real Jupyter: `jupyter nbconvert --to notebook --execute` (nbclient)
 * with a temporary kernelspec made by kernelSpec(). The saved notebook must carry a proper
 * `error` output for a failing cell, and show(chart) must be saved as vega-lite + SVG.
 * Jupyter comes from the project venv (<root>/.venv, made by `npm start` / .ci/run).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readNotebook, serializeNotebook, type CodeCell, type Notebook } from "../../src/jupyter/nbformat";
import { COURSE_ROOT, kernelSpec } from "../../src/jupyter/runner";
import { oracle } from "../helpers/oracle";

const candidates = [path.join(COURSE_ROOT, ".venv", "bin", "jupyter"), "/tmp/probe-venv/bin/jupyter"];
// A venv counts once nbconvert is installed in it (npm start may be half-way through pip).
const jupyter =
  candidates.find((p) => fs.existsSync(p) && fs.existsSync(path.join(path.dirname(p), "jupyter-nbconvert"))) ??
  candidates[0]!;
const skip = oracle(
  "jupyter nbconvert",
  [jupyter, "nbconvert", "--version"],
  "npm start (creates .venv with JupyterLab and nbconvert from requirements)",
);

let dir: string;
const LIB = JSON.stringify(path.join(COURSE_ROOT, "dist", "notebook"));

function nbWith(sources: string[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "wirelab", display_name: "TypeScript (wirelab)", language: "typescript" } },
    cells: sources.map((s, i) => ({
      cell_type: "code" as const,
      id: `c${i}`,
      source: s,
      metadata: {},
      outputs: [],
      execution_count: null,
    })),
  };
}

function execute(
  name: string,
  nb: Notebook,
  extra: string[] = [],
): { status: number | null; stderr: string; saved: Notebook | null } {
  const input = path.join(dir, name);
  fs.writeFileSync(input, serializeNotebook(nb));
  const output = path.join(dir, "executed-" + name);
  const r = spawnSync(
    jupyter,
    [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.timeout=120",
      ...extra,
      "--output",
      output,
      input,
    ],
    {
      env: { ...process.env, JUPYTER_PATH: path.join(dir, "share") },
      encoding: "utf8",
      timeout: 180_000,
    },
  );
  return { status: r.status, stderr: r.stderr, saved: fs.existsSync(output) ? readNotebook(output) : null };
}

describe.skipIf(skip)("real Jupyter (nbconvert --execute) with the wirelab kernelspec", { timeout: 400_000 }, () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wljupyter-nbc-"));
    const kdir = path.join(dir, "share", "kernels", "wirelab");
    fs.mkdirSync(kdir, { recursive: true });
    fs.writeFileSync(path.join(kdir, "kernel.json"), JSON.stringify(kernelSpec(COURSE_ROOT), null, 1));
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    "jupyter_client (what JupyterLab's server uses): run-all aborts queued cells, interrupt works",
    { timeout: 120_000 },
    () => {
      const script = `
import json, time
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="wirelab", cwd=${JSON.stringify(dir)})
out = {}
def reply(mid):
    while True:
        r = kc.get_shell_msg(timeout=60)
        if r["parent_header"].get("msg_id") == mid: return r
try:
    ids = [kc.execute(c) for c in ["await new Promise(r => setTimeout(r, 300)); throw new Error('boom')", "console.log('b')", "console.log('c')"]]
    out["runall"] = [reply(i)["content"]["status"] for i in ids]
    mid = kc.execute("while (true) {}")
    time.sleep(1.5)
    km.interrupt_kernel()
    out["interrupt"] = reply(mid)["content"]["status"]
    out["after"] = reply(kc.execute("1 + 1"))["content"]["status"]
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
out["alive"] = km.is_alive()
print(json.dumps(out))
`;
      const r = spawnSync(path.join(path.dirname(jupyter), "python"), ["-c", script], {
        env: { ...process.env, JUPYTER_PATH: path.join(dir, "share") },
        encoding: "utf8",
        timeout: 110_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
      expect(out).toStrictEqual({
        runall: ["error", "aborted", "aborted"],
        interrupt: "error",
        after: "ok",
        alive: false,
      });
    },
  );

  it("the kernelspec is the one Jupyter uses", { timeout: 60_000 }, () => {
    const r = spawnSync(jupyter, ["kernelspec", "list", "--json"], {
      env: { ...process.env, JUPYTER_PATH: path.join(dir, "share") },
      encoding: "utf8",
    });
    const specs = JSON.parse(r.stdout).kernelspecs;
    expect(specs.wirelab.resource_dir).toBe(path.join(dir, "share", "kernels", "wirelab"));
    expect(specs.wirelab.spec.argv[1]).toBe(path.join(COURSE_ROOT, "dist", "kernel", "launcher.js"));
  });

  it(
    "a failing cell is saved as an error output with ename/evalue/traceback; nbconvert fails without --allow-errors",
    { timeout: 180_000 },
    () => {
      const nb = nbWith([
        "const mask = 24;",
        "throw new RangeError(`prefix length ${mask + 9} is out of range`);",
        "console.log('runs with --allow-errors')",
        "const port: number = '179';",
      ]);
      const strict = execute("fail.ipynb", nb);
      expect(strict.status, "nbconvert reports the failing cell").not.toBe(0);
      expect(strict.stderr).toMatch(/RangeError/);
      const lenient = execute("fail2.ipynb", nb, ["--allow-errors"]);
      expect(lenient.status, lenient.stderr).toBe(0);
      const cells = lenient.saved!.cells as CodeCell[];
      const err = cells[1]!.outputs.find((o) => o.output_type === "error");
      expect(err && err.output_type === "error", JSON.stringify(cells[1]!.outputs)).toBeTruthy();
      expect(err.ename).toBe("RangeError");
      expect(err.evalue).toBe("prefix length 33 is out of range");
      expect(err.traceback[0]).toBe("RangeError: prefix length 33 is out of range");
      expect(cells[2]!.outputs[0]?.output_type, "a cell after the error runs when errors are allowed").toBe("stream");
      const te = cells[3]!.outputs.find((o) => o.output_type === "error");
      expect(te?.output_type === "error" && te.ename).toBe("TSError");
      expect(te?.output_type === "error" ? te.evalue : "").toMatch(
        /^1:7 - Type 'string' is not assignable to type 'number'/,
      );
    },
  );

  it("show(chart) is saved as one output with vega-lite JSON and SVG", { timeout: 180_000 }, () => {
    const r = execute(
      "chart.ipynb",
      nbWith([
        `import { show } from ${LIB};\nshow({ title: "RTT", data: { values: [{ hop: 1, ms: 2 }, { hop: 2, ms: 9 }] }, mark: "bar", encoding: { x: { field: "hop", type: "ordinal" }, y: { field: "ms", type: "quantitative" } } });`,
        "6 * 7",
      ]),
    );
    expect(r.status, r.stderr).toBe(0);
    const outs = (r.saved!.cells[0] as CodeCell).outputs;
    expect(outs.length, JSON.stringify(outs).slice(0, 400)).toBe(1);
    const o = outs[0]!;
    expect(o.output_type).toBe("display_data");
    const data = o.output_type === "display_data" ? o.data : {};
    expect(typeof data["application/vnd.vegalite.v5+json"]).toBe("object");
    expect([data["image/svg+xml"]].flat().join("")).toMatch(/<svg[\s\S]*<\/svg>/);
    const res = (r.saved!.cells[1] as CodeCell).outputs[0];
    expect(res?.output_type).toBe("execute_result");
    // nbconvert's HTML export (no JavaScript) keeps the chart through the SVG in the same bundle.
    const html = spawnSync(
      jupyter,
      ["nbconvert", "--to", "html", "--output", path.join(dir, "chart.html"), path.join(dir, "executed-chart.ipynb")],
      { encoding: "utf8", timeout: 120_000 },
    );
    expect(html.status, html.stderr).toBe(0);
    const page = fs.readFileSync(path.join(dir, "chart.html"), "utf8");
    const img = /data-mime-type="image\/svg\+xml"[\s\S]*?src="data:image\/svg\+xml;base64,([^"]+)"/.exec(page);
    expect(img, "the HTML export shows the SVG of the chart").toBeTruthy();
    const svg = Buffer.from(img[1]!, "base64").toString("utf8");
    expect(svg).toMatch(/^<svg[\s\S]*>RTT<\/text>[\s\S]*<\/svg>$/);
  });
});

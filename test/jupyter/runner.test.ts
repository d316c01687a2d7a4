/**
 * The headless runner (runNotebook, `wirelab run`) and nbformat handling.
 * Needs `npx tsc -p .` first (the kernel runs from dist/).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { commands } from "../../src/jupyter/cli";
import { joinText, parseNotebook, readNotebook, serializeNotebook, stripOutputs, appendOutput, type Notebook, type Output } from "../../src/jupyter/nbformat";
import { COURSE_ROOT, kernelSpec, probeKernel, runNotebook } from "../../src/jupyter/runner";
import { ParseError } from "../../src/util/errors";

const T = { timeout: 90_000 };
let dir: string;
const LIB = JSON.stringify(path.join(COURSE_ROOT, "dist", "notebook"));

function notebook(name: string, sources: string[], where = dir): string {
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "wirelab", display_name: "TypeScript (wirelab)", language: "typescript" } },
    cells: [{ cell_type: "markdown", source: "# test", metadata: {} }, ...sources.map((s, i) => ({ cell_type: "code" as const, id: `c${i}`, source: s, metadata: {}, outputs: [], execution_count: null }))],
  };
  const file = path.join(where, name);
  fs.writeFileSync(file, serializeNotebook(nb));
  return file;
}

/** True while the process exists and is not a zombie waiting to be reaped. */
function alive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Direct children of a process (from /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

async function waitUntil(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function cli(args: string[], root = COURSE_ROOT): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await commands.find((c) => c.name === "run")!.run(args, { out: (s) => (out += s + "\n"), err: (s) => (err += s + "\n"), root });
  return { code, out, err };
}

describe("headless runner", { timeout: 300_000 }, () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wljupyter-"));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a clean notebook: every cell ok, outputs collected and written, streams merged", T, async () => {
    const file = notebook("ok.ipynb", ["console.log('a'); console.log('b');", "const ttl = 64;\nttl - 1", "", `import { markdown } from ${LIB};\nmarkdown('**done**')`]);
    const out = path.join(dir, "out", "ok.ipynb");
    const r = await runNotebook(file, { write: out, timeoutPerCellMs: 60_000 });
    assert.equal(r.status, "ok");
    assert.deepEqual(r.cells.map((c) => c.status), ["ok", "ok", "ok", "ok"]);
    const saved = readNotebook(out);
    const code = saved.cells.filter((c) => c.cell_type === "code");
    const streams = code[0]!.cell_type === "code" ? code[0]!.outputs : [];
    assert.equal(streams.length, 1, "two writes merged into one stream output");
    assert.equal(streams[0]!.output_type === "stream" && joinText(streams[0]!.text), "a\nb\n");
    const res = code[1]!.cell_type === "code" ? code[1]!.outputs[0] : undefined;
    assert.equal(res?.output_type, "execute_result");
    assert.equal(res?.output_type === "execute_result" && joinText(res.data["text/plain"] as string[]), "63");
    assert.equal(code[1]!.cell_type === "code" && code[1]!.execution_count, 2);
    const md = code[3]!.cell_type === "code" ? code[3]!.outputs[0] : undefined;
    assert.equal(md?.output_type === "display_data" && joinText(md.data["text/markdown"] as string[]), "**done**");
    assert.equal(alive(r.kernelPid), false, "the kernel is gone");
  });

  test("a failing cell: error output with ename, later cells not run, exit code 1", T, async () => {
    const file = notebook("bad.ipynb", ["const a = 1;", "const b: string = a;", "console.log('never')"]);
    const out = path.join(dir, "out");
    const { code, out: text } = await cli([file, "--out", out]);
    assert.equal(code, 1);
    assert.match(text, /\[2\]\s+error\s+[\d.]+ s\s+TSError: 1:7 - Type 'number' is not assignable to type 'string'/);
    assert.match(text, /\[3\]\s+aborted/);
    assert.match(text, /FAIL\s+1 ok, 1 error, 1 not run/);
    const saved = readNotebook(path.join(out, "bad.ipynb"));
    const cells = saved.cells.filter((c) => c.cell_type === "code");
    const err = cells[1]!.cell_type === "code" ? cells[1]!.outputs[0] : undefined;
    assert.equal(err?.output_type, "error");
    assert.equal(err?.output_type === "error" && err.ename, "TSError");
    assert.deepEqual(cells[2]!.cell_type === "code" && cells[2]!.outputs, []);
  });

  test("--json reports per-cell status and time; a clean run exits 0", T, async () => {
    const file = notebook("json.ipynb", ["1 + 1"]);
    const { code, out } = await cli([file, "--json"]);
    assert.equal(code, 0);
    const [rep] = JSON.parse(out);
    assert.equal(rep.status, "ok");
    assert.equal(rep.cells[0].status, "ok");
    assert.equal(typeof rep.cells[0].ms, "number");
    assert.equal(rep.notebook, undefined);
  });

  test("update_display_data replaces the output with that display id, even in an earlier cell", T, async () => {
    const file = notebook("upd.ipynb", [
      `(globalThis as any).__wirelab_kernel__.display({ "text/plain": "0 of 3" }, { displayId: "p" });`,
      `(globalThis as any).__wirelab_kernel__.display({ "text/plain": "3 of 3", "text/html": "<b>3</b>" }, { displayId: "p", update: true });`,
    ]);
    const r = await runNotebook(file);
    assert.equal(r.status, "ok");
    const first = r.notebook.cells[1]!;
    assert.equal(first.cell_type, "code");
    const o = first.cell_type === "code" ? first.outputs : [];
    assert.equal(o.length, 1);
    assert.deepEqual(o[0]!.output_type === "display_data" && o[0]!.data, { "text/plain": "3 of 3", "text/html": "<b>3</b>" });
    const second = r.notebook.cells[2]!;
    assert.deepEqual(second.cell_type === "code" && second.outputs, []);
  });

  test("timeouts: a busy loop is interrupted; a loop the interrupt cannot reach gets the kernel killed", T, async () => {
    const a = await runNotebook(notebook("hang1.ipynb", ["while (true) {}", "'after'"]), { timeoutPerCellMs: 1500 });
    assert.equal(a.status, "error");
    assert.deepEqual(a.cells.map((c) => c.status), ["timeout", "aborted"]);
    assert.match(a.cells[0]!.error!.evalue, /within 1.5 s and was interrupted/);
    const b = await runNotebook(notebook("hang2.ipynb", ["setTimeout(() => { while (true) {} }, 10);\nawait new Promise((r) => setTimeout(r, 600_000));"]), { timeoutPerCellMs: 1500 });
    assert.equal(b.cells[0]!.status, "timeout");
    assert.match(b.cells[0]!.error!.evalue, /killed/);
    assert.equal(alive(b.kernelPid), false, "the hung kernel was killed");
  });

  test("no kernel outlives the runner: SIGTERM to `wirelab run`, or the runner killed outright", T, async () => {
    const file = notebook("sleep.ipynb", ["await new Promise((r) => setTimeout(r, 120_000));"]);
    const cliJs = path.join(COURSE_ROOT, "dist", "jupyter", "cli.js");
    for (const sig of ["SIGTERM", "SIGKILL"] as const) {
      const code = `require(${JSON.stringify(cliJs)}).runCommand([${JSON.stringify(file)}], { out() {}, err() {}, root: ${JSON.stringify(COURSE_ROOT)} })`;
      const runner = spawn(process.execPath, ["-e", code], { stdio: "ignore" });
      let kernelPid = 0;
      try {
        await waitUntil("the kernel starts", () => (kernelPid = childrenOf(runner.pid!)[0] ?? 0) > 0, 30_000);
        await new Promise((r) => setTimeout(r, 1500));
        runner.kill(sig);
        await waitUntil(`the kernel exits after ${sig} to the runner`, () => !alive(kernelPid), 10_000);
      } finally {
        runner.kill("SIGKILL");
        if (kernelPid && alive(kernelPid)) process.kill(kernelPid, "SIGKILL");
      }
    }
  });

  test("with no arguments it runs every notebooks/*.ipynb of the course root", T, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "wljupyter-root-"));
    try {
      fs.symlinkSync(path.join(COURSE_ROOT, "dist"), path.join(root, "dist"));
      fs.symlinkSync(path.join(COURSE_ROOT, "node_modules"), path.join(root, "node_modules"));
      fs.mkdirSync(path.join(root, "notebooks"));
      notebook("01-a.ipynb", ["'one'"], path.join(root, "notebooks"));
      notebook("02-b.ipynb", ["throw new Error('two')"], path.join(root, "notebooks"));
      const { code, out } = await cli(["--jobs", "2"], root);
      assert.equal(code, 1);
      // With --jobs 2 each notebook's lines come out together, in either order.
      assert.match(out, /01-a\.ipynb  \(wirelab kernel\)\n  \[1\]\s+ok\s+[\d.]+ s\n  PASS/);
      assert.match(out, /02-b\.ipynb  \(wirelab kernel\)\n  \[1\]\s+error\s+[\d.]+ s  Error: two\n  FAIL/);
      assert.match(out, /1\/2 notebooks passed/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test("plain tslab runs under the same runner (used by the benchmark)", T, async () => {
    const r = await runNotebook(notebook("tslab.ipynb", ["console.log(6 * 7)"]), { kernel: "tslab" });
    assert.equal(r.status, "ok");
    const c = r.notebook.cells[1]!;
    assert.deepEqual(c.cell_type === "code" && c.outputs, [{ output_type: "stream", name: "stdout", text: "42\n" }]);
  });

  test("probeKernel (for wirelab doctor): versions and a first result; a missing build is a problem, not a crash", T, async () => {
    const p = await probeKernel("wirelab");
    assert.equal(p.ok, true, p.problem);
    assert.equal(p.info!.implementation, "wirelab");
    assert.ok(p.ms > 0);
    const missing = await probeKernel("wirelab", dir);
    assert.equal(missing.ok, false);
    assert.match(missing.problem!, /launcher\.js is missing \(run: npx tsc -p \.\)/);
  });

  test("bad arguments are clear errors", T, async () => {
    await assert.rejects(cli(["--kernel", "python3"]), /unknown kernel \(got "python3", in --kernel\)/);
    await assert.rejects(cli(["--timeout=-1"]), /positive number of seconds/);
    await assert.rejects(cli([path.join(dir, "missing.ipynb")]), /notebook not found/);
    await assert.rejects(cli(["--jobs", "0"]), /--jobs must be an integer from 1 to 16 \(got "0"/);
  });
});

describe("nbformat", () => {
  test("bad notebooks are ParseErrors naming the file and the field", { timeout: 5000 }, () => {
    assert.throws(() => parseNotebook("{", "x.ipynb"), (e: unknown) => e instanceof ParseError && /x\.ipynb/.test(e.message));
    assert.throws(() => parseNotebook(JSON.stringify({ nbformat: 3, cells: [] }), "old.ipynb"), /only nbformat 4 is supported \(got 3, in nbformat, at old\.ipynb\)/);
    assert.throws(() => parseNotebook(JSON.stringify({ nbformat: 4, cells: [{ cell_type: "widget", source: "" }] }), "w.ipynb"), /unknown cell type \(got "widget", in cells\[0\]\.cell_type/);
  });

  test("serialize splits lines like Jupyter; parse joins them; strip removes outputs", { timeout: 5000 }, () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: "code", source: "a\nb", metadata: {}, execution_count: 3, outputs: [{ output_type: "stream", name: "stdout", text: "x\ny\n" }] }],
    };
    const text = serializeNotebook(nb);
    assert.match(text, /"source": \[\n {4}"a\\n",\n {4}"b"\n {3}\]/);
    const back = parseNotebook(text);
    assert.equal(joinText(back.cells[0]!.source), "a\nb");
    const stripped = stripOutputs(back);
    assert.deepEqual(stripped.cells[0]!.cell_type === "code" && [stripped.cells[0]!.outputs, stripped.cells[0]!.execution_count], [[], null]);
  });

  test("stream outputs of the same name merge; different names do not", { timeout: 5000 }, () => {
    const outs: Output[] = [];
    appendOutput(outs, { output_type: "stream", name: "stdout", text: "a" });
    appendOutput(outs, { output_type: "stream", name: "stdout", text: "b" });
    appendOutput(outs, { output_type: "stream", name: "stderr", text: "c" });
    assert.deepEqual(outs, [{ output_type: "stream", name: "stdout", text: "ab" }, { output_type: "stream", name: "stderr", text: "c" }]);
  });

  test("kernelSpec: absolute node and launcher paths, TypeScript (wirelab)", { timeout: 5000 }, () => {
    const spec = kernelSpec("/opt/course");
    assert.deepEqual(spec.argv, [process.execPath, "/opt/course/dist/kernel/launcher.js", "--config-path", "{connection_file}"]);
    assert.equal(spec.display_name, "TypeScript (wirelab)");
    assert.equal(spec.language, "typescript");
  });
});

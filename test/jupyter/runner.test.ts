/**
 * The headless runner (runNotebook, `wirelab run`) and nbformat handling.
 * Needs `npx tsc -p .` first (the kernel runs from dist/).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { commands } from "../../src/jupyter/cli";
import {
  joinText,
  parseNotebook,
  readNotebook,
  serializeNotebook,
  stripOutputs,
  appendOutput,
  type Notebook,
  type Output,
} from "../../src/jupyter/nbformat";
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
    cells: [
      { cell_type: "markdown", source: "# test", metadata: {} },
      ...sources.map((s, i) => ({
        cell_type: "code" as const,
        id: `c${i}`,
        source: s,
        metadata: {},
        outputs: [],
        execution_count: null,
      })),
    ],
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
  const code = await commands
    .find((c) => c.name === "run")!
    .run(args, { out: (s) => (out += s + "\n"), err: (s) => (err += s + "\n"), root });
  return { code, out, err };
}

describe("headless runner", { timeout: 300_000 }, () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wljupyter-"));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a clean notebook: every cell ok, outputs collected and written, streams merged", T, async () => {
    const file = notebook("ok.ipynb", [
      "console.log('a'); console.log('b');",
      "const ttl = 64;\nttl - 1",
      "",
      `import { markdown } from ${LIB};\nmarkdown('**done**')`,
    ]);
    const out = path.join(dir, "out", "ok.ipynb");
    const r = await runNotebook(file, { write: out, timeoutPerCellMs: 60_000 });
    expect(r.status).toBe("ok");
    expect(r.cells.map((c) => c.status)).toStrictEqual(["ok", "ok", "ok", "ok"]);
    const saved = readNotebook(out);
    const code = saved.cells.filter((c) => c.cell_type === "code");
    const streams = code[0]!.cell_type === "code" ? code[0]!.outputs : [];
    expect(streams.length, "two writes merged into one stream output").toBe(1);
    expect(streams[0]!.output_type === "stream" && joinText(streams[0]!.text)).toBe("a\nb\n");
    const res = code[1]!.cell_type === "code" ? code[1]!.outputs[0] : undefined;
    expect(res?.output_type).toBe("execute_result");
    expect(res?.output_type === "execute_result" && joinText(res.data["text/plain"] as string[])).toBe("63");
    expect(code[1]!.cell_type === "code" && code[1]!.execution_count).toBe(2);
    const md = code[3]!.cell_type === "code" ? code[3]!.outputs[0] : undefined;
    expect(md?.output_type === "display_data" && joinText(md.data["text/markdown"] as string[])).toBe("**done**");
    expect(alive(r.kernelPid), "the kernel is gone").toBe(false);
  });

  it("a failing cell: error output with ename, later cells not run, exit code 1", T, async () => {
    const file = notebook("bad.ipynb", ["const a = 1;", "const b: string = a;", "console.log('never')"]);
    const out = path.join(dir, "out");
    const { code, out: text } = await cli([file, "--out", out]);
    expect(code).toBe(1);
    expect(text).toMatch(/\[2\]\s+error\s+[\d.]+ s\s+TSError: 1:7 - Type 'number' is not assignable to type 'string'/);
    expect(text).toMatch(/\[3\]\s+aborted/);
    expect(text).toMatch(/FAIL\s+1 ok, 1 error, 1 not run/);
    const saved = readNotebook(path.join(out, "bad.ipynb"));
    const cells = saved.cells.filter((c) => c.cell_type === "code");
    const err = cells[1]!.cell_type === "code" ? cells[1]!.outputs[0] : undefined;
    expect(err?.output_type).toBe("error");
    expect(err?.output_type === "error" && err.ename).toBe("TSError");
    expect(cells[2]!.cell_type === "code" && cells[2]!.outputs).toStrictEqual([]);
  });

  it("--json reports per-cell status and time; a clean run exits 0", T, async () => {
    const file = notebook("json.ipynb", ["1 + 1"]);
    const { code, out } = await cli([file, "--json"]);
    expect(code).toBe(0);
    const [rep] = JSON.parse(out);
    expect(rep.status).toBe("ok");
    expect(rep.cells[0].status).toBe("ok");
    expect(typeof rep.cells[0].ms).toBe("number");
    expect(rep.notebook).toBe(undefined);
  });

  it("update_display_data replaces the output with that display id, even in an earlier cell", T, async () => {
    const file = notebook("upd.ipynb", [
      `(globalThis as any).__wirelab_kernel__.display({ "text/plain": "0 of 3" }, { displayId: "p" });`,
      `(globalThis as any).__wirelab_kernel__.display({ "text/plain": "3 of 3", "text/html": "<b>3</b>" }, { displayId: "p", update: true });`,
    ]);
    const r = await runNotebook(file);
    expect(r.status).toBe("ok");
    const first = r.notebook.cells[1]!;
    expect(first.cell_type).toBe("code");
    const o = first.cell_type === "code" ? first.outputs : [];
    expect(o.length).toBe(1);
    expect(o[0]!.output_type === "display_data" && o[0]!.data).toStrictEqual({
      "text/plain": "3 of 3",
      "text/html": "<b>3</b>",
    });
    const second = r.notebook.cells[2]!;
    expect(second.cell_type === "code" && second.outputs).toStrictEqual([]);
  });

  it("timeouts: a busy loop is interrupted; a loop the interrupt cannot reach gets the kernel killed", T, async () => {
    const a = await runNotebook(notebook("hang1.ipynb", ["while (true) {}", "'after'"]), { timeoutPerCellMs: 1500 });
    expect(a.status).toBe("error");
    expect(a.cells.map((c) => c.status)).toStrictEqual(["timeout", "aborted"]);
    expect(a.cells[0]!.error!.evalue).toMatch(/within 1.5 s and was interrupted/);
    const b = await runNotebook(
      notebook("hang2.ipynb", [
        "setTimeout(() => { while (true) {} }, 10);\nawait new Promise((r) => setTimeout(r, 600_000));",
      ]),
      { timeoutPerCellMs: 1500 },
    );
    expect(b.cells[0]!.status).toBe("timeout");
    expect(b.cells[0]!.error!.evalue).toMatch(/killed/);
    expect(alive(b.kernelPid), "the hung kernel was killed").toBe(false);
  });

  it("no kernel outlives the runner: SIGTERM to `wirelab run`, or the runner killed outright", T, async () => {
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

  it("with no arguments it runs every notebooks/*.ipynb of the course root", T, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "wljupyter-root-"));
    try {
      fs.symlinkSync(path.join(COURSE_ROOT, "dist"), path.join(root, "dist"));
      fs.symlinkSync(path.join(COURSE_ROOT, "node_modules"), path.join(root, "node_modules"));
      fs.mkdirSync(path.join(root, "notebooks"));
      notebook("01-a.ipynb", ["'one'"], path.join(root, "notebooks"));
      notebook("02-b.ipynb", ["throw new Error('two')"], path.join(root, "notebooks"));
      const { code, out } = await cli(["--jobs", "2"], root);
      expect(code).toBe(1);
      // With --jobs 2 each notebook's lines come out together, in either order.
      expect(out).toMatch(/01-a\.ipynb {2}\(wirelab kernel\)\n {2}\[1\]\s+ok\s+[\d.]+ s\n {2}PASS/);
      expect(out).toMatch(/02-b\.ipynb {2}\(wirelab kernel\)\n {2}\[1\]\s+error\s+[\d.]+ s {2}Error: two\n {2}FAIL/);
      expect(out).toMatch(/1\/2 notebooks passed/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("plain tslab runs under the same runner (used by the benchmark)", T, async () => {
    const r = await runNotebook(notebook("tslab.ipynb", ["console.log(6 * 7)"]), { kernel: "tslab" });
    expect(r.status).toBe("ok");
    const c = r.notebook.cells[1]!;
    expect(c.cell_type === "code" && c.outputs).toStrictEqual([
      { output_type: "stream", name: "stdout", text: "42\n" },
    ]);
  });

  it(
    "probeKernel (for wirelab doctor): versions and a first result; a missing build is a problem, not a crash",
    T,
    async () => {
      const p = await probeKernel("wirelab");
      expect(p.ok, p.problem).toBe(true);
      expect(p.info!.implementation).toBe("wirelab");
      expect(p.ms > 0).toBeTruthy();
      const missing = await probeKernel("wirelab", dir);
      expect(missing.ok).toBe(false);
      expect(missing.problem!).toMatch(/launcher\.js is missing \(run: npx tsc -p \.\)/);
    },
  );

  it("bad arguments are clear errors", T, async () => {
    await expect(cli(["--kernel", "python3"])).rejects.toThrow(/unknown kernel \(got "python3", in --kernel\)/);
    await expect(cli(["--timeout=-1"])).rejects.toThrow(/positive number of seconds/);
    await expect(cli([path.join(dir, "missing.ipynb")])).rejects.toThrow(/notebook not found/);
    await expect(cli(["--jobs", "0"])).rejects.toThrow(/--jobs must be an integer from 1 to 16 \(got "0"/);
  });
});

describe("nbformat", () => {
  it("bad notebooks are ParseErrors naming the file and the field", { timeout: 5000 }, () => {
    expect(thrownBy(() => parseNotebook("{", "x.ipynb"))).toSatisfy(
      (e: unknown) => e instanceof ParseError && /x\.ipynb/.test(e.message),
    );
    expect(() => parseNotebook(JSON.stringify({ nbformat: 3, cells: [] }), "old.ipynb")).toThrow(
      /only nbformat 4 is supported \(got 3, in nbformat, at old\.ipynb\)/,
    );
    expect(() =>
      parseNotebook(JSON.stringify({ nbformat: 4, cells: [{ cell_type: "widget", source: "" }] }), "w.ipynb"),
    ).toThrow(/unknown cell type \(got "widget", in cells\[0\]\.cell_type/);
  });

  it("serialize splits lines like Jupyter; parse joins them; strip removes outputs", { timeout: 5000 }, () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          cell_type: "code",
          source: "a\nb",
          metadata: {},
          execution_count: 3,
          outputs: [{ output_type: "stream", name: "stdout", text: "x\ny\n" }],
        },
      ],
    };
    const text = serializeNotebook(nb);
    expect(text).toMatch(/"source": \[\n {4}"a\\n",\n {4}"b"\n {3}\]/);
    const back = parseNotebook(text);
    expect(joinText(back.cells[0]!.source)).toBe("a\nb");
    const stripped = stripOutputs(back);
    expect(
      stripped.cells[0]!.cell_type === "code" && [stripped.cells[0]!.outputs, stripped.cells[0]!.execution_count],
    ).toStrictEqual([[], null]);
  });

  it("stream outputs of the same name merge; different names do not", { timeout: 5000 }, () => {
    const outs: Output[] = [];
    appendOutput(outs, { output_type: "stream", name: "stdout", text: "a" });
    appendOutput(outs, { output_type: "stream", name: "stdout", text: "b" });
    appendOutput(outs, { output_type: "stream", name: "stderr", text: "c" });
    expect(outs).toStrictEqual([
      { output_type: "stream", name: "stdout", text: "ab" },
      { output_type: "stream", name: "stderr", text: "c" },
    ]);
  });

  it("kernelSpec: absolute node and launcher paths, TypeScript (wirelab)", { timeout: 5000 }, () => {
    const spec = kernelSpec("/opt/course");
    expect(spec.argv).toStrictEqual([
      process.execPath,
      "/opt/course/dist/kernel/launcher.js",
      "--config-path",
      "{connection_file}",
    ]);
    expect(spec.display_name).toBe("TypeScript (wirelab)");
    expect(spec.language).toBe("typescript");
  });
});

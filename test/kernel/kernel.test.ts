/**
 * The wirelab kernel over the real Jupyter wire protocol (our ZeroMQ client against
 * dist/kernel/launcher.js): error messages, stop_on_error aborts, multi-MIME and tracked
 * displays, execute_result, library imports with types, interrupts.
 * Needs `npx tsc -p .` first (the kernel runs from dist/).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { KernelClient, type Message } from "../../src/jupyter/client";
import { COURSE_ROOT, kernelArgv } from "../../src/jupyter/runner";

const T = { timeout: 60_000 };
let k: KernelClient;

interface Ran {
  reply: Message;
  iopub: Message[];
  ms: number;
}

/** Executes and collects this request's iopub messages (busy/idle excluded). */
function run(code: string, opts: { stopOnError?: boolean } = {}): Promise<Ran> {
  const iopub: Message[] = [];
  const t0 = Date.now();
  const h = k.execute(code, { ...opts, onIopub: (m) => m.header.msg_type !== "status" && iopub.push(m) });
  return h.done.then((reply) => ({ reply, iopub, ms: Date.now() - t0 }));
}
const ofType = (r: Ran, t: string) => r.iopub.filter((m) => m.header.msg_type === t);

describe("wirelab kernel", { timeout: 240_000 }, () => {
  before(async () => {
    assert.ok(fs.existsSync(kernelArgv("wirelab")[1]!), "dist/kernel/launcher.js is missing: run npx tsc -p . first");
    k = await KernelClient.launch({ argv: kernelArgv("wirelab"), cwd: path.join(COURSE_ROOT, "notebooks") });
  });
  after(async () => {
    await k?.shutdown();
  });

  test("kernel_info names wirelab, TypeScript and tslab's version", T, () => {
    assert.equal(k.kernelInfo.implementation, "wirelab");
    assert.equal(k.kernelInfo.language_info.name, "typescript");
    assert.match(k.kernelInfo.implementation_version, /^1\.0\.22$/);
    assert.match(k.kernelInfo.language_info.version, /^5\.0\./);
  });

  test("a type error is an error message with ename TSError, line:col and a traceback", T, async () => {
    const r = await run("const n: number = 'seven';");
    assert.equal(r.reply.content.status, "error");
    assert.equal(r.reply.content.ename, "TSError");
    assert.match(r.reply.content.evalue, /^1:7 - Type 'string' is not assignable to type 'number'/);
    const [err] = ofType(r, "error");
    assert.ok(err, "an iopub error message");
    assert.equal(err!.content.ename, "TSError");
    assert.ok(err!.content.traceback.some((l: string) => l.includes("1:7 - Type 'string'")));
  });

  test("a thrown Error keeps its name, message and the cell's stack frames (no tslab internals)", T, async () => {
    const r = await run("function f() { throw new RangeError('hop limit exceeded'); }\nf();");
    assert.equal(r.reply.content.status, "error");
    const [err] = ofType(r, "error");
    assert.equal(err!.content.ename, "RangeError");
    assert.equal(err!.content.evalue, "hop limit exceeded");
    assert.equal(err!.content.traceback[0], "RangeError: hop limit exceeded");
    assert.ok(err!.content.traceback.some((l: string) => /at f \(<cell, compiled JS>:\d+:\d+\)/.test(l)), err!.content.traceback.join("\n"));
    assert.ok(!err!.content.traceback.some((l: string) => /tslab[\\/]dist|node:vm/.test(l)));
  });

  test("a non-Error throw is reported (NonErrorThrown with the value)", T, async () => {
    const r = await run("throw 42;");
    assert.equal(r.reply.content.status, "error");
    assert.equal(r.reply.content.ename, "NonErrorThrown");
    assert.equal(r.reply.content.evalue, "42");
    const u = await run("throw undefined;");
    assert.equal(u.reply.content.ename, "NonErrorThrown");
    assert.equal(u.reply.content.evalue, "undefined");
  });

  test("a rejected top-level await is an error", T, async () => {
    const r = await run("await new Promise((_, reject) => setTimeout(() => reject(new TypeError('lease expired')), 20));");
    assert.equal(r.reply.content.status, "error");
    assert.equal(ofType(r, "error")[0]!.content.ename, "TypeError");
    assert.equal(r.reply.content.evalue, "lease expired");
  });

  test("run-all: requests queued when a cell fails are aborted visibly; later ones run", T, async () => {
    await run("(globalThis as any).ranAfter = [];");
    const failing = run("await new Promise((r) => setTimeout(r, 300)); throw new Error('first cell broke');");
    const q1 = run("(globalThis as any).ranAfter.push(1);");
    const q2 = run("(globalThis as any).ranAfter.push(2);");
    const [f, a1, a2] = await Promise.all([failing, q1, q2]);
    assert.equal(f.reply.content.status, "error");
    const n = f.reply.content.execution_count;
    for (const a of [a1, a2]) {
      assert.equal(a.reply.content.status, "aborted");
      const text = ofType(a, "stream").map((m) => m.content.text).join("");
      assert.match(text, new RegExp(`Not run: cell \\[${n}\\] failed above`));
      assert.equal(ofType(a, "stream")[0]!.content.name, "stderr");
    }
    const later = await run("JSON.stringify((globalThis as any).ranAfter)");
    assert.equal(later.reply.content.status, "ok");
    assert.equal(ofType(later, "execute_result")[0]!.content.data["text/plain"], "'[]'");
  });

  test("a failing request with stop_on_error=false aborts nothing", T, async () => {
    const failing = run("await new Promise((r) => setTimeout(r, 200)); throw new Error('tolerated');", { stopOnError: false });
    const next = run("'still runs'");
    const [f, n] = await Promise.all([failing, next]);
    assert.equal(f.reply.content.status, "error");
    assert.equal(n.reply.content.status, "ok");
    assert.equal(ofType(n, "execute_result")[0]!.content.data["text/plain"], "'still runs'");
  });

  test("a multi-MIME bundle is one display_data with every MIME type", T, async () => {
    const r = await run(`(globalThis as any).__wirelab_kernel__.display({ "text/html": "<b>R1</b>", "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>", "text/plain": "R1" }, {});`);
    const d = ofType(r, "display_data");
    assert.equal(d.length, 1);
    assert.deepEqual(Object.keys(d[0]!.content.data).sort(), ["image/svg+xml", "text/html", "text/plain"]);
  });

  test("a tracked async display arrives before the reply; a tracked rejection fails the cell", T, async () => {
    const r = await run(`const hook = (globalThis as any).__wirelab_kernel__;
hook.track(new Promise<void>((res) => setTimeout(() => { hook.display({ "text/plain": "late chart" }, {}); res(); }, 400)));`);
    assert.equal(r.reply.content.status, "ok");
    assert.ok(r.ms >= 350, `the reply waited for the tracked promise (${r.ms} ms)`);
    assert.equal(ofType(r, "display_data")[0]?.content.data["text/plain"], "late chart");
    const bad = await run(`(globalThis as any).__wirelab_kernel__.track(Promise.reject(new SyntaxError("bad spec")));`);
    assert.equal(bad.reply.content.status, "error");
    assert.equal(bad.reply.content.ename, "SyntaxError");
  });

  test("show(chart) from the library sends one output with vega-lite, SVG and text", T, async () => {
    const r = await run(`import { show } from "../dist/notebook";
show({ data: { values: [{ hop: 1, ms: 3 }, { hop: 2, ms: 7 }] }, mark: "line", encoding: { x: { field: "hop", type: "quantitative" }, y: { field: "ms", type: "quantitative" } } });`);
    assert.equal(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
    const d = ofType(r, "display_data");
    assert.equal(d.length, 1);
    const data = d[0]!.content.data;
    assert.equal(typeof data["application/vnd.vegalite.v5+json"], "object");
    assert.match(data["image/svg+xml"], /^<svg/);
    assert.equal(typeof data["text/plain"], "string");
  });

  test("update_display_data carries the display id", T, async () => {
    const r = await run(`const h = (globalThis as any).__wirelab_kernel__;
h.display({ "text/plain": "0%" }, { displayId: "bar1" });
h.display({ "text/plain": "100%" }, { displayId: "bar1", update: true });`);
    assert.equal(ofType(r, "display_data")[0]!.content.transient.display_id, "bar1");
    const u = ofType(r, "update_display_data");
    assert.equal(u.length, 1);
    assert.equal(u[0]!.content.transient.display_id, "bar1");
    assert.equal(u[0]!.content.data["text/plain"], "100%");
  });

  test("the last expression is an execute_result; promises are awaited", T, async () => {
    const r = await run("const mtu = 1500; mtu - 20");
    const [res] = ofType(r, "execute_result");
    assert.equal(res!.content.data["text/plain"], "1480");
    assert.equal(res!.content.execution_count, r.reply.content.execution_count);
    assert.equal(ofType(r, "stream").length, 0, "the value is not printed to stdout");
    const p = await run("Promise.resolve({ asn: 65001n })");
    assert.equal(ofType(p, "execute_result")[0]!.content.data["text/plain"], "{ asn: 65001n }");
    const v = await run("Promise.resolve(undefined)");
    assert.equal(ofType(v, "execute_result").length, 0);
  });

  test("the library imports from a cell with its types; misusing a type is a TSError naming it", T, async () => {
    const ok = await run(`import { markdown } from "../dist/notebook";\nmarkdown("**hello**");`);
    assert.equal(ok.reply.content.status, "ok");
    const bad = await run(`import { show } from "../dist/notebook";\nshow(42);`);
    assert.equal(bad.reply.content.status, "error");
    assert.equal(bad.reply.content.ename, "TSError");
    assert.match(bad.reply.content.evalue, /2:6 - Argument of type 'number' is not assignable to parameter of type 'Showable'/);
  });

  test("SIGINT interrupts a busy loop and an endless await; the kernel keeps working", T, async () => {
    const busy = run("while (true) {}");
    await new Promise((r) => setTimeout(r, 800));
    k.interrupt();
    const b = await busy;
    assert.equal(b.reply.content.status, "error");
    assert.match(b.reply.content.evalue, /interrupted/i);
    const wait = run("await new Promise(() => {});");
    await new Promise((r) => setTimeout(r, 500));
    k.interrupt();
    const w = await wait;
    assert.equal(w.reply.content.status, "error");
    assert.match(w.reply.content.evalue, /interrupted/i);
    const after = await run("'alive'");
    assert.equal(after.reply.content.status, "ok");
  });

  test("a display made later by a cell's timer lands in that cell, not in the running one", T, async () => {
    const seen: Message[] = [];
    k.onIopub = (m) => {
      if (m.header.msg_type === "display_data") seen.push(m);
    };
    try {
      const first = k.execute(`const h = (globalThis as any).__wirelab_kernel__;\nsetTimeout(() => h.display({ "text/plain": "late" }, {}), 300);`);
      await first.done;
      const second = k.execute("await new Promise((r) => setTimeout(r, 700));");
      await second.done;
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.parent_header.msg_id, first.msgId);
    } finally {
      k.onIopub = null;
    }
  });

  test("completion and inspection still work (tslab's language service)", T, async () => {
    await run("const gateway = { address: '192.0.2.1', mtu: 1500 };");
    const c = await k.request("shell", "complete_request", { code: "gateway.ad", cursor_pos: 10 }).done;
    assert.equal(c.content.status, "ok");
    assert.ok(c.content.matches.includes("address"), JSON.stringify(c.content.matches));
    const i = await k.request("shell", "inspect_request", { code: "gateway", cursor_pos: 3, detail_level: 0 }).done;
    assert.equal(i.content.found, true);
    assert.match(i.content.data["text/plain"], /address: string/);
  });

  test("interrupt_request on the control channel stops an endless await", T, async () => {
    const wait = run("await new Promise(() => {});");
    await new Promise((r) => setTimeout(r, 500));
    const ir = await k.request("control", "interrupt_request", {}).done;
    assert.equal(ir.header.msg_type, "interrupt_reply");
    const w = await wait;
    assert.equal(w.reply.content.status, "error");
    assert.equal(w.reply.content.ename, "Error");
    assert.match(w.reply.content.evalue, /Interrupted asynchronously/);
  });

  test("requests tslab does not know get a reply and leave no text in the last cell", T, async () => {
    const seen: Message[] = [];
    k.onIopub = (m) => {
      if (m.header.msg_type === "stream") seen.push(m);
    };
    try {
      const h = await k.request("shell", "history_request", { output: false, raw: true, hist_access_type: "tail", n: 10 }).done;
      assert.equal(h.header.msg_type, "history_reply");
      assert.deepEqual(h.content.history, []);
      const u = await k.request("shell", "usage_request", {}).done;
      assert.equal(u.header.msg_type, "usage_reply");
      assert.equal(u.content.status, "error");
      assert.equal(seen.length, 0);
    } finally {
      k.onIopub = null;
    }
  });

  test("console output goes to the cell as stream text", T, async () => {
    const r = await run("console.log('up'); console.error('down');");
    const streams = ofType(r, "stream").map((m) => `${m.content.name}:${m.content.text}`);
    assert.deepEqual(streams, ["stdout:up\n", "stderr:down\n"]);
  });
});

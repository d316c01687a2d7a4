/**
 * The wirelab kernel over the real Jupyter wire protocol (our ZeroMQ client against
 * dist/kernel/launcher.js): error messages, stop_on_error aborts, multi-MIME and tracked
 * displays, execute_result, library imports with types, interrupts.
 * Needs `npx tsc -p .` first (the kernel runs from dist/).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
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
  beforeAll(async () => {
    expect(
      fs.existsSync(kernelArgv("wirelab")[1]!),
      "dist/kernel/launcher.js is missing: run npx tsc -p . first",
    ).toBeTruthy();
    k = await KernelClient.launch({ argv: kernelArgv("wirelab"), cwd: path.join(COURSE_ROOT, "notebooks") });
  });
  afterAll(async () => {
    await k?.shutdown();
  });

  it("kernel_info names wirelab, TypeScript and tslab's version", T, () => {
    expect(k.kernelInfo.implementation).toBe("wirelab");
    expect(k.kernelInfo.language_info.name).toBe("typescript");
    expect(k.kernelInfo.implementation_version).toMatch(/^1\.0\.22$/);
    expect(k.kernelInfo.language_info.version).toMatch(/^5\.0\./);
  });

  it("a type error is an error message with ename TSError, line:col and a traceback", T, async () => {
    const r = await run("const n: number = 'seven';");
    expect(r.reply.content.status).toBe("error");
    expect(r.reply.content.ename).toBe("TSError");
    expect(r.reply.content.evalue).toMatch(/^1:7 - Type 'string' is not assignable to type 'number'/);
    const [err] = ofType(r, "error");
    expect(err, "an iopub error message").toBeTruthy();
    expect(err!.content.ename).toBe("TSError");
    expect(err!.content.traceback.some((l: string) => l.includes("1:7 - Type 'string'"))).toBeTruthy();
  });

  it("a thrown Error keeps its name, message and the cell's stack frames (no tslab internals)", T, async () => {
    const r = await run("function f() { throw new RangeError('hop limit exceeded'); }\nf();");
    expect(r.reply.content.status).toBe("error");
    const [err] = ofType(r, "error");
    expect(err!.content.ename).toBe("RangeError");
    expect(err!.content.evalue).toBe("hop limit exceeded");
    expect(err!.content.traceback[0]).toBe("RangeError: hop limit exceeded");
    expect(
      err!.content.traceback.some((l: string) => /at f \(<cell, compiled JS>:\d+:\d+\)/.test(l)),
      err!.content.traceback.join("\n"),
    ).toBeTruthy();
    expect(!err!.content.traceback.some((l: string) => /tslab[\\/]dist|node:vm/.test(l))).toBeTruthy();
  });

  it("a non-Error throw is reported (NonErrorThrown with the value)", T, async () => {
    const r = await run("throw 42;");
    expect(r.reply.content.status).toBe("error");
    expect(r.reply.content.ename).toBe("NonErrorThrown");
    expect(r.reply.content.evalue).toBe("42");
    const u = await run("throw undefined;");
    expect(u.reply.content.ename).toBe("NonErrorThrown");
    expect(u.reply.content.evalue).toBe("undefined");
  });

  it("a rejected top-level await is an error", T, async () => {
    const r = await run(
      "await new Promise((_, reject) => setTimeout(() => reject(new TypeError('lease expired')), 20));",
    );
    expect(r.reply.content.status).toBe("error");
    expect(ofType(r, "error")[0]!.content.ename).toBe("TypeError");
    expect(r.reply.content.evalue).toBe("lease expired");
  });

  it("run-all: requests queued when a cell fails are aborted visibly; later ones run", T, async () => {
    await run("(globalThis as any).ranAfter = [];");
    const failing = run("await new Promise((r) => setTimeout(r, 300)); throw new Error('first cell broke');");
    const q1 = run("(globalThis as any).ranAfter.push(1);");
    const q2 = run("(globalThis as any).ranAfter.push(2);");
    const [f, a1, a2] = await Promise.all([failing, q1, q2]);
    expect(f.reply.content.status).toBe("error");
    const n = f.reply.content.execution_count;
    for (const a of [a1, a2]) {
      expect(a.reply.content.status).toBe("aborted");
      const text = ofType(a, "stream")
        .map((m) => m.content.text)
        .join("");
      expect(text).toMatch(new RegExp(`Not run: cell \\[${n}\\] failed above`));
      expect(ofType(a, "stream")[0]!.content.name).toBe("stderr");
    }
    const later = await run("JSON.stringify((globalThis as any).ranAfter)");
    expect(later.reply.content.status).toBe("ok");
    expect(ofType(later, "execute_result")[0]!.content.data["text/plain"]).toBe("'[]'");
  });

  it("a failing request with stop_on_error=false aborts nothing", T, async () => {
    const failing = run("await new Promise((r) => setTimeout(r, 200)); throw new Error('tolerated');", {
      stopOnError: false,
    });
    const next = run("'still runs'");
    const [f, n] = await Promise.all([failing, next]);
    expect(f.reply.content.status).toBe("error");
    expect(n.reply.content.status).toBe("ok");
    expect(ofType(n, "execute_result")[0]!.content.data["text/plain"]).toBe("'still runs'");
  });

  it("a multi-MIME bundle is one display_data with every MIME type", T, async () => {
    const r = await run(
      `(globalThis as any).__wirelab_kernel__.display({ "text/html": "<b>R1</b>", "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>", "text/plain": "R1" }, {});`,
    );
    const d = ofType(r, "display_data");
    expect(d.length).toBe(1);
    expect(Object.keys(d[0]!.content.data).sort()).toStrictEqual(["image/svg+xml", "text/html", "text/plain"]);
  });

  it("a tracked async display arrives before the reply; a tracked rejection fails the cell", T, async () => {
    const r = await run(`const hook = (globalThis as any).__wirelab_kernel__;
hook.track(new Promise<void>((res) => setTimeout(() => { hook.display({ "text/plain": "late chart" }, {}); res(); }, 400)));`);
    expect(r.reply.content.status).toBe("ok");
    expect(r.ms >= 350, `the reply waited for the tracked promise (${r.ms} ms)`).toBeTruthy();
    expect(ofType(r, "display_data")[0]?.content.data["text/plain"]).toBe("late chart");
    const bad = await run(`(globalThis as any).__wirelab_kernel__.track(Promise.reject(new SyntaxError("bad spec")));`);
    expect(bad.reply.content.status).toBe("error");
    expect(bad.reply.content.ename).toBe("SyntaxError");
  });

  it("show(chart) from the library sends one output with vega-lite, SVG and text", T, async () => {
    const r = await run(`import { show } from "../dist/notebook";
show({ data: { values: [{ hop: 1, ms: 3 }, { hop: 2, ms: 7 }] }, mark: "line", encoding: { x: { field: "hop", type: "quantitative" }, y: { field: "ms", type: "quantitative" } } });`);
    expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
    const d = ofType(r, "display_data");
    expect(d.length).toBe(1);
    const data = d[0]!.content.data;
    expect(typeof data["application/vnd.vegalite.v5+json"]).toBe("object");
    expect(data["image/svg+xml"]).toMatch(/^<svg/);
    expect(typeof data["text/plain"]).toBe("string");
  });

  it("update_display_data carries the display id", T, async () => {
    const r = await run(`const h = (globalThis as any).__wirelab_kernel__;
h.display({ "text/plain": "0%" }, { displayId: "bar1" });
h.display({ "text/plain": "100%" }, { displayId: "bar1", update: true });`);
    expect(ofType(r, "display_data")[0]!.content.transient.display_id).toBe("bar1");
    const u = ofType(r, "update_display_data");
    expect(u.length).toBe(1);
    expect(u[0]!.content.transient.display_id).toBe("bar1");
    expect(u[0]!.content.data["text/plain"]).toBe("100%");
  });

  it("the last expression is an execute_result; promises are awaited", T, async () => {
    const r = await run("const mtu = 1500; mtu - 20");
    const [res] = ofType(r, "execute_result");
    expect(res!.content.data["text/plain"]).toBe("1480");
    expect(res!.content.execution_count).toBe(r.reply.content.execution_count);
    expect(ofType(r, "stream").length, "the value is not printed to stdout").toBe(0);
    const p = await run("Promise.resolve({ asn: 65001n })");
    expect(ofType(p, "execute_result")[0]!.content.data["text/plain"]).toBe("{ asn: 65001n }");
    const v = await run("Promise.resolve(undefined)");
    expect(ofType(v, "execute_result").length).toBe(0);
  });

  it("the library imports from a cell with its types; misusing a type is a TSError naming it", T, async () => {
    const ok = await run(`import { markdown } from "../dist/notebook";\nmarkdown("**hello**");`);
    expect(ok.reply.content.status).toBe("ok");
    const bad = await run(`import { show } from "../dist/notebook";\nshow(42);`);
    expect(bad.reply.content.status).toBe("error");
    expect(bad.reply.content.ename).toBe("TSError");
    expect(bad.reply.content.evalue).toMatch(
      /2:6 - Argument of type 'number' is not assignable to parameter of type 'Showable'/,
    );
  });

  it("SIGINT interrupts a busy loop and an endless await; the kernel keeps working", T, async () => {
    const busy = run("while (true) {}");
    await new Promise((r) => setTimeout(r, 800));
    k.interrupt();
    const b = await busy;
    expect(b.reply.content.status).toBe("error");
    expect(b.reply.content.evalue).toMatch(/interrupted/i);
    const wait = run("await new Promise(() => {});");
    await new Promise((r) => setTimeout(r, 500));
    k.interrupt();
    const w = await wait;
    expect(w.reply.content.status).toBe("error");
    expect(w.reply.content.evalue).toMatch(/interrupted/i);
    const after = await run("'alive'");
    expect(after.reply.content.status).toBe("ok");
  });

  it("a display made later by a cell's timer lands in that cell, not in the running one", T, async () => {
    const seen: Message[] = [];
    k.onIopub = (m) => {
      if (m.header.msg_type === "display_data") seen.push(m);
    };
    try {
      const first = k.execute(
        `const h = (globalThis as any).__wirelab_kernel__;\nsetTimeout(() => h.display({ "text/plain": "late" }, {}), 300);`,
      );
      await first.done;
      const second = k.execute("await new Promise((r) => setTimeout(r, 700));");
      await second.done;
      expect(seen.length).toBe(1);
      expect(seen[0]!.parent_header.msg_id).toBe(first.msgId);
    } finally {
      k.onIopub = null;
    }
  });

  it("completion and inspection still work (tslab's language service)", T, async () => {
    await run("const gateway = { address: '192.0.2.1', mtu: 1500 };");
    const c = await k.request("shell", "complete_request", { code: "gateway.ad", cursor_pos: 10 }).done;
    expect(c.content.status).toBe("ok");
    expect(c.content.matches.includes("address"), JSON.stringify(c.content.matches)).toBeTruthy();
    const i = await k.request("shell", "inspect_request", { code: "gateway", cursor_pos: 3, detail_level: 0 }).done;
    expect(i.content.found).toBe(true);
    expect(i.content.data["text/plain"]).toMatch(/address: string/);
  });

  it("interrupt_request on the control channel stops an endless await", T, async () => {
    const wait = run("await new Promise(() => {});");
    await new Promise((r) => setTimeout(r, 500));
    const ir = await k.request("control", "interrupt_request", {}).done;
    expect(ir.header.msg_type).toBe("interrupt_reply");
    const w = await wait;
    expect(w.reply.content.status).toBe("error");
    expect(w.reply.content.ename).toBe("Error");
    expect(w.reply.content.evalue).toMatch(/Interrupted asynchronously/);
  });

  it("requests tslab does not know get a reply and leave no text in the last cell", T, async () => {
    const seen: Message[] = [];
    k.onIopub = (m) => {
      if (m.header.msg_type === "stream") seen.push(m);
    };
    try {
      const h = await k.request("shell", "history_request", {
        output: false,
        raw: true,
        hist_access_type: "tail",
        n: 10,
      }).done;
      expect(h.header.msg_type).toBe("history_reply");
      expect(h.content.history).toStrictEqual([]);
      const u = await k.request("shell", "usage_request", {}).done;
      expect(u.header.msg_type).toBe("usage_reply");
      expect(u.content.status).toBe("error");
      expect(seen.length).toBe(0);
    } finally {
      k.onIopub = null;
    }
  });

  it("console output goes to the cell as stream text", T, async () => {
    const r = await run("console.log('up'); console.error('down');");
    const streams = ofType(r, "stream").map((m) => `${m.content.name}:${m.content.text}`);
    expect(streams).toStrictEqual(["stdout:up\n", "stderr:down\n"]);
  });
});

describe("wirelab kernel start", { timeout: 120_000 }, () => {
  it("iopub is bound before the shell socket listens (no EBUSY on the first kernel_info)", T, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wl-binds-"));
    const log = path.join(dir, "binds.log");
    const preload = path.join(__dirname, "..", "fixtures", "kernel", "bind-log.cjs");
    const env = { ...process.env, WL_BIND_LOG: log, NODE_OPTIONS: `--require ${preload}` };
    const kernel = await KernelClient.launch({ argv: kernelArgv("wirelab"), cwd: COURSE_ROOT, env });
    try {
      expect(kernel.kernelInfo.implementation).toBe("wirelab");
      const events = fs.readFileSync(log, "utf8").trim().split("\n");
      const iopubDone = events.indexOf("end Publisher");
      expect(iopubDone, events.join(", ")).toBeGreaterThanOrEqual(0);
      expect(events.filter((e) => e.startsWith("start ")).length, events.join(", ")).toBe(5);
      expect(
        events.findIndex((e) => e.startsWith("start ") && e !== "start Publisher"),
        events.join(", "),
      ).toBe(iopubDone + 1);
    } finally {
      await kernel.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

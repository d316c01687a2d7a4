/**
 * The wirelab Jupyter kernel: a thin launcher around tslab 1.0.22 (Jupyter messaging spec 5.3,
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html).
 *
 * It starts exactly like tslab's `startKernel` (tslab's executor, converter, ZeroMQ server and
 * completion/inspection handler, loaded from the project's node_modules and never patched) and
 * replaces only the execute path, to close tslab's gaps:
 *
 * - a failing cell (TypeScript diagnostics, a throw of any value, a rejected top-level await,
 *   a failed tracked display) sends an `error` iopub message and an `execute_reply` with status
 *   "error", ename, evalue and traceback (tslab only prints to stderr);
 * - stop_on_error like ipykernel: requests already queued when a cell fails are answered
 *   "aborted" with a visible note in their own cell; later requests run normally (tslab aborts
 *   whatever arrives within 200 ms and replies "abort", which is not a protocol status);
 * - `globalThis.__wirelab_kernel__` (see src/notebook/display.ts `KernelHook`): one
 *   display_data per multi-MIME bundle, update_display_data by display id, and `track(p)` so the
 *   reply waits (bounded) for asynchronous displays such as charts rendered to SVG;
 * - the last expression's value is an `execute_result` (util.inspect text), promises awaited;
 * - kernel_info names the implementation ("wirelab") and the real TypeScript version.
 *
 * Usage (kernel.json argv): node dist/kernel/launcher.js --config-path {connection_file}
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { inspect } from "node:util";
import { diagnosticsError, parseDiagnosticCall, thrownError, type CellDiagnostic, type ErrorContent } from "./errors";

/** How long a cell's reply waits for tracked promises (charts, async displays). */
export const TRACK_LIMIT_MS = 60_000;

type MimeBundle = Record<string, unknown>;
interface DisplayOptions {
  displayId?: string;
  update?: boolean;
  metadata?: Record<string, unknown>;
}

/** tslab's ZmqMessage (not exported by tslab's typings). */
interface Msg {
  header: { msg_id: string; msg_type: string; session: string; username: string; version: string; date: string };
  parent: unknown;
  metadata: Record<string, unknown>;
  content: any;
  createReply(): Msg;
  signAndSend(key: string, sock: unknown): void;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === "object" || typeof x === "function") && x !== null && typeof (x as any).then === "function";
}

/** What happened while one cell ran: filled by the executor's console and by the hook. */
class CellRun {
  diagnostics: CellDiagnostic[] = [];
  thrown: { value: unknown }[] = [];
  hasValue = false;
  value: unknown = undefined;
  tracked: Promise<unknown>[] = [];
  replied = false;

  /** The error of this cell, if any (diagnostics first, then the first thrown value). */
  error(): ErrorContent | null {
    if (this.diagnostics.length > 0) return diagnosticsError(this.diagnostics);
    if (this.thrown.length > 0) return thrownError(this.thrown[0]!.value);
    return null;
  }
}

/** The request types tslab's own server handles (src: tslab/dist/jupyter.js handleShellMessage). */
const TSLAB_HANDLES = new Set([
  "kernel_info_request",
  "execute_request",
  "is_complete_request",
  "inspect_request",
  "complete_request",
  "comm_info_request",
  "shutdown_request",
]);

type Tslab = ReturnType<typeof loadTslab>;

/** tslab's modules, from the project's node_modules (the same module instances the cells see). */
function loadTslab() {
  const req = createRequire(__filename);
  const tslabRoot = path.dirname(req.resolve("tslab/package.json"));
  return {
    tslabVersion: req("tslab/package.json").version as string,
    tsVersion: createRequire(path.join(tslabRoot, "package.json"))("@tslab/typescript-for-tslab").version as string,
    createExecutor: (req("tslab/dist/executor") as typeof import("tslab/dist/executor")).createExecutor,
    createConverter: req("tslab/dist/converter").createConverter as (o: { isJS: boolean; isBrowser: boolean }) => any,
    jupyter: req("tslab/dist/jupyter") as typeof import("tslab/dist/jupyter") & { lastWriteDisplayData: unknown },
  };
}

/** tslab's executor, reporting diagnostics, exceptions and the last value into the running cell. */
function createCellExecutor(t: Tslab) {
  let nodeConv: any = null;
  let browserConv: any = null;
  const convs = {
    get node() {
      return (nodeConv ??= t.createConverter({ isJS: false, isBrowser: false }));
    },
    get browser() {
      return (browserConv ??= t.createConverter({ isJS: false, isBrowser: true }));
    },
    close() {
      nodeConv?.close();
      browserConv?.close();
    },
  };
  void convs.node; // warm the converter, like tslab
  let current: CellRun | null = null;
  const execConsole = {
    log(value?: unknown, ...rest: unknown[]) {
      if (current && rest.length === 0) {
        current.hasValue = true;
        current.value = value;
      }
    },
    error(...args: unknown[]) {
      if (!current) return;
      const d = parseDiagnosticCall(args);
      if (d) current.diagnostics.push(d);
      else current.thrown.push({ value: args[0] });
    },
  };
  const executor = t.createExecutor(process.cwd(), convs as any, execConsole);
  return {
    executor,
    /** Runs a cell's code with `run` collecting what the executor reports. */
    async execute(run: CellRun, code: string): Promise<boolean> {
      current = run;
      try {
        return await executor.execute(code);
      } catch (e) {
        run.thrown.push({ value: e });
        return false;
      } finally {
        current = null;
      }
    },
  };
}

/** Interrupts: stops the executor and rejects whatever the running cell is awaiting. */
function createInterrupter(executor: { interrupt(): void }) {
  let cell = deferred<never>();
  cell.promise.catch(() => {});
  return {
    interrupted: () => cell.promise,
    interrupt() {
      executor.interrupt();
      const d = cell;
      cell = deferred<never>();
      cell.promise.catch(() => {});
      const e = new Error("the cell was interrupted");
      e.name = "KeyboardInterrupt";
      d.reject(e);
    },
  };
}

/** Awaits the cell's promised value, then its tracked displays (bounded by TRACK_LIMIT_MS). */
async function settleCell(run: CellRun, ok: boolean, interrupted: Promise<never>): Promise<void> {
  if (ok && run.hasValue && isThenable(run.value)) {
    try {
      run.value = await Promise.race([run.value, interrupted]);
    } catch (e) {
      run.thrown.push({ value: e });
    }
  }
  // Wait for tracked displays (bounded), including ones registered while waiting.
  const deadline = Date.now() + TRACK_LIMIT_MS;
  while (run.tracked.length > 0) {
    const batch = run.tracked.splice(0);
    const left = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), Math.max(0, left))));
    const settled = Promise.allSettled(batch).then((rs) => {
      for (const r of rs) if (r.status === "rejected") run.thrown.push({ value: r.reason });
      return "done" as const;
    });
    let res: "done" | "timeout";
    try {
      res = await Promise.race([settled, timeout, interrupted]);
    } catch (e) {
      run.thrown.push({ value: e });
      res = "done";
    } finally {
      clearTimeout(timer);
    }
    if (res === "timeout") {
      const e = new Error(`a display started by this cell did not finish within ${TRACK_LIMIT_MS / 1000} s`);
      e.name = "DisplayTimeoutError";
      run.thrown.push({ value: e });
      break;
    }
  }
  run.replied = true;
}

/**
 * Points the process's stdout/stderr, tslab's display API and the wirelab hook at this cell.
 * Like ipykernel and tslab: output written later (timers) goes to the most recent cell.
 */
function routeOutputs(t: Tslab, run: CellRun, send: (type: string, c: unknown) => void): void {
  const utf8 = new TextDecoder();
  const writeStream =
    (name: "stdout" | "stderr") =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : utf8.decode(chunk);
      if (text.length > 0) send("stream", { name, text });
      const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      cb?.();
      return true;
    };
  (process.stdout as any).write = writeStream("stdout");
  (process.stderr as any).write = writeStream("stderr");
  const displayTo = (bundle: MimeBundle, opts: DisplayOptions = {}) => {
    const transient = opts.displayId ? { display_id: opts.displayId } : {};
    send(opts.update && opts.displayId ? "update_display_data" : "display_data", {
      data: bundle,
      metadata: opts.metadata ?? {},
      transient,
    });
  };
  // tslab's public display API (import * as tslab from "tslab") keeps working.
  t.jupyter.lastWriteDisplayData = (data: any, update: boolean) =>
    send(update ? "update_display_data" : "display_data", data);
  globalThis.__wirelab_kernel__ = {
    display: displayTo,
    track: (p: Promise<unknown>) => {
      if (!run.replied) run.tracked.push(Promise.resolve(p));
      else
        Promise.resolve(p).catch((e) => {
          const err = thrownError(e);
          send("stream", { name: "stderr", text: `${err.traceback.join("\n")}\n` });
        });
    },
  };
}

/** The reply to a request tslab does not know (interrupt, history, anything else: an error). */
function replyUnknown(msg: Msg, type: string, interrupt: () => void, warn: (s: string) => void): Msg {
  const reply = msg.createReply();
  if (type === "interrupt_request") {
    interrupt();
    reply.header.msg_type = "interrupt_reply";
    reply.content = { status: "ok" };
  } else if (type === "history_request") {
    reply.header.msg_type = "history_reply";
    reply.content = { status: "ok", history: [] };
  } else {
    // tslab would console.warn into the last cell's output: answer with an error instead.
    reply.header.msg_type = type.replace(/_request$/, "_reply");
    reply.content = {
      status: "error",
      ename: "UnsupportedRequest",
      evalue: `the wirelab kernel does not support ${type}`,
      traceback: [],
    };
    warn(`wirelab kernel: unsupported message type ${type}\n`);
  }
  return reply;
}

/** Fills an execute_reply (and sends the error or the execute_result) for a finished cell. */
function fillExecuteReply(
  reply: Msg,
  run: CellRun,
  count: number,
  silent: boolean,
  send: (type: string, c: unknown) => void,
): void {
  const error = run.error();
  reply.header.msg_type = "execute_reply";
  if (error) {
    if (!silent) send("error", error);
    reply.metadata = { status: "error" };
    reply.content = { status: "error", execution_count: count, ...error, user_expressions: {}, payload: [] };
    return;
  }
  if (!silent && run.hasValue && run.value !== undefined) {
    send("execute_result", {
      execution_count: count,
      data: { "text/plain": inspect(run.value, { depth: 4, maxArrayLength: 100, maxStringLength: 10_000 }) },
      metadata: {},
    });
  }
  reply.metadata = { status: "ok" };
  reply.content = { status: "ok", execution_count: count, user_expressions: {}, payload: [] };
}

interface Queued {
  sock: unknown;
  msg: Msg;
  done: Deferred<void>;
}

/**
 * Takes every request received so far out of the queue. Called when a cell failed, before its
 * reply goes out, so a client that waits for each reply never has a request aborted. Requests
 * already in the socket reach the queue first, like ipykernel flushing the shell stream.
 */
async function takeQueued(queue: Queued[]): Promise<Queued[]> {
  let stable = 0;
  let last = -1;
  for (let i = 0; i < 50 && stable < 3; i++) {
    await new Promise((r) => setImmediate(r));
    if (queue.length === last) stable++;
    else stable = 0;
    last = queue.length;
  }
  return queue.splice(0);
}

/** The part of tslab's ZmqServer that binds its sockets (private in tslab's typings). */
interface BindingServer {
  iopub: unknown;
  bindSocket(sock: unknown, port: number): Promise<void>;
}

/**
 * tslab binds its five sockets at once. When shell is bound first, a client's kernel_info can
 * arrive while iopub's bind is still pending; publishing "busy" then throws EBUSY ("Socket is
 * blocked by a bind or unbind operation") and the request is never answered. With this, iopub
 * binds first, and the shell, control, stdin and heartbeat sockets only once it is bound.
 */
function bindIopubFirst(server: BindingServer): void {
  const bind = server.bindSocket.bind(server);
  const iopubBound = deferred<void>();
  server.bindSocket = async (sock, port) => {
    if (sock !== server.iopub) {
      await iopubBound.promise;
      return bind(sock, port);
    }
    try {
      await bind(sock, port);
      iopubBound.resolve();
    } catch (e) {
      iopubBound.reject(e);
      throw e;
    }
  };
}

/** tslab's ZmqServer with kernel_info, unknown requests, the execute queue and the cell run replaced. */
function wirelabServerClass(
  t: Tslab,
  cells: ReturnType<typeof createCellExecutor>,
  intr: ReturnType<typeof createInterrupter>,
  warn: (s: string) => void,
) {
  return class WirelabServer extends t.jupyter.ZmqServer {
    private queue: Queued[] = [];
    private running = false;
    private execCount = 0;
    /** tslab's (unexported) ZmqMessage class, captured from the first message it parses. */
    private messageClass: { fromRaw(key: string, raw: Buffer[]): Msg } | null = null;

    override handleKernelInfo(sock: any, msg: any): void {
      const reply: Msg = msg.createReply();
      reply.header.msg_type = "kernel_info_reply";
      const info: any = this.handler.handleKernel();
      info.implementation = "wirelab";
      info.implementation_version = t.tslabVersion;
      info.language_info.version = t.tsVersion;
      info.banner = `TypeScript ${t.tsVersion} (wirelab kernel on tslab ${t.tslabVersion}, Node ${process.version})`;
      info.status = "ok";
      reply.content = info;
      reply.signAndSend(this.connInfo.key, sock);
    }

    override handleCommInfoRequest(sock: any, msg: any): void {
      const reply: Msg = msg.createReply();
      reply.header.msg_type = "comm_info_reply";
      reply.content = { status: "ok", comms: {} };
      reply.signAndSend(this.connInfo.key, sock);
    }

    constructor(handler: ConstructorParameters<typeof t.jupyter.ZmqServer>[0], configPath: string) {
      super(handler, configPath);
      bindIopubFirst(this as unknown as BindingServer);
    }

    override publishStatus(status: string, parent: any): void {
      this.messageClass ??= parent.constructor;
      super.publishStatus(status, parent);
    }

    /** Requests tslab does not know are answered here (see replyUnknown); the rest go to tslab. */
    override async handleShellMessage(sock: any, ...args: Buffer[]): Promise<void> {
      let msg: Msg | null;
      try {
        msg = this.messageClass?.fromRaw(this.connInfo.key, args) ?? null;
      } catch {
        msg = null; // tslab's own parser reports malformed messages below
      }
      const type = msg?.header.msg_type;
      if (!msg || !type || TSLAB_HANDLES.has(type)) return super.handleShellMessage(sock, ...args);
      this.publishStatus("busy", msg);
      replyUnknown(msg, type, intr.interrupt, warn).signAndSend(this.connInfo.key, sock);
      this.publishStatus("idle", msg);
    }

    private iopubSend(parent: Msg, type: string, content: unknown): void {
      const m = parent.createReply();
      m.header.msg_type = type;
      m.content = content;
      m.signAndSend(this.connInfo.key, this.iopub);
    }

    override async handleExecute(sock: any, msg: any): Promise<void> {
      const item: Queued = { sock, msg, done: deferred<void>() };
      this.queue.push(item);
      if (!this.running) void this.pump();
      await item.done.promise;
    }

    private async pump(): Promise<void> {
      this.running = true;
      try {
        while (this.queue.length > 0) {
          const item = this.queue.shift()!;
          let toAbort: Queued[] = [];
          try {
            toAbort = await this.runCell(item);
          } catch (e) {
            process.stderr.write(`wirelab kernel: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
          } finally {
            item.done.resolve();
          }
          this.abort(toAbort, this.execCount);
        }
      } finally {
        this.running = false;
      }
    }

    /** Answers requests with "aborted" and a visible note in each of their cells. */
    private abort(items: Queued[], failedCount: number): void {
      for (const item of items) {
        if (!item.msg.content.silent) {
          this.iopubSend(item.msg, "stream", {
            name: "stderr",
            text: `Not run: cell [${failedCount}] failed above (stop_on_error).\n`,
          });
        }
        const reply = item.msg.createReply();
        reply.header.msg_type = "execute_reply";
        reply.metadata = { status: "aborted" };
        reply.content = { status: "aborted", execution_count: this.execCount };
        reply.signAndSend(this.connInfo.key, item.sock);
        item.done.resolve();
      }
    }

    /** Runs one cell; returns the queued requests to abort (when it failed with stop_on_error). */
    private async runCell(item: Queued): Promise<Queued[]> {
      const { msg, sock } = item;
      const content = msg.content as {
        code: string;
        silent?: boolean;
        store_history?: boolean;
        stop_on_error?: boolean;
      };
      const silent = !!content.silent;
      const count = silent || content.store_history === false ? this.execCount : ++this.execCount;
      const send = (type: string, c: unknown) => this.iopubSend(msg, type, c);
      if (!silent) send("execute_input", { code: content.code, execution_count: count });
      const run = new CellRun();
      routeOutputs(t, run, send);
      let ok = await cells.execute(run, content.code);
      if (ok && run.diagnostics.length > 0) ok = false; // %module cells register despite errors
      await settleCell(run, ok, intr.interrupted());
      const toAbort = run.error() && content.stop_on_error !== false ? await takeQueued(this.queue) : [];
      const reply = msg.createReply();
      fillExecuteReply(reply, run, count, silent, send);
      reply.signAndSend(this.connInfo.key, sock);
      return toAbort;
    }

    override close(): void {
      super.close();
      // Timers started by cells must not keep a shut-down kernel alive.
      setTimeout(() => process.exit(0), 300).unref();
    }
  };
}

/** The kernel: tslab's server with the execute path replaced. */
export function startWirelabKernel(configPath: string): void {
  // Cells redirect process.stderr to their output; kernel diagnostics go to the real stderr.
  const realStderrWrite = process.stderr.write.bind(process.stderr);
  const t = loadTslab();
  const cells = createCellExecutor(t);
  const intr = createInterrupter(cells.executor);
  const handler = new t.jupyter.JupyterHandlerImpl(cells.executor, false);
  const Server = wirelabServerClass(t, cells, intr, (s) => void realStderrWrite(s));
  const server = new Server(handler, configPath);
  process.on("SIGINT", intr.interrupt);
  process.on("uncaughtException", (err) => {
    console.error("Uncaught exception (outside a running cell):", err);
  });
  process.on("unhandledRejection", (reason) => {
    console.error("Unhandled promise rejection:", reason);
  });
  watchParent();
  void server.init();
}

/** Exits when the process that launched the kernel dies (JPY_PARENT_PID, as ipykernel does). */
function watchParent(): void {
  const parent = Number(process.env.JPY_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
    if (process.ppid !== parent && process.ppid === 1) process.exit(0);
  }, 1000);
  timer.unref();
}

function parseArgs(argv: string[]): string {
  const i = argv.indexOf("--config-path");
  const conn = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--config-path="))?.slice("--config-path=".length);
  if (!conn) {
    process.stderr.write("usage: node dist/kernel/launcher.js --config-path CONNECTION_FILE\n");
    process.exit(2);
  }
  return conn;
}

if (require.main === module) {
  startWirelabKernel(parseArgs(process.argv.slice(2)));
}

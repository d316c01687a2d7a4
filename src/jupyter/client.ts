/**
 * A minimal Jupyter client in Node over ZeroMQ (Jupyter messaging protocol 5.3, wire protocol
 * with HMAC-SHA256 signatures: https://jupyter-client.readthedocs.io/en/latest/messaging.html).
 *
 * It launches a kernel from a kernelspec-style argv (connection file in a temporary folder, free
 * ports on 127.0.0.1), waits for `kernel_info_reply` while working around the iopub "slow
 * joiner" (it repeats kernel_info until an iopub status arrives, as jupyter_client does),
 * executes code, interrupts with SIGINT, and shuts the kernel down. Kernels run in their own
 * process group, which is killed on shutdown, on timeout and when this process exits: no
 * kernel is ever left behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as zmq from "zeromq";

const DELIM = "<IDS|MSG>";
export const PROTOCOL_VERSION = "5.3";

export interface Header {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message<C = any> {
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: C;
}

export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name: string;
}

/** Signs message frames with HMAC-SHA256 (hex), as the wire protocol specifies. */
export function sign(key: string, frames: (string | Buffer)[]): string {
  const h = createHmac("sha256", key);
  for (const f of frames) h.update(f);
  return h.digest("hex");
}

/** Encodes a message into wire frames (without routing identities). */
export function encodeMessage(key: string, msg: Message): string[] {
  const body = [
    JSON.stringify(msg.header),
    JSON.stringify(msg.parent_header),
    JSON.stringify(msg.metadata),
    JSON.stringify(msg.content),
  ];
  return [DELIM, sign(key, body), ...body];
}

/** Decodes wire frames (any identity prefix, then the delimiter); throws on a bad signature. */
export function decodeMessage(key: string, frames: Buffer[]): Message {
  const i = frames.findIndex((f) => f.length === DELIM.length && f.toString() === DELIM);
  if (i < 0 || frames.length < i + 6)
    throw new Error(`malformed Jupyter message: ${frames.length} frames, delimiter at ${i}`);
  const body = frames.slice(i + 2, i + 6);
  const want = sign(key, body);
  const got = frames[i + 1]!.toString();
  if (key && got !== want) throw new Error(`bad message signature ${got.slice(0, 12)}…`);
  const [header, parent_header, metadata, content] = body.map((b) => JSON.parse(b.toString()));
  return { header, parent_header, metadata, content };
}

/** Free TCP ports on 127.0.0.1 (asked from the OS, then released). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      servers.push(s);
      await new Promise<void>((res, rej) => {
        s.once("error", rej);
        s.listen(0, "127.0.0.1", () => res());
      });
      ports.push((s.address() as net.AddressInfo).port);
    }
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r(undefined)))));
  }
  return ports;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const c of live) killGroup(c, "SIGKILL");
  });
}

/** Kills every kernel this process launched (for signal handlers; exit does it too). */
export function killAllKernels(): void {
  for (const c of live) killGroup(c, "SIGKILL");
}

export interface LaunchOptions {
  /** Kernel argv; "{connection_file}" is replaced by the connection file path. */
  argv: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for kernel_info_reply (default 60 s). */
  startTimeoutMs?: number;
}

export interface ExecuteOptions {
  stopOnError?: boolean;
  silent?: boolean;
  /** Called for each iopub message whose parent is this request. */
  onIopub?: (msg: Message) => void;
}

export interface ExecuteHandle {
  msgId: string;
  /** Resolves with the execute_reply after the kernel has also published "idle" for it. */
  done: Promise<Message>;
}

interface Waiter {
  reply?: Message;
  idle: boolean;
  resolve(m: Message): void;
  reject(e: unknown): void;
  onIopub?: (msg: Message) => void;
  onReply?: (msg: Message) => void;
}

/** A running kernel and the sockets to talk to it. */
export class KernelClient {
  readonly session = randomUUID();
  kernelInfo: any = null;
  private shell = new zmq.Dealer({ linger: 0 });
  private control = new zmq.Dealer({ linger: 0 });
  private iopub = new zmq.Subscriber({ linger: 0 });
  private waiters = new Map<string, Waiter>();
  private iopubSeen = new Set<string>();
  private stderrTail = "";
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined = undefined;
  private closed = false;
  /** Every iopub message (after the per-request callback), e.g. for update_display_data. */
  onIopub: ((msg: Message) => void) | null = null;

  private constructor(
    readonly child: ChildProcess,
    readonly conn: ConnectionInfo,
    private readonly tmpDir: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        live.delete(child);
        for (const w of this.waiters.values())
          w.reject(
            new Error(
              `the kernel exited (${signal ?? "code " + code}) ` +
                `${this.stderrTail ? ":\n" + this.stderrTail.slice(-2000) : ""}`,
            ),
          );
        this.waiters.clear();
        resolve(code);
      });
    });
    child.stderr?.on("data", (b: Buffer) => {
      this.stderrTail = (this.stderrTail + b.toString()).slice(-16384);
    });
    child.stdout?.on("data", () => {});
  }

  /** Launches a kernel and waits until it answers kernel_info on shell and publishes on iopub. */
  static async launch(opts: LaunchOptions): Promise<KernelClient> {
    installExitHook();
    const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5);
    const conn: ConnectionInfo = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: shell_port!,
      iopub_port: iopub_port!,
      stdin_port: stdin_port!,
      control_port: control_port!,
      hb_port: hb_port!,
      key: randomBytes(32).toString("hex"),
      signature_scheme: "hmac-sha256",
      kernel_name: "wirelab",
    };
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "wirelab-kernel-"));
    const connFile = path.join(tmpDir, "kernel.json");
    fs.writeFileSync(connFile, JSON.stringify(conn), { mode: 0o600 });
    const argv = opts.argv.map((a) => a.replace("{connection_file}", connFile));
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: { ...(opts.env ?? process.env), JPY_PARENT_PID: String(process.pid) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    live.add(child);
    const client = new KernelClient(child, conn, tmpDir);
    try {
      await new Promise<void>((res, rej) => {
        child.once("spawn", () => res());
        child.once("error", rej);
      });
      client.connect();
      await client.waitReady(opts.startTimeoutMs ?? 60_000);
    } catch (e) {
      await client.kill();
      throw e;
    }
    return client;
  }

  private connect(): void {
    const url = (port: number) => `tcp://${this.conn.ip}:${port}`;
    this.shell.connect(url(this.conn.shell_port));
    this.control.connect(url(this.conn.control_port));
    this.iopub.connect(url(this.conn.iopub_port));
    this.iopub.subscribe();
    void this.readLoop(this.shell, (m) => this.onReply(m));
    void this.readLoop(this.control, (m) => this.onReply(m));
    void this.readLoop(this.iopub, (m) => this.onIopubMessage(m));
  }

  private async readLoop(sock: zmq.Dealer | zmq.Subscriber, handle: (m: Message) => void): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = decodeMessage(this.conn.key, frames as Buffer[]);
        } catch {
          continue; // not ours or malformed: ignore, like jupyter_client
        }
        handle(msg);
      }
    } catch {
      /* socket closed */
    }
  }

  private onReply(msg: Message): void {
    const id = msg.parent_header.msg_id;
    if (!id) return;
    const w = this.waiters.get(id);
    if (!w) return;
    w.reply = msg;
    w.onReply?.(msg);
    this.settle(id, w);
  }

  private onIopubMessage(msg: Message): void {
    const id = msg.parent_header.msg_id;
    if (id) this.iopubSeen.add(id);
    const w = id ? this.waiters.get(id) : undefined;
    if (w) {
      if (msg.header.msg_type === "status" && msg.content.execution_state === "idle") w.idle = true;
      else w.onIopub?.(msg);
    }
    this.onIopub?.(msg);
    if (w && id) this.settle(id, w);
  }

  private settle(id: string, w: Waiter): void {
    if (w.reply && w.idle) {
      this.waiters.delete(id);
      w.resolve(w.reply);
    }
  }

  private header(msg_type: string): Header {
    return {
      msg_id: randomUUID(),
      msg_type,
      session: this.session,
      username: "wirelab",
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    };
  }

  /** Sends a request; the promise resolves with the reply once iopub said "idle" for it. */
  request(
    channel: "shell" | "control",
    msg_type: string,
    content: unknown,
    onIopub?: (m: Message) => void,
  ): ExecuteHandle {
    if (this.closed) throw new Error("the kernel client is closed");
    const header = this.header(msg_type);
    const done = new Promise<Message>((resolve, reject) => {
      this.waiters.set(header.msg_id, { idle: false, resolve, reject, ...(onIopub ? { onIopub } : {}) });
    });
    done.catch(() => {});
    const frames = encodeMessage(this.conn.key, { header, parent_header: {}, metadata: {}, content });
    void (channel === "shell" ? this.shell : this.control).send(frames).catch(() => {});
    return { msgId: header.msg_id, done };
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `the kernel did not answer kernel_info within ${timeoutMs / 1000} ` +
            `s${this.stderrTail ? ":\n" + this.stderrTail.slice(-2000) : ""}`,
        );
      const h = this.request("shell", "kernel_info_request", {});
      // The reply comes on shell; "idle" on iopub proves our subscription is live.
      const w = this.waiters.get(h.msgId)!;
      const gotReply = new Promise<Message>((resolve) => (w.onReply = resolve));
      // Asked again every few seconds, like jupyter_client: a request the kernel dropped while it
      // was still starting must not cost the whole start timeout.
      const timer = new Promise<null>((r) => setTimeout(() => r(null), Math.min(left, 3000)).unref());
      const exited = this.exited.then((code) => {
        throw new Error(
          `the kernel exited with code ${code} before it was ` +
            `ready${this.stderrTail ? ":\n" + this.stderrTail.slice(-2000) : ""}`,
        );
      });
      const reply = await Promise.race([gotReply, timer, exited]);
      if (!reply) {
        this.waiters.delete(h.msgId);
        continue;
      }
      this.kernelInfo = reply.content;
      // Wait briefly for any iopub traffic about this request.
      const until = Date.now() + 500;
      while (!this.iopubSeen.has(h.msgId) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      this.waiters.delete(h.msgId);
      if (this.iopubSeen.has(h.msgId)) return;
    }
  }

  /** Starts executing code; see ExecuteHandle. */
  execute(code: string, opts: ExecuteOptions = {}): ExecuteHandle {
    return this.request(
      "shell",
      "execute_request",
      {
        code,
        silent: opts.silent ?? false,
        store_history: !(opts.silent ?? false),
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: opts.stopOnError ?? true,
      },
      opts.onIopub,
    );
  }

  /** Interrupts the running cell (SIGINT, the default kernelspec interrupt_mode). */
  interrupt(): void {
    if (this.child.pid !== undefined && this.exitCode === undefined) {
      try {
        process.kill(this.child.pid, "SIGINT");
      } catch {
        /* gone */
      }
    }
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** Waits for the process to exit, up to `ms`; true if it exited. */
  async waitExit(ms: number): Promise<boolean> {
    if (!this.alive) return true;
    let t: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((res) => (t = setTimeout(() => res(false), ms))),
    ]);
    clearTimeout(t);
    return r;
  }

  /** Asks the kernel to shut down, then kills its process group if it is still there. */
  async shutdown(graceMs = 3000): Promise<void> {
    if (this.alive && !this.closed) {
      const h = this.request("control", "shutdown_request", { restart: false });
      await Promise.race([h.done.catch(() => {}), new Promise((r) => setTimeout(r, graceMs).unref())]);
      await this.waitExit(graceMs);
    }
    await this.kill();
  }

  /** Kills the kernel's process group now and releases sockets and the temp folder. */
  async kill(): Promise<void> {
    killGroup(this.child, "SIGKILL");
    await this.waitExit(5000);
    if (!this.closed) {
      this.closed = true;
      for (const s of [this.shell, this.control, this.iopub]) {
        try {
          s.close();
        } catch {
          /* already closed */
        }
      }
      fs.rmSync(this.tmpDir, { recursive: true, force: true });
    }
  }

  /** The last bytes the kernel wrote to its own stderr (startup failures). */
  get stderr(): string {
    return this.stderrTail;
  }
}

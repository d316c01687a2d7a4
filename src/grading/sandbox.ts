/**
 * The trusted side of the learner's process (the sandbox). The learner's module is compiled here
 * (esbuild, bundling the library files it imports, refusing exercise definitions, answer data,
 * solutions and anything outside the course), sent as plain JavaScript to a fresh Node process,
 * and its functions are called with inputs sent as data. Replies are validated against a schema
 * on arrival: a malformed reply is a failed call with a message, never a crash, and no reply can
 * say "pass" — verdicts are computed only by the trusted tests.
 *
 * The learner's process runs under every layer this platform offers (see `sandboxLayers`):
 * Node's permission model (reads only node_modules; no writes, child processes, workers or
 * addons), an address-space limit that counts off-heap memory (`prlimit --as`, Linux), its own
 * process group killed when the exercise ends, and as root on Linux an empty network namespace
 * (`unshare -n`) and an unprivileged user (`setpriv`). PrairieLearn's external graders follow the
 * same split (untrusted code in its own process and user, results compared outside).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { confineProgram, confinesUser, DEFAULT_MEMORY_BYTES, probeConfinement as probe } from "../util/confine";
import { RUNTIME_SOURCE } from "./sandbox-runtime";

export { confineProgram, confinesUser, DEFAULT_MEMORY_BYTES };

/** Longest line the learner's process may send (bytes); more is a protocol violation. */
export const MAX_FRAME = 8 * 1024 * 1024;

export interface SandboxOptions {
  /** Course root: node_modules is resolved from here. */
  root: string;
  /** false: run the learner's process with no OS layer (the benchmarks' peer, the tests' control). */
  confine?: boolean;
  memoryBytes?: number;
}

/** A value the learner's process could not send as data (a function, a cycle…). */
export class Opaque {
  constructor(readonly description: string) {}
  toString(): string {
    return `[${this.description}]`;
  }
}

/** The learner's function threw (or rejected): name/message as the learner's process described them. */
export class LearnerThrew extends Error {
  constructor(
    name: string,
    message: string,
    readonly text: string,
    readonly notAttempted: boolean,
  ) {
    super(message);
    this.name = notAttempted ? "NotAttemptedError" : name || "LearnerThrew";
  }
}

/** The learner's process did not answer in time, died, or sent something that is not a reply. */
export class SandboxFault extends Error {
  constructor(
    readonly kind: "timeout" | "crash" | "malformed",
    message: string,
  ) {
    super(message);
    this.name = "SandboxFault";
  }
}

// ------------------------------------------------------------------ the OS layers

export interface SandboxLayers {
  permission: boolean;
  memory: boolean;
  network: boolean;
  user: boolean;
  processGroup: boolean;
}

/** Which layers the learner's process gets on this machine. */
export function sandboxLayers(confine = true): SandboxLayers {
  if (!confine)
    return {
      permission: false,
      memory: false,
      network: false,
      user: false,
      processGroup: process.platform !== "win32",
    };
  const p = probe();
  return {
    permission: true,
    memory: p.prlimit,
    network: p.unshare,
    user: p.setpriv,
    processGroup: process.platform !== "win32",
  };
}

function nodeModulesOf(root: string): string {
  const nm = path.join(root, "node_modules");
  try {
    return fs.realpathSync(nm);
  } catch {
    return fs.realpathSync(path.resolve(__dirname, "..", "..", "node_modules"));
  }
}

/** The command line that starts the learner's process. */
export function sandboxCommand(opts: SandboxOptions): { cmd: string; args: string[] } {
  const confine = opts.confine !== false;
  const node = [process.execPath];
  const flags = ["--max-old-space-size=512", "--stack-size=2000"];
  if (confine)
    flags.unshift(
      "--experimental-permission",
      `--allow-fs-read=${nodeModulesOf(opts.root)}`,
      "--disable-warning=ExperimentalWarning",
    );
  let argv = [...node, ...flags, "-e", RUNTIME_SOURCE];
  if (confine) {
    const p = probe();
    if (p.setpriv) argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", ...argv];
    if (p.prlimit) argv = ["prlimit", `--as=${opts.memoryBytes ?? DEFAULT_MEMORY_BYTES}`, "--core=0", "--", ...argv];
    if (p.unshare) argv = ["unshare", "-n", "--", ...argv];
  }
  return { cmd: argv[0]!, args: argv.slice(1) };
}

// ------------------------------------------------------------------ values on the wire

function toWire(v: unknown, callbacks: Array<(...a: unknown[]) => unknown>, depth = 0): unknown {
  if (depth > 64) throw new Error("argument nested too deeply");
  if (typeof v === "bigint") return { $bigint: v.toString() };
  if (v === undefined) return { $undefined: true };
  if (typeof v === "function") {
    callbacks.push(v as (...a: unknown[]) => unknown);
    return { $cb: callbacks.length - 1 };
  }
  if (Array.isArray(v)) return v.map((x) => toWire(x, callbacks, depth + 1));
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = toWire(x, callbacks, depth + 1);
    return o;
  }
  return v;
}

/** Turns a decoded JSON value from the learner's process into a plain value (bigints restored). */
export function fromWire(v: unknown, depth = 0): unknown {
  if (depth > 200) return new Opaque("a value nested more than 200 levels deep");
  if (Array.isArray(v)) return v.map((x) => fromWire(x, depth + 1));
  if (v && typeof v === "object") {
    const keys = Object.keys(v);
    const o = v as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === "$bigint") {
      const s = o.$bigint;
      return typeof s === "string" && /^-?\d{1,100000}$/.test(s) ? BigInt(s) : new Opaque("a malformed bigint");
    }
    if (keys.length === 1 && keys[0] === "$undefined") return undefined;
    if (keys.length === 1 && keys[0] === "$fn")
      return new Opaque(typeof o.$fn === "string" ? `function ${o.$fn.slice(0, 80)}` : "a function");
    const out: Record<string, unknown> = {};
    for (const k of keys)
      Object.defineProperty(out, k, {
        value: fromWire(o[k], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return v;
}

// ------------------------------------------------------------------ messages from the sandbox

export type ExportInfo = { fn: true } | { value: unknown } | { error: string; notAttempted: boolean };
export type SandboxMessage =
  | { t: "loaded"; root: "object" | "function" | "none"; exports: Record<string, ExportInfo> }
  | { t: "loadfail"; error: string; notAttempted: boolean }
  | { t: "return"; id: number; value: unknown }
  | { t: "throw"; id: number; name: string; message: string; text: string; notAttempted: boolean }
  | { t: "cb"; n: number; args: unknown[] };

const isStr = (v: unknown, max = 20000): v is string => typeof v === "string" && v.length <= max;
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const cut = (s: string, n = 1500) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

/**
 * Validates one line from the learner's process. Returns the message, or a string saying what is
 * wrong with it (which the caller reports as a failed call).
 */
export function parseSandboxMessage(line: string): SandboxMessage | string {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch {
    return `a reply that is not JSON (${JSON.stringify(line.slice(0, 60))}…)`;
  }
  if (!isObj(m) || typeof m.t !== "string") return "a reply without a type";
  switch (m.t) {
    case "loaded": {
      if (!["object", "function", "none"].includes(m.root as string) || !isObj(m.exports))
        return "a malformed 'loaded' reply";
      const exports: Record<string, ExportInfo> = {};
      for (const [k, x] of Object.entries(m.exports)) {
        if (!isObj(x)) return `a malformed description of export ${JSON.stringify(k.slice(0, 40))}`;
        if (x.fn === true) exports[k] = { fn: true };
        else if ("value" in x) exports[k] = { value: fromWire(x.value) };
        else if (isStr(x.error)) exports[k] = { error: cut(x.error), notAttempted: x.notAttempted === true };
        else return `a malformed description of export ${JSON.stringify(k.slice(0, 40))}`;
      }
      return { t: "loaded", root: m.root as "object", exports };
    }
    case "loadfail":
      if (!isStr(m.error)) return "a malformed 'loadfail' reply (its error is not a string)";
      return { t: "loadfail", error: cut(m.error), notAttempted: m.notAttempted === true };
    case "return":
      if (!Number.isSafeInteger(m.id) || !("value" in m)) return "a malformed 'return' reply";
      return { t: "return", id: m.id as number, value: fromWire(m.value) };
    case "throw":
      if (!Number.isSafeInteger(m.id) || !isStr(m.name) || !isStr(m.message) || !isStr(m.text))
        return "a malformed 'throw' reply (name, message and text must be strings)";
      return {
        t: "throw",
        id: m.id as number,
        name: cut(m.name, 100),
        message: cut(m.message),
        text: cut(m.text),
        notAttempted: m.notAttempted === true,
      };
    case "cb":
      if (!Number.isSafeInteger(m.n) || !Array.isArray(m.args)) return "a malformed callback request";
      return { t: "cb", n: m.n as number, args: m.args.map((a) => fromWire(a)) };
    default:
      return `a reply of unknown type ${JSON.stringify(String(m.t).slice(0, 40))}`;
  }
}

// ------------------------------------------------------------------ the process

/** One learner process. Every operation has a deadline; on any fault the process group is killed. */
export class Sandbox {
  private child: ChildProcess;
  private buf = "";
  private bytes = 0;
  private queue: Array<SandboxMessage | string> = [];
  private waiter?: () => void;
  private exitText?: string;
  private errTail = "";
  private nextId = 1;
  readonly pid: number | undefined;

  constructor(opts: SandboxOptions) {
    const { cmd, args } = sandboxCommand(opts);
    this.child = spawn(cmd, args, {
      cwd: "/",
      detached: process.platform !== "win32",
      stdio: ["pipe", "ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_OPTIONS: "", LANG: "C.UTF-8" },
    });
    this.pid = this.child.pid;
    this.child.on("error", (e) => this.onExit(`could not start: ${e.message}`));
    this.child.stdin!.on("error", () => undefined);
    this.child.stderr!.on("data", (d: Buffer) => {
      this.errTail = (this.errTail + d.toString()).slice(-2000);
    });
    const out = this.child.stdio[3] as NodeJS.ReadableStream;
    out.on("error", () => undefined);
    out.on("data", (d: Buffer) => this.onData(d));
    this.child.on("exit", (code, signal) => this.onExit(signal ? `signal ${signal}` : `exit code ${code}`));
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private onData(d: Buffer): void {
    this.bytes += d.length;
    this.buf += d.toString("utf8");
    let i: number;
    while ((i = this.buf.indexOf("\n")) >= 0) {
      const line = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 1);
      this.queue.push(parseSandboxMessage(line));
    }
    if (this.buf.length > MAX_FRAME) {
      this.queue.push(`a reply longer than ${MAX_FRAME / 1024 / 1024} MiB`);
      this.buf = "";
      this.kill();
    }
    this.wake();
  }

  private onExit(text: string): void {
    if (this.exitText === undefined) this.exitText = text;
    this.wake();
  }

  get alive(): boolean {
    return this.exitText === undefined;
  }

  /** The last lines the process wrote to stderr (for a crash report). */
  get stderrTail(): string {
    return this.errTail.trim().split("\n").slice(-3).join(" | ");
  }

  /** Kills the learner's process and everything it started (its whole process group). */
  kill(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      if (process.platform !== "win32") process.kill(-pid, "SIGKILL");
      else this.child.kill("SIGKILL");
    } catch {
      /* already gone */
    }
  }

  private send(msg: unknown): void {
    if (!this.alive) return;
    this.child.stdin!.write(JSON.stringify(msg) + "\n");
  }

  /** The next validated message, or a fault (timeout, exit, malformed). */
  private async next(deadline: number): Promise<SandboxMessage> {
    for (;;) {
      const m = this.queue.shift();
      if (typeof m === "string") {
        this.kill();
        throw new SandboxFault("malformed", `your code's process sent ${m}`);
      }
      if (m) return m;
      if (!this.alive) {
        const tail = this.stderrTail;
        throw new SandboxFault(
          "crash",
          `your code's process ended (${this.exitText})${tail ? ": " + cut(tail, 300) : ""}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.kill();
        throw new SandboxFault("timeout", "no answer in time");
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Loads compiled JavaScript as the learner's module; returns what it exports. */
  async load(
    code: string,
    filename: string,
    deadline: number,
  ): Promise<Extract<SandboxMessage, { t: "loaded" | "loadfail" }>> {
    this.send({ t: "load", code, filename });
    const m = await this.next(deadline);
    if (m.t !== "loaded" && m.t !== "loadfail") {
      this.kill();
      throw new SandboxFault("malformed", `your code's process sent a '${m.t}' reply while loading`);
    }
    return m;
  }

  /** Calls an export ("" = the module itself) with data arguments; trusted callbacks answer over the channel. */
  async call(name: string, args: unknown[], deadline: number): Promise<unknown> {
    const callbacks: Array<(...a: unknown[]) => unknown> = [];
    const id = this.nextId++;
    this.send({ t: "call", id, name, args: toWire(args, callbacks) });
    for (;;) {
      const m = await this.next(deadline);
      if (m.t === "cb") {
        const f = callbacks[m.n];
        try {
          if (!f) throw new Error(`no callback #${m.n}`);
          this.send({ t: "cbret", value: toWire(await f(...m.args), []) });
        } catch (e) {
          this.send({ t: "cbthrow", message: e instanceof Error ? e.message : String(e) });
        }
        continue;
      }
      if ((m.t === "return" || m.t === "throw") && m.id === id) {
        if (m.t === "return") return m.value;
        throw new LearnerThrew(m.name, m.message, m.text, m.notAttempted);
      }
      if ((m.t === "return" || m.t === "throw") && m.id < id) continue; // a late reply to an earlier, abandoned call
      this.kill();
      throw new SandboxFault("malformed", `your code's process sent a '${m.t}' reply that answers no question`);
    }
  }
}

/** Every sandbox started by this process, killed at exit whatever happens. */
const live = new Set<Sandbox>();
let hooked = false;
export function startSandbox(opts: SandboxOptions): Sandbox {
  if (!hooked) {
    hooked = true;
    process.on("exit", () => {
      for (const s of live) s.kill();
    });
  }
  const s = new Sandbox(opts);
  live.add(s);
  return s;
}
export function stopSandbox(s: Sandbox | undefined): void {
  if (!s) return;
  s.kill();
  live.delete(s);
}

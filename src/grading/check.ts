/**
 * `check(id, answer?)` for notebook cells: grades an exercise with its public tests and shows one
 * line per test (✓/✗, points, a message that teaches) and the total, and says that hidden tests
 * run when an instructor grades.
 *
 * - `check("mod.ex1", "103*42 mod 17")` grades the answer written in the cell (a literal value).
 * - `check("dh.modpow")` grades the learner's file (`exercises/dh/modpow.ts`).
 * - `check("mod.ex1", undefined)`, the untouched cell, falls back to the file, and reports
 *   "not attempted" when that is a stub too.
 *
 * The grading runs in a separate process, synchronously, with time limits; `check` never throws.
 * That process is started once per kernel and kept warm (checkserver.ts): the kernel writes a
 * request to a FIFO and reads the reply synchronously, one hop, with no module loaded twice.
 * Where FIFOs are not available (Windows), each check spawns a one-shot process (oneshot.ts).
 * Editing this helper in a notebook changes nothing the CLI grader reports: the grader reads the
 * answers and runs the course's own specs.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { emit } from "../notebook/display";
import { encode } from "./codec";
import type { ExerciseReport } from "./grader";
import { findExercise } from "./registry";
import { exerciseHtml, exerciseText } from "./report";

const EXT = path.extname(__filename);
const ROOT = path.resolve(__dirname, "..", "..");

/** Longest a check may take before the kernel gives up on the grading process (ms). */
const CHECK_LIMIT_MS = 180_000;

interface Server {
  child: ChildProcess;
  dir: string;
  req: number;
  res: number;
  buf: string;
  decoder: StringDecoder;
}
let server: Server | undefined;
let seq = 0;
const nap = new Int32Array(new SharedArrayBuffer(4));

function stopServer(): void {
  if (!server) return;
  try {
    server.child.kill("SIGKILL");
  } catch {
    /* gone */
  }
  for (const fd of [server.req, server.res]) {
    try {
      fs.closeSync(fd);
    } catch {
      /* closed */
    }
  }
  fs.rmSync(server.dir, { recursive: true, force: true });
  server = undefined;
}

function startServer(): Server | undefined {
  if (process.platform === "win32") return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wl-check-"));
  const req = path.join(dir, "req");
  const res = path.join(dir, "res");
  if (spawnSync("mkfifo", ["-m", "600", req, res]).status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const script = path.join(__dirname, `checkserver${EXT}`);
  const args = EXT === ".ts" ? ["--import", "tsx", script, req, res] : [script, req, res];
  const child = spawn(process.execPath, args, { stdio: "ignore", env: { ...process.env, NODE_OPTIONS: "" } });
  child.unref();
  child.on("error", () => undefined);
  const s: Server = {
    child,
    dir,
    req: fs.openSync(req, fs.constants.O_RDWR),
    res: fs.openSync(res, fs.constants.O_RDWR | fs.constants.O_NONBLOCK),
    buf: "",
    decoder: new StringDecoder("utf8"),
  };
  process.once("exit", stopServer);
  return s;
}

/** One request to the warm grading process; undefined when there is none here. */
function viaServer(payload: Record<string, unknown>): ExerciseReport | { fatal: string } | undefined {
  server ??= startServer();
  if (!server) return undefined;
  const s = server;
  const n = ++seq;
  fs.writeSync(s.req, JSON.stringify({ ...payload, seq: n }) + "\n");
  const deadline = Date.now() + CHECK_LIMIT_MS;
  const chunk = Buffer.alloc(1 << 16);
  for (;;) {
    let i: number;
    while ((i = s.buf.indexOf("\n")) >= 0) {
      const line = s.buf.slice(0, i);
      s.buf = s.buf.slice(i + 1);
      try {
        const m = JSON.parse(line) as { seq: number; report?: ExerciseReport; fatal?: string };
        if (m.seq !== n) continue; // a late reply to a check that gave up
        return m.report ?? { fatal: m.fatal ?? "the grader sent no report" };
      } catch {
        continue;
      }
    }
    if (s.child.exitCode !== null || s.child.signalCode !== null) {
      stopServer();
      return { fatal: "the grading process stopped; run check again" };
    }
    if (Date.now() > deadline) {
      stopServer();
      return { fatal: `the grader did not answer within ${CHECK_LIMIT_MS / 1000} s` };
    }
    let got = 0;
    try {
      got = fs.readSync(s.res, chunk, 0, chunk.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") {
        stopServer();
        return { fatal: `the grader could not be reached: ${(e as Error).message}` };
      }
    }
    if (got > 0) s.buf += s.decoder.write(chunk.subarray(0, got));
    else Atomics.wait(nap, 0, 0, 3);
  }
}

/** Grades and returns the report without displaying it. */
export function grade(id: string, ...answer: unknown[]): ExerciseReport | { fatal: string } {
  let json: string | undefined;
  try {
    json = answer.length > 0 && answer[0] !== undefined ? encode(answer[0]) : undefined;
  } catch (e) {
    return { fatal: (e as Error).message };
  }
  const warm = viaServer({ id, answer: json, root: ROOT });
  if (warm) return warm;
  // Resolve the exercise here (the registry is loaded once per kernel), so the grading process
  // loads only that exercise's module. An unknown id is reported with the valid ones.
  let module: string;
  try {
    module = findExercise(id).module;
  } catch (e) {
    return { fatal: (e as Error).message };
  }
  const script = path.join(__dirname, `oneshot${EXT}`);
  const args = EXT === ".ts" ? ["--import", "tsx", script] : [script];
  const r = spawnSync(process.execPath, args, {
    input: JSON.stringify({ id, answer: json, root: ROOT, module }),
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  if (r.error || r.status !== 0)
    return {
      fatal: `the grader could not run: ${r.error?.message ?? `exit ${r.status}`} ${(r.stderr ?? "").slice(-400)}`,
    };
  try {
    return JSON.parse(r.stdout) as ExerciseReport | { fatal: string };
  } catch {
    return { fatal: `the grader printed something unexpected: ${String(r.stdout).slice(0, 200)}` };
  }
}

/** Grades and shows the result in the cell (or the terminal). Returns nothing, never throws. */
export function check(id: string, ...answer: unknown[]): void {
  const r = grade(id, ...answer);
  if ("fatal" in r) {
    emit({
      "text/html":
        `<div style="color:#dc2626;font-family:sans-serif">⚠ check(${JSON.stringify(id)}): ` +
        `${r.fatal.replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"))}</div>`,
      "text/plain": `check(${JSON.stringify(id)}): ${r.fatal}`,
    });
    return;
  }
  emit({ "text/html": exerciseHtml(r), "text/plain": exerciseText(r) });
}

/**
 * The headless notebook runner behind `wirelab run` and `npm test`: executes a notebook's code
 * cells one by one in a fresh kernel (the wirelab kernel, or plain tslab for the benchmark),
 * collects the outputs as nbformat v4 outputs (stream text merged, display_data,
 * update_display_data applied to the output with that display id, execute_result, error), and
 * reports each cell's status (ok / error / aborted / timeout) and time. Like nbclient, it stops
 * at the first failing cell: the cells after it are reported "aborted" (not run).
 *
 * The kernel is launched directly (no Jupyter, no Python): node dist/kernel/launcher.js, with the
 * notebook's folder as working directory so cells can import "../dist/…".
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { KernelClient, type Message } from "./client";
import {
  appendOutput,
  cellSource,
  readNotebook,
  writeNotebook,
  type CodeCell,
  type DisplayDataOutput,
  type ExecuteResultOutput,
  type Notebook,
  type Output,
} from "./nbformat";

export type KernelKind = "wirelab" | "tslab";
export type CellStatus = "ok" | "error" | "aborted" | "timeout";

/** The course root (the folder with package.json), from this file's place in src/ or dist/. */
export const COURSE_ROOT = path.resolve(__dirname, "..", "..");

/** The kernel.json that registers the wirelab kernel (written by `npm start` into .venv). */
export function kernelSpec(root: string = COURSE_ROOT): {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal";
  metadata: Record<string, unknown>;
} {
  return {
    argv: [
      process.execPath,
      path.join(path.resolve(root), "dist", "kernel", "launcher.js"),
      "--config-path",
      "{connection_file}",
    ],
    display_name: "TypeScript (wirelab)",
    language: "typescript",
    interrupt_mode: "signal",
    metadata: {},
  };
}

/** The argv that starts a kernel of the given kind ("{connection_file}" is substituted). */
export function kernelArgv(kind: KernelKind, root: string = COURSE_ROOT): string[] {
  if (kind === "tslab")
    return [
      process.execPath,
      path.join(root, "node_modules", "tslab", "bin", "tslab"),
      "kernel",
      "--config-path",
      "{connection_file}",
    ];
  return kernelSpec(root).argv;
}

export interface KernelProbe {
  kind: KernelKind;
  ok: boolean;
  /** kernel_info_reply content (implementation, versions, language_info). */
  info: Record<string, any> | null;
  /** Launch to the reply of a first cell (`1 + 1`). */
  ms: number;
  /** Why the probe failed (startup error, wrong result). */
  problem?: string;
}

/** Starts a kernel, runs `1 + 1`, shuts it down: for `wirelab doctor`. Never throws. */
export async function probeKernel(kind: KernelKind = "wirelab", root: string = COURSE_ROOT): Promise<KernelProbe> {
  const t0 = Date.now();
  let client: KernelClient | null = null;
  try {
    const argv = kernelArgv(kind, root);
    if (kind === "wirelab" && !fs.existsSync(argv[1]!)) throw new Error(`${argv[1]} is missing (run: npx tsc -p .)`);
    client = await KernelClient.launch({ argv, cwd: root, startTimeoutMs: 60_000 });
    let result = "";
    const reply = await client.execute("1 + 1", {
      onIopub: (m) => m.header.msg_type === "execute_result" && (result = String(m.content.data?.["text/plain"])),
    }).done;
    const ok = reply.content.status === "ok" && (kind === "tslab" || result === "2");
    return {
      kind,
      ok,
      info: client.kernelInfo,
      ms: Date.now() - t0,
      ...(ok ? {} : { problem: `1 + 1 gave status ${reply.content.status} and ${JSON.stringify(result)}` }),
    };
  } catch (e) {
    return {
      kind,
      ok: false,
      info: client?.kernelInfo ?? null,
      ms: Date.now() - t0,
      problem: (e as Error)?.message ?? String(e),
    };
  } finally {
    await client?.shutdown(2000);
  }
}

export interface RunOptions {
  kernel?: KernelKind;
  /** Per-cell limit: the cell is interrupted, then the kernel killed (default 120 s). */
  timeoutPerCellMs?: number;
  /** Write the executed notebook (with outputs) to this path. */
  write?: string;
  /** Course root (default: this package). */
  root?: string;
  /** Keep running after a failing cell (default false: later cells are "aborted"). */
  allowErrors?: boolean;
  startTimeoutMs?: number;
  /** Called after each cell (progress display in the CLI). */
  onCell?: (cell: CellReport) => void;
}

export interface CellReport {
  /** Index in the notebook's cells array. */
  index: number;
  /** 1-based number among code cells. */
  number: number;
  id?: string;
  status: CellStatus;
  ms: number;
  executionCount: number | null;
  error?: { ename: string; evalue: string };
}

export interface NotebookReport {
  path: string;
  kernel: KernelKind;
  /** "error" if any cell failed, timed out, or left an error output. */
  status: "ok" | "error";
  /** Kernel launch until kernel_info_reply. */
  startMs: number;
  totalMs: number;
  cells: CellReport[];
  errorOutputs: number;
  /** The kernel's process id (gone by the time the report is returned). */
  kernelPid: number | null;
  notebook: Notebook;
}

const GRACE_MS = 5000;

/** Collects the kernel's IOPub messages into the outputs of the cell each one answers. */
function iopubHandler(
  byMsg: Map<string, CodeCell>,
  displays: Map<string, (DisplayDataOutput | ExecuteResultOutput)[]>,
): (msg: Message) => void {
  return (msg: Message) => {
    const cell = msg.parent_header.msg_id ? byMsg.get(msg.parent_header.msg_id) : undefined;
    const c = msg.content;
    switch (msg.header.msg_type) {
      case "update_display_data": {
        const id: string | undefined = c.transient?.display_id;
        for (const o of (id && displays.get(id)) || []) {
          o.data = c.data ?? {};
          o.metadata = c.metadata ?? {};
        }
        return;
      }
      case "clear_output":
        if (cell) cell.outputs = [];
        return;
    }
    if (!cell) return;
    let out: Output | null;
    switch (msg.header.msg_type) {
      case "stream":
        appendOutput(cell.outputs, {
          output_type: "stream",
          name: c.name === "stderr" ? "stderr" : "stdout",
          text: String(c.text ?? ""),
        });
        return;
      case "display_data":
        out = { output_type: "display_data", data: c.data ?? {}, metadata: c.metadata ?? {} };
        break;
      case "execute_result":
        out = {
          output_type: "execute_result",
          execution_count: c.execution_count ?? null,
          data: c.data ?? {},
          metadata: c.metadata ?? {},
        };
        break;
      case "error":
        out = {
          output_type: "error",
          ename: String(c.ename ?? ""),
          evalue: String(c.evalue ?? ""),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        };
        break;
      default:
        return;
    }
    cell.outputs.push(out);
    const did: string | undefined = c.transient?.display_id;
    if (did && out.output_type !== "error") {
      const list = displays.get(did) ?? [];
      list.push(out);
      displays.set(did, list);
    }
  };
}

/** Executes a notebook headless and reports per-cell status and time. */
export async function runNotebook(file: string, opts: RunOptions = {}): Promise<NotebookReport> {
  const kind = opts.kernel ?? "wirelab";
  const root = opts.root ?? COURSE_ROOT;
  const limit = opts.timeoutPerCellMs ?? 120_000;
  const abs = path.resolve(file);
  const nb = readNotebook(abs);
  const t0 = Date.now();
  if (kind === "wirelab" && !fs.existsSync(kernelArgv(kind, root)[1]!)) {
    throw new Error(`the wirelab kernel is not built: ${kernelArgv(kind, root)[1]} is missing (run: npx tsc -p .)`);
  }
  const client = await KernelClient.launch({
    argv: kernelArgv(kind, root),
    cwd: path.dirname(abs),
    ...(opts.startTimeoutMs ? { startTimeoutMs: opts.startTimeoutMs } : {}),
  });
  const startMs = Date.now() - t0;
  const reports: CellReport[] = [];
  const byMsg = new Map<string, CodeCell>();
  const displays = new Map<string, (DisplayDataOutput | ExecuteResultOutput)[]>();

  client.onIopub = iopubHandler(byMsg, displays);

  let stopped: string | null = null;
  let number = 0;
  try {
    for (let index = 0; index < nb.cells.length; index++) {
      const cell = nb.cells[index]!;
      if (cell.cell_type !== "code") continue;
      number++;
      cell.outputs = [];
      cell.execution_count = null;
      const base = { index, number, ...(cell.id ? { id: cell.id } : {}) };
      const src = cellSource(cell);
      if (stopped) {
        reports.push({ ...base, status: "aborted", ms: 0, executionCount: null });
        opts.onCell?.(reports[reports.length - 1]!);
        continue;
      }
      if (src.trim() === "") {
        reports.push({ ...base, status: "ok", ms: 0, executionCount: null });
        continue;
      }
      const started = Date.now();
      const h = client.execute(src, { stopOnError: true });
      byMsg.set(h.msgId, cell);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), limit)));
      let result: Message | "timeout" | Error;
      try {
        result = await Promise.race([h.done, timedOut]);
      } catch (e) {
        result = e as Error;
      } finally {
        clearTimeout(timer);
      }
      let report: CellReport;
      if (result === "timeout") {
        client.interrupt();
        let how = "interrupted";
        const after = await Promise.race([
          h.done.then(
            () => "done" as const,
            () => "dead" as const,
          ),
          new Promise<"stuck">((r) => setTimeout(() => r("stuck"), GRACE_MS)),
        ]);
        if (after !== "done") {
          how = "killed (the interrupt did not stop it)";
          await client.kill();
        }
        const evalue = `the cell did not finish within ${limit / 1000} s and was ${how}`;
        cell.outputs.push({
          output_type: "error",
          ename: "CellTimeoutError",
          evalue,
          traceback: [`CellTimeoutError: ${evalue}`],
        });
        report = {
          ...base,
          status: "timeout",
          ms: Date.now() - started,
          executionCount: null,
          error: { ename: "CellTimeoutError", evalue },
        };
        stopped = "timeout";
      } else if (result instanceof Error) {
        const evalue = result.message;
        cell.outputs.push({ output_type: "error", ename: "KernelDied", evalue, traceback: [`KernelDied: ${evalue}`] });
        report = {
          ...base,
          status: "error",
          ms: Date.now() - started,
          executionCount: null,
          error: { ename: "KernelDied", evalue },
        };
        stopped = "kernel died";
      } else {
        const c = result.content;
        const status: CellStatus =
          c.status === "ok" ? "ok" : c.status === "aborted" || c.status === "abort" ? "aborted" : "error";
        cell.execution_count = typeof c.execution_count === "number" && status !== "aborted" ? c.execution_count : null;
        report = { ...base, status, ms: Date.now() - started, executionCount: cell.execution_count };
        if (status === "error") {
          const errOut = cell.outputs.find((o) => o.output_type === "error");
          report.error = {
            ename: String(c.ename ?? (errOut?.output_type === "error" ? errOut.ename : "Error")),
            evalue: String(
              c.evalue ?? (errOut?.output_type === "error" ? errOut.evalue : "(the kernel sent no error details)"),
            ),
          };
          if (!opts.allowErrors) stopped = "error";
        }
      }
      reports.push(report);
      opts.onCell?.(report);
    }
  } finally {
    await client.shutdown(2000);
  }
  const errorOutputs = nb.cells.reduce(
    (n, c) => n + (c.cell_type === "code" ? c.outputs.filter((o) => o.output_type === "error").length : 0),
    0,
  );
  const bad = reports.some((r) => r.status === "error" || r.status === "timeout") || errorOutputs > 0;
  if (opts.write) {
    fs.mkdirSync(path.dirname(path.resolve(opts.write)), { recursive: true });
    writeNotebook(opts.write, nb);
  }
  return {
    path: file,
    kernel: kind,
    status: bad ? "error" : "ok",
    startMs,
    totalMs: Date.now() - t0,
    cells: reports,
    errorOutputs,
    kernelPid: client.child.pid ?? null,
    notebook: nb,
  };
}

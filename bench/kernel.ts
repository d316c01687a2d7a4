/**
 * Benchmark: the wirelab kernel (src/kernel/launcher.ts) against plain tslab 1.0.22 under the same
 * headless runner (src/jupyter). Two measures, several interleaved repetitions, medians:
 *
 * 1. kernel start to first result: launch, kernel_info handshake, execute `1 + 1`, reply;
 * 2. a 10-cell notebook: launch + run every cell (total), and the cells alone (sum of per-cell times);
 * 3. the kernel process's CPU time (user + system, /proc) for start + the 10 cells: much less
 *    sensitive than wall time to other load on the machine.
 *
 * Target (issue 2): the wrapper adds < 10 %.
 * Run: npx tsc -p . && npx tsx bench/kernel.ts [--reps N] [--only cpu]
 *
 * On a busy machine wall times vary by tens of percent between runs of the SAME kernel; the
 * "noise" column is the spread (interquartile range / median) of plain tslab's own runs, and a
 * difference smaller than that is reported as "within noise" rather than as a result.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KernelClient } from "../src/jupyter/client";
import { serializeNotebook, type Notebook } from "../src/jupyter/nbformat";
import { COURSE_ROOT, kernelArgv, runNotebook, type KernelKind } from "../src/jupyter/runner";

const repsArg = process.argv.indexOf("--reps");
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 5;
const ONLY_CPU = process.argv.includes("--only") && process.argv[process.argv.indexOf("--only") + 1] === "cpu";
const KINDS: KernelKind[] = ["tslab", "wirelab"];

const CELLS = [
  "const hops = [10, 20, 30, 40];",
  "interface Route { prefix: string; nextHop: string; metric: number }",
  "const routes: Route[] = hops.map((h, i) => ({ prefix: `10.${i}.0.0/16`, nextHop: `192.0.2.${h}`, metric: h }));",
  "function best(rs: Route[]): Route { return rs.reduce((a, b) => (b.metric < a.metric ? b : a)); }",
  "console.log(best(routes).prefix);",
  "let total = 0; for (let i = 0; i < 200000; i++) total += i % 7;",
  "console.log(total);",
  "const mask = (len: number) => (len === 0 ? 0 : (~0 << (32 - len)) >>> 0);",
  "console.log(mask(24).toString(16));",
  "await new Promise((r) => setTimeout(r, 10)); console.log('done');",
];

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function startToFirstResult(kind: KernelKind, cwd: string): Promise<number> {
  const t0 = performance.now();
  const k = await KernelClient.launch({ argv: kernelArgv(kind), cwd });
  try {
    const reply = await k.execute("1 + 1").done;
    if (reply.content.status !== "ok") throw new Error(`${kind}: first cell failed: ${JSON.stringify(reply.content)}`);
    return performance.now() - t0;
  } finally {
    await k.shutdown();
  }
}

async function notebookRun(kind: KernelKind, file: string): Promise<{ total: number; cells: number }> {
  const t0 = performance.now();
  const r = await runNotebook(file, { kernel: kind });
  const total = performance.now() - t0;
  if (r.status !== "ok") throw new Error(`${kind}: the benchmark notebook failed: ${JSON.stringify(r.cells)}`);
  return { total, cells: r.cells.reduce((s, c) => s + c.ms, 0) };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function kernelCpu(kind: KernelKind, cwd: string): Promise<number> {
  const k = await KernelClient.launch({ argv: kernelArgv(kind), cwd });
  try {
    for (const code of CELLS) {
      const reply = await k.execute(code).done;
      if (reply.content.status !== "ok") throw new Error(`${kind}: cell failed: ${code}`);
    }
    return cpuMs(k.child.pid!);
  } finally {
    await k.shutdown();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(kernelArgv("wirelab")[1]!))
    throw new Error("dist/kernel/launcher.js is missing: run npx tsc -p . first");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wlbench-kernel-"));
  try {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: CELLS.map((source, i) => ({
        cell_type: "code" as const,
        id: `b${i}`,
        source,
        metadata: {},
        outputs: [],
        execution_count: null,
      })),
    };
    const file = path.join(dir, "bench10.ipynb");
    fs.writeFileSync(file, serializeNotebook(nb));
    const start: Record<KernelKind, number[]> = { tslab: [], wirelab: [] };
    const total: Record<KernelKind, number[]> = { tslab: [], wirelab: [] };
    const cells: Record<KernelKind, number[]> = { tslab: [], wirelab: [] };
    const cpu: Record<KernelKind, number[]> = { tslab: [], wirelab: [] };
    // Warm-up (file cache, TypeScript lib loading), not counted.
    for (const kind of KINDS) await startToFirstResult(kind, dir);
    for (let rep = 0; rep < REPS; rep++) {
      // Alternate the order so background load drifts hit both kernels alike.
      const order = rep % 2 ? [...KINDS].reverse() : KINDS;
      if (!ONLY_CPU) {
        for (const kind of order) start[kind].push(await startToFirstResult(kind, dir));
        for (const kind of order) {
          const r = await notebookRun(kind, file);
          total[kind].push(r.total);
          cells[kind].push(r.cells);
        }
      }
      for (const kind of order) cpu[kind].push(await kernelCpu(kind, dir));
      process.stderr.write(`rep ${rep + 1}/${REPS} done\n`);
    }
    const rows: [string, number[], number[]][] = [
      ["kernel start → first result", start.tslab, start.wirelab],
      ["10-cell notebook, total (incl. start)", total.tslab, total.wirelab],
      ["10-cell notebook, cells only", cells.tslab, cells.wirelab],
      ["kernel CPU time, start + 10 cells", cpu.tslab, cpu.wirelab],
    ];
    const shown = rows.filter((r) => r[1].length > 0);
    const w = Math.max(...shown.map((r) => r[0].length));
    const line = (a: string, b: string, c: string, d: string, e: string, f: string) =>
      `${a.padEnd(w)}  ${b.padStart(9)}  ${c.padStart(9)}  ${d.padStart(6)}  ${e.padStart(6)}  ${f}`;
    console.log(
      `wirelab kernel vs plain tslab ${require(path.join(COURSE_ROOT, "node_modules", "tslab", "package.json")).version}, same runner, median of ${REPS} (node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`,
    );
    console.log(line("measure", "tslab", "wirelab", "ratio", "noise", "target: wrapper adds < 10 %"));
    for (const [name, t, wl] of shown) {
      const mt = median(t);
      const ratio = median(wl) / mt;
      const noise = (quantile(t, 0.75) - quantile(t, 0.25)) / mt;
      const verdict =
        ratio < 1.1
          ? ratio - 1 > noise
            ? "met, above noise"
            : "met"
          : ratio - 1 <= noise
            ? "NOT met, but within noise: rerun on a quiet machine"
            : "NOT met";
      console.log(
        line(
          name,
          `${(mt / 1000).toFixed(3)} s`,
          `${(median(wl) / 1000).toFixed(3)} s`,
          ratio.toFixed(3),
          `${(noise * 100).toFixed(0)} %`,
          verdict,
        ),
      );
    }
    console.log(
      `raw (ms): ${JSON.stringify({ start, total, cells, cpu }, (_k, v) => (typeof v === "number" ? Math.round(v) : v))}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * Benchmark: VRF import decisions at provider scale (issue 5). 1,000 VRFs with realistic RT
 * fan-out (src/vpn/synthetic.ts) and 10K / 100K / 1M VPNv4 routes; the RT-indexed import path
 * (src/vpn/fast.ts) against the naive "every route against every VRF's import list" scan that
 * the net-snmp and full-BGP-table post's story is about (linear in routes × VRFs). Memory is printed per row.
 *
 * Target: all import decisions for 1M routes over 1,000 VRFs in ≤ 2 s, growing linearly.
 * Run: npx tsx bench/vpn.ts [--naive-max N]   (naive runs up to N routes, default 100000)
 */
import { decideImports, decideImportsNaive, importIndex } from "../src/vpn/fast";
import { syntheticRoutes, syntheticVrfs } from "../src/vpn/synthetic";

const argi = process.argv.indexOf("--naive-max");
const NAIVE_MAX = argi > 0 ? Number(process.argv[argi + 1]) : 100_000;
const VRFS = 1000;
const SIZES = [10_000, 100_000, 1_000_000];

const mb = (b: number) => (b / 1048576).toFixed(0) + " MB";
const ms = (t: number) => (t < 10 ? t.toFixed(2) : t.toFixed(0)) + " ms";

function time<T>(f: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t0) / 1e6];
}

const s = syntheticVrfs(VRFS);
const rows: string[][] = [];
const fanout = s.vrfImports.reduce((a, x) => a + x.length, 0) / VRFS;
console.log(
  `${VRFS} VRFs on ${s.pes} PEs, ${fanout.toFixed(2)} import RTs per VRF on average; node ${process.version}`,
);
for (const n of SIZES) {
  (globalThis as { gc?: () => void }).gc?.();
  const index = importIndex(s.vrfImports);
  const [batch, tBuild] = time(() => syntheticRoutes(s, index, n));
  // Warm-up on a small slice so the JIT has compiled the loop, then the measured run.
  decideImports(index, { ...batch, count: Math.min(1000, n) });
  const reps: number[] = [];
  let res = decideImports(index, batch);
  for (let k = 0; k < 5; k++) {
    const [r, t] = time(() => decideImports(index, batch));
    res = r;
    reps.push(t);
  }
  const tFast = reps.sort((a, b) => a - b)[2]!; // median of 5
  const mem = process.memoryUsage();
  let naive = "not run (> --naive-max)";
  if (n <= NAIVE_MAX) {
    const ids = s.vrfImports.map((rts) => Uint32Array.from(rts.map((r) => index.rtIds.get(r)!)));
    const [count, tNaive] = time(() => decideImportsNaive(ids, batch));
    if (count !== res.pairs) throw new Error(`naive and indexed disagree: ${count} vs ${res.pairs}`);
    naive = `${ms(tNaive)} (${(tNaive / tFast).toFixed(0)}× slower)`;
  }
  rows.push([
    n.toLocaleString("en"),
    ms(tBuild),
    ms(tFast),
    `${(tFast / (n / 1e6)).toFixed(0)} ms/M`,
    res.pairs.toLocaleString("en"),
    naive,
    mb(mem.heapUsed + mem.arrayBuffers),
    mb(mem.rss),
    tFast <= 2000 ? "✓" : "✗",
  ]);
}
const head = [
  "routes",
  "build batch",
  "indexed import (median of 5)",
  "per 1M routes",
  "imports",
  "naive scan (peer)",
  "heap + buffers",
  "RSS",
  "≤ 2 s",
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(" | ");
console.log(line(head));
console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
for (const r of rows) console.log(line(r));

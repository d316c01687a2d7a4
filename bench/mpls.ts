/**
 * MPLS benchmark: (1) decoding the label stacks of a pcap, wirelab's decoder vs tshark on the same
 * file; (2) building the control plane (IGP SPF, LDP, RSVP-TE CSPF) and walking packets on a
 * generated grid. Run: npx tsx bench/mpls.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNetwork, decodeStack, labNetwork, parseTopology, pcapFile, trace, walkFrames } from "../src/mpls";

function gridYaml(n: number, lsps: number): string {
  const lines = ["name: grid", "ldp: true", "routers:"];
  const id = (r: number, c: number) => `R${r}x${c}`;
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      lines.push(`  ${id(r, c)}: { loopback: 10.${r}.${c}.1, label-base: ${16 + (r * n + c) * 1000} }`);
  lines.push("links:");
  let k = 0;
  const sub = () => {
    const s = `172.${16 + Math.floor(k / 256)}.${k % 256}.0/30`;
    k++;
    return s;
  };
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      if (c + 1 < n)
        lines.push(
          `  - { a: ${id(r, c)}, b: ${id(r, c + 1)}, metric: ${1 + ((r * 7 + c * 3) % 5)}, bandwidth: 1000, subnet: ${sub()} }`,
        );
      if (r + 1 < n)
        lines.push(
          `  - { a: ${id(r, c)}, b: ${id(r + 1, c)}, metric: ${1 + ((r * 5 + c * 11) % 5)}, bandwidth: 1000, subnet: ${sub()} }`,
        );
    }
  lines.push("rsvp:");
  for (let i = 0; i < lsps; i++)
    lines.push(`  - { name: L${i}, from: ${id(0, i % n)}, to: ${id(n - 1, (i * 3) % n)}, bandwidth: 150 }`);
  return lines.join("\n") + "\n";
}

function time<T>(f: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const v = f();
  return [v, Number(process.hrtime.bigint() - t0) / 1e6];
}

const rows: Array<[string, string, string]> = [];

// (1) pcap decode: 20 000 frames from the BGP-LU lab walk.
const net = labNetwork("bgplu");
const w = trace(net, { from: "PE1", to: "192.168.2.0/24" });
const one = walkFrames(net.topology, w).map((f) => f.bytes);
const frames: Uint8Array[] = [];
while (frames.length < 20000) frames.push(...one);
const dir = mkdtempSync(join(tmpdir(), "wlmpls-bench-"));
const file = join(dir, "bench.pcap");
writeFileSync(file, pcapFile(frames));
const [labels, ours] = time(() => {
  const buf = new Uint8Array(readFileSync(file));
  const dv = new DataView(buf.buffer, buf.byteOffset);
  let at = 24;
  let count = 0;
  while (at < buf.length) {
    const len = dv.getUint32(at + 8, true);
    const f = buf.subarray(at + 16, at + 16 + len);
    if (f[12] === 0x88 && f[13] === 0x47) count += decodeStack(f, 14).stack.length;
    at += 16 + len;
  }
  return count;
});
const [ts, theirs] = time(() =>
  spawnSync("tshark", ["-r", file, "-T", "fields", "-e", "mpls.label"], { encoding: "utf8", maxBuffer: 1 << 28 }),
);
const tsLabels = ts.status === 0 ? ts.stdout.split(/[\n,\t]/).filter((x) => x.trim() !== "").length : NaN;
rmSync(dir, { recursive: true, force: true });
rows.push([
  `decode ${frames.length} frames (${labels} labels)`,
  `${ours.toFixed(1)} ms`,
  ts.status === 0 ? `${theirs.toFixed(0)} ms (tshark, ${tsLabels} labels)` : "tshark missing",
]);

// (2) control plane on grids.
for (const [n, lsps] of [
  [6, 10],
  [10, 30],
] as const) {
  const text = gridYaml(n, lsps);
  const [t, parseMs] = time(() => parseTopology(text, "grid.yaml"));
  const [g, buildMs] = time(() => buildNetwork(t));
  const [, walkMs] = time(() => {
    for (let i = 0; i < 1000; i++) trace(g, { from: "R0x0", to: `10.${n - 1}.${i % n}.1` });
  });
  rows.push([
    `grid ${n}x${n}: parse / build (LDP + ${lsps} CSPF LSPs)`,
    `${parseMs.toFixed(1)} / ${buildMs.toFixed(0)} ms`,
    "—",
  ]);
  rows.push([`grid ${n}x${n}: 1000 packet walks`, `${walkMs.toFixed(0)} ms`, "—"]);
}

const wA = Math.max(...rows.map((r) => r[0].length));
const wB = Math.max(...rows.map((r) => r[1].length), 7);
console.log(`${"task".padEnd(wA)}  ${"wirelab".padEnd(wB)}  peer`);
for (const r of rows) console.log(`${r[0].padEnd(wA)}  ${r[1].padEnd(wB)}  ${r[2]}`);

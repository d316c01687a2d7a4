/**
 * Benchmark: decode a 100,000-packet DHCP pcap with the kit and with `tshark -T json` (the
 * peer), on the same file, in one run; prints a side-by-side table with time and memory.
 * Target: the kit ≥ 10× faster than tshark -T json.
 *
 *   npx tsx bench/dhcp.ts [packets]      (default 100000)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, statSync } from "node:fs";
import { tmpdir, loadavg, cpus } from "node:os";
import path from "node:path";
import { pxeLab } from "../src/dhcp/lab";
import { countMessages } from "../src/dhcp/decode";
import { decodeFrame, encodeFrame } from "../src/dhcp/frame";
import { decodeDhcp, encodeDhcp } from "../src/dhcp/packet";
import { writePcap } from "../src/dhcp/pcap";
import { renderTable } from "../src/notebook/table";

const N = Number(process.argv[2] ?? 100000);

/**
 * Child mode: decode the file in a fresh process (no garbage from building it) with the compiled
 * library in dist/ (what notebooks and the CLI run; `npx tsc -p .` builds it), print JSON.
 */
function kitChild(file: string): void {
  const lib = require(path.join(__dirname, "..", "dist", "dhcp", "decode.js")) as {
    countMessages: typeof countMessages;
  };
  const rss0 = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const res = lib.countMessages(new Uint8Array(readFileSync(file)));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(JSON.stringify({ ms, rss: process.memoryUsage().rss, rss0, res }));
}

function runKit(
  file: string,
): Promise<{ ms: number; rss: number; rss0: number; res: ReturnType<typeof countMessages> }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", __filename, "--kit", file], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (d: Buffer) => {
      out += String(d);
    });
    p.on("error", reject);
    p.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!)) : reject(new Error(`kit child exited ${code}`)),
    );
  });
}

function buildPcap(n: number): Uint8Array {
  // Real frames from the fixed PXE lab, with a fresh xid per copy (checksums recomputed).
  const lab = pxeLab({ fix: true }).run(30);
  const frames = lab.net.frames.map((w) => decodeFrame(w.bytes));
  const out: Array<{ time: number; data: Uint8Array }> = [];
  for (let i = 0; i < n; i++) {
    const f = frames[i % frames.length]!;
    const p = decodeDhcp(f.payload);
    p.xid = (p.xid + Math.floor(i / frames.length)) >>> 0;
    out.push({ time: 1_700_000_000 + i / 1000, data: encodeFrame({ ...f, payload: encodeDhcp(p) }) });
  }
  return writePcap(out);
}

function runTshark(file: string): Promise<{ ms: number; maxRssMb: number; bytesOut: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn("/usr/bin/time", ["-f", "%M", "tshark", "-r", file, "-T", "json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let bytesOut = 0,
      err = "";
    p.stdout.on("data", (d: Buffer) => {
      bytesOut += d.length;
    });
    p.stderr.on("data", (d: Buffer) => {
      err += String(d);
    });
    p.on("error", reject);
    p.on("exit", (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) {
        reject(new Error(`tshark exited ${code}: ${err.slice(-400)}`));
        return;
      }
      const kb = Number(err.trim().split("\n").pop());
      resolve({ ms, maxRssMb: kb / 1024, bytesOut });
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "wldhcp-bench-"));
  try {
    const file = path.join(dir, "dhcp-100k.pcap");
    writeFileSync(file, buildPcap(N));
    const size = statSync(file).size;
    // The kit: read the file and decode every frame and DHCP message (strict, checksums verified).
    const kit = await runKit(file);
    const { ms: kitMs, rss: kitRss, rss0, res } = kit;
    if (res.packets !== N) throw new Error(`the kit decoded ${res.packets} of ${N} packets`);
    const ts = await runTshark(file);
    void readFileSync;
    const rows = [
      {
        decoder: "wirelab countMessages (strict decode + checksums)",
        packets: res.packets,
        seconds: (kitMs / 1000).toFixed(2),
        "packets/s": Math.round(N / (kitMs / 1000)),
        "memory (MB)": `${(kitRss / 2 ** 20).toFixed(0)} RSS (${((kitRss - rss0) / 2 ** 20).toFixed(0)} for decoding)`,
      },
      {
        decoder: "tshark -T json (output to a pipe)",
        packets: N,
        seconds: (ts.ms / 1000).toFixed(2),
        "packets/s": Math.round(N / (ts.ms / 1000)),
        "memory (MB)": `${ts.maxRssMb.toFixed(0)} max RSS`,
      },
    ];
    console.log(
      renderTable(rows, {
        caption: `decode ${N} DHCP packets (${(size / 2 ** 20).toFixed(1)} MiB pcap; tshark wrote ${(ts.bytesOut / 2 ** 20).toFixed(0)} MiB of JSON)`,
      }).text,
    );
    const speedup = ts.ms / kitMs;
    console.log(`\nspeed-up: ${speedup.toFixed(1)}× (target ≥ 10×) — ${speedup >= 10 ? "met" : "NOT met"}`);
    console.log(`message types: ${JSON.stringify(res.byType)}`);
    console.log(
      `load average during the run: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")} on ${cpus().length} CPUs (both decoders measured back to back in this run)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--kit") kitChild(process.argv[3]!);
else void main();

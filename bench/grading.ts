/**
 * Benchmark: grading behind the trust boundary, side by side with the sandbox's OS layers off
 * (`confine: false`: same judge, same process split, no permission model / prlimit / unshare /
 * setpriv) as the peer. Targets (issue 13):
 *
 * 1. every exercise's public tests (reference solutions) graded in ≤ 8 s wall;
 * 2. check() in a warm kernel ≤ 0.5 s (median of repeated checks from one process, as a kernel);
 * 3. a course whose every file under exercises/ is `while (true) {}` or `process.exit(0)`:
 *    the whole `wirelab grade` (the CLI's main, in a copy of the course) < 60 s, 0 points.
 *
 * (50 submissions collected ≤ 2 min: bench/collect.ts --students 50 --only "".)
 * Run: npx tsc -p . && npx tsx bench/grading.ts [--reps N]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeMany } from "../dist/grading/grader";
import { sandboxLayers } from "../dist/grading/sandbox";

const ROOT = path.resolve(__dirname, "..");
const repsArg = process.argv.indexOf("--reps");
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function publicTests(confine: boolean): Promise<{ ms: number; earned: number; points: number }> {
  const t0 = performance.now();
  const run = await gradeMany({ root: ROOT, tree: "solutions", hidden: false, confine });
  return { ms: performance.now() - t0, earned: run.earned, points: run.points };
}

function warmChecks(): Record<string, number> {
  // A fresh process, like a kernel: the first check starts the warm grading process.
  const script = `
    const { grade } = require(${JSON.stringify(path.join(ROOT, "dist/grading/check"))});
    const time = (f) => { const t0 = performance.now(); const r = f(); if (r.fatal) throw new Error(r.fatal); return performance.now() - t0; };
    const out = { first: time(() => grade("mod.ex1", "30 mod 9")), inline: [], file: [], code: [] };
    for (let i = 0; i < ${REPS * 3}; i++) {
      out.inline.push(time(() => grade("mod.ex1", "30 mod 9")));
      out.file.push(time(() => grade("start.addresses")));
      out.code.push(time(() => grade("dh.modpow")));
    }
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`check bench failed: ${r.stderr}`);
  const o = JSON.parse(r.stdout) as { first: number; inline: number[]; file: number[]; code: number[] };
  return {
    "first check (starts the grading process)": o.first,
    "inline value (median)": median(o.inline),
    "answers.ts value (median)": median(o.file),
    "code exercise dh.modpow (median)": median(o.code),
  };
}

function hostileCourse(): { ms: number; out: string; status: number | null } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wl-bench-hostile-"));
  try {
    for (const d of ["dist", "src"]) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(dir, "node_modules"));
    let k = 0;
    const walk = (from: string, to: string) => {
      for (const e of fs.readdirSync(from, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(from, e.name), path.join(to, e.name));
        else {
          fs.mkdirSync(to, { recursive: true });
          fs.writeFileSync(path.join(to, e.name), k++ % 2 === 0 ? "while (true) {}\n" : "process.exit(0);\n");
        }
      }
    };
    walk(path.join(ROOT, "exercises"), path.join(dir, "exercises"));
    fs.mkdirSync(path.join(dir, "notebooks"));
    const t0 = performance.now();
    // The CLI's entry point in the copy (not bin/wirelab.js, whose install/build checks must never
    // run against the shared node_modules the copy links to).
    const main = `require(${JSON.stringify(path.join(dir, "dist", "cli", "main.js"))}).main(["grade", "--json"]).then((c) => process.exit(c))`;
    const r = spawnSync(process.execPath, ["-e", main], { cwd: dir, encoding: "utf8", timeout: 600_000 });
    const ms = performance.now() - t0;
    let out = "";
    try {
      const j = JSON.parse(r.stdout) as { earned: number; points: number };
      out = `${j.earned}/${j.points} points`;
    } catch {
      out = `unreadable output: ${r.stdout.slice(0, 200)} ${r.stderr.slice(-300)}`;
    }
    return { ms, out, status: r.status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(
    `wirelab grading benchmark — ${os.cpus().length} cores, load average ${load} (other engineers share this machine)`,
  );
  console.log(`sandbox layers here: ${JSON.stringify(sandboxLayers())}\n`);
  const on: number[] = [];
  const off: number[] = [];
  let pts = "";
  for (let i = 0; i < REPS; i++) {
    const a = await publicTests(true);
    const b = await publicTests(false);
    on.push(a.ms);
    off.push(b.ms);
    pts = `${a.earned}/${a.points} (sandbox) ${b.earned}/${b.points} (peer)`;
  }
  console.log("| measure | sandbox | peer (OS layers off) | ratio | target |");
  console.log("| --- | --- | --- | --- | --- |");
  console.log(
    `| every exercise's public tests, reference solutions (median of ${REPS}) | ${fmt(median(on))} | ${fmt(median(off))} | ${(median(on) / median(off)).toFixed(2)} | ≤ 8 s |`,
  );
  for (const [k, v] of Object.entries(warmChecks()))
    console.log(`| check(), warm: ${k} | ${Math.round(v)} ms | — | — | ≤ 500 ms |`);
  const h = hostileCourse();
  console.log(
    `| wirelab grade, every exercise file a loop or an exit | ${fmt(h.ms)} (${h.out}, exit ${h.status}) | — | — | < 60 s, 0 points |`,
  );
  console.log(`\npoints: ${pts}`);
}

void main();

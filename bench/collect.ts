/**
 * Benchmark: `wirelab collect` on 50 synthetic submissions — a mix of correct, wrong, hanging
 * (an infinite loop in the graded function) and crashing (process.exit, a throw at load, a syntax
 * error) answers, half as folders and half as zips — graded with public + hidden tests.
 * Target: ≤ 2 minutes on the 2-core course machine. Uses the compiled library (dist/, run
 * `npx tsc -p .` first) so grading workers run plain JavaScript, as `npx wirelab collect` does.
 *
 * Run: npx tsx bench/collect.ts [--students 50] [--only start] [--jobs 2] [--test-timeout 2000]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(__dirname, "..");
const dist = (m: string) => require(path.join(ROOT, "dist", m));
const { collect, gradebookCsv } = dist("workshop/collect.js") as typeof import("../src/workshop/collect");
const { selectExercises } = dist("grading/registry.js") as typeof import("../src/grading/registry");
const { zipFolder } = dist("workshop/zip.js") as typeof import("../src/workshop/zip");

const { values } = parseArgs({
  options: {
    students: { type: "string", default: "50" },
    only: { type: "string", default: "start" },
    jobs: { type: "string", default: String(os.cpus().length) },
    "test-timeout": { type: "string", default: "2000" },
  },
});
const N = Number(values.students);
const exercises = selectExercises(values.only);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wl-bench-collect-"));
const subs = path.join(tmp, "submissions");

const KINDS = ["correct", "wrong", "hanging", "crashing"] as const;
function put(f: string, text: string) {
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
}

function makeStudent(i: number): (typeof KINDS)[number] {
  const kind = KINDS[i % KINDS.length]!;
  const dir = path.join(i % 2 ? path.join(tmp, "zips") : subs, `student${String(i).padStart(2, "0")}`);
  fs.cpSync(path.join(ROOT, "exercises"), path.join(dir, "exercises"), { recursive: true });
  fs.cpSync(path.join(ROOT, "notebooks"), path.join(dir, "notebooks"), { recursive: true });
  if (kind === "correct") fs.cpSync(path.join(ROOT, "solutions"), path.join(dir, "exercises"), { recursive: true });
  if (kind === "wrong") {
    put(path.join(dir, "exercises/start/answers.ts"), `export const addresses = ${1000 + i};\n`);
    put(
      path.join(dir, "exercises/start/wildcard.ts"),
      "export function wildcardMask(n: number): string { return '0.0.0.255'; }\n",
    );
  }
  if (kind === "hanging") {
    put(path.join(dir, "exercises/start/answers.ts"), "export const addresses = 1024;\n");
    put(
      path.join(dir, "exercises/start/wildcard.ts"),
      "export function wildcardMask(n: number): string { for (;;) {} }\n",
    );
  }
  if (kind === "crashing") {
    const variant = i % 3;
    put(
      path.join(dir, "exercises/start/answers.ts"),
      variant === 0 ? "export const addresses = (;\n" : "throw new Error('boom at load');\n",
    );
    put(
      path.join(dir, "exercises/start/wildcard.ts"),
      "export function wildcardMask(n: number): string { process.exit(1); }\n",
    );
  }
  if (i % 2) {
    fs.mkdirSync(subs, { recursive: true });
    fs.writeFileSync(path.join(subs, `student${String(i).padStart(2, "0")}.zip`), zipFolder(dir));
  }
  return kind;
}

(async () => {
  const kinds = Array.from({ length: N }, (_, i) => makeStudent(i));
  const t0 = Date.now();
  const { results } = await collect({
    root: ROOT,
    submissions: subs,
    exercises,
    jobs: Number(values.jobs),
    testTimeoutMs: Number(values["test-timeout"]),
  });
  const secs = (Date.now() - t0) / 1000;
  const csv = gradebookCsv(results, exercises);
  const possible = results[0]?.possible ?? 0;
  const byKind = new Map<string, number[]>();
  results.forEach((r, i) => byKind.set(kinds[i]!, [...(byKind.get(kinds[i]!) ?? []), r.earned]));
  console.log(
    `wirelab collect benchmark: ${N} submissions (${KINDS.map((k) => `${kinds.filter((x) => x === k).length} ${k}`).join(", ")}), exercises: ${exercises.map((e) => e.exercise.id).join(", ")} (public + hidden), jobs ${values.jobs}, test limit ${values["test-timeout"]} ms, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log("");
  console.log("| kind | submissions | points earned (of " + possible + ") |");
  console.log("|---|---|---|");
  for (const k of KINDS)
    console.log(
      `| ${k} | ${byKind.get(k)?.length ?? 0} | ${[...new Set(byKind.get(k) ?? [])].sort((a, b) => a - b).join(", ")} |`,
    );
  console.log("");
  console.log(`| measure | wirelab collect | target |`);
  console.log(`|---|---|---|`);
  console.log(`| total time, ${N} submissions | ${secs.toFixed(1)} s | ≤ 120 s |`);
  console.log(`| per submission (wall) | ${(secs / N).toFixed(2)} s | |`);
  console.log(`| gradebook rows | ${csv.trim().split("\r\n").length - 1} | ${N} |`);
  console.log("");
  console.log(secs <= 120 ? "target met" : "target MISSED");
  fs.rmSync(tmp, { recursive: true, force: true });
})();

/**
 * `collect` against a hostile submission: links into the instructor's solutions, writes into
 * another student's submission and the instructor's tree, a detached process meant to rewrite the
 * gradebook later. The honest student keeps full marks, the hostile one gets nothing, nothing
 * outside the scratch folders changes, and nothing of the submission runs after collect returns.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { it, expect, afterAll } from "vitest";
import { selectExercises } from "../../src/grading/registry";
import { collect } from "../../src/workshop/collect";

const ROOT = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `wl-collect-hostile-${process.pid}-`));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it("a hostile submission costs nobody else anything and reaches nothing", { timeout: 300_000 }, async () => {
  const subs = path.join(tmp, "subs");
  const alice = path.join(subs, "alice", "exercises", "start");
  fs.mkdirSync(alice, { recursive: true });
  for (const f of fs.readdirSync(path.join(ROOT, "solutions", "start")))
    fs.copyFileSync(path.join(ROOT, "solutions", "start", f), path.join(alice, f));
  const aliceBefore = fs.readFileSync(path.join(alice, "wildcard.ts"), "utf8");
  const eve = path.join(subs, "eve", "exercises");
  fs.mkdirSync(path.join(eve, "start"), { recursive: true });
  // A whole topic folder linked to the instructor's solutions.
  fs.symlinkSync(path.join(ROOT, "solutions", "dh"), path.join(eve, "dh"));
  const marker = path.join(tmp, "outside");
  fs.writeFileSync(
    path.join(eve, "start", "wildcard.ts"),
    `import * as fs from "node:fs";
import * as cp from "node:child_process";
const tries: Array<() => void> = [
  () => fs.writeFileSync(${JSON.stringify(path.join(alice, "wildcard.ts"))}, "export const wildcardMask = () => 'x';"),
  () => fs.writeFileSync(${JSON.stringify(marker)}, "eve was here"),
  () => { cp.spawn("sh", ["-c", "sleep 5; echo pwned > ${marker}-late"], { detached: true, stdio: "ignore" }).unref(); },
];
for (const t of tries) { try { t(); } catch { /* denied */ } }
export function wildcardMask(_n: number): string { return "0.0.0.255"; }
`,
  );
  // A forged student-release list of withheld points: headings only, never the grade.
  fs.mkdirSync(path.join(subs, "eve", "course"), { recursive: true });
  fs.writeFileSync(path.join(subs, "eve", "course", "withheld-points.json"), JSON.stringify({ "start.wildcard": 100 }));
  const exercises = [...selectExercises("start"), ...selectExercises("dh.modpow")];
  const { results } = await collect({ root: ROOT, submissions: subs, exercises, jobs: 2, testTimeoutMs: 5000 });
  const [a, e] = [results.find((r) => r.student === "alice")!, results.find((r) => r.student === "eve")!];
  const start = exercises
    .filter((r) => r.exercise.id.startsWith("start."))
    .reduce((s, r) => s + [...r.exercise.public, ...r.exercise.hidden].reduce((x, t) => x + t.points, 0), 0);
  expect(a.earned, JSON.stringify(a.problems)).toBe(start);
  expect(e.reports.find((r) => r.id === "dh.modpow")!.earned).toBe(0);
  for (const r of exercises) {
    const total = [...r.exercise.public, ...r.exercise.hidden].reduce((x, t) => x + t.points, 0);
    expect(e.reports.find((x) => x.id === r.exercise.id)!.points, `${r.exercise.id}: points as the spec says`).toBe(
      total,
    );
  }
  expect(
    e.problems.some((p) => /exercises\/dh is a symbolic link: not followed/.test(p)),
    JSON.stringify(e.problems),
  ).toBeTruthy();
  expect(
    e.reports.find((r) => r.id === "start.wildcard")!.earned < 6,
    "a constant answer cannot pass every test",
  ).toBeTruthy();
  expect(fs.readFileSync(path.join(alice, "wildcard.ts"), "utf8")).toBe(aliceBefore);
  expect(!fs.existsSync(marker), "no write outside the scratch folder").toBeTruthy();
  await new Promise((r) => setTimeout(r, 6000));
  expect(!fs.existsSync(marker + "-late"), "nothing of the submission runs after collect returns").toBeTruthy();
});

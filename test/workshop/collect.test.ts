/**
 * `wirelab collect`: a folder of submissions of every shape (folders, zips, a single notebook)
 * and every kind of breakage (hanging code, process.exit, syntax errors, a malformed notebook,
 * missing files, a zip with `../` paths) is graded with public + hidden tests into a CSV and
 * feedback pages; nothing crashes, and the submissions are byte-for-byte unchanged afterwards.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import { main } from "../../src/cli/main";
import { selectExercises } from "../../src/grading/registry";
import { totalPoints } from "../../src/grading/spec";
import { collect, csvField, gradebookCsv, type StudentResult } from "../../src/workshop/collect";
import { extractZip, readZip, writeZip, zipFolder } from "../../src/workshop/zip";

const ROOT = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wl-collect-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function put(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = path.join(dir, f);
    const st = fs.lstatSync(p);
    out.set(f, st.isFile() ? `${createHash("sha256").update(fs.readFileSync(p)).digest("hex")} ${st.mtimeMs} ${st.mode}` : `${st.isDirectory() ? "dir" : "other"} ${st.mode}`);
  }
  return out;
}

const notebook00 = fs.readFileSync(path.join(ROOT, "notebooks", "00-start-here.ipynb"), "utf8");
function withInlineAnswer(value: string): string {
  return notebook00.replace('check(\\"start.addresses\\", undefined)', `check(\\"start.addresses\\", ${value.replace(/"/g, '\\"')})`);
}

/** The submissions folder used by every test below. */
function makeSubmissions(): string {
  const dir = path.join(tmp, "submissions");
  const stubCourse = (to: string) => {
    copyDir(path.join(ROOT, "exercises"), path.join(to, "exercises"));
    copyDir(path.join(ROOT, "notebooks"), path.join(to, "notebooks"));
  };
  // alice: the reference solutions handed in as a released-copy folder.
  stubCourse(path.join(dir, "alice"));
  copyDir(path.join(ROOT, "solutions"), path.join(dir, "alice", "exercises"));
  // bob: untouched stubs, zipped inside a wrapping folder.
  stubCourse(path.join(tmp, "bob", "course"));
  fs.writeFileSync(path.join(dir, "bob.zip"), zipFolder(path.join(tmp, "bob")));
  // carol: code that never returns, and an answers file with a syntax error.
  stubCourse(path.join(dir, "carol"));
  put(path.join(dir, "carol", "exercises", "start", "wildcard.ts"), "export function wildcardMask(n: number): string { while (true) {} }\n");
  put(path.join(dir, "carol", "exercises", "start", "answers.ts"), "export const addresses = (1024;\n");
  // dave: only the notebook, with the answer written inline.
  put(path.join(dir, "dave.ipynb"), withInlineAnswer('"2^10"'));
  // eve: a zip that tries to write outside its folder.
  fs.writeFileSync(path.join(dir, "eve.zip"), writeZip([{ name: "course/exercises/start/answers.ts", data: "export const addresses = 1024;\n" }, { name: "../../escaped.txt", data: "pwned" }]));
  // frank: a malformed notebook, a missing exercise file, and code that calls process.exit.
  stubCourse(path.join(dir, "frank"));
  put(path.join(dir, "frank", "notebooks", "00-start-here.ipynb"), "{ this is not json");
  fs.rmSync(path.join(dir, "frank", "exercises", "start", "answers.ts"));
  put(path.join(dir, "frank", "exercises", "start", "wildcard.ts"), "export function wildcardMask(n: number): string { process.exit(3); }\n");
  // grace: a wrong answer and a partly right function.
  stubCourse(path.join(dir, "grace"));
  put(path.join(dir, "grace", "exercises", "start", "answers.ts"), "export const addresses = 1000;\n");
  put(path.join(dir, "grace", "exercises", "start", "wildcard.ts"), "export function wildcardMask(n: number): string { const h = (2 ** (32 - n) - 1) >>> 0; return [24, 16, 8, 0].map((s) => (h >>> s) & 255).join('.'); }\n");
  put(path.join(dir, "notes.txt"), "not a submission");
  return dir;
}

test("zip reader: round trip, and path traversal, absolute paths, links and bombs are rejected", { timeout: 30_000 }, () => {
  const z = writeZip([{ name: "a/b.txt", data: "hello" }, { name: "c.bin", data: Buffer.alloc(10000, 7) }]);
  const e = readZip(z, "ok.zip");
  assert.deepEqual(e.map((x) => [x.name, x.data.length]), [["a/b.txt", 5], ["c.bin", 10000]]);
  assert.throws(() => readZip(writeZip([{ name: "../x", data: "x" }]), "t.zip"), /"\.\.\/x" is rejected: a `\.\.` segment.*t\.zip.*byte offset/s);
  assert.throws(() => readZip(writeZip([{ name: "a/../../x", data: "x" }]), "t.zip"), /path traversal/);
  assert.throws(() => readZip(writeZip([{ name: "/etc/passwd", data: "x" }]), "t.zip"), /absolute path/);
  assert.throws(() => readZip(writeZip([{ name: "C:/x", data: "x" }]), "t.zip"), /drive letter/);
  assert.throws(() => readZip(writeZip([{ name: "big", data: Buffer.alloc(1 << 20) }]), "t.zip", { maxTotalBytes: 1000 }), /zip bomb/);
  assert.throws(() => readZip(Buffer.from("not a zip at all, just text"), "t.zip"), /not a ZIP archive/);
  const link = writeZip([{ name: "l", data: "/etc/passwd" }]);
  const cen = link.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  link.writeUInt16LE((3 << 8) | 20, cen + 4);
  link.writeUInt32LE((0o120777 << 16) >>> 0, cen + 38);
  assert.throws(() => readZip(link, "t.zip"), /symbolic link/);
  const bad = Buffer.from(z);
  bad[40] ^= 0xff; // corrupt the first entry's data
  assert.throws(() => readZip(bad, "t.zip"), /CRC|inflate/);
  const dest = path.join(tmp, "x");
  fs.mkdirSync(dest);
  const zf = path.join(tmp, "trav.zip");
  fs.writeFileSync(zf, writeZip([{ name: "ok.txt", data: "1" }, { name: "../escape.txt", data: "2" }]));
  assert.throws(() => extractZip(zf, dest), /path traversal/);
  assert.deepEqual(fs.readdirSync(dest), [], "nothing is written when any entry is bad");
  assert.equal(fs.existsSync(path.join(tmp, "escape.txt")), false);
});

test("CSV fields are quoted and formula-like names neutralised", { timeout: 5_000 }, () => {
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("=cmd()"), "'=cmd()");
  assert.equal(csvField(12), "12");
});

let results: StudentResult[] = [];
let subs = "";

test("collect grades every kind of submission, never crashes, never modifies them", { timeout: 400_000 }, async () => {
  subs = makeSubmissions();
  const before = hashes(subs);
  const exercises = selectExercises("start");
  const r = await collect({ root: ROOT, submissions: subs, exercises, jobs: 2, testTimeoutMs: 3000, loadTimeoutMs: 30000 });
  results = r.results;
  assert.deepEqual(r.ignored, ["notes.txt"]);
  assert.deepEqual(hashes(subs), before, "a submission was modified");
  assert.equal(fs.existsSync(path.join(tmp, "escaped.txt")), false);
  assert.equal(fs.existsSync(path.join(path.dirname(tmp), "escaped.txt")), false);
  const by = new Map(results.map((x) => [x.student, x]));
  assert.deepEqual([...by.keys()], ["alice", "bob", "carol", "dave", "eve", "frank", "grace"]);
  const possible = exercises.reduce((s, e) => s + totalPoints(e.exercise), 0);
  const grade = (s: string, id: string) => by.get(s)!.reports.find((x) => x.id === id)!;
  // alice: full marks, hidden tests included.
  assert.equal(by.get("alice")!.earned, possible, JSON.stringify(by.get("alice")!.reports.map((x) => [x.id, x.earned, x.points, x.error])));
  assert.ok(by.get("alice")!.reports.every((x) => x.hiddenRan && x.tests.some((t) => t.hidden)));
  // bob: zipped stubs, not attempted.
  assert.equal(by.get("bob")!.earned, 0);
  assert.ok(by.get("bob")!.reports.every((x) => x.status === "not-attempted"));
  // carol: the hang times out per test; the syntax error is reported.
  assert.equal(by.get("carol")!.earned, 0);
  const carol = grade("carol", "start.wildcard").tests;
  assert.ok(carol.every((t) => t.status === "timeout" || t.status === "not-run") && carol.slice(0, 2).every((t) => t.status === "timeout"), JSON.stringify(carol));
  assert.match(grade("carol", "start.addresses").error ?? "", /could not load exercises\/start\/answers\.ts/);
  assert.ok(by.get("carol")!.problems.some((p) => /start\.addresses/.test(p)));
  // dave: a lone notebook; its inline answer is graded with public and hidden tests.
  assert.equal(grade("dave", "start.addresses").earned, grade("dave", "start.addresses").points);
  assert.ok(grade("dave", "start.addresses").tests.some((t) => t.hidden && t.status === "pass"));
  assert.equal(grade("dave", "start.wildcard").earned, 0);
  // eve: rejected archive, reported, zero.
  assert.equal(by.get("eve")!.earned, 0);
  assert.match(by.get("eve")!.problems.join("\n"), /submission rejected: .*\.\.\/\.\.\/escaped\.txt.*path traversal/);
  // frank: malformed notebook, missing file, process.exit.
  assert.match(by.get("frank")!.problems.join("\n"), /not a readable notebook/);
  assert.match(grade("frank", "start.addresses").error ?? "", /does not exist/);
  assert.ok(grade("frank", "start.wildcard").tests.every((t) => t.earned === 0) && grade("frank", "start.wildcard").tests.some((t) => /process\.exit/.test(t.message)), JSON.stringify(grade("frank", "start.wildcard").tests));
  // grace: wrong value, a function right except for the /0 edge and the range check.
  assert.equal(grade("grace", "start.addresses").earned, 0);
  const gw = grade("grace", "start.wildcard");
  assert.ok(gw.earned > 0 && gw.earned < gw.points, `grace wildcard ${gw.earned}/${gw.points}`);
  assert.ok(gw.tests.some((t) => t.hidden && t.status !== "pass"), "a hidden test catches grace's edge case");
  // The gradebook.
  const csv = gradebookCsv(results, exercises).trim().split("\r\n");
  assert.equal(csv[0], "student,start.addresses,start.wildcard,total,possible,problems");
  assert.equal(csv.length, 1 + 7);
  assert.match(csv[1]!, new RegExp(`^alice,\\d+,\\d+,${possible},${possible},`));
});

test("the collect CLI writes the CSV and a feedback page per student, and refuses to overwrite", { timeout: 400_000 }, async () => {
  const out = path.join(tmp, "grades.csv");
  const fb = path.join(tmp, "feedback");
  const errs: string[] = [];
  const io = { out: () => undefined, err: (s: string) => errs.push(s), root: ROOT };
  const code = await main(["collect", subs, "--out", out, "--feedback", fb, "--only", "start.wildcard", "--jobs", "2", "--test-timeout", "2000"], io);
  assert.equal(code, 0, errs.join("\n"));
  const rows = fs.readFileSync(out, "utf8").trim().split("\r\n");
  assert.equal(rows[0], "student,start.wildcard,total,possible,problems");
  assert.equal(rows.length, 8);
  for (const s of ["alice", "bob", "carol", "dave", "eve", "frank", "grace"]) {
    const html = fs.readFileSync(path.join(fb, `${s}.html`), "utf8");
    assert.match(html, /start\.wildcard/);
    assert.match(html, new RegExp(`Feedback for ${s}`));
  }
  assert.match(fs.readFileSync(path.join(fb, "grace.html"), "utf8"), /\[hidden\]<\/em> <b>\/0<\/b>/);
  assert.match(fs.readFileSync(path.join(fb, "carol.html"), "utf8"), /timed out/);
  assert.match(fs.readFileSync(path.join(fb, "index.html"), "utf8"), /alice\.html/);
  assert.match(errs.join("\n"), /ignored notes\.txt/);
  errs.length = 0;
  assert.equal(await main(["collect", subs, "--out", out, "--only", "start.wildcard"], io), 2);
  assert.match(errs.join("\n"), /already exists/);
  assert.equal(await main(["collect", subs, "--out", path.join(tmp, "g2.csv"), "--only", "nope.nothing"], io), 2);
  assert.match(errs.join("\n"), /no exercise matches.*nope\.nothing.*start\.wildcard/s);
  assert.equal(await main(["collect", path.join(tmp, "missing"), "--out", path.join(tmp, "g3.csv")], io), 2);
});

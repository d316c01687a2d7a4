/**
 * `wirelab collect`: a folder of submissions of every shape (folders, zips, a single notebook)
 * and every kind of breakage (hanging code, process.exit, syntax errors, a malformed notebook,
 * missing files, a zip with `../` paths) is graded with public + hidden tests into a CSV and
 * feedback pages; nothing crashes, and the submissions are byte-for-byte unchanged afterwards.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { it, expect, afterAll } from "vitest";
import { main } from "../../src/cli/main";
import { selectExercises } from "../../src/grading/registry";
import { totalPoints } from "../../src/grading/spec";
import { collect, csvField, gradebookCsv, type StudentResult } from "../../src/workshop/collect";
import { extractZip, readZip, writeZip, zipFolder } from "../../src/workshop/zip";

const ROOT = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wl-collect-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

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
    out.set(
      f,
      st.isFile()
        ? `${createHash("sha256").update(fs.readFileSync(p)).digest("hex")} ${st.mtimeMs} ${st.mode}`
        : `${st.isDirectory() ? "dir" : "other"} ${st.mode}`,
    );
  }
  return out;
}

const notebook00 = fs.readFileSync(path.join(ROOT, "notebooks", "00-start-here.ipynb"), "utf8");
function withInlineAnswer(value: string): string {
  return notebook00.replace(
    'check(\\"start.addresses\\", undefined)',
    `check(\\"start.addresses\\", ${value.replace(/"/g, '\\"')})`,
  );
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
  put(
    path.join(dir, "carol", "exercises", "start", "wildcard.ts"),
    "export function wildcardMask(n: number): string { while (true) {} }\n",
  );
  put(path.join(dir, "carol", "exercises", "start", "answers.ts"), "export const addresses = (1024;\n");
  // dave: only the notebook, with the answer written inline.
  put(path.join(dir, "dave.ipynb"), withInlineAnswer('"2^10"'));
  // eve: a zip that tries to write outside its folder.
  fs.writeFileSync(
    path.join(dir, "eve.zip"),
    writeZip([
      { name: "course/exercises/start/answers.ts", data: "export const addresses = 1024;\n" },
      { name: "../../escaped.txt", data: "pwned" },
    ]),
  );
  // frank: a malformed notebook, a missing exercise file, and code that calls process.exit.
  stubCourse(path.join(dir, "frank"));
  put(path.join(dir, "frank", "notebooks", "00-start-here.ipynb"), "{ this is not json");
  fs.rmSync(path.join(dir, "frank", "exercises", "start", "answers.ts"));
  put(
    path.join(dir, "frank", "exercises", "start", "wildcard.ts"),
    "export function wildcardMask(n: number): string { process.exit(3); }\n",
  );
  // grace: a wrong answer and a partly right function.
  stubCourse(path.join(dir, "grace"));
  put(path.join(dir, "grace", "exercises", "start", "answers.ts"), "export const addresses = 1000;\n");
  put(
    path.join(dir, "grace", "exercises", "start", "wildcard.ts"),
    "export function wildcardMask(n: number): string { const h = (2 ** (32 - n) - 1) >>> 0; return [24, 16, 8, 0].map((s) => (h >>> s) & 255).join('.'); }\n",
  );
  put(path.join(dir, "notes.txt"), "not a submission");
  return dir;
}

it(
  "zip reader: round trip, and path traversal, absolute paths, links and bombs are rejected",
  { timeout: 30_000 },
  () => {
    const z = writeZip([
      { name: "a/b.txt", data: "hello" },
      { name: "c.bin", data: Buffer.alloc(10000, 7) },
    ]);
    const e = readZip(z, "ok.zip");
    expect(e.map((x) => [x.name, x.data.length])).toStrictEqual([
      ["a/b.txt", 5],
      ["c.bin", 10000],
    ]);
    expect(() => readZip(writeZip([{ name: "../x", data: "x" }]), "t.zip")).toThrow(
      /"\.\.\/x" is rejected: a `\.\.` segment.*t\.zip.*byte offset/s,
    );
    expect(() => readZip(writeZip([{ name: "a/../../x", data: "x" }]), "t.zip")).toThrow(/path traversal/);
    expect(() => readZip(writeZip([{ name: "/etc/passwd", data: "x" }]), "t.zip")).toThrow(/absolute path/);
    expect(() => readZip(writeZip([{ name: "C:/x", data: "x" }]), "t.zip")).toThrow(/drive letter/);
    expect(() =>
      readZip(writeZip([{ name: "big", data: Buffer.alloc(1 << 20) }]), "t.zip", { maxTotalBytes: 1000 }),
    ).toThrow(/zip bomb/);
    expect(() => readZip(Buffer.from("not a zip at all, just text"), "t.zip")).toThrow(/not a ZIP archive/);
    const link = writeZip([{ name: "l", data: "/etc/passwd" }]);
    const cen = link.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    link.writeUInt16LE((3 << 8) | 20, cen + 4);
    link.writeUInt32LE((0o120777 << 16) >>> 0, cen + 38);
    expect(() => readZip(link, "t.zip")).toThrow(/symbolic link/);
    const bad = Buffer.from(z);
    bad[40] ^= 0xff; // corrupt the first entry's data
    expect(() => readZip(bad, "t.zip")).toThrow(/CRC|inflate/);
    const dest = path.join(tmp, "x");
    fs.mkdirSync(dest);
    const zf = path.join(tmp, "trav.zip");
    fs.writeFileSync(
      zf,
      writeZip([
        { name: "ok.txt", data: "1" },
        { name: "../escape.txt", data: "2" },
      ]),
    );
    expect(() => extractZip(zf, dest)).toThrow(/path traversal/);
    expect(fs.readdirSync(dest), "nothing is written when any entry is bad").toStrictEqual([]);
    expect(fs.existsSync(path.join(tmp, "escape.txt"))).toBe(false);
  },
);

it("CSV fields are quoted and formula-like names neutralised", { timeout: 5_000 }, () => {
  expect(csvField("a,b")).toBe('"a,b"');
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  expect(csvField("=cmd()")).toBe("'=cmd()");
  expect(csvField(12)).toBe("12");
});

let results: StudentResult[] = [];
let subs = "";

it("collect grades every kind of submission, never crashes, never modifies them", { timeout: 400_000 }, async () => {
  subs = makeSubmissions();
  const before = hashes(subs);
  const exercises = selectExercises("start");
  const r = await collect({
    root: ROOT,
    submissions: subs,
    exercises,
    jobs: 2,
    testTimeoutMs: 3000,
    loadTimeoutMs: 30000,
  });
  results = r.results;
  expect(r.ignored).toStrictEqual(["notes.txt"]);
  expect(hashes(subs), "a submission was modified").toStrictEqual(before);
  expect(fs.existsSync(path.join(tmp, "escaped.txt"))).toBe(false);
  expect(fs.existsSync(path.join(path.dirname(tmp), "escaped.txt"))).toBe(false);
  const by = new Map(results.map((x) => [x.student, x]));
  expect([...by.keys()]).toStrictEqual(["alice", "bob", "carol", "dave", "eve", "frank", "grace"]);
  const possible = exercises.reduce((s, e) => s + totalPoints(e.exercise), 0);
  const grade = (s: string, id: string) => by.get(s)!.reports.find((x) => x.id === id)!;
  // alice: full marks, hidden tests included.
  expect(
    by.get("alice")!.earned,
    JSON.stringify(by.get("alice")!.reports.map((x) => [x.id, x.earned, x.points, x.error])),
  ).toBe(possible);
  expect(by.get("alice")!.reports.every((x) => x.hiddenRan && x.tests.some((t) => t.hidden))).toBeTruthy();
  // bob: zipped stubs, not attempted.
  expect(by.get("bob")!.earned).toBe(0);
  expect(by.get("bob")!.reports.every((x) => x.status === "not-attempted")).toBeTruthy();
  // carol: the hang times out per test; the syntax error is reported.
  expect(by.get("carol")!.earned).toBe(0);
  const carol = grade("carol", "start.wildcard").tests;
  expect(
    carol.every((t) => t.status === "timeout" || t.status === "not-run") &&
      carol.slice(0, 2).every((t) => t.status === "timeout"),
    JSON.stringify(carol),
  ).toBeTruthy();
  expect(grade("carol", "start.addresses").error ?? "").toMatch(/could not load exercises\/start\/answers\.ts/);
  expect(by.get("carol")!.problems.some((p) => /start\.addresses/.test(p))).toBeTruthy();
  // dave: a lone notebook; its inline answer is graded with public and hidden tests.
  expect(grade("dave", "start.addresses").earned).toBe(grade("dave", "start.addresses").points);
  expect(grade("dave", "start.addresses").tests.some((t) => t.hidden && t.status === "pass")).toBeTruthy();
  expect(grade("dave", "start.wildcard").earned).toBe(0);
  // eve: rejected archive, reported, zero.
  expect(by.get("eve")!.earned).toBe(0);
  expect(by.get("eve")!.problems.join("\n")).toMatch(/submission rejected: .*\.\.\/\.\.\/escaped\.txt.*path traversal/);
  // frank: malformed notebook, missing file, process.exit.
  expect(by.get("frank")!.problems.join("\n")).toMatch(/not a readable notebook/);
  expect(grade("frank", "start.addresses").error ?? "").toMatch(/does not exist/);
  expect(
    grade("frank", "start.wildcard").tests.every((t) => t.earned === 0) &&
      grade("frank", "start.wildcard").tests.some((t) => /process\.exit/.test(t.message)),
    JSON.stringify(grade("frank", "start.wildcard").tests),
  ).toBeTruthy();
  // grace: wrong value, a function right except for the /0 edge and the range check.
  expect(grade("grace", "start.addresses").earned).toBe(0);
  const gw = grade("grace", "start.wildcard");
  expect(gw.earned > 0 && gw.earned < gw.points, `grace wildcard ${gw.earned}/${gw.points}`).toBeTruthy();
  expect(
    gw.tests.some((t) => t.hidden && t.status !== "pass"),
    "a hidden test catches grace's edge case",
  ).toBeTruthy();
  // The gradebook.
  const csv = gradebookCsv(results, exercises).trim().split("\r\n");
  expect(csv[0]).toBe("student,start.addresses,start.wildcard,total,possible,problems");
  expect(csv.length).toBe(1 + 7);
  expect(csv[1]!).toMatch(new RegExp(`^alice,\\d+,\\d+,${possible},${possible},`));
});

it(
  "the collect CLI writes the CSV and a feedback page per student, and refuses to overwrite",
  { timeout: 400_000 },
  async () => {
    const out = path.join(tmp, "grades.csv");
    const fb = path.join(tmp, "feedback");
    const errs: string[] = [];
    const io = { out: () => undefined, err: (s: string) => errs.push(s), root: ROOT };
    const code = await main(
      [
        "collect",
        subs,
        "--out",
        out,
        "--feedback",
        fb,
        "--only",
        "start.wildcard",
        "--jobs",
        "2",
        "--test-timeout",
        "2000",
      ],
      io,
    );
    expect(code, errs.join("\n")).toBe(0);
    const rows = fs.readFileSync(out, "utf8").trim().split("\r\n");
    expect(rows[0]).toBe("student,start.wildcard,total,possible,problems");
    expect(rows.length).toBe(8);
    for (const s of ["alice", "bob", "carol", "dave", "eve", "frank", "grace"]) {
      const html = fs.readFileSync(path.join(fb, `${s}.html`), "utf8");
      expect(html).toMatch(/start\.wildcard/);
      expect(html).toMatch(new RegExp(`Feedback for ${s}`));
    }
    // A hidden test that grace fails is shown, marked hidden (which one depends on the exercise: /0 is public now).
    expect(fs.readFileSync(path.join(fb, "grace.html"), "utf8")).toMatch(
      /✗<\/span> <em>\[hidden\]<\/em> <b>[^<]+<\/b> \(0\/1\)/,
    );
    expect(fs.readFileSync(path.join(fb, "carol.html"), "utf8")).toMatch(/timed out/);
    expect(fs.readFileSync(path.join(fb, "index.html"), "utf8")).toMatch(/alice\.html/);
    expect(errs.join("\n")).toMatch(/ignored notes\.txt/);
    errs.length = 0;
    expect(await main(["collect", subs, "--out", out, "--only", "start.wildcard"], io)).toBe(2);
    expect(errs.join("\n")).toMatch(/already exists/);
    expect(await main(["collect", subs, "--out", path.join(tmp, "g2.csv"), "--only", "nope.nothing"], io)).toBe(2);
    expect(errs.join("\n")).toMatch(/no exercise matches.*nope\.nothing.*start\.wildcard/s);
    expect(await main(["collect", path.join(tmp, "missing"), "--out", path.join(tmp, "g3.csv")], io)).toBe(2);
  },
);

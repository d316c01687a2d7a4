/**
 * Nothing lost: the shared output guard, and every writing command refusing the course's own
 * folders, the course itself and existing files or folders without --force; --force never
 * deletes course material. Runs against a throw-away course so a guard bug cannot cost a real one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { guardOutput, prepareOutputFolder, writeOutputFile } from "../../src/util/outpath";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `wl-outpath-${process.pid}-`));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A small course: every protected folder holds a file whose content is checked afterwards. */
function course(name: string): string {
  const root = path.join(tmp, name);
  for (const d of ["notebooks", "exercises/start", "solutions/start", "src/x", "templates"])
    fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.writeFileSync(
    path.join(root, "notebooks", "00-a.ipynb"),
    JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
  );
  fs.writeFileSync(path.join(root, "exercises", "start", "answers.ts"), "mine\n");
  fs.writeFileSync(path.join(root, "solutions", "start", "answers.ts"), "ref\n");
  fs.writeFileSync(path.join(root, "src", "x", "a.ts"), "lib\n");
  return root;
}
function untouched(root: string): void {
  expect(fs.readFileSync(path.join(root, "exercises", "start", "answers.ts"), "utf8")).toBe("mine\n");
  expect(fs.readFileSync(path.join(root, "solutions", "start", "answers.ts"), "utf8")).toBe("ref\n");
  expect(fs.readFileSync(path.join(root, "src", "x", "a.ts"), "utf8")).toBe("lib\n");
  expect(fs.existsSync(path.join(root, "notebooks", "00-a.ipynb"))).toBeTruthy();
}

it(
  "guardOutput: protected folders and the course are refused even with force; existing paths need force",
  { timeout: 10_000 },
  () => {
    const root = course("g");
    for (const force of [false, true]) {
      for (const p of [
        "notebooks/out.ipynb",
        "exercises/start/answers.ts",
        "exercises",
        "solutions/x",
        "src",
        "src/x/new.ts",
      ]) {
        expect(() => guardOutput(path.join(root, p), { root, force, kind: "file", where: "--out" }), p).toThrow(
          /inside the course's|existing folder/,
        );
      }
      expect(() => guardOutput(root, { root, force, kind: "folder", where: "--out" })).toThrow(
        /course folder or one of its parents/,
      );
      expect(() => guardOutput(tmp, { root, force, kind: "folder", where: "--out" })).toThrow(
        /course folder or one of its parents/,
      );
    }
    // A link into exercises/ is refused like the folder itself.
    fs.symlinkSync(path.join(root, "exercises"), path.join(tmp, "link-ex"));
    expect(() =>
      guardOutput(path.join(tmp, "link-ex", "x.csv"), { root, force: true, kind: "file", where: "--out" }),
    ).toThrow(/exercises\/ folder/);
    const file = path.join(tmp, "exists.csv");
    fs.writeFileSync(file, "old");
    expect(() => writeOutputFile(file, "new", { root, where: "--out" })).toThrow(
      /already exists; nothing was written.*--force/,
    );
    expect(fs.readFileSync(file, "utf8")).toBe("old");
    writeOutputFile(file, "new", { root, force: true, where: "--out" });
    expect(fs.readFileSync(file, "utf8")).toBe("new");
    const dir = path.join(tmp, "busy");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "keep"), "k");
    expect(() => prepareOutputFolder(dir, { root, where: "--out" })).toThrow(/not empty/);
    prepareOutputFolder(dir, { root, force: true, where: "--out" });
    expect(fs.readdirSync(dir)).toStrictEqual([]);
    // --force never deletes another course's material either.
    const other = course("other");
    expect(() => prepareOutputFolder(other, { root, force: true, where: "--out" })).toThrow(/holds a course/);
    untouched(other);
    untouched(root);
  },
);

it(
  "every writing command refuses the course's folders and existing outputs, and --force deletes no course folder",
  { timeout: 120_000 },
  async () => {
    const root = course("cli");
    const errs: string[] = [];
    const io = { out: () => undefined, err: (s: string) => errs.push(s), root };
    const refused = async (args: string[], pattern: RegExp) => {
      errs.length = 0;
      expect(await main(args, io), `${args.join(" ")} was not refused: ${errs.join("\n")}`).toBe(2);
      expect(errs.join("\n"), args.join(" ")).toMatch(pattern);
      untouched(root);
    };
    const inside = /inside the course's (notebooks|exercises|solutions|src)\/ folder/;
    await refused(["release", "--out", path.join(root, "exercises"), "--force"], inside);
    await refused(["release", "--out", path.join(root, "src", "student"), "--force"], inside);
    await refused(["release", "--out", root, "--force"], /course folder or one of its parents/);
    await refused(["grade", "--junit", path.join(root, "exercises", "start", "answers.ts")], inside);
    await refused(["grade", "--junit", path.join(root, "exercises", "start", "answers.ts"), "--force"], inside);
    await refused(["run", path.join(root, "notebooks", "00-a.ipynb"), "--out", path.join(root, "notebooks")], inside);
    await refused(
      ["run", path.join(root, "notebooks", "00-a.ipynb"), "--out", path.join(root, "notebooks"), "--force"],
      inside,
    );
    await refused(["slides", "--out", path.join(root, "solutions", "deck"), "--force"], inside);
    await refused(["collect", tmp, "--out", path.join(root, "solutions", "grades.csv"), "--force"], inside);
    await refused(
      ["collect", tmp, "--out", path.join(tmp, "g.csv"), "--feedback", path.join(root, "notebooks"), "--force"],
      inside,
    );
    // Existing outputs need --force.
    const junit = path.join(tmp, "junit.xml");
    fs.writeFileSync(junit, "old");
    await refused(["grade", "--junit", junit], /already exists.*--force/s);
    expect(fs.readFileSync(junit, "utf8")).toBe("old");
    const outDir = path.join(tmp, "nbout");
    fs.mkdirSync(outDir);
    fs.writeFileSync(path.join(outDir, "00-a.ipynb"), "mine");
    await refused(["run", path.join(root, "notebooks", "00-a.ipynb"), "--out", outDir], /already exists.*--force/s);
    expect(fs.readFileSync(path.join(outDir, "00-a.ipynb"), "utf8")).toBe("mine");
    const csv = path.join(tmp, "grades.csv");
    fs.writeFileSync(csv, "old");
    await refused(["collect", tmp, "--out", csv], /already exists.*--force/s);
    expect(fs.readFileSync(csv, "utf8")).toBe("old");
    // --force on a folder holding another course: refused, nothing deleted.
    const other = course("victim");
    await refused(["release", "--out", other, "--force"], /holds a course/);
    untouched(other);
  },
);

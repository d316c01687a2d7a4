/**
 * Collection and gradebook: grades a folder of student submissions with the public AND hidden
 * tests, one CSV row per student and one HTML feedback page each.
 *
 * A submission is a folder (a released copy, or any folder holding exercises/ and/or notebooks),
 * a .zip of one (read with the strict reader in zip.ts: `..` paths, links and zip bombs are
 * rejected), or a single .ipynb. Each is copied into its own scratch folder and graded there, so
 * the submission itself is never modified and submissions never see each other. The exercise
 * specs (with the hidden tests) and the library always come from the instructor's course: the
 * scratch folder holds only the learner's exercises/ and notebooks/ (regular files: symbolic links
 * are reported, never followed). Learner code runs only in sandboxes (src/grading/sandbox.ts) that
 * read node_modules and nothing else, write nothing, start no process, and are killed with their
 * whole process group when each exercise ends; verdicts come from trusted judges. Anything broken — a malformed
 * notebook, a missing
 * file, a syntax error, code that hangs or exits, a rejected archive — is graded as far as
 * possible and reported in the row's `problems` column; it never stops the run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { escapeHtml } from "../notebook/display";
import {
  answerRef,
  FaultyFiles,
  gradeExercise,
  JudgePool,
  notebookAnswers,
  type ExerciseReport,
} from "../grading/grader";
import { allExercises, type RegisteredExercise } from "../grading/registry";
import { exerciseHtml } from "../grading/report";
import { totalPoints } from "../grading/spec";
import { InputError } from "../util/errors";
import { fillTemplate } from "./release";
import { extractZip } from "./zip";

export type SubmissionKind = "folder" | "zip" | "notebook";

export interface Submission {
  /** Student name from the file/folder name (safe for file names). */
  student: string;
  source: string;
  kind: SubmissionKind;
}

export interface StudentResult {
  student: string;
  source: string;
  kind: SubmissionKind;
  reports: ExerciseReport[];
  earned: number;
  possible: number;
  problems: string[];
  ms: number;
}

export interface CollectOptions {
  /** Instructor's course root (specs, library). */
  root: string;
  submissions: string;
  /** Parallel submissions (default: CPU count). */
  jobs?: number;
  /** Per-test limit when a test sets none (ms, default 5000). */
  testTimeoutMs?: number;
  /** Limit for loading one answer module in its sandbox (ms, default: the first test's limit). */
  loadTimeoutMs?: number;
  /** Restrict to exercises matching this list (default all). */
  exercises?: RegisteredExercise[];
  onStudent?: (r: StudentResult) => void;
  /**
   * Judges reused across exercises and submissions (trusted processes: they never load learner
   * code; each exercise's sandbox is killed when it ends). collect() keeps one per parallel job.
   */
  pool?: JudgePool;
}

/** File-name-safe student name. */
export function safeName(s: string): string {
  const t = s.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "");
  return t || "student";
}

/**
 * Lists the submissions in a folder: sub-folders, .zip files and .ipynb files (anything else is ignored and
 * reported).
 */
export function findSubmissions(dir: string): { submissions: Submission[]; ignored: string[] } {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory())
    throw new InputError("the submissions folder does not exist or is not a folder", {
      value: dir,
      where: "SUBMISSIONS_DIR",
    });
  const submissions: Submission[] = [];
  const ignored: string[] = [];
  const used = new Set<string>();
  for (const e of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue;
    const p = path.join(abs, e.name);
    let kind: SubmissionKind | null = null;
    let base = e.name;
    if (e.isDirectory()) kind = "folder";
    else if (e.isFile() && /\.zip$/i.test(e.name)) {
      kind = "zip";
      base = e.name.replace(/\.zip$/i, "");
    } else if (e.isFile() && /\.ipynb$/i.test(e.name)) {
      kind = "notebook";
      base = e.name.replace(/\.ipynb$/i, "");
    }
    if (!kind) {
      ignored.push(e.name);
      continue;
    }
    let student = safeName(base);
    for (let n = 2; used.has(student); n++) student = `${safeName(base)}-${n}`;
    used.add(student);
    submissions.push({ student, source: p, kind });
  }
  return { submissions, ignored };
}

/** Finds the course-like folder inside an unpacked submission (itself, or a single wrapping folder). */
function courseRoot(dir: string): string {
  let cur = dir;
  for (let depth = 0; depth < 4; depth++) {
    const entries = fs
      .readdirSync(cur, { withFileTypes: true })
      .filter((e) => !e.name.startsWith(".") && e.name !== "__MACOSX");
    if (
      entries.some((e) => e.isDirectory() && (e.name === "exercises" || e.name === "notebooks")) ||
      entries.some((e) => e.isFile() && e.name.endsWith(".ipynb"))
    )
      return cur;
    const dirs = entries.filter((e) => e.isDirectory());
    if (dirs.length !== 1) return cur;
    cur = path.join(cur, dirs[0]!.name);
  }
  return cur;
}

/**
 * Copies regular files only. A symbolic link anywhere in a submission is never followed (nor
 * copied): it is reported, so a link to the instructor's solutions or another student's folder
 * reads nothing. Devices, sockets and the like are skipped the same way.
 */
function copyTree(
  from: string,
  to: string,
  filter: (rel: string) => boolean,
  problems: string[],
  label: string,
): number {
  let n = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const src = path.join(dir, e.name);
      const rel = path.relative(from, src);
      if (e.isSymbolicLink()) {
        problems.push(`${label}/${rel.split(path.sep).join("/")} is a symbolic link: not followed, not graded`);
        continue;
      }
      if (e.isDirectory()) {
        walk(src);
        continue;
      }
      if (!e.isFile() || !filter(rel)) continue;
      const dst = path.join(to, rel);
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(src, dst, fs.constants.COPYFILE_EXCL);
      n++;
    }
  };
  walk(from);
  return n;
}

const isRealDir = (p: string) => {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Builds the scratch course for one submission; returns its root and what went wrong on the way. */
export function stage(
  sub: Submission,
  instructorRoot: string,
  scratch: string,
): { course: string; problems: string[] } {
  const problems: string[] = [];
  const course = path.join(scratch, "course");
  fs.mkdirSync(path.join(course, "exercises"), { recursive: true });
  fs.mkdirSync(path.join(course, "notebooks"), { recursive: true });
  // Only student-visible files go in, plus a link to the instructor's library src/ so that an
  // answer's `import … from "../../src/dh"` resolves. The link is read by the trusted compiler
  // only, which refuses exercise definitions and answer data; the learner's process reads
  // node_modules and nothing else. No dist/, no node_modules/ (their writes were an attack).
  const lib = path.join(instructorRoot, "src");
  if (fs.existsSync(lib)) fs.symlinkSync(lib, path.join(course, "src"), "dir");
  let raw: string;
  if (sub.kind === "notebook") {
    fs.copyFileSync(sub.source, path.join(course, "notebooks", path.basename(sub.source)));
    problems.push("a single notebook: answers in exercise files were not handed in");
    return { course, problems };
  }
  if (sub.kind === "zip") {
    raw = path.join(scratch, "unzipped");
    fs.mkdirSync(raw);
    extractZip(sub.source, raw); // throws on a hostile or damaged archive: the caller reports it
  } else raw = sub.source;
  if (fs.lstatSync(raw).isSymbolicLink())
    throw new InputError("the submission is a symbolic link: not followed", { value: sub.source });
  const root = courseRoot(raw);
  for (const d of ["exercises", "notebooks"]) {
    if (fs.lstatSync(path.join(root, d), { throwIfNoEntry: false })?.isSymbolicLink())
      problems.push(`${d}/ is a symbolic link: not followed, not graded`);
  }
  const hasEx = isRealDir(path.join(root, "exercises"));
  const nbDir = isRealDir(path.join(root, "notebooks")) ? path.join(root, "notebooks") : root;
  if (hasEx) copyTree(path.join(root, "exercises"), path.join(course, "exercises"), () => true, problems, "exercises");
  else problems.push("no exercises/ folder in the submission: file answers are missing");
  const nbs = copyTree(
    nbDir,
    path.join(course, "notebooks"),
    (rel) => !rel.includes(path.sep) && rel.endsWith(".ipynb"),
    problems,
    "notebooks",
  );
  if (nbs === 0 && !hasEx) problems.push("nothing to grade: no exercises/ and no notebooks");
  return { course, problems };
}

/** Grades one submission with public and hidden tests. Never throws for anything in the submission. */
export async function gradeSubmission(sub: Submission, opts: CollectOptions): Promise<StudentResult> {
  const t0 = Date.now();
  const regs = opts.exercises ?? allExercises();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wl-collect-"));
  const problems: string[] = [];
  const reports: ExerciseReport[] = [];
  let pool: JudgePool | undefined;
  let ownPool: JudgePool | undefined;
  try {
    let course: string | undefined;
    try {
      const s = stage(sub, path.resolve(opts.root), scratch);
      course = s.course;
      problems.push(...s.problems);
    } catch (e) {
      problems.push(`submission rejected: ${(e as Error).message}`);
    }
    const faulty = new FaultyFiles();
    pool = opts.pool ?? (ownPool = new JudgePool());
    const nb = course
      ? notebookAnswers(path.join(course, "notebooks"))
      : { answers: new Map(), problems: [] as string[] };
    problems.push(...nb.problems.map((p) => p.split(scratch + path.sep + "course" + path.sep).join("")));
    for (const reg of regs) {
      if (!course) {
        reports.push(ungraded(reg, "the submission could not be read"));
        continue;
      }
      try {
        const ref = answerRef(reg.exercise, course, "exercises", nb.answers);
        const cached = faulty.report(reg, ref, { root: course, hidden: true });
        const r =
          cached ??
          (await gradeExercise(reg, ref, {
            root: course,
            hidden: true,
            defaultTimeoutMs: opts.testTimeoutMs ?? 5000,
            loadTimeoutMs: opts.loadTimeoutMs,
            learnerDirs: [path.join(course, "exercises")],
            pool,
          }));
        faulty.note(ref, r);
        // A missing file is already reported once ("no exercises/ folder", "a single notebook"); other load errors per
        // exercise.
        const wholesaleMissing = problems.some(
          (p) => p.startsWith("no exercises/") || p.startsWith("a single notebook"),
        );
        if (r.error && !(wholesaleMissing && /does not exist$/.test(r.error))) problems.push(`${r.id}: ${r.error}`);
        reports.push(r);
      } catch (e) {
        problems.push(`${reg.exercise.id}: grading failed: ${(e as Error).message}`);
        reports.push(ungraded(reg, (e as Error).message));
      }
    }
  } finally {
    ownPool?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const clean = (s: string) =>
    s
      .split(scratch + path.sep + "course" + path.sep)
      .join("")
      .split(scratch)
      .join("<submission>");
  const result: StudentResult = {
    student: sub.student,
    source: sub.source,
    kind: sub.kind,
    reports: reports.map((r) => ({
      ...r,
      error: r.error && clean(r.error),
      tests: r.tests.map((t) => ({ ...t, message: clean(t.message) })),
    })),
    earned: reports.reduce((s, r) => s + r.earned, 0),
    possible: regs.reduce((s, r) => s + totalPoints(r.exercise), 0),
    problems: problems.map(clean),
    ms: Date.now() - t0,
  };
  return result;
}

function ungraded(reg: RegisteredExercise, why: string): ExerciseReport {
  const ex = reg.exercise;
  const all = [...ex.public.map((t) => ({ t, hidden: false })), ...ex.hidden.map((t) => ({ t, hidden: true }))];
  return {
    id: ex.id,
    title: ex.title,
    kind: ex.kind,
    points: totalPoints(ex),
    earned: 0,
    status: "error",
    source: "(none)",
    hiddenRan: true,
    hiddenSkipped: 0,
    tests: all.map(({ t, hidden }) => ({
      name: t.name,
      hidden,
      points: t.points,
      earned: 0,
      status: "fail" as const,
      message: why,
      ms: 0,
    })),
    error: why,
  };
}

/** Grades every submission, `jobs` at a time; results in submission order. */
export async function collect(
  opts: CollectOptions,
): Promise<{ results: StudentResult[]; ignored: string[]; exercises: RegisteredExercise[] }> {
  const { submissions, ignored } = findSubmissions(opts.submissions);
  const exercises = opts.exercises ?? allExercises();
  const results: StudentResult[] = new Array(submissions.length);
  const jobs = Math.max(1, opts.jobs ?? os.cpus().length);
  let next = 0;
  const worker = async () => {
    const pool = new JudgePool();
    try {
      while (next < submissions.length) {
        const i = next++;
        results[i] = await gradeSubmission(submissions[i]!, { ...opts, exercises, pool });
        opts.onStudent?.(results[i]!);
      }
    } finally {
      pool.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, submissions.length) }, worker));
  return { results, ignored, exercises };
}

/** One CSV field (RFC 4180 quoting; a leading = + - @ is neutralised so spreadsheets do not run it). */
export function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The gradebook: one row per student, a column per exercise (points earned), total, possible, problems. */
export function gradebookCsv(results: StudentResult[], exercises: RegisteredExercise[]): string {
  const ids = exercises.map((r) => r.exercise.id);
  const rows = [["student", ...ids, "total", "possible", "problems"]];
  for (const r of results) {
    const by = new Map(r.reports.map((x) => [x.id, x]));
    rows.push([
      r.student,
      ...ids.map((id) => String(by.get(id)?.earned ?? 0)),
      String(r.earned),
      String(r.possible),
      r.problems.join(" | "),
    ]);
  }
  return (
    rows
      .map((row, r) =>
        row.map((c, i) => csvField(r === 0 || i === 0 || i === row.length - 1 ? c : Number(c))).join(","),
      )
      .join("\r\n") + "\r\n"
  );
}

/** A student's feedback page (HTML) from templates/feedback.html. */
export function feedbackHtml(r: StudentResult, template: string, templateFile: string): string {
  const problems = r.problems.length
    ? `<h2>Problems found</h2><ul>${r.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul>`
    : "";
  const summary = r.reports
    .map(
      (x) =>
        `<tr><td>${escapeHtml(x.id)}</td><td>${escapeHtml(x.title)}</td><td ` +
        `class="num">${x.earned}/${x.points}</td><td>${escapeHtml(x.status)}</td></tr>`,
    )
    .join("");
  return fillTemplate(
    template,
    {
      student: escapeHtml(r.student),
      earned: String(r.earned),
      possible: String(r.possible),
      summary,
      problems,
      details: r.reports.map(exerciseHtml).join("\n"),
      date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    },
    templateFile,
  );
}

/**
 * Nothing lost: the one guard every writing command (`run --out`, `grade --junit`, `release`,
 * `slides`, `collect`, `--pcap`) passes its output path through before writing anything.
 *
 * - Never into the course's own folders (`notebooks/`, `exercises/`, `solutions/`, `src/` of the
 *   course root), nor onto the course root or a folder that contains it: not even with --force.
 * - Never over an existing file or folder without --force.
 * - With --force a file may be replaced, and a folder emptied and reused, but a folder is never
 *   deleted when it holds a course (a folder with `exercises/` and `notebooks/`, or any of the
 *   protected folders of this course): --force is for build outputs, not for course material.
 *
 * Paths are compared after resolving symbolic links of the part that exists, so a link into
 * `exercises/` is refused like the folder itself.
 *
 * @example
 *   guardOutput("grades.csv", { root, force: false, kind: "file", where: "--out" }); // throws if it exists
 *   // empties it, keeps course folders safe:
 *   prepareOutputFolder("artifacts/slides", { root, force: true, where: "--out" });
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "./errors";

/** Course folders no command writes into. */
export const PROTECTED_FOLDERS = ["notebooks", "exercises", "solutions", "src"] as const;

export interface GuardOptions {
  /** The course root (the folder holding notebooks/, exercises/, …). */
  root: string;
  /** --force was given. */
  force?: boolean;
  /** What the path is meant to be. */
  kind: "file" | "folder";
  /** The option or argument naming the path, for messages (e.g. "--out", "--junit"). */
  where: string;
}

/** The real path of `p`, resolving links in the longest existing prefix (the rest is kept as is). */
export function realPathOf(p: string): string {
  const abs = path.resolve(p);
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return abs;
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep);

/**
 * True when a folder holds a course: it has exercises/ and notebooks/, or it is one of the protected folders'
 * ancestors.
 */
function holdsCourse(dir: string, root: string): boolean {
  const has = (n: string) => {
    try {
      return fs.statSync(path.join(dir, n)).isDirectory();
    } catch {
      return false;
    }
  };
  if (has("exercises") && has("notebooks")) return true;
  return PROTECTED_FOLDERS.some((f) => inside(path.join(root, f), dir));
}

/**
 * Throws an InputError (nothing written) when `target` may not be written; returns its absolute
 * path otherwise. Does not create or delete anything.
 */
export function guardOutput(target: string, o: GuardOptions): string {
  const abs = path.resolve(target);
  const real = realPathOf(abs);
  const root = realPathOf(o.root);
  if (inside(root, real)) {
    throw new InputError(
      `the output ${o.kind} cannot be the course folder or one of its parents; nothing was written`,
      { value: target, where: o.where },
    );
  }
  for (const f of PROTECTED_FOLDERS) {
    if (inside(real, path.join(root, f))) {
      throw new InputError(
        `the output ${o.kind} is inside the course's ${f}/ folder, which no command writes into (not even ` +
          `with --force); nothing was written`,
        {
          value: target,
          where: o.where,
          hint: "Write it elsewhere, e.g. into artifacts/ or a folder outside the course.",
        },
      );
    }
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(abs);
  } catch {
    st = undefined;
  }
  if (!st) return abs;
  const isDir = fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() ?? false;
  if (o.kind === "file" && isDir)
    throw new InputError("the output path is an existing folder, not a file; nothing was written", {
      value: target,
      where: o.where,
    });
  if (o.kind === "folder" && !isDir)
    throw new InputError("the output path exists and is not a folder; nothing was written", {
      value: target,
      where: o.where,
    });
  if (o.kind === "folder" && fs.readdirSync(abs).length === 0) return abs;
  if (!o.force) {
    throw new InputError(
      `the output ${o.kind} already exists${o.kind === "folder" ? " and is not empty" : ""}; nothing was written`,
      {
        value: target,
        where: o.where,
        hint: "Choose another name, or add --force to replace it.",
      },
    );
  }
  if (o.kind === "folder" && holdsCourse(real, root)) {
    throw new InputError(
      "the output folder holds a course (exercises/ and notebooks/); --force never deletes course material",
      { value: target, where: o.where },
    );
  }
  return abs;
}

/** Guards then empties (with --force) or creates an output folder; returns its absolute path. */
export function prepareOutputFolder(target: string, o: Omit<GuardOptions, "kind">): string {
  const abs = guardOutput(target, { ...o, kind: "folder" });
  if (fs.existsSync(abs)) {
    for (const e of fs.readdirSync(abs)) fs.rmSync(path.join(abs, e), { recursive: true, force: true });
  }
  fs.mkdirSync(abs, { recursive: true });
  return abs;
}

/** Guards then writes one output file (creating its folder); returns its absolute path. */
export function writeOutputFile(target: string, data: string | Uint8Array, o: Omit<GuardOptions, "kind">): string {
  const abs = guardOutput(target, { ...o, kind: "file" });
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, data);
  return abs;
}

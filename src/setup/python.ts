/**
 * The Python side of wirelab: a project-local virtual environment (`.venv`) with JupyterLab 4,
 * nbclient/nbconvert and jupyterlab_rise at the versions pinned in requirements.txt, and the
 * wirelab kernel registered *inside* that venv (never in the user's global Jupyter).
 *
 * Idempotent and fast on a second run: the venv is rebuilt only when missing or broken, pip runs
 * only when requirements.txt changed (a hash stamp), and the kernelspec is rewritten only when its
 * content changed (e.g. the course folder moved).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { kernelSpec } from "../jupyter/runner";
import { WirelabError } from "../util/errors";

export class SetupError extends WirelabError {}

export const KERNEL_NAME = "wirelab";

export interface PythonInfo {
  command: string;
  version: string;
}

const INSTALL_HINT =
  "wirelab needs Python 3.9 or newer with the venv module and pip to host JupyterLab (the course " +
  "itself is TypeScript).\n" +
  "  Debian/Ubuntu: sudo apt-get install python3 python3-venv python3-pip\n" +
  "  Fedora:        sudo dnf install python3 python3-pip\n" +
  "  macOS:         brew install python\n" +
  "  Windows:       https://www.python.org/downloads/ (tick 'Add python.exe to PATH')\n" +
  "Or point WIRELAB_PYTHON at a Python 3 interpreter.";

export function venvDir(root: string): string {
  return path.join(root, ".venv");
}

export function venvBin(root: string, name: string): string {
  return process.platform === "win32"
    ? path.join(venvDir(root), "Scripts", `${name}.exe`)
    : path.join(venvDir(root), "bin", name);
}

function run(cmd: string, args: string[], opts: { cwd?: string; quiet?: boolean } = {}): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, encoding: "utf8", stdio: opts.quiet === false ? "inherit" : "pipe" });
  return { ok: r.status === 0 && !r.error, out: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() };
}

/** Finds a usable Python 3 (≥ 3.9, with venv and pip) or throws one clear message. */
export function findPython(): PythonInfo {
  const candidates = [process.env.WIRELAB_PYTHON, "python3", "python"].filter((c): c is string => !!c);
  const problems: string[] = [];
  for (const c of candidates) {
    const v = run(c, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]);
    if (!v.ok) {
      problems.push(`${c}: not found`);
      continue;
    }
    const [maj, min] = v.out.split(".").map(Number);
    if (maj !== 3 || (min ?? 0) < 9) {
      problems.push(`${c}: version ${v.out} is too old`);
      continue;
    }
    if (!run(c, ["-c", "import venv, ensurepip"]).ok && !run(c, ["-m", "pip", "--version"]).ok) {
      problems.push(`${c} ${v.out}: the venv/pip modules are missing`);
      continue;
    }
    return { command: c, version: v.out };
  }
  throw new SetupError(`no usable Python found (${problems.join("; ")})`, { hint: INSTALL_HINT });
}

function requirementsHash(root: string): string {
  return createHash("sha256")
    .update(fs.readFileSync(path.join(root, "requirements.txt")))
    .digest("hex");
}

const STAMP = ".wirelab-requirements.sha256";

/** True when .venv exists, works, and matches requirements.txt. */
export function venvReady(root: string): boolean {
  const py = venvBin(root, "python");
  if (!fs.existsSync(py)) return false;
  const stamp = path.join(venvDir(root), STAMP);
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, "utf8").trim() !== requirementsHash(root)) return false;
  return fs.existsSync(venvBin(root, "jupyter"));
}

/** Creates/updates .venv as needed. `log` receives one line per step. */
export function ensureVenv(root: string, log: (s: string) => void): void {
  if (venvReady(root)) return;
  const py = venvBin(root, "python");
  if (!fs.existsSync(py) || !run(py, ["-c", "import sys"]).ok) {
    const sys = findPython();
    log(`creating the Python environment .venv with ${sys.command} ${sys.version}…`);
    fs.rmSync(venvDir(root), { recursive: true, force: true });
    const r = run(sys.command, ["-m", "venv", venvDir(root)]);
    if (!r.ok)
      throw new SetupError(`could not create .venv: ${r.out.split("\n").slice(-3).join(" ")}`, { hint: INSTALL_HINT });
  }
  log(
    "installing JupyterLab and friends into .venv (pinned in requirements.txt; the first time takes a " +
      "minute or two)…",
  );
  const pip = run(
    py,
    [
      "-m",
      "pip",
      "install",
      "--disable-pip-version-check",
      "--no-input",
      "-q",
      "-r",
      path.join(root, "requirements.txt"),
    ],
    { quiet: false },
  );
  if (!pip.ok)
    throw new SetupError("pip could not install requirements.txt into .venv (see the messages above)", {
      hint: "Check your network access to PyPI, then run npm start again.",
    });
  fs.writeFileSync(path.join(venvDir(root), STAMP), requirementsHash(root) + "\n");
}

/** Writes the wirelab kernelspec into .venv/share/jupyter/kernels/wirelab (only if it changed). */
export function ensureKernelSpec(root: string): string {
  const dir = path.join(venvDir(root), "share", "jupyter", "kernels", KERNEL_NAME);
  const file = path.join(dir, "kernel.json");
  const content = JSON.stringify(kernelSpec(root), null, 2) + "\n";
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== content) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, content);
  }
  return file;
}

/** Environment for Jupyter processes: prefer the venv's data path over the user's. */
export function jupyterEnv(root: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTER_PREFER_ENV_PATH: "1",
    VIRTUAL_ENV: venvDir(root),
    PATH: `${path.dirname(venvBin(root, "python"))}${path.delimiter}${process.env.PATH ?? ""}`,
  };
}

/** The JupyterLab version in .venv, or null. */
export function jupyterLabVersion(root: string): string | null {
  const r = spawnSync(venvBin(root, "jupyter"), ["lab", "--version"], { encoding: "utf8", env: jupyterEnv(root) });
  return r.status === 0 ? r.stdout.trim() : null;
}

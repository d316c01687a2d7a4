/**
 * The room-scale setup: binder/postBuild (what repo2docker runs for Binder/JupyterHub images)
 * is run in a clean Python virtual environment on a clean copy of the course. It must install the
 * node modules, build the library, and register the wirelab kernel inside that environment; the
 * registered kernel then executes notebook 00 headless. Bounded in time; everything in a temp dir.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { it, expect, afterAll } from "vitest";
import { runNotebook } from "../../src/jupyter/runner";

const ROOT = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wl-binder-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it(
  "binder files: requirements point at the pinned course stack, apt.txt lists packages, postBuild is executable",
  { timeout: 10_000 },
  () => {
    expect(fs.readFileSync(path.join(ROOT, "binder", "requirements.txt"), "utf8")).toMatch(
      /^-r \.\.\/requirements\.txt$/m,
    );
    expect(fs.readFileSync(path.join(ROOT, "requirements.txt"), "utf8"), "live slides (RISE) pinned").toMatch(
      /^jupyterlab_rise==/m,
    );
    const apt = fs
      .readFileSync(path.join(ROOT, "binder", "apt.txt"), "utf8")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#"));
    expect(
      apt.length > 0 && apt.every((l) => /^[a-z0-9][a-z0-9+.-]+$/.test(l.trim())),
      `apt.txt: ${apt.join(", ")}`,
    ).toBeTruthy();
    expect(
      fs.statSync(path.join(ROOT, "binder", "postBuild")).mode & 0o100,
      "postBuild must be executable",
    ).toBeTruthy();
  },
);

it(
  "binder/postBuild works in a clean venv: node modules, library, kernel registered there, a notebook runs",
  { timeout: 900_000 },
  async () => {
    const course = path.join(tmp, "course");
    const skipTop = new Set(["node_modules", ".venv", "dist", ".git", "artifacts", ".wirelab", "tmp"]);
    fs.cpSync(ROOT, course, {
      recursive: true,
      filter: (src) =>
        !(path.dirname(src) === ROOT && skipTop.has(path.basename(src))) &&
        !src.includes(`${path.sep}.ipynb_checkpoints`),
    });
    const venv = path.join(tmp, "venv");
    const mk = spawnSync("python3", ["-m", "venv", venv], { encoding: "utf8", timeout: 120_000 });
    expect(mk.status, mk.stderr).toBe(0);
    const py = path.join(venv, "bin", "python");
    const r = spawnSync("bash", [path.join(course, "binder", "postBuild")], {
      cwd: course,
      encoding: "utf8",
      timeout: 720_000,
      env: {
        ...process.env,
        PYTHON: py,
        VIRTUAL_ENV: venv,
        PATH: `${path.join(venv, "bin")}:${process.env.PATH}`,
        NPM_CI_FLAGS: "--prefer-offline",
      },
    });
    expect(r.status, `postBuild failed (${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-3000)}`).toBe(0);
    const spec = JSON.parse(
      fs.readFileSync(path.join(venv, "share", "jupyter", "kernels", "wirelab", "kernel.json"), "utf8"),
    );
    expect(spec.display_name).toBe("TypeScript (wirelab)");
    expect(spec.argv[1]).toBe(path.join(course, "dist", "kernel", "launcher.js"));
    expect(fs.existsSync(spec.argv[1]), "the kernel launcher was built").toBeTruthy();
    expect(fs.existsSync(path.join(course, "node_modules", "tslab")), "node modules installed").toBeTruthy();
    const rep = await runNotebook(path.join(course, "notebooks", "00-start-here.ipynb"), {
      root: course,
      timeoutPerCellMs: 120_000,
    });
    expect(
      rep.status,
      rep.cells
        .filter((c) => c.status !== "ok")
        .map((c) => `cell ${c.number}: ${c.error?.ename} ${c.error?.evalue}`)
        .join("; "),
    ).toBe("ok");
  },
);

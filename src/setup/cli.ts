/**
 * `wirelab start`, `wirelab setup` and `wirelab doctor`: get a learner from a fresh clone to
 * JupyterLab on notebooks/00-start-here.ipynb, and tell whether the installation is healthy.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { CliCommand, CliIO } from "../cli/types";
import { runNotebook } from "../jupyter/runner";
import { InputError } from "../util/errors";
import { ensureKernelSpec, ensureVenv, jupyterEnv, jupyterLabVersion, venvBin, venvReady, KERNEL_NAME } from "./python";

export const START_NOTEBOOK = "notebooks/00-start-here.ipynb";

/** Installs what is missing (venv, JupyterLab, kernelspec). The library build is done by bin/wirelab.js. */
export function setup(io: CliIO): void {
  ensureVenv(io.root, (s) => io.err(s));
  ensureKernelSpec(io.root);
}

function parsePort(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new InputError("--port must be an integer from 1 to 65535", { value: v, where: "--port" });
  return n;
}

const start: CliCommand = {
  name: "start",
  summary: "install what is missing (.venv with JupyterLab, the kernel) and open the course in JupyterLab",
  usage: `Usage: wirelab start [--no-browser] [--port N] [-- extra jupyter lab options]
   (npm start [-- --no-browser --port N])

Creates .venv with the pinned JupyterLab (first run only), registers the TypeScript (wirelab)
kernel inside it, builds the library, then opens ${START_NOTEBOOK} in JupyterLab.
Your notebooks and exercise files are never modified.`,
  async run(args, io) {
    const sep = args.indexOf("--");
    const own = sep >= 0 ? args.slice(0, sep) : args;
    const extra = sep >= 0 ? args.slice(sep + 1) : [];
    const { values } = parseArgs({
      args: own,
      options: { "no-browser": { type: "boolean" }, port: { type: "string" } },
    });
    const port = parsePort(values.port);
    setup(io);
    const labArgs = ["lab", `--ServerApp.root_dir=${io.root}`];
    if (values["no-browser"]) labArgs.push("--no-browser");
    if (port) labArgs.push(`--port=${port}`);
    // Containers, CI and lab VMs often run as root, which Jupyter refuses without this flag.
    if (process.getuid?.() === 0 && !extra.includes("--allow-root")) {
      labArgs.push("--allow-root");
      io.err("note: running as root, so JupyterLab is started with --allow-root");
    }
    labArgs.push(...extra, START_NOTEBOOK);
    io.err(`starting JupyterLab on ${START_NOTEBOOK} (Ctrl+C to stop)…`);
    const child = spawn(venvBin(io.root, "jupyter"), labArgs, {
      cwd: io.root,
      stdio: "inherit",
      env: jupyterEnv(io.root),
    });
    const stop = () => child.kill("SIGINT");
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    return new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 0)));
  },
};

const setupCmd: CliCommand = {
  name: "setup",
  summary: "install what is missing (.venv with JupyterLab, the kernel) without opening JupyterLab",
  usage: "Usage: wirelab setup\n\nWhat `wirelab start` does before it opens JupyterLab; used by npm test and CI.",
  run(_args, io) {
    setup(io);
    io.out(`ready: ${path.relative(io.root, venvBin(io.root, "jupyter"))} with kernel "${KERNEL_NAME}"`);
    return 0;
  },
};

function pkgVersion(root: string, name: string): string | null {
  const f = path.join(root, "node_modules", ...name.split("/"), "package.json");
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, "utf8")) as { version: string }).version : null;
}

const doctor: CliCommand = {
  name: "doctor",
  summary: "check the installation: versions, the kernel, and whether every notebook executes",
  usage: `Usage: wirelab doctor [--quick] [--json]

Prints the versions of node, the kernel (tslab and its TypeScript), Python and JupyterLab, whether
the wirelab kernel is registered in .venv, and runs every notebook headless (skip with --quick).
Exit code 0 when healthy, 1 otherwise.`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { quick: { type: "boolean" }, json: { type: "boolean" } } });
    const checks: Array<{ what: string; ok: boolean; detail: string }> = [];
    const add = (what: string, ok: boolean, detail: string) => {
      checks.push({ what, ok, detail });
      if (!values.json) io.out(`${ok ? "✓" : "✗"} ${what.padEnd(28)} ${detail}`);
    };
    const major = Number(process.versions.node.split(".")[0]);
    add("node", major >= 20, `${process.version}${major >= 20 ? "" : " (wirelab needs node 20 or newer)"}`);
    const tslab = pkgVersion(io.root, "tslab");
    const ts = pkgVersion(io.root, "@tslab/typescript-for-tslab");
    add(
      "kernel (tslab)",
      !!tslab,
      tslab
        ? `tslab ${tslab}, TypeScript ${ts ?? "?"} in cells, launcher dist/kernel/launcher.js`
        : "node_modules/tslab missing: run npm install",
    );
    add(
      "library build",
      fs.existsSync(path.join(io.root, "dist", "kernel", "launcher.js")),
      "dist/ (built from src/ by bin/wirelab.js)",
    );
    const py = venvBin(io.root, "python");
    const pyv = fs.existsSync(py) ? spawnSync(py, ["--version"], { encoding: "utf8" }).stdout.trim() : "";
    add(
      "python (.venv)",
      !!pyv && venvReady(io.root),
      pyv
        ? `${pyv}${venvReady(io.root) ? "" : " (out of date with requirements.txt: run npm start)"}`
        : ".venv missing: run npm start",
    );
    const lab = fs.existsSync(py) ? jupyterLabVersion(io.root) : null;
    add("JupyterLab", !!lab && lab.startsWith("4."), lab ? `JupyterLab ${lab}` : "not installed: run npm start");
    let specOk = false;
    let specDetail = "not registered: run npm start";
    if (lab) {
      const r = spawnSync(venvBin(io.root, "jupyter"), ["kernelspec", "list", "--json"], {
        encoding: "utf8",
        env: jupyterEnv(io.root),
      });
      try {
        const spec = (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string }> }).kernelspecs[
          KERNEL_NAME
        ];
        specOk = !!spec && spec.resource_dir.startsWith(path.join(io.root, ".venv"));
        specDetail = spec ? spec.resource_dir : specDetail;
      } catch {
        specDetail = `jupyter kernelspec list failed: ${r.stderr.slice(0, 200)}`;
      }
    }
    add(`kernelspec "${KERNEL_NAME}"`, specOk, specDetail);
    if (!values.quick) {
      const dir = path.join(io.root, "notebooks");
      for (const f of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ipynb"))
        .sort()) {
        const rep = await runNotebook(path.join(dir, f), { root: io.root, timeoutPerCellMs: 180_000 });
        const bad = rep.cells.find((c) => c.status !== "ok");
        add(
          `notebooks/${f}`,
          rep.status === "ok",
          rep.status === "ok"
            ? `${rep.cells.length} cells in ${(rep.totalMs / 1000).toFixed(1)} s`
            : `cell ${bad?.number ?? "?"} ` +
                `${bad?.status ?? "error"}` +
                `${bad?.error ? `: ${bad.error.ename}: ${bad.error.evalue.slice(0, 120)}` : ""}`,
        );
      }
    }
    const healthy = checks.every((c) => c.ok);
    if (values.json) io.out(JSON.stringify({ healthy, checks }, null, 2));
    else io.out(healthy ? "\nhealthy" : "\nNOT healthy: see the ✗ lines above");
    return healthy ? 0 : 1;
  },
};

export const commands: CliCommand[] = [start, setupCmd, doctor];

/**
 * `npm start` from the user's side: it installs what is missing, opens JupyterLab (here with
 * --no-browser on a free port) serving the course with the wirelab kernel registered inside .venv,
 * and never modifies notebooks or exercise files. A missing Python gives one clear message.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { findPython } from "../../src/setup/python";

const ROOT = path.resolve(__dirname, "..", "..");

function hashTree(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== ".ipynb_checkpoints") walk(p);
      } else {
        h.update(p).update(fs.readFileSync(p));
      }
    }
  };
  walk(dir);
  return h.digest("hex");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitFor<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      if ((e as Error).message.startsWith("wirelab start exited")) throw e;
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not ready after ${ms} ms`);
}

describe("npm start", { timeout: 300_000 }, () => {
  it(
    "opens JupyterLab with the course and the wirelab kernel, leaving notebooks and exercises untouched",
    { timeout: 240_000 },
    async () => {
      const before = [hashTree(path.join(ROOT, "notebooks")), hashTree(path.join(ROOT, "exercises"))];
      const port = await freePort();
      const token = "wirelab-test-" + process.pid;
      const child = spawn(
        process.execPath,
        [
          "bin/wirelab.js",
          "start",
          "--no-browser",
          "--port",
          String(port),
          "--",
          `--IdentityProvider.token=${token}`,
          "--ServerApp.ip=127.0.0.1",
        ],
        {
          cwd: ROOT,
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        },
      );
      let log = "";
      child.stdout!.on("data", (d) => (log += d));
      child.stderr!.on("data", (d) => (log += d));
      try {
        const base = `http://127.0.0.1:${port}`;
        const specs = await waitFor(async () => {
          if (child.exitCode !== null)
            throw new Error(`wirelab start exited with code ${child.exitCode}\n${log.slice(-2000)}`);
          const r = await fetch(`${base}/api/kernelspecs?token=${token}`);
          return r.ok
            ? ((await r.json()) as {
                kernelspecs: Record<string, { resources: unknown; spec: { display_name: string; argv: string[] } }>;
              })
            : undefined;
        }, 180_000).catch((e) => {
          throw new Error(`${(e as Error).message}\n${log.slice(-2000)}`);
        });
        const wl = specs.kernelspecs["wirelab"];
        expect(wl, `kernelspecs: ${Object.keys(specs.kernelspecs).join(", ")}`).toBeTruthy();
        expect(wl.spec.display_name).toBe("TypeScript (wirelab)");
        expect(wl.spec.argv.some((a) => a.endsWith(path.join("dist", "kernel", "launcher.js")))).toBeTruthy();
        const nb = await fetch(`${base}/api/contents/notebooks/00-start-here.ipynb?token=${token}&content=0`);
        expect(nb.status, "the start notebook is served").toBe(200);
        expect(log).toMatch(/00-start-here\.ipynb/);
      } finally {
        try {
          process.kill(-child.pid!, "SIGTERM");
        } catch {
          /* already gone */
        }
        await new Promise((r) => setTimeout(r, 1500));
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* gone */
        }
      }
      expect(
        [hashTree(path.join(ROOT, "notebooks")), hashTree(path.join(ROOT, "exercises"))],
        "npm start modified notebooks/ or exercises/",
      ).toStrictEqual(before);
    },
  );

  it("a second setup is fast: nothing is reinstalled", { timeout: 120_000 }, () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ["bin/wirelab.js", "setup"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/installing|creating/);
    expect(Date.now() - t0 < 30_000, `setup took ${Date.now() - t0} ms`).toBeTruthy();
  });

  it("without Python, one clear message says what to install", { timeout: 30_000 }, () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "wl-nopy-"));
    const saved = { PATH: process.env.PATH, WIRELAB_PYTHON: process.env.WIRELAB_PYTHON };
    process.env.PATH = empty;
    delete process.env.WIRELAB_PYTHON;
    try {
      expect(thrownBy(() => findPython())).toSatisfy((e: Error) => {
        expect(e.name).toBe("SetupError");
        expect(e.message).toMatch(/no usable Python found \(python3: not found; python: not found\)/);
        expect(e.message).toMatch(/sudo apt-get install python3 python3-venv python3-pip/);
        expect(e.message, "no stack trace in the message").not.toMatch(/\n\s+at /);
        return true;
      });
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.WIRELAB_PYTHON) process.env.WIRELAB_PYTHON = saved.WIRELAB_PYTHON;
    }
  });
});

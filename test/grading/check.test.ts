/**
 * The notebook `check()` path: one warm grading process per kernel (checkserver.ts), reached
 * synchronously over FIFOs. Inline answers, file answers and unknown ids, several in a row
 * through the same process, and a fresh process after the old one is gone.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { it, expect } from "vitest";
import { grade } from "../../dist/grading/check";

it("check() grades inline and file answers through one warm process", { timeout: 120_000 }, () => {
  const right = grade("start.addresses", "2^10");
  expect(!("fatal" in right), JSON.stringify(right)).toBeTruthy();
  expect(right.earned).toBe(right.points);
  expect(right.hiddenRan).toBe(false);
  const wrong = grade("start.addresses", 1000);
  expect(!("fatal" in wrong)).toBeTruthy();
  expect(wrong.earned).toBe(0);
  const stub = grade("start.wildcard");
  expect(!("fatal" in stub)).toBeTruthy();
  expect(stub.status).toBe("not-attempted");
  const unknown = grade("no.such");
  expect("fatal" in unknown).toBeTruthy();
  expect(unknown.fatal).toMatch(/unknown exercise id/);
  const again = grade("start.addresses", "1024");
  expect(!("fatal" in again) && again.earned === again.points).toBeTruthy();
});

it(
  "the warm grading process leaves, FIFOs and all, when its kernel is killed without notice",
  { timeout: 60_000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wl-check-"));
    const [req, res] = [path.join(dir, "req"), path.join(dir, "res")];
    expect(spawnSync("mkfifo", ["-m", "600", req, res]).status).toBe(0);
    // A stand-in kernel: starts the server as check.ts does, prints its pid, then waits to be killed.
    const script = path.join(__dirname, "..", "..", "dist", "grading", "checkserver.js");
    const kernel = spawn(
      process.execPath,
      [
        "-e",
        `const c = require("node:child_process").spawn(process.execPath, [${JSON.stringify(script)}, ${JSON.stringify(req)}, ${JSON.stringify(res)}], { stdio: "ignore" });
       console.log(c.pid); setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const pid = await new Promise<number>((resolve) => kernel.stdout!.once("data", (d) => resolve(Number(String(d)))));
    const alive = (p: number) => {
      try {
        process.kill(p, 0);
        return true;
      } catch {
        return false;
      }
    };
    await new Promise((r) => setTimeout(r, 1500));
    expect(alive(pid), "the server did not start").toBe(true);
    kernel.kill("SIGKILL");
    const t0 = Date.now();
    while (alive(pid) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid), "the grading process outlived its kernel").toBe(false);
    expect(fs.existsSync(dir), "its FIFO folder was left behind").toBe(false);
  },
);

/**
 * Hostile submissions, one class each. Every attack is first run against a deliberately weak
 * peer and shown to WORK there — so these tests prove that the boundary is what stops it:
 *
 * - tampering and forged verdicts: against `naive-runner.ts`, where the learner's module and the
 *   tests share a process and verdicts travel over that process's IPC channel (the old design);
 * - reads, writes, survivors, memory and network: against the real grader with the OS layers
 *   off (`confine: false`), where only the process boundary remains.
 *
 * Then the same file goes through the real grader and earns nothing, changes nothing outside its
 * folder, leaves no process behind. Fixtures are copied into a fresh temporary folder per test.
 */
import { fork, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, expect } from "vitest";
import { gradeExercise, type ExerciseReport } from "../../dist/grading/grader";
import { findExercise } from "../../dist/grading/registry";
import { sandboxLayers } from "../../dist/grading/sandbox";

const ROOT = path.resolve(__dirname, "..", "..");
const FIX = path.join(ROOT, "test", "fixtures", "adversarial");
const ID = "start.wildcard";
const layers = sandboxLayers();

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `wl-adv-${process.pid}-`));
}

/** Copies a fixture into `dir`, filling in __ROOT__, __OUT__ and __PORT__. */
function place(name: string, dir: string, vars: Record<string, string> = {}, as = "wildcard.ts"): string {
  let text = fs
    .readFileSync(path.join(FIX, name), "utf8")
    .replace(/__ROOT__/g, ROOT)
    .replace(/__OUT__/g, dir);
  for (const [k, v] of Object.entries(vars)) text = text.replace(new RegExp(`__${k}__`, "g"), v);
  const file = path.join(dir, as);
  fs.writeFileSync(file, text);
  return file;
}

/** Points the deliberately unsandboxed runner gives (first message per test wins, as a naive parent would). */
function naiveEarned(file: string, id = ID): Promise<number> {
  const ex = findExercise(id).exercise;
  const tests = [...ex.public, ...ex.hidden];
  return new Promise((resolve) => {
    const verdicts = new Map<number, boolean>();
    const child = fork(path.join(FIX, "naive-runner.ts"), [file, id], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "ignore", "ignore", "ipc"],
      cwd: ROOT,
    });
    const finish = () => {
      child.kill("SIGKILL");
      resolve(tests.reduce((s, t, n) => s + (verdicts.get(n) ? t.points : 0), 0));
    };
    const timer = setTimeout(finish, 60_000);
    child.on("message", (m: { n?: number; pass?: boolean; done?: boolean }) => {
      if (typeof m.n === "number" && !verdicts.has(m.n)) verdicts.set(m.n, m.pass === true);
      if (m.done) {
        clearTimeout(timer);
        finish();
      }
    });
    child.on("exit", () => (clearTimeout(timer), finish()));
  });
}

function grade(file: string, confine = true, ms = 3000, id = ID): Promise<ExerciseReport> {
  const reg = findExercise(id);
  return gradeExercise(
    reg,
    { kind: "file", path: file, export: reg.exercise.answer.export, label: path.basename(file) },
    { root: ROOT, hidden: true, defaultTimeoutMs: ms, confine },
  );
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("hostile submissions", { timeout: 600_000 }, () => {
  for (const [fixture, what, id] of [
    ["tamper-util.ts", "patching util.isDeepStrictEqual and String.prototype.trim", ID],
    [
      "tamper-proto.ts",
      "patching JSON.stringify, String.prototype.replace, Array.prototype.join and the global BigInt",
      "dhcp.forward",
    ],
    ["tamper-cache.ts", "rewriting the tests through require.cache", ID],
    ["forge-ipc.ts", "forging verdicts over process.send, a prepended message listener and fd 3", ID],
  ] as const) {
    it(
      `${what}: credit when tests share the learner's process, none across the boundary`,
      { timeout: 120_000 },
      async () => {
        const dir = scratch();
        try {
          const file = place(fixture, dir);
          expect(
            (await naiveEarned(file, id)) > 0,
            "the attack should work against the unsandboxed runner",
          ).toBeTruthy();
          const r = await grade(file, true, 3000, id);
          expect(r.earned, JSON.stringify(r.tests)).toBe(0);
          for (const t of r.tests) expect(typeof t.message).toBe("string");
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  }

  it(
    "malformed replies (non-string message, unknown types) are failed tests, not crashes",
    { timeout: 60_000 },
    async () => {
      const dir = scratch();
      try {
        // At load: lines that are not replies end the sandbox; the exercise is a load error.
        const r = await grade(place("forge-ipc.ts", dir));
        expect(r.earned).toBe(0);
        expect(r.error ?? "").toMatch(/your code's process sent a reply without a type/);
        // During a call: a 'throw' whose name and message are objects, then a cut line.
        const m = await grade(place("malformed.ts", dir));
        expect(m.earned).toBe(0);
        expect(m.tests[0]!.message).toMatch(/malformed 'throw' reply \(name, message and text must be strings\)/);
        for (const t of m.tests) expect(typeof t.message).toBe("string");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it(
    "reading the instructor's solution at run time: works unconfined, denied in the sandbox",
    { timeout: 120_000 },
    async () => {
      const dir = scratch();
      try {
        const file = place("read-solution.ts", dir);
        const open = await grade(file, false, 15000);
        expect(
          open.status,
          `unconfined the solution is readable: ${JSON.stringify(open.tests.map((t) => t.message))}`,
        ).toBe("full");
        const r = await grade(file);
        expect(r.earned).toBe(0);
        expect(r.tests.map((t) => t.message).join("\n")).toMatch(
          /ERR_ACCESS_DENIED|Access to this API has been restricted/,
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it(
    "importing a solution, an exercise definition or a linked file is refused at compile time",
    { timeout: 60_000 },
    async () => {
      const dir = scratch();
      try {
        fs.writeFileSync(
          path.join(dir, "wildcard.ts"),
          `export { wildcardMask } from ${JSON.stringify(path.join(ROOT, "solutions/start/wildcard"))};`,
        );
        let r = await grade(path.join(dir, "wildcard.ts"));
        expect(r.earned).toBe(0);
        expect(r.error ?? "").toMatch(/solutions\/start\/wildcard\.ts cannot be imported/);
        fs.writeFileSync(
          path.join(dir, "wildcard.ts"),
          `import { exercises } from ${JSON.stringify(path.join(ROOT, "src/start/exercises"))};\nexport const wildcardMask = () => String(exercises.length);`,
        );
        r = await grade(path.join(dir, "wildcard.ts"));
        expect(r.error ?? "").toMatch(/src\/start\/exercises\.ts cannot be imported/);
        fs.copyFileSync(path.join(FIX, "link-import.ts"), path.join(dir, "wildcard.ts"));
        fs.symlinkSync(path.join(ROOT, "solutions/start/wildcard.ts"), path.join(dir, "sol.ts"));
        r = await grade(path.join(dir, "wildcard.ts"));
        expect(r.earned).toBe(0);
        expect(r.error ?? "").toMatch(/cannot be imported/);
        // The answer file itself a link to the solution: not followed.
        fs.rmSync(path.join(dir, "wildcard.ts"));
        fs.symlinkSync(path.join(ROOT, "solutions/start/wildcard.ts"), path.join(dir, "wildcard.ts"));
        r = await grade(path.join(dir, "wildcard.ts"));
        expect(r.earned).toBe(0);
        expect(r.error ?? "").toMatch(/symbolic link/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("writing outside the scratch folder: works unconfined, denied in the sandbox", { timeout: 60_000 }, async () => {
    const dir = scratch();
    try {
      const file = place("write-out.ts", dir);
      await grade(file, false);
      expect(fs.existsSync(path.join(dir, "pwned-24")), "unconfined, the write happens").toBeTruthy();
      for (const f of fs.readdirSync(dir)) if (f.startsWith("pwned")) fs.rmSync(path.join(dir, f));
      const r = await grade(file);
      expect(r.earned).toBe(0);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith("pwned"))).toStrictEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    "a detached child process: survives unconfined, cannot be started in the sandbox",
    { timeout: 60_000 },
    async () => {
      const dir = scratch();
      try {
        const file = place("survivor.ts", dir);
        await grade(file, false);
        const pidFile = path.join(dir, "survivor.pid");
        expect(fs.existsSync(pidFile)).toBeTruthy();
        const pid = Number(fs.readFileSync(pidFile, "utf8"));
        expect(alive(pid), "unconfined, the detached child outlives grading").toBeTruthy();
        process.kill(pid, "SIGKILL");
        fs.rmSync(pidFile);
        const r = await grade(file);
        expect(r.earned).toBe(0);
        expect(!fs.existsSync(pidFile), "no child was started").toBeTruthy();
        expect(r.error ?? "").toMatch(/ERR_ACCESS_DENIED|restricted/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it(
    "3 GiB of Buffers: allocated unconfined, refused under the address-space cap",
    { timeout: 120_000 },
    async (ctx) => {
      if (!layers.memory && "no prlimit here") ctx.skip(!layers.memory && "no prlimit here");
      const dir = scratch();
      try {
        const file = place("memory.ts", dir);
        const open = await grade(file, false, 10000);
        expect(
          open.earned > 0,
          `unconfined the allocation succeeds: ${JSON.stringify(open.tests.map((t) => t.message))}`,
        ).toBeTruthy();
        const r = await grade(file, true, 10000);
        expect(r.earned, JSON.stringify(r.tests.map((t) => t.message))).toBe(0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("the network: reachable unconfined, absent in the sandbox's namespace", { timeout: 60_000 }, async (ctx) => {
    if (!layers.network && "needs root and unshare") ctx.skip(!layers.network && "needs root and unshare");
    const dir = scratch();
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.resume();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = String((server.address() as net.AddressInfo).port);
      const file = place("network.ts", dir, { PORT: port });
      const open = await grade(file, false);
      expect(connections > 0, "unconfined, the submission connects").toBeTruthy();
      expect(open.tests[0]!.message).toMatch(/returned "connected"/);
      // The server may accept the open run's last connections a moment after grading returns: let them land first.
      await new Promise((r) => setTimeout(r, 1500));
      connections = 0;
      const r = await grade(file);
      expect(connections).toBe(0);
      expect(r.tests[0]!.message).toMatch(/no network/);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    "a module that hangs or exits while loading costs one test's limit, and its file is not retried",
    { timeout: 120_000 },
    async () => {
      const dir = scratch();
      try {
        const hang = place("hang-load.ts", dir);
        let t0 = Date.now();
        const r = await grade(hang, true, 2000);
        expect(Date.now() - t0 < 15_000, `took ${Date.now() - t0} ms`).toBeTruthy();
        expect(r.earned).toBe(0);
        expect(r.error ?? "").toMatch(/took longer than 2\.0 s/);
        fs.writeFileSync(hang, fs.readFileSync(path.join(FIX, "exit-load.ts")));
        t0 = Date.now();
        const e = await grade(hang, true, 2000);
        expect(e.earned).toBe(0);
        expect(e.error ?? "").toMatch(/process\.exit\(0\)/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it(
    "a fix answer is a bash script: writes and survivors work under plain bash, not in the grader",
    { timeout: 120_000 },
    async (ctx) => {
      if (!layers.user) ctx.skip();
      const dir = scratch();
      fs.chmodSync(dir, 0o755);
      try {
        const file = path.join(dir, "fast_cli.sh");
        const script =
          `echo pwned > ${dir}/pwned\n(setsid sleep 77 > /dev/null 2>&1 &)\n` +
          fs.readFileSync(path.join(ROOT, "solutions", "shell", "fast_cli.sh"), "utf8");
        fs.writeFileSync(file, script);
        // Plain bash, as the grader ran it before: the write happens and the sleeper survives.
        spawnSync("bash", ["-c", `${script}\n`], { stdio: "ignore", timeout: 10_000 });
        expect(fs.existsSync(path.join(dir, "pwned"))).toBe(true);
        const survivors = () =>
          spawnSync("pgrep", ["-f", "sleep 77"], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
        const before = survivors();
        expect(before.length).toBeGreaterThan(0);
        for (const pid of before) process.kill(Number(pid), "SIGKILL");
        fs.rmSync(path.join(dir, "pwned"));
        const reg = findExercise("shell.fastcli");
        const r = await gradeExercise(
          reg,
          { kind: "file", path: file, label: "fast_cli.sh" },
          { root: ROOT, hidden: true },
        );
        expect(r.earned, JSON.stringify(r.tests.map((t) => t.message))).toBeGreaterThan(0); // the fix itself still works
        expect(fs.existsSync(path.join(dir, "pwned"))).toBe(false);
        expect(survivors()).toStrictEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

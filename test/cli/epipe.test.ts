/**
 * `wirelab … | head`: when the reader closes the pipe early, every command stops quietly (status
 * 141, 128 + SIGPIPE, like a C tool) instead of printing an EPIPE stack trace. The CLI is spawned
 * with stdout a pipe whose read end the test closes before the child writes anything.
 */
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { it, expect } from "vitest";
import { allCommands, BROKEN_PIPE_EXIT } from "../../src/cli/main";

const ROOT = path.resolve(__dirname, "..", "..");
// As bin/wirelab.js, but exit 300 ms after main returns, so the EPIPE event is delivered before the
// exit whatever the timing (bin/wirelab.js exits at once and wins that race only sometimes).
const ENTRY = `require("./src/cli/main").main(process.argv.slice(1)).then((c) => setTimeout(() => process.exit(c), 300))`;

/** Runs `wirelab ARGS` (the real main, under tsx) with stdout closed at once; resolves status and stderr. */
function runClosed(
  args: string[],
  argv0 = ["--import", "tsx", "-e", ENTRY],
): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [...argv0, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    c.stdout.destroy();
    let err = "";
    c.stderr.on("data", (d) => (err += d));
    c.on("error", reject);
    c.on("close", (code) => resolve({ code, err }));
  });
}

it("every command, stdout closed early: status 141, nothing on stderr", { timeout: 240_000 }, async () => {
  const runs: string[][] = allCommands().map((c) => [c.name, "--help"]);
  runs.push(["help"], ["dh", "groups"], ["exercises"], ["dlog", "2", "9", "11"], ["shell", "words", "a 'b c' d"]);
  for (let i = 0; i < runs.length; i += 4) {
    const batch = runs.slice(i, i + 4);
    const results = await Promise.all(batch.map((a) => runClosed(a)));
    results.forEach((r, j) => {
      const what = `wirelab ${batch[j]!.join(" ")}`;
      expect(r.err, `${what} printed: ${r.err}`).not.toMatch(/EPIPE|\n\s+at |Unhandled/);
      expect(r.code, `${what}: status ${r.code}, stderr ${r.err}`).toBe(BROKEN_PIPE_EXIT);
      expect(r.err, what).toBe("");
    });
  }
});

it("bin/wirelab.js itself, stdout closed early: no trace", { timeout: 240_000 }, async () => {
  for (const args of [
    ["dh", "groups", "--json"],
    ["exercises", "--json"],
  ]) {
    const r = await runClosed(args, ["bin/wirelab.js"]);
    const err = r.err.replace(/^wirelab: (building|installing)[^\n]*\n/gm, "");
    expect(err, err).toBe("");
    expect(r.code === BROKEN_PIPE_EXIT || r.code === 0, `status ${r.code}`).toBeTruthy();
  }
});

it("a real shell pipeline through bin/wirelab.js into head prints no trace", { timeout: 240_000 }, () => {
  const r = spawnSync(
    "bash",
    [
      "-c",
      'set -o pipefail; for i in 1 2 3; do node bin/wirelab.js exercises --json | head -c 100 >/dev/null; echo "status $?"; done',
    ],
    { cwd: ROOT, encoding: "utf8", timeout: 230_000 },
  );
  const err = r.stderr.replace(/^wirelab: (building|installing)[^\n]*\n/gm, "");
  expect(err, err).toBe("");
  for (const line of r.stdout.trim().split("\n")) expect(line).toMatch(new RegExp(`^status (0|${BROKEN_PIPE_EXIT})$`));
});

/** The CLI shell: help, unknown commands, one-line errors for bad input, `--` ends options. */
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { main } from "../../src/cli/main";
import type { CliIO } from "../../src/cli/types";

function io(): CliIO & { outText: string; errText: string } {
  const o = { outText: "", errText: "", root: path.resolve(__dirname, "..", ".."), out: (t: string) => void (o.outText += t + "\n"), err: (t: string) => void (o.errText += t + "\n") };
  return o;
}

test("help lists every command; unknown commands list the valid ones", { timeout: 60_000 }, async () => {
  const a = io();
  assert.equal(await main(["--help"], a), 0);
  for (const c of ["grade", "exercises", "run", "start", "doctor", "setup"]) assert.match(a.outText, new RegExp(`\\n  ${c} `));
  const b = io();
  assert.equal(await main(["nope"], b), 2);
  assert.match(b.errText, /unknown command "nope"\. Commands: .*grade/);
});

test("bad input is one clear line with exit code 2", { timeout: 60_000 }, async () => {
  const a = io();
  assert.equal(await main(["grade", "no.such"], a), 2);
  assert.match(a.errText, /^wirelab grade: no exercise matches \(got "no\.such"\)\. Give a topic/);
  assert.doesNotMatch(a.errText, /\n\s+at /);
  const b = io();
  assert.equal(await main(["grade", "--bogus"], b), 2);
  assert.match(b.errText, /Unknown option '--bogus'/);
});

test("--help after -- is an argument, not a help request", { timeout: 60_000 }, async () => {
  const a = io();
  await main(["exercises", "--", "--help"], a);
  assert.doesNotMatch(a.outText, /^Usage: wirelab exercises/);
});

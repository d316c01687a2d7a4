/** The CLI shell: help, unknown commands, one-line errors for bad input, `--` ends options. */
import * as path from "node:path";
import { it, expect } from "vitest";
import { main } from "../../src/cli/main";
import type { CliIO } from "../../src/cli/types";

function io(): CliIO & { outText: string; errText: string } {
  const o = {
    outText: "",
    errText: "",
    root: path.resolve(__dirname, "..", ".."),
    out: (t: string) => void (o.outText += t + "\n"),
    err: (t: string) => void (o.errText += t + "\n"),
  };
  return o;
}

it("help lists every command; unknown commands list the valid ones", { timeout: 60_000 }, async () => {
  const a = io();
  expect(await main(["--help"], a)).toBe(0);
  for (const c of ["grade", "exercises", "run", "start", "doctor", "setup"])
    expect(a.outText).toMatch(new RegExp(`\\n  ${c} `));
  const b = io();
  expect(await main(["nope"], b)).toBe(2);
  expect(b.errText).toMatch(/unknown command "nope"\. Commands: .*grade/);
});

it("bad input is one clear line with exit code 2", { timeout: 60_000 }, async () => {
  const a = io();
  expect(await main(["grade", "no.such"], a)).toBe(2);
  expect(a.errText).toMatch(/^wirelab grade: no exercise matches \(got "no\.such"\)\. Give a topic/);
  expect(a.errText).not.toMatch(/\n\s+at /);
  const b = io();
  expect(await main(["grade", "--bogus"], b)).toBe(2);
  expect(b.errText).toMatch(/Unknown option '--bogus'/);
});

it("--help after -- is an argument, not a help request", { timeout: 60_000 }, async () => {
  const a = io();
  await main(["exercises", "--", "--help"], a);
  expect(a.outText).not.toMatch(/^Usage: wirelab exercises/);
});

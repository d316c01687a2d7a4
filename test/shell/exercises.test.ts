import { gradesStubsZeroSolutionsFull } from "../helpers/grading";
import { it, expect } from "vitest";
import { exercises } from "../../src/shell/exercises";
import { PREDICT_LINES, PREDICT_ENV } from "../../src/shell/lab";
import { runBash } from "../../src/shell/bashrun";
import { oracle } from "../helpers/oracle";
import { words } from "../../src/shell/parse";
import { FASTCLI_VERSIONS } from "../../src/shell/lab";

gradesStubsZeroSolutionsFull("shell");

const skip = oracle("bash", ["bash", "-c", "exit 0"], "apt-get install bash");

it("the predict lines' expected words are bash's own", { timeout: 20000 }, (ctx) => {
  if (skip) ctx.skip(skip);
  const got = runBash(PREDICT_LINES.map((l) => ({ line: "f " + l, vars: PREDICT_ENV.vars })));
  PREDICT_LINES.forEach((l, i) => expect(got[i]!.calls, l).toStrictEqual([words(l, PREDICT_ENV)[0]!]));
});

it("wrong answers fail with a message that teaches", { timeout: 120000 }, async () => {
  const byId = new Map(exercises.map((e) => [e.id, e]));
  const q1 = byId.get("shell.quote-one")!;
  const naive = { quoteWord: (s: string) => `"${s}"` };
  const r = await q1.public[1]!.run(naive, undefined as never);
  expect(typeof r === "object" && r.pass).toBe(false);
  expect((r as { message: string }).message).toMatch(/\$HOME|reads back/);
  const fix = byId.get("shell.fastcli")!;
  for (const v of ["original", "blog"]) {
    const out = await fix.public[1]!.run(FASTCLI_VERSIONS[v]!, undefined as never);
    expect(typeof out === "object" && out.pass, v).toBe(false);
  }
  for (const v of ["argument", "atQ"]) {
    for (const t of [...fix.public, ...fix.hidden]) {
      const out = await t.run(FASTCLI_VERSIONS[v]!, undefined as never);
      expect(typeof out === "object" && out.pass, `${v}: ${t.name}: ${JSON.stringify(out)}`).toBe(true);
    }
  }
  const pred = byId.get("shell.words")!;
  const wrong = await pred.public[0]!.run([["printf", "%s\\n", "a  b", "a  b", "$x"], [], [], []], undefined as never);
  expect((wrong as { message: string }).message).toMatch(/word 3/);
});

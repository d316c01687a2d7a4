/** `wirelab shell …` commands, called in-process with a captured io. */
import { it, expect } from "vitest";
import { commands } from "../../src/shell/cli";
import { runCli } from "../helpers/cli";
import { oracle } from "../helpers/oracle";
import { UnsupportedError } from "../../src/util/errors";

const skip = oracle("bash", ["bash", "-c", "exit 0"], "apt-get install bash");

const run = (args: string[]) => runCli(commands[0]!, args);

it("shell words: text and --json, with --var and --arg", { timeout: 10000 }, async () => {
  const r = await run(["words", `printf '%s\\n' $x "$x" "$1" | cat`, "--var", "x=a b", "--arg", "p q"]);
  expect(r.code).toBe(0);
  expect(r.out).toBe(`1: "printf" "%s\\\\n" "a" "b" "a b" "p q"  |\n2: "cat"\n`);
  const j = JSON.parse((await run(["words", "--json", "--var", "IFS=:", "--var", "x=a:b", "f $x"])).out);
  expect(j.commands[0].argv).toStrictEqual(["f", "a", "b"]);
});

it("shell quote: levels, posix, several strings", { timeout: 10000 }, async () => {
  expect((await run(["quote", "--", "it's", "a b", ""])).out).toBe(`"it's" 'a b' ''\n`);
  expect((await run(["quote", "--levels", "2", "--", "$x"])).out).toBe(`\\''$x'\\'\n`);
  expect((await run(["quote", "--posix", "--", "a\nb"])).out).toBe(`'a\nb'\n`);
  await expect(run(["quote", "--levels", "x", "--", "a"])).rejects.toThrow(/--levels needs an integer/);
});

it("shell explain and levels", { timeout: 10000 }, async () => {
  const e = await run(["explain", `echo "$x" $x # c`, "--var", "x=1 2"]);
  expect(e.out).toMatch(/argv 1: \["echo", "1 2", "1", "2"\]/);
  expect((await run(["explain", "--html", "echo 'a'"])).out).toMatch(/<span title=/);
  const l = await run(["levels", `docker exec "$1" bash -c "echo -e $c | FastCli"`, "--var", "c=it's", "--arg", "sw1"]);
  expect(l.out).toMatch(/level 1: bash \(bash -c\) parses "echo -e it's \| FastCli"/);
  expect(l.out).toMatch(/SYNTAX ERROR: unterminated single quote/);
  await expect(run(["words", "echo $(date)"])).rejects.toSatisfy(
    (e: unknown) => e instanceof UnsupportedError && /column 6|:1:6/.test(e.message),
  );
  expect((await run(["nope"])).code).toBe(2);
});

it("shell sandbox runs the lab playground", { timeout: 30000 }, async (ctx) => {
  if (skip) ctx.skip(skip);
  const r = await run(["sandbox", "labs/shell/playground.sh"]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/docker exec sp01 > +FastCli/);
  expect(r.out).toMatch(/ssh jump1 > docker exec sp02 > +FastCli/);
  expect(r.out).toMatch(/exit status 0/);
});

/** `wirelab shell …` commands, called in-process with a captured io. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { commands } from "../../src/shell/cli";
import { runCli } from "../helpers/cli";
import { oracle } from "../helpers/oracle";
import { UnsupportedError } from "../../src/util/errors";

const skip = oracle("bash", ["bash", "-c", "exit 0"], "apt-get install bash");

const run = (args: string[]) => runCli(commands[0]!, args);

test("shell words: text and --json, with --var and --arg", { timeout: 10000 }, async () => {
  const r = await run(["words", `printf '%s\\n' $x "$x" "$1" | cat`, "--var", "x=a b", "--arg", "p q"]);
  assert.equal(r.code, 0);
  assert.equal(r.out, `1: "printf" "%s\\\\n" "a" "b" "a b" "p q"  |\n2: "cat"\n`);
  const j = JSON.parse((await run(["words", "--json", "--var", "IFS=:", "--var", "x=a:b", "f $x"])).out);
  assert.deepEqual(j.commands[0].argv, ["f", "a", "b"]);
});

test("shell quote: levels, posix, several strings", { timeout: 10000 }, async () => {
  assert.equal((await run(["quote", "--", "it's", "a b", ""])).out, `"it's" 'a b' ''\n`);
  assert.equal((await run(["quote", "--levels", "2", "--", "$x"])).out, `\\''$x'\\'\n`);
  assert.equal((await run(["quote", "--posix", "--", "a\nb"])).out, `'a\nb'\n`);
  await assert.rejects(run(["quote", "--levels", "x", "--", "a"]), /--levels needs an integer/);
});

test("shell explain and levels", { timeout: 10000 }, async () => {
  const e = await run(["explain", `echo "$x" $x # c`, "--var", "x=1 2"]);
  assert.match(e.out, /argv 1: \["echo", "1 2", "1", "2"\]/);
  assert.match((await run(["explain", "--html", "echo 'a'"])).out, /<span title=/);
  const l = await run(["levels", `docker exec "$1" bash -c "echo -e $c | FastCli"`, "--var", "c=it's", "--arg", "sw1"]);
  assert.match(l.out, /level 1: bash \(bash -c\) parses "echo -e it's \| FastCli"/);
  assert.match(l.out, /SYNTAX ERROR: unterminated single quote/);
  await assert.rejects(run(["words", "echo $(date)"]), (e: unknown) => e instanceof UnsupportedError && /column 6|:1:6/.test(e.message));
  assert.equal((await run(["nope"])).code, 2);
});

test("shell sandbox runs the lab playground", { skip, timeout: 30000 }, async () => {
  const r = await run(["sandbox", "labs/shell/playground.sh"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /docker exec sp01 > +FastCli/);
  assert.match(r.out, /ssh jump1 > docker exec sp02 > +FastCli/);
  assert.match(r.out, /exit status 0/);
});

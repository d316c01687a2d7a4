/**
 * levels() ("what does each shell see") against real bash running through fake docker, ssh and
 * FastCli (src/shell/lab.ts), and the four fast_cli versions of "Bash: shell quoting" run for real.
 */
import { it, expect } from "vitest";
import { oracle } from "../helpers/oracle";
import { levels, shellDashC, unwrap } from "../../src/shell/levels";
import { runSandbox, runFastCli, FASTCLI_VERSIONS } from "../../src/shell/lab";
import { quote, nestCommand } from "../../src/shell/quote";
import { randomString } from "../../src/shell/gen";
import { Rng } from "../../src/util/rng";

const skip = oracle("bash", ["bash", "-c", "exit 0"], "apt-get install bash");

/** argv of every docker/ssh/FastCli call levels() predicts, in order. */
function predicted(line: string): string[][] {
  const out: string[][] = [];
  for (const lv of levels(line))
    for (const c of lv.calls) if (["docker", "ssh", "FastCli"].includes(c.argv[0]!)) out.push(c.argv);
  return out;
}

it(
  "levels() predicts the argv real bash hands to docker, ssh and FastCli (60 random payloads)",
  { timeout: 120000 },
  (ctx) => {
    if (skip) ctx.skip(skip);
    const rng = new Rng(7);
    const shapes: string[][][] = [
      [["docker", "exec", "sw1", "bash", "-c"]],
      [
        ["ssh", "-p", "22", "r1"],
        ["docker", "exec", "-i", "sw1", "bash", "-c"],
      ],
      [
        ["bash", "-c"],
        ["ssh", "r1"],
      ],
    ];
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      const s = randomString(rng, 10);
      lines.push(nestCommand(["FastCli", "-p15", s], shapes[i % shapes.length]!));
    }
    // One sandbox run for all lines: each on its own line of the script.
    const r = runSandbox(lines.join("\n") + "\n");
    const real = r.calls.map((c) => c.argv);
    const model = lines.flatMap(predicted);
    expect(
      real.length,
      `bash made ${real.length} calls, levels() predicts ${model.length}; stderr: ${r.stderr.slice(0, 300)}`,
    ).toBe(model.length);
    model.forEach((m, i) => expect(m, `call ${i}`).toStrictEqual(real[i]));
  },
);

it("the post's fast_cli: levels() shows what the container's bash parses", { timeout: 10000 }, () => {
  const vars = { commands: "configure\\n description it's mine\\n end" };
  const orig = levels(`docker exec "\${1}" bash -c "echo -e \${commands} | FastCli -p15 -e"`, {
    vars,
    positional: ["sw1"],
  });
  expect(orig[1]!.script).toBe("echo -e configure\\n description it's mine\\n end | FastCli -p15 -e");
  expect(orig[1]!.error?.kind, "the ' in the text leaves an unterminated quote in the inner script").toBe("syntax");
  const arg = levels(`docker exec "\${1}" bash -c 'echo -e "$1" | FastCli -p15 -e' _ "$commands"`, {
    vars,
    positional: ["sw1"],
  });
  expect(arg[1]!.positional).toStrictEqual([vars.commands]);
  expect(arg[1]!.calls[0]!.argv).toStrictEqual(["echo", "-e", vars.commands]);
  expect(shellDashC(["bash", "-ec", "s", "n", "a"])).toStrictEqual({
    script: "s",
    name: "n",
    args: ["a"],
    shell: "bash",
  });
  expect(unwrap(["ssh", "-i", "k", "h", "a", "b c"])).toStrictEqual({ kind: "ssh", host: "h", command: "a b c" });
});

it("fast_cli for real: only the argument and @Q versions deliver every text intact", { timeout: 60000 }, (ctx) => {
  if (skip) ctx.skip(skip);
  const texts = [
    "configure\\n hostname sp01\\n end\\n write",
    "configure\\n description it's mine\\n end",
    'banner motd "hi"\\n$HOME `id`',
    "a  b\\tc",
  ];
  for (const t of texts) {
    for (const [v, f] of Object.entries(FASTCLI_VERSIONS)) {
      const r = runFastCli(f, t, v);
      if (v === "argument" || v === "atQ")
        expect(r.ok, `${v} failed on ${JSON.stringify(t)}: got ${JSON.stringify(r.received)}`).toBeTruthy();
    }
  }
  // The post's value carries shell quotes: the original "works", the blog's turns them into data.
  const seedValue = '"configure\\n hostname sp01\\n end\\n write\\n"';
  const meant = "configure\\n hostname sp01\\n end\\n write\\n";
  expect(runFastCli(FASTCLI_VERSIONS.original!, seedValue, "original", meant).ok).toBeTruthy();
  const blog = runFastCli(FASTCLI_VERSIONS.blog!, seedValue, "blog", meant);
  expect(blog.ok).toBe(false);
  expect(blog.received!.split("\n")[0]).toBe('"configure');
  // A ' in the text breaks both the original and the blog's version.
  for (const v of ["original", "blog"])
    expect(runFastCli(FASTCLI_VERSIONS[v]!, "description it's\\n", v).received).toBe(undefined);
  // Quote for two levels by hand works too.
  const t = 'description it\'s "x"';
  const r = runSandbox(`docker exec sw1 bash -c ${quote("echo " + quote(t) + " | FastCli")}`);
  expect(r.calls.find((c) => c.program === "FastCli")!.stdin).toBe(t + "\n");
});

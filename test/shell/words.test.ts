/**
 * The word parser against real bash 5.2: seeded random command lines with variables set, IFS
 * default and custom, positional parameters, operators and redirections. For every case the
 * parser either refuses (UnsupportedError) or gives exactly bash's argv. Zero disagreements.
 */
import { it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { oracle } from "../helpers/oracle";
import { runBash, type BashCase } from "../../src/shell/bashrun";
import { randomCases } from "../../src/shell/gen";
import { words, parse, expandLine } from "../../src/shell/parse";
import { ParseError, UnsupportedError } from "../../src/util/errors";

const skip = oracle("bash", ["bash", "-c", "exit 0"], "apt-get install bash");

/** The model's answer in the oracle's shape: argv of each `f` call, without "f". */
function model(c: BashCase): string[][] {
  return words(c.line, c)
    .filter((w) => w[0] === "f")
    .map((w) => w.slice(1));
}

function differential(cases: BashCase[]) {
  const got = runBash(cases);
  let agree = 0;
  let refused = 0;
  const bad: string[] = [];
  cases.forEach((c, i) => {
    let m: string[][];
    try {
      m = model(c);
    } catch (e) {
      if (e instanceof UnsupportedError) {
        refused++;
        return;
      }
      if (e instanceof ParseError) {
        // A syntax error: bash must reject the line too (nothing runs).
        if (got[i]!.calls.length === 0) agree++;
        else bad.push(`${JSON.stringify(c)}\n   bash ran it: ${JSON.stringify(got[i]!.calls)}\n   model: ${e.message}`);
        return;
      }
      throw new Error(`model threw ${String(e)} on ${JSON.stringify(c)}`);
    }
    if (JSON.stringify(m) === JSON.stringify(got[i]!.calls)) agree++;
    else bad.push(`${JSON.stringify(c)}\n   bash:  ${JSON.stringify(got[i]!.calls)}\n   model: ${JSON.stringify(m)}`);
  });
  return { agree, refused, bad };
}

for (const seed of [101, 202, 303, 404]) {
  it(`random lines, seed ${seed}: 1000 cases, zero disagreements`, { timeout: 60000 }, (ctx) => {
    if (skip) ctx.skip(skip);
    const r = differential(randomCases(seed, 1000));
    expect(r.bad.length, `${r.bad.length} disagreements, first:\n${r.bad.slice(0, 3).join("\n")}`).toBe(0);
    expect(
      r.agree >= 850,
      `only ${r.agree} of 1000 compared (refused ${r.refused}): the generator drifted toward unsupported constructs`,
    ).toBeTruthy();
  });
}

it("the generator is honest: every dangerous character class shows up", { timeout: 10000 }, () => {
  const cases = randomCases(101, 1000);
  const text = cases.map((c) => c.line + Object.values(c.vars ?? {}).join("") + (c.positional ?? []).join("")).join("");
  const need: Record<string, RegExp> = {
    "single quote": /'/,
    "double quote": /"/,
    dollar: /\$/,
    backslash: /\\/,
    newline: /\n/,
    tab: /\t/,
    "non-ASCII": /[^\x00-\x7f]/,
    "control character": /[\x01-\x08\x0b-\x1f\x7f]/,
    "ANSI-C $'": /\$'/,
    '"$@"': /"\$@"|\$\{@\}/,
    "custom IFS": /./,
  };
  for (const [name, re] of Object.entries(need)) expect(text, `no ${name} in the generated cases`).toMatch(re);
  expect(
    cases.some((c) => c.vars?.IFS !== undefined && c.vars.IFS !== " \t\n"),
    "custom IFS",
  ).toBeTruthy();
  expect(
    cases.some((c) => c.vars?.IFS === ""),
    "empty IFS",
  ).toBeTruthy();
  expect(
    cases.some((c) => Object.values(c.vars ?? {}).includes("")),
    "empty values",
  ).toBeTruthy();
  expect(
    cases.some((c) => /(^|\s)-/.test(c.line)),
    "leading dashes",
  ).toBeTruthy();
});

/** Hand-picked lines, including every bash quirk found by the random tests. */
const HAND: BashCase[] = [
  { line: `f $x "$x" '$x' \\$x`, vars: { x: " a  b " } },
  { line: `f ""$x""`, vars: { x: " a " } },
  { line: `f $x`, vars: { x: "a::b:", IFS: ":" } },
  { line: `f $x`, vars: { x: " : a", IFS: ": " } },
  { line: `f $@ $* "$*"`, vars: { IFS: ": " }, positional: [" : a"] },
  { line: `f $@`, vars: { IFS: ":" }, positional: ["a:", "b"] },
  { line: `f "$@" "a$@b" $@ "$*" $*`, positional: ["x y", "", "z"] },
  { line: `f "$@" """$@" "$e$@" "$@"'' "\${@}" $@`, vars: { e: "" }, positional: [] },
  { line: `f $x$ $x$,$x \${*}$`, vars: { x: "1 2" }, positional: ["p q"] },
  { line: `f $x "\${x}" \${x@Q} "\${x@Q}" \${u@Q}`, vars: { x: "it's\n" } },
  { line: `f $'a\\tb\\x41\\101\\u00e9\\cA\\q' "a\\$b\\"c\\\\d\\e"` },
  { line: `x='a b'; f $x; x=1 f $x; f $x && f "$x" # done` },
  { line: `f a\\\n b 2>/dev/null c </dev/null\nf d` },
  { line: `f $x | cat; f "$#" $# $1 "\${2}"`, vars: { x: "p  q" }, positional: ["a", "b c"] },
  { line: `f $x`, vars: { x: "a\tb\nc", IFS: "\t" } },
  { line: `f $x$y`, vars: { x: "a ", y: " b" } },
  { line: `f $x`, vars: { x: "\x01\x7f a \x01" } },
];

it("hand-picked lines and the bash quirks agree with bash", { timeout: 30000 }, (ctx) => {
  if (skip) ctx.skip(skip);
  const r = differential(HAND);
  expect(r.refused, "no hand-picked line should be refused").toBe(0);
  expect(r.bad.length, r.bad.join("\n")).toBe(0);
});

it("syntax errors: the parser and bash both reject", { timeout: 30000 }, (ctx) => {
  if (skip) ctx.skip(skip);
  const bad = [`f 'abc`, `f "abc`, `f $'abc`, `f a |`, `| f`, `f a &&`, `f >`, `f ; ; f`];
  const got = runBash(bad.map((line) => ({ line })));
  bad.forEach((line, i) => {
    expect(() => words(line), line).toThrow(ParseError);
    expect(got[i]!.calls, `bash ran ${JSON.stringify(line)}`).toStrictEqual([]);
  });
});

it("unsupported constructs are refused with their position, never guessed", { timeout: 10000 }, () => {
  const cases: Array<[string, RegExp, number]> = [
    ["echo $(date)", /command substitution/, 6],
    ["echo `date`", /backquotes/, 6],
    ["echo $((1+2))", /arithmetic/, 6],
    ["echo *.txt", /glob/, 6],
    ["echo a{b,c}", /brace/, 7],
    ["echo ~/x", /tilde/, 6],
    ["cat <<EOF", /here-doc/, 5],
    ["(cd /tmp)", /subshell/, 1],
    ["if true; then echo; fi", /reserved word/, 1],
    ["echo ${x:-d}", /parameter expansion/, 6],
    ["echo $?", /special parameter/, 6],
    ["diff <(ls) x", /process substitution/, 6],
  ];
  for (const [line, re, col] of cases) {
    expect(
      thrownBy(() => words(line)),
      line,
    ).toSatisfy(
      (e: unknown) => e instanceof UnsupportedError && re.test(e.message) && e.details.location?.column === col,
    );
  }
  // A glob character coming out of an unquoted expansion is refused too.
  expect(() => words("echo $x", { vars: { x: "*" } })).toThrow(/pathname expansion/);
  expect(words(`echo "$x"`, { vars: { x: "*" } })).toStrictEqual([["echo", "*"]]);
  // bash 5.2 mangles multibyte IFS characters in "$*" and $@: refused.
  expect(() => words(`echo "$*"`, { vars: { IFS: "中 " }, positional: ["p中q", "r"] })).toThrow(/non-ASCII/);
});

it("spans say how each character is quoted", { timeout: 5000 }, () => {
  const p = parse(`a'b c'"d$x"\\e`);
  const w = p.tokens[0]!;
  expect(w.type).toBe("word");
  if (w.type !== "word") return;
  expect(w.spans.map((s) => [s.kind, s.source])).toStrictEqual([
    ["plain", "a"],
    ["quote", "'"],
    ["single", "b c"],
    ["quote", "'"],
    ["quote", '"'],
    ["double", "d"],
    ["param-quoted", "$x"],
    ["quote", '"'],
    ["escape", "\\e"],
  ]);
  const ex = expandLine(`2>err f x >>out <<<"$y"`, { vars: { y: "a b" } });
  expect(ex.commands[0]!.redirects).toStrictEqual([
    { op: ">", fd: 2, target: "err" },
    { op: ">>", fd: undefined, target: "out" },
    { op: "<<<", fd: undefined, target: "a b" },
  ]);
});

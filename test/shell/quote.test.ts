/**
 * quote() against real bash 5.2: seeded random strings round-trip through 1, 2 and 3 shells
 * (nested `bash -c`, and `sh -c` with the POSIX form), and quote(s, {levels: n}) text glued to a
 * command prefix survives n shells. Zero disagreements allowed.
 */
import { it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { oracle } from "../helpers/oracle";
import { runBash, type BashCase } from "../../src/shell/bashrun";
import { randomString } from "../../src/shell/gen";
import { quote, quoteArgv, nestCommand, singleQuote, ansiCQuote } from "../../src/shell/quote";
import { words } from "../../src/shell/parse";
import { Rng } from "../../src/util/rng";
import { InputError } from "../../src/util/errors";

const skip = oracle("bash", ["bash", "-c", "exit 0"], "apt-get install bash");
const shSkip = skip ?? oracle("sh", ["sh", "-c", "exit 0"], "apt-get install dash");

function strings(seed: number, n: number): string[] {
  const rng = new Rng(seed);
  const out = [
    "",
    "-n",
    "--",
    "-e",
    "'",
    "''",
    '"',
    "\\",
    "$HOME",
    "a b",
    "\n",
    "\t",
    "é",
    "😀",
    "!",
    "~",
    "#",
    "x=1",
    "*",
    "\x01",
    "\x7f",
    "it's",
    "\u0085",
  ];
  while (out.length < n) out.push(randomString(rng, 16));
  return out;
}

/** Compares each case's single f/printf call with the expected argv. */
function expectAll(cases: BashCase[], expected: string[][], label: string): void {
  const got = runBash(cases);
  const bad: string[] = [];
  got.forEach((g, i) => {
    if (JSON.stringify(g.calls) !== JSON.stringify([expected[i]]))
      bad.push(`${JSON.stringify(cases[i]!.line)} → ${JSON.stringify(g.calls)}, want ${JSON.stringify(expected[i])}`);
  });
  expect(bad.length, `${label}: ${bad.length} of ${cases.length} disagree, first: ${bad.slice(0, 3).join("\n")}`).toBe(
    0,
  );
}

it("quote(s) round-trips through bash for 1500 random strings (8 per line)", { timeout: 60000 }, (ctx) => {
  if (skip) ctx.skip(skip);
  const ss = strings(11, 1500);
  const cases: BashCase[] = [];
  const exp: string[][] = [];
  for (let i = 0; i < ss.length; i += 8) {
    const chunk = ss.slice(i, i + 8);
    cases.push({ line: "f " + chunk.map((s) => quote(s)).join(" ") });
    exp.push(chunk);
  }
  expectAll(cases, exp, "1 level");
});

it("our own parser agrees: words(quote(s)) gives s back", { timeout: 20000 }, () => {
  for (const s of strings(12, 1500)) expect(words("f " + quote(s)), JSON.stringify(s)).toStrictEqual([["f", s]]);
});

it("nestCommand: 2 and 3 shells of bash -c, and sh -c layers, round-trip 600 strings", { timeout: 90000 }, (ctx) => {
  if (shSkip) ctx.skip(shSkip);
  const ss = strings(13, 600);
  const layerSets: string[][][] = [
    [["bash", "-c"]],
    [
      ["bash", "-c"],
      ["bash", "-c"],
    ],
    [["sh", "-c"]],
    [
      ["bash", "-c"],
      ["sh", "-c"],
    ],
  ];
  const cases: BashCase[] = [];
  const exp: string[][] = [];
  ss.forEach((s, i) => {
    const layers = layerSets[i % layerSets.length]!;
    // sh (dash) has no exported functions: use printf with the count written in.
    const usesSh = layers.some((l) => l[0] === "sh");
    const argv = usesSh ? ["printf", "%s\\0", "1", s] : ["f", s];
    cases.push({ line: nestCommand(argv, layers) });
    exp.push([s]);
  });
  expectAll(cases, exp, "nested");
});

it(
  "quote(s, {levels: n}) survives n = 1, 2, 3 shells (prefix + quoted text glued into one word)",
  { timeout: 90000 },
  (ctx) => {
    if (skip) ctx.skip(skip);
    const ss = strings(14, 900);
    const cases: BashCase[] = [];
    const exp: string[][] = [];
    ss.forEach((s, i) => {
      const n = 1 + (i % 3);
      let prefix = "f ";
      for (let k = 1; k < n; k++) prefix = "bash -c " + quote(prefix);
      cases.push({ line: prefix + quote(s, { levels: n }) });
      exp.push([s]);
    });
    expectAll(cases, exp, "levels");
  },
);

it("readable forms", { timeout: 5000 }, () => {
  expect(quote("simple-word_1.txt")).toBe("simple-word_1.txt");
  expect(quote("")).toBe("''");
  expect(quote("a b")).toBe("'a b'");
  expect(quote("it's")).toBe(`"it's"`);
  expect(quote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  expect(quote("a\nb")).toBe("$'a\\nb'");
  expect(quote("a\nb", { posix: true })).toBe("'a\nb'");
  expect(quote("x=1"), "an assignment-looking word is quoted").toBe("'x=1'");
  expect(quote("-n"), "a leading dash needs no quoting (it is the program that reads options)").toBe("-n");
  expect(singleQuote("'a'")).toBe("\\''a'\\'");
  expect(ansiCQuote("\x01'\\")).toBe("$'\\x01\\'\\\\'");
  expect(quote("$x", { levels: 2 })).toBe(`\\''$x'\\'`);
  expect(quoteArgv(["echo", "a b", ""])).toBe("echo 'a b' ''");
});

it("NUL and lone surrogates are refused with the offset", { timeout: 5000 }, () => {
  expect(thrownBy(() => quote("ab\0c"))).toSatisfy(
    (e: unknown) => e instanceof InputError && /NUL/.test(e.message) && /byte offset 2/.test(e.message),
  );
  expect(thrownBy(() => quote("a\ud800"))).toSatisfy(
    (e: unknown) => e instanceof InputError && /surrogate/.test(e.message),
  );
  expect(() => quote("a", { levels: -1 })).toThrow(InputError);
});

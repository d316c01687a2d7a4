/**
 * quote() against real bash 5.2: seeded random strings round-trip through 1, 2 and 3 shells
 * (nested `bash -c`, and `sh -c` with the POSIX form), and quote(s, {levels: n}) text glued to a
 * command prefix survives n shells. Zero disagreements allowed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
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
  const out = ["", "-n", "--", "-e", "'", "''", '"', "\\", "$HOME", "a b", "\n", "\t", "é", "😀", "!", "~", "#", "x=1", "*", "\x01", "\x7f", "it's", "\u0085"];
  while (out.length < n) out.push(randomString(rng, 16));
  return out;
}

/** Compares each case's single f/printf call with the expected argv. */
function expectAll(cases: BashCase[], expected: string[][], label: string): void {
  const got = runBash(cases);
  const bad: string[] = [];
  got.forEach((g, i) => {
    if (JSON.stringify(g.calls) !== JSON.stringify([expected[i]])) bad.push(`${JSON.stringify(cases[i]!.line)} → ${JSON.stringify(g.calls)}, want ${JSON.stringify(expected[i])}`);
  });
  assert.equal(bad.length, 0, `${label}: ${bad.length} of ${cases.length} disagree, first: ${bad.slice(0, 3).join("\n")}`);
}

test("quote(s) round-trips through bash for 1500 random strings (8 per line)", { skip, timeout: 60000 }, () => {
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

test("our own parser agrees: words(quote(s)) gives s back", { timeout: 20000 }, () => {
  for (const s of strings(12, 1500)) assert.deepEqual(words("f " + quote(s)), [["f", s]], JSON.stringify(s));
});

test("nestCommand: 2 and 3 shells of bash -c, and sh -c layers, round-trip 600 strings", { skip: shSkip, timeout: 90000 }, () => {
  const ss = strings(13, 600);
  const layerSets: string[][][] = [[["bash", "-c"]], [["bash", "-c"], ["bash", "-c"]], [["sh", "-c"]], [["bash", "-c"], ["sh", "-c"]]];
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

test("quote(s, {levels: n}) survives n = 1, 2, 3 shells (prefix + quoted text glued into one word)", { skip, timeout: 90000 }, () => {
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
});

test("readable forms", { timeout: 5000 }, () => {
  assert.equal(quote("simple-word_1.txt"), "simple-word_1.txt");
  assert.equal(quote(""), "''");
  assert.equal(quote("a b"), "'a b'");
  assert.equal(quote("it's"), `"it's"`);
  assert.equal(quote("it's $HOME"), `'it'\\''s $HOME'`);
  assert.equal(quote("a\nb"), "$'a\\nb'");
  assert.equal(quote("a\nb", { posix: true }), "'a\nb'");
  assert.equal(quote("x=1"), "'x=1'", "an assignment-looking word is quoted");
  assert.equal(quote("-n"), "-n", "a leading dash needs no quoting (it is the program that reads options)");
  assert.equal(singleQuote("'a'"), "\\''a'\\'");
  assert.equal(ansiCQuote("\x01'\\"), "$'\\x01\\'\\\\'");
  assert.equal(quote("$x", { levels: 2 }), `\\''$x'\\'`);
  assert.equal(quoteArgv(["echo", "a b", ""]), "echo 'a b' ''");
});

test("NUL and lone surrogates are refused with the offset", { timeout: 5000 }, () => {
  assert.throws(() => quote("ab\0c"), (e: unknown) => e instanceof InputError && /NUL/.test(e.message) && /byte offset 2/.test(e.message));
  assert.throws(() => quote("a\ud800"), (e: unknown) => e instanceof InputError && /surrogate/.test(e.message));
  assert.throws(() => quote("a", { levels: -1 }), InputError);
});

/**
 * Seeded generators of awkward strings and bash command lines for the differential tests and the
 * benchmark. The generator is deliberately nasty: every kind of quote, $, backslashes, newlines,
 * tabs, empty strings, non-ASCII text, control characters, IFS characters, leading dashes, "$@".
 * It never produces NUL (a bash string cannot hold it; tests check that case separately).
 * Two corners where bash surprises are produced on purpose: arguments and assignments with a tilde
 * after `=` or `:` (`f x=~/a y=a:~`, expanded by bash 5.2), and lines that end in backslashes
 * after backslash-newlines (`f \<newline>\<newline>\`, where bash's string reader decides).
 *
 * Uses the xoshiro128** `Rng` of src/util/rng.ts, so a seed reproduces a failure exactly.
 */
import { Rng } from "../util/rng";
import type { BashCase } from "./bashrun";

const LETTERS = "abcxyzABC019_";
const PUNCT = "-.,:=@%+/^!]}";
const SPECIAL = " \t\n'\"`$\\|&;<>(){}[]*?~#=!";
const CONTROL = ["\x01", "\x02", "\x07", "\b", "\x0b", "\x0c", "\r", "\x1b", "\x1f", "\x7f"];
const NONASCII = ["é", "ß", "λ", "中", "😀", "─", "«", "\u00a0", "\u0085", "\u2028", "ü"];

/** One random character from the classes above, weighted toward the dangerous ones. */
export function randomChar(rng: Rng): string {
  const k = rng.int(0, 99);
  if (k < 35) return rng.pick([...LETTERS]);
  if (k < 45) return rng.pick([...PUNCT]);
  if (k < 75) return rng.pick([...SPECIAL]);
  if (k < 87) return rng.pick(CONTROL);
  return rng.pick(NONASCII);
}

/** A random string (maybe empty, maybe with a leading dash). */
export function randomString(rng: Rng, maxLen = 12): string {
  const k = rng.int(0, 19);
  if (k === 0) return "";
  let s = "";
  const n = rng.int(1, maxLen);
  for (let i = 0; i < n; i++) s += randomChar(rng);
  if (k === 1) s = "-" + s;
  if (k === 2) s = "--" + s.replace(/[^a-z]/g, "") + "=" + s;
  return s;
}

const NAMES = ["a", "b", "x", "y", "e", "u"];

function randomParam(rng: Rng, quoted: boolean): string {
  const k = rng.int(0, 15);
  const name = rng.pick(NAMES);
  if (k < 5) return "$" + name;
  if (k < 8) return "${" + name + "}";
  if (k === 8) return "$" + rng.pick(["1", "2", "3"]);
  if (k === 9) return rng.pick(["$@", "${@}"]);
  if (k === 10) return rng.pick(["$*", "${*}"]);
  if (k === 11) return "$#";
  if (k === 12) return "${" + name + "@Q}";
  if (k === 13) return "${1" + rng.pick(["", "0"]) + "}";
  return quoted ? "$" + rng.pick(["", " ", "'", "%"]) : "$" + rng.pick(["%", ".", ","]);
}

/** Text inside "…": literal characters (escaped where needed), \x pairs, parameters. */
function doubleBody(rng: Rng): string {
  let out = "";
  const n = rng.int(0, 5);
  for (let i = 0; i < n; i++) {
    const k = rng.int(0, 9);
    if (k < 5) {
      const c = randomChar(rng);
      out += c === '"' || c === "\\" || c === "$" || c === "`" ? "\\" + c : c;
    } else if (k < 8) out += randomParam(rng, true);
    else if (k === 8) out += "\\" + rng.pick(["a", "n", "'", " ", "!", "é"]);
    else if (!/\$[A-Za-z0-9_@*#]$|}$/.test(out) || rng.int(0, 9) === 0) out += "\\\n";
  }
  return '"' + out + '"';
}

function ansiBody(rng: Rng): string {
  let out = "";
  const n = rng.int(0, 5);
  for (let i = 0; i < n; i++) {
    const k = rng.int(0, 9);
    if (k < 4) {
      const c = randomChar(rng);
      out += c === "'" || c === "\\" ? "\\" + c : c;
    } else {
      out += rng.pick([
        "\\n",
        "\\t",
        "\\e",
        "\\a",
        "\\x41",
        "\\x7",
        "\\101",
        "\\7",
        "\\u00e9",
        "\\u4e2d",
        "\\U0001F600",
        "\\cA",
        "\\c?",
        "\\q",
        "\\'",
        '\\"',
        "\\?",
        "\\\\",
        "\\x",
        "\\E",
      ]);
    }
  }
  return "$'" + out + "'";
}

/** One random word: a concatenation of quoted and unquoted parts. */
export function randomWord(rng: Rng): string {
  let w = "";
  let afterParam = false;
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    let k = rng.int(0, 13);
    // "$x\<newline>y" is refused by the parser (bash reads it as $xy): keep such cases rare.
    if (k === 13 && afterParam && rng.int(0, 9) > 0) k = 0;
    afterParam = k >= 10 && k < 13;
    if (k < 3) {
      let t = "";
      const m = rng.int(1, 4);
      for (let j = 0; j < m; j++) t += rng.pick([...(LETTERS + PUNCT), ...NONASCII.slice(0, 5)]);
      w += t;
    } else if (k < 5) w += "\\" + rng.pick([...SPECIAL, ...LETTERS, ...CONTROL, "é"]);
    else if (k < 7) w += "'" + randomString(rng, 8).replace(/'/g, "") + "'";
    else if (k < 9) w += doubleBody(rng);
    else if (k < 10) w += ansiBody(rng);
    else if (k < 13) w += randomParam(rng, false);
    else w += "\\\n";
  }
  return w;
}

/** A value for a test variable: often containing IFS characters. */
export function randomValue(rng: Rng): string {
  const k = rng.int(0, 9);
  if (k === 0) return "";
  if (k < 4) {
    const parts: string[] = [];
    const n = rng.int(1, 4);
    for (let i = 0; i < n; i++) parts.push(rng.pick(["a", "b c", "", "-n", "é", "x\ty", "it's", '"q"', "\\n", "$y"]));
    return parts.join(rng.pick([" ", "  ", "\t", ":", " : ", "\n", ",", "::"]));
  }
  return randomString(rng, 10).replace(/[*?[]/g, "");
}

const IFS_CHOICES: Array<string | undefined> = [
  undefined,
  undefined,
  undefined,
  " \t\n",
  ":",
  ": ",
  " :",
  ",",
  "",
  "\t",
  "-_",
  "a",
];

const HOMES = ["/home/u", "/h o", "", "/x:y", "/h*", "a\tb", "~", "/é/ü"];

/** The value part of an assignment that plays with tilde expansion after = and :. */
export function tildeValue(rng: Rng): string {
  const parts: string[] = [];
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const k = rng.int(0, 29);
    if (k < 16) parts.push(rng.pick(["~", "~/", "~/a", "a:~", "~:", ":~", "~/~", "a~", "~/a=~"]));
    else if (k < 23) parts.push(rng.pick(["~'a'", '~"/a"', "\\~", "'~'", '"~"', "~\\/a", "$'~'", "~\\\n/a"]));
    else if (k < 28) parts.push(randomWord(rng));
    else parts.push(rng.pick(["~u", "~+", "~$x", "~=~", "~="])); // refused: the machine or the shell's history decides
  }
  return parts.join(rng.pick([":", ":", "/", ""]));
}

/** An argument shaped like an assignment (bash 5.2 expands its tildes), or one that only looks close. */
function assignmentLikeArg(rng: Rng): string {
  const name =
    rng.int(0, 5) > 0 ? rng.pick(["x", "y", "a_1", "_", "PATH2"]) : rng.pick(["-x", "1x", '"x"', "x$a", "--opt", ""]);
  return name + rng.pick(["=", "=", "+="]) + tildeValue(rng);
}

/** Endings made of backslash-newlines and a final backslash: bash's string reader decides. */
const BACKSLASH_ENDINGS = [
  "\\",
  " \\",
  "\\\n\\",
  " \\\n\\",
  "\\\n\\\n\\",
  " \\\n\\\n\\",
  " \\\n\\\n\\\\",
  "\\\n\\\n\\\n\\",
  " \\\n\\\n\\\n\\\n\\\\",
  " $'\\x41' \\\n\\\n\\",
  " $'\\x41'\\\n\\\n\\",
  " $'\\x41' \\\n\\",
  "\\\\",
  " a\\\n\\\n\\\\\\\\",
];

/** A random environment: some of a b x y set, e empty, u unset, IFS default or custom, $1…. */
export function randomEnv(rng: Rng): { vars: Record<string, string>; positional: string[] } {
  const vars: Record<string, string> = { e: "" };
  for (const n of ["a", "b", "x", "y"]) if (rng.int(0, 4) > 0) vars[n] = randomValue(rng);
  const ifs = rng.pick(IFS_CHOICES);
  if (ifs !== undefined) vars.IFS = ifs;
  if (rng.int(0, 9) > 0) vars.HOME = rng.pick(HOMES);
  const positional: string[] = [];
  const np = rng.pick([0, 0, 1, 2, 3]);
  for (let i = 0; i < np; i++) positional.push(randomValue(rng));
  return { vars, positional };
}

/** A random simple command `f w1 w2 …`, sometimes with redirections, a comment, assignments. */
export function randomCommand(rng: Rng): string {
  const parts = ["f"];
  const n = rng.int(0, 5);
  for (let i = 0; i < n; i++) {
    parts.push(rng.int(0, 11) === 0 ? assignmentLikeArg(rng) : randomWord(rng));
    if (rng.int(0, 12) === 0)
      parts.push(rng.pick(["2>/dev/null", "</dev/null", "2>>/dev/null", "2>&1", "3>/dev/null"]));
  }
  let cmd = parts.join(rng.pick([" ", "  ", "\t", " \\\n "]));
  if (rng.int(0, 9) === 0)
    cmd = `${rng.pick(["x", "y"])}=${rng.int(0, 3) === 0 ? tildeValue(rng) : randomWord(rng)} ` + cmd;
  return cmd;
}

/** A random line: one to three commands joined by ; && newline or `| cat`, maybe a comment. */
export function randomLine(rng: Rng): string {
  let line = randomCommand(rng);
  const extra = rng.int(0, 3) === 0 ? rng.int(1, 2) : 0;
  for (let i = 0; i < extra; i++) {
    const k = rng.int(0, 4);
    if (k === 0) line += "; " + randomCommand(rng);
    else if (k === 1) line += " && " + randomCommand(rng);
    else if (k === 2) line += "\n" + randomCommand(rng);
    else if (k === 3) line += ` | cat`;
    else line += `; ${rng.pick(["x", "y", "a"])}=${randomWord(rng)}; ` + randomCommand(rng);
  }
  if (rng.int(0, 9) === 0) line += " #" + randomString(rng, 8).replace(/\n/g, "");
  if (rng.int(0, 11) === 0) {
    // After "| cat" the oracle would see cat's arguments, not f's: start a new command first.
    if (line.endsWith("| cat")) line += "; f";
    line += rng.pick(BACKSLASH_ENDINGS);
  }
  return line;
}

/** `count` random cases (line + environment), reproducible from `seed`. */
export function randomCases(seed: number | string, count: number): BashCase[] {
  const rng = new Rng(seed);
  const out: BashCase[] = [];
  for (let i = 0; i < count; i++) out.push({ line: randomLine(rng), ...randomEnv(rng) });
  return out;
}

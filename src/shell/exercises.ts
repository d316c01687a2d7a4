/**
 * Exercises of notebook 07-shell-quoting (`shell.*`): quote a string for one shell and for two
 * (code), predict bash's words for four lines and field splitting with a custom IFS (predict), and
 * fix the fast_cli function of the post "Bash: shell quoting" so any command text reaches FastCli
 * intact (fix). Expected values come from this
 * library (verified against bash 5.2 in test/shell/) or from real bash in the sandbox at grading
 * time; nothing is typed in.
 */
import { brief, fail, pass } from "../grading/checks";
import { asInteger, sealedFields, type KnownWrong, type Normaliser } from "../grading/sealed-checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { ownWork, type OwnWork } from "../grading/ownwork";
import { WirelabError } from "../util/errors";
import { Rng } from "../util/rng";
import { randomString } from "./gen";
import { runFastCli, runSandbox, FASTCLI_VERSIONS, PREDICT_ENV, PREDICT_LINES, IFS_CASES } from "./lab";
import { words } from "./parse";
import { visible } from "./explain";

const NB = "07-shell-quoting.ipynb";

/** What bash makes of `f <word>`: exactly one argument, or an explanation of what went wrong. */
function evalWord(word: unknown, fnName: string): { value?: string; error?: string } {
  if (typeof word !== "string") return { error: `${fnName} must return a string (got ${brief(word)})` };
  try {
    const w = words("f " + word);
    if (w.length !== 1)
      return { error: `${visible(word)} is more than one command for bash (it contains an unquoted ; | & or newline)` };
    const args = w[0]!.slice(1);
    if (args.length !== 1)
      return { error: `bash splits ${visible(word)} into ${args.length} words ${JSON.stringify(args)}, not one` };
    return { value: args[0]! };
  } catch (e) {
    if (e instanceof WirelabError)
      return { error: `bash cannot read ${visible(word)} back as plain text: ${e.message.split(" (")[0]}` };
    throw e;
  }
}

function roundTrip(name: string, points: number, fnName: string, inputs: string[], levels: 1 | 2): TestCase {
  return {
    name,
    points,
    async run(answer) {
      const fn = typeof answer === "function" ? answer : answer?.[fnName];
      if (typeof fn !== "function") return fail(`export a function named ${fnName} (found ${brief(fn)})`);
      for (const s of inputs) {
        const first: unknown = await fn(s);
        let text: unknown = first;
        for (let k = 1; k <= levels; k++) {
          const r = evalWord(text, fnName);
          if (r.error)
            return fail(
              `${fnName}(${visible(s)}) = ${brief(first)}: ${
                k === 1 ? "" : `after shell ${k - 1} the text is ${visible(String(text))}; shell ` + `${k}: `
              }${r.error}`,
            );
          text = r.value;
        }
        if (text !== s) {
          const why =
            s.includes("\n") && !String(text).includes("\n")
              ? "A backslash before a newline is a line continuation: bash removes both, so a newline must sit " +
                "inside single (or double) quotes."
              : s.startsWith("~") && !String(text).startsWith("~")
                ? "An unquoted ~ at the start of a word is tilde expansion (your home directory): quote it."
                : /[$`\\]/.test(s)
                  ? "Inside double quotes $, ` and \\ are still special; inside single quotes nothing is, but " +
                    "a ' cannot appear there."
                  : "Look at which characters are still special inside your quotes.";
          return fail(
            `${fnName}(${visible(s)}) = ${brief(first)}, which ` +
              `${levels === 1 ? "bash reads back" : "two shells in a row read back"} as ` +
              `${visible(String(text))}. ${why}`,
          );
        }
      }
      return pass(`${inputs.length} string(s) survive ${levels === 1 ? "one shell" : "two shells"} exactly`);
    },
  };
}

function randomInputs(seed: number, n: number): string[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => randomString(rng, 14));
}

const QUOTE_FILE = "exercises/shell/quote.ts";

const quoteOne = defineExercise({
  id: "shell.quote-one",
  title: "Quote any string for one shell",
  kind: "code",
  notebook: NB,
  prompt:
    "Implement `quoteWord(s)` in `exercises/shell/quote.ts`: return a bash word that bash reads back as " +
    "exactly `s` (one argument) for every string: empty, spaces, `'`, `\"`, `$`, backslashes, newlines, " +
    "control characters, non-ASCII. Readability is a bonus, correctness is the grade.",
  answer: { file: QUOTE_FILE, export: "quoteWord" },
  public: [
    roundTrip("plain and spaced", 1, "quoteWord", ["sp01", "a b", "  two  spaces  ", ""], 1),
    roundTrip("quotes and dollars", 2, "quoteWord", ["it's", 'say "hi"', "$HOME", "a\\nb", "'", "''"], 1),
    roundTrip(
      "newlines, tabs, control characters, non-ASCII, dashes",
      1,
      "quoteWord",
      ["line1\nline2", "\t", "\x01\x1b[0m", "é中😀", "-n", "--rm", "*", "~", "#x", "x=1"],
      1,
    ),
  ],
  hidden: [
    // wirelab:hidden-begin
    roundTrip("200 random strings (the same ones at every run)", 2, "quoteWord", randomInputs(8, 200), 1),
    // wirelab:hidden-end
  ],
});

/** Control characters, an embedded newline, non-ASCII letters and an option-like word. */
const CONTROL_AND_UNICODE = ["line1\nline2", "\x01", "é中", "-e"];

const quoteTwo = defineExercise({
  id: "shell.quote-two",
  title: "Quote a string for two shells (ssh host 'bash -c …')",
  kind: "code",
  notebook: NB,
  prompt:
    "Implement `quoteTwoLevels(s)` in `exercises/shell/quote.ts`: a word that, read by one shell and the " +
    "result read again by a second shell, gives exactly `s`. " +
    ("It is a whole word of your command line, e.g. after `ssh host echo ` (ssh joins its words, the " +
      "remote shell parses them again) or after `docker exec c bash -c 'echo '`. ") +
    ('Never paste it inside `"…"`: inside double quotes your shell keeps single quotes and most ' +
      "backslashes, so the second shell gets a level of quoting too many. Hint: quoting twice works if " +
      "quoting once is right."),
  answer: { file: QUOTE_FILE, export: "quoteTwoLevels" },
  public: [
    roundTrip("plain and spaced", 1, "quoteTwoLevels", ["sp01", "a b", ""], 2),
    roundTrip("quotes and dollars", 2, "quoteTwoLevels", ["it's", 'say "hi"', "$HOME", "'", "a\\nb"], 2),
    roundTrip("control characters, newlines, non-ASCII", 1, "quoteTwoLevels", CONTROL_AND_UNICODE, 2),
  ],
  hidden: [
    // wirelab:hidden-begin
    roundTrip("150 random strings (the same ones at every run)", 2, "quoteTwoLevels", randomInputs(9, 150), 2),
    // wirelab:hidden-end
  ],
});

// ------------------------------------------------------------------ shell.words (predict)

/** Word positions checked per line: more than any line makes, so the count itself stays sealed. */
const MAX_WORDS = 10;
const NO_WORD = "(no word here)";
const asWord: Normaliser = (v) => {
  if (v === undefined) return NO_WORD;
  if (typeof v !== "string") throw new Error(`give each word as a string (got ${brief(v)})`);
  return JSON.stringify(v);
};
const WORDS_HINT =
  "Try explain() on the line, and remember: quotes are removed, unquoted $x is split, empty unquoted " +
  "expansions vanish.";

/** The public check of line k: the number of words and each word, sealed one by one. */
function sealedLine(k: number, points: number) {
  const fields: Record<string, Normaliser> = { "number of words": asInteger };
  for (let i = 1; i <= MAX_WORDS; i++) fields[`word ${i}`] = asWord;
  return sealedFields(`line ${k + 1}: ${PREDICT_LINES[k]}`, points, {
    fields,
    read: (a: unknown[], f: string) => {
      if (!Array.isArray(a) || a.length !== PREDICT_LINES.length)
        throw new Error(
          `answer with an array of ${PREDICT_LINES.length} arrays of strings, one per line (got ${brief(a)})`,
        );
      const line = a[k];
      if (!Array.isArray(line)) throw new Error(`line ${k + 1}: give an array of strings (got ${brief(line)})`);
      return f === "number of words" ? line.length : line[Number(f.slice(5)) - 1];
    },
    shape: `[[…], […], […], […]] (one array of words per line)`,
    hint: WORDS_HINT,
    // wirelab:hidden-begin
    key: () => {
      const want = words(PREDICT_LINES[k]!, PREDICT_ENV)[0]!;
      return { right: PREDICT_LINES.map((_, j) => (j === k ? want : [])) };
    },
    // wirelab:hidden-end
  });
}

const predictWords = defineExercise({
  id: "shell.words",
  title: "Predict bash's words",
  kind: "predict",
  notebook: NB,
  prompt:
    `With \`x='a  b'\` (two spaces) and \`e=''\`, give the words (argv, command name first) bash passes ` +
    `for each line, as an array of string arrays:\n\n${PREDICT_LINES.map((l, i) => `${i + 1}. \`${l}\``).join("\n")}`,
  answer: { file: "exercises/shell/answers.ts", export: "words" },
  // A predict table has no "other inputs": every line is public, each failure names its misconception.
  public: [sealedLine(0, 1), sealedLine(1, 1), sealedLine(2, 1), sealedLine(3, 1)],
  hidden: [],
});

// ------------------------------------------------------------------ shell.fastcli (fix)

const FIX_FILE = "exercises/shell/fast_cli.sh";
const norm = (t: string) =>
  t
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, "").trim())
    .filter(Boolean)
    .join("\n");

/** Names the misconception behind a wrong FastCli input, from what the sandbox saw (never the fix). */
export function fastCliDiagnosis(
  t: string,
  r: { received?: string; expected: string; stderr: string; innerScript?: string },
): string {
  const got = r.received;
  if (got === undefined) {
    if (/unexpected EOF while looking for matching `'/.test(r.stderr))
      return (
        "An apostrophe in the data closed the single quotes around it: the container's bash saw an " +
        "unterminated quote. Quotes you add around data are broken by the same quotes inside the data."
      );
    if (/unexpected EOF while looking for matching `"/.test(r.stderr))
      return (
        "A double quote in the data closed the double quotes around it: the container's bash saw an " +
        "unterminated quote."
      );
    return (
      `FastCli never ran.${r.stderr ? ` bash said: ${r.stderr.trim().split("\n")[0]}` : ""} Print what ` +
      `the container's bash receives: it is the string after -c.`
    );
  }
  if (/uid=\d+/.test(got) && !/uid=\d+/.test(r.expected))
    return (
      "The container's bash ran `id`: inside double quotes, backquotes and $(…) are still command " +
      "substitution (and $USER is still expanded), so the data became code, run as root in the container."
    );
  if (/\$USER/.test(r.expected) && !/\$USER/.test(got))
    return (
      "$USER was expanded by a shell on the way: inside double quotes, $ still expands. The data must " +
      "reach the container's echo untouched."
    );
  if (got.trim() === "" && r.expected.trim() !== "")
    return (
      "FastCli read an empty line: the text never reached the inner script. With bash -c 'script' a b, " +
      "the first word after the script becomes $0 and the next one $1."
    );
  if (/\*/.test(r.expected) && !/\*/.test(got))
    return (
      "A `*` in the data was replaced by file names: an unquoted expansion is also subject to globbing " +
      "(pathname expansion), after word splitting."
    );
  if (/ {2}/.test(r.expected) && !/ {2}/.test(got))
    return (
      "A run of spaces became one space: an unquoted expansion is split into words on IFS, and echo joins " +
      "its arguments with single spaces."
    );
  return (
    `The container's bash parsed ${visible(r.innerScript ?? "?")}. Which characters of the data were ` +
    `still special there?`
  );
}

function fastCliCase(name: string, points: number, texts: string[]): TestCase {
  return {
    name,
    points,
    timeoutMs: 20000,
    run(text) {
      if (typeof text !== "string") return fail(`the answer is the text of ${FIX_FILE}`);
      for (const t of texts) {
        const r = runFastCli(text, t, "yours");
        if (!r.ok) {
          const what =
            r.received === undefined ? "never ran" : `read ${visible(r.received)}, not what echo -e "$commands" prints`;
          return fail(`with commands=${visible(t)} FastCli ${what}. ${fastCliDiagnosis(t, r)}`);
        }
      }
      return pass(`${texts.length} command text(s) reach FastCli intact`);
    },
  };
}

const viaDocker: TestCase = {
  name: "still goes through docker exec to the container named by $1",
  points: 1,
  timeoutMs: 20000,
  run(text) {
    if (typeof text !== "string") return fail(`the answer is the text of ${FIX_FILE}`);
    const r = runSandbox(`${text}\ncommands='show version'\nfast_cli sw7\n`);
    const d = r.calls.find((c) => c.program === "docker");
    if (!d)
      return fail(
        "fast_cli must still run docker exec: the switch lives in a container, and the lesson is the shell inside it",
      );
    if (d.argv[1] !== "exec" || !d.argv.includes("sw7"))
      return fail(`docker was called as ${d.argv.map(visible).join(" ")}: use docker exec "$1" …`);
    const fc = r.calls.find((c) => c.program === "FastCli");
    if (!fc || !fc.via.includes("docker exec sw7"))
      return fail("FastCli must run inside the container (after docker exec)");
    return pass("docker exec sw7 … FastCli");
  },
};

const fixFastCli = defineExercise({
  id: "shell.fastcli",
  title: "Fix fast_cli so any command text reaches FastCli",
  kind: "fix",
  notebook: NB,
  prompt:
    'Edit `exercises/shell/fast_cli.sh` (the function from the post "Bash: shell quoting") so that ' +
    '`commands=<any text>; fast_cli sw1` makes FastCli read exactly what `echo -e "$commands"` prints, ' +
    'quotes and dollars included. Keep going through `docker exec "$1" bash -c …`.',
  answer: { file: FIX_FILE },
  isUnattempted: (text) => typeof text === "string" && norm(text) === norm(FASTCLI_VERSIONS.original!),
  public: [
    fastCliCase("a plain configuration", 1, ["configure\\n hostname sp01\\n end\\n write"]),
    fastCliCase("a description with an apostrophe", 2, [
      "configure\\n interface Et1\\n description it's the uplink\\n end",
    ]),
    fastCliCase("a banner with $USER and `id` (does the container's bash run it?)", 1, [
      'banner motd "welcome $USER"\\n`id`',
    ]),
    fastCliCase("runs of spaces and a glob", 1, ["description a  b\\tc * [d]"]),
    viaDocker,
  ],
  hidden: [
    // wirelab:hidden-begin
    fastCliCase("other texts: $(…), backslashes, lone quotes, a leading dash", 1, [
      "banner $(hostname) \\\\ back",
      'say "hi',
      "it''s",
      "-n",
      "a ? b",
    ]),
    // wirelab:hidden-end
  ],
});

// ------------------------------------------------------------------ shell.ifs (predict)

/** A misconception about field splitting, recognised from the words a learner predicted. */
interface IfsMistake {
  when: (got: string[], want: string[]) => boolean;
  say: string;
}
const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);
const IFS_MISTAKES: IfsMistake[] = [
  {
    when: (g, w) => same(g, [...w, ""]),
    say:
      "A non-white-space IFS character at the end closes the last field; it does not open a new, empty one " +
      "(POSIX §2.6.5).",
  },
  {
    when: (g, w) =>
      w.includes("") &&
      same(
        g,
        w.filter((x) => x !== ""),
      ),
    say:
      "Each non-white-space IFS character ends a field, so two in a row (or one at the start) enclose an " +
      "EMPTY field; only IFS white space merges into one separator.",
  },
  {
    when: (g) => g.some((x) => x === ""),
    say:
      "IFS white space (spaces, tabs, newlines that are in IFS) never makes empty fields: around a " +
      "non-white-space IFS character it is part of that one delimiter, and at the start or end it is " +
      "ignored.",
  },
  {
    when: (g, w) => w.length === 1 && g.length > 1 && w[0]!.includes(" "),
    say:
      "IFS='' (set but empty) means no field splitting at all: the value stays one word. (Unset IFS would " +
      "mean the default space, tab, newline.)",
  },
  {
    when: (g, w) => w.length > 0 && g.length > 0 && g[0] !== w[0] && w[0]!.includes(":"),
    say: 'A quoted expansion "$v" is never split, whatever IFS holds: it is exactly one word.',
  },
  {
    when: (g) => g.some((x) => /[:]/.test(x)),
    say: "The IFS characters themselves are delimiters: they do not appear in the fields.",
  },
];

/** The public check of IFS line k: the number of words and each word, sealed one by one (see sealedLine). */
function sealedIfsLine(k: number, points: number) {
  const c = IFS_CASES[k]!;
  const fields: Record<string, Normaliser> = { "number of words": asInteger };
  for (let i = 1; i <= MAX_WORDS; i++) fields[`word ${i}`] = asWord;
  const ifsChars = [...c.ifs].filter((ch) => !/\s/.test(ch));
  return sealedFields(`line ${k + 1}: IFS=${visible(c.ifs)} v=${visible(c.v)}: ${c.line}`, points, {
    fields,
    read: (a: unknown[], f: string) => {
      if (!Array.isArray(a) || a.length !== IFS_CASES.length)
        throw new Error(
          `answer with an array of ${IFS_CASES.length} arrays of strings, one per line (got ${brief(a)})`,
        );
      const line = a[k];
      if (!Array.isArray(line)) throw new Error(`line ${k + 1}: give an array of strings (got ${brief(line)})`);
      return f === "number of words" ? line.length : line[Number(f.slice(5)) - 1];
    },
    shape: `one array of words per line`,
    hint:
      "Split only the unquoted $v, at each IFS character; white space in IFS merges, other characters each " +
      "end one field.",
    // Keyed to the learner's own word: an IFS character left inside a field.
    teach: (_f, raw) =>
      typeof raw === "string" && ifsChars.some((ch) => raw.includes(ch)) && !c.line.includes('"$v"')
        ? IFS_MISTAKES[5]!.say
        : undefined,
    // wirelab:hidden-begin
    key: () => {
      const want = words(c.line, { vars: { v: c.v, IFS: c.ifs } })[0]!;
      const naive =
        c.ifs === ""
          ? ["f", ...c.v.split(" ")]
          : ["f", ...c.v.split(new RegExp(`[${c.ifs.replace(/[\]\\^-]/g, "\\$&")}]`))];
      const candidates = [
        naive,
        want.filter((x, i) => i === 0 || x !== ""),
        [...want, ""],
        ["f", ...c.v.split(":").filter(Boolean), ...want.slice(2)],
      ];
      const wrong: KnownWrong[] = [];
      for (const cand of candidates) {
        if (same(cand, want)) continue;
        const m = IFS_MISTAKES.find((x) => x.when(cand.slice(1), want.slice(1)));
        if (!m) continue;
        if (cand.length !== want.length) wrong.push({ cell: "number of words", answer: cand.length, message: m.say });
        for (let i = 0; i < Math.min(cand.length, MAX_WORDS); i++)
          if (cand[i] !== want[i]) wrong.push({ cell: `word ${i + 1}`, answer: cand[i], message: m.say });
      }
      return { right: IFS_CASES.map((_, j) => (j === k ? want : [])), wrong };
    },
    // wirelab:hidden-end
  });
}

// wirelab:hidden-begin
function ifsLine(k: number, points: number): TestCase {
  const c = IFS_CASES[k]!;
  const label = `IFS=${visible(c.ifs)} v=${visible(c.v)}: ${c.line}`;
  return {
    name: `line ${k + 1}: ${label}`,
    points,
    run(answer) {
      if (!Array.isArray(answer) || answer.length !== IFS_CASES.length)
        return fail(
          `answer with an array of ${IFS_CASES.length} arrays of strings, one per line (got ${brief(answer)})`,
        );
      const got = answer[k];
      if (!Array.isArray(got) || got.some((w) => typeof w !== "string"))
        return fail(`line ${k + 1}: give an array of strings (got ${brief(got)})`);
      const want = words(c.line, { vars: { v: c.v, IFS: c.ifs } })[0]!;
      if (same(got, want)) return pass(`${want.length} words: ${want.map(visible).join(" ")}`);
      const m = IFS_MISTAKES.find((x) => x.when(got.slice(1), want.slice(1)));
      return fail(
        `line ${k + 1} (${label}): you have ${got.length} word(s) ${got.map(visible).join(" ")}. ${
          m
            ? m.say
            : "Split only the unquoted $v, at each IFS character; white space in IFS " +
              "merges, other characters each end one field."
        }`,
      );
    },
  };
}
// wirelab:hidden-end

const predictIfs = defineExercise({
  id: "shell.ifs",
  title: "Predict field splitting with a custom IFS",
  kind: "predict",
  notebook: NB,
  prompt:
    `For each line, IFS and v are set first (e.g. \`IFS=':'; v='a::b:'\`), then the command runs. Give ` +
    `the words bash passes (command name first), as an array of string ` +
    `arrays:\n\n` +
    `${IFS_CASES.map((c, i) => `${i + 1}. IFS=${visible(c.ifs)}, v=${visible(c.v)}: \`${c.line}\``).join("\n")}`,
  answer: { file: "exercises/shell/answers.ts", export: "ifsWords" },
  // Every lesson (empty fields between, before and after non-white-space delimiters; white space
  // merging; IFS=''; quoted expansions) is public. The hidden line repeats line 1's structure with
  // another delimiter: a learner whose rules are right for lines 1–6 gets it right.
  public: [
    sealedIfsLine(0, 1),
    sealedIfsLine(1, 1),
    sealedIfsLine(2, 1),
    sealedIfsLine(3, 1),
    sealedIfsLine(4, 1),
    sealedIfsLine(5, 1),
  ],
  hidden: [
    // wirelab:hidden-begin
    ifsLine(6, 1),
    // wirelab:hidden-end
  ],
});

export const exercises: Exercise[] = [quoteOne, quoteTwo, predictWords, predictIfs, fixFastCli];

// Own work (src/grading/ownwork.ts): these answers are also library functions; reaching them earns nothing.
const OWN_WORK: Record<string, OwnWork> = {
  "shell.quote-one": { forbid: ["src/shell/quote", "src/shell/bashq"], why: "Write the quoting rule yourself." },
  "shell.quote-two": {
    forbid: ["src/shell/quote", "src/shell/bashq"],
    why: "Write the quoting yourself (your own quoteWord, applied twice, is fine).",
  },
};
for (const [id, rule] of Object.entries(OWN_WORK))
  ownWork(
    exercises.find((e) => e.id === id)!,
    rule,
  );

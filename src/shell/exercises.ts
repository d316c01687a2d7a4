/**
 * Exercises of notebook 07-shell-quoting (`shell.*`): quote a string for one shell and for two
 * (code), predict bash's words for four lines (predict), and fix the seed post's fast_cli
 * function so any command text reaches FastCli intact (fix). Expected values come from this
 * library (verified against bash 5.2 in test/shell/) or from real bash in the sandbox at grading
 * time; nothing is typed in.
 */
import { brief, fail, pass } from "../grading/checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { WirelabError } from "../util/errors";
import { Rng } from "../util/rng";
import { randomString } from "./gen";
import { runFastCli, runSandbox, FASTCLI_VERSIONS, PREDICT_ENV, PREDICT_LINES } from "./lab";
import { words } from "./parse";
import { visible } from "./explain";

const NB = "07-shell-quoting.ipynb";

/** What bash makes of `f <word>`: exactly one argument, or an explanation of what went wrong. */
function evalWord(word: unknown, fnName: string): { value?: string; error?: string } {
  if (typeof word !== "string") return { error: `${fnName} must return a string (got ${brief(word)})` };
  try {
    const w = words("f " + word);
    if (w.length !== 1) return { error: `${visible(word)} is more than one command for bash (it contains an unquoted ; | & or newline)` };
    const args = w[0]!.slice(1);
    if (args.length !== 1) return { error: `bash splits ${visible(word)} into ${args.length} words ${JSON.stringify(args)}, not one` };
    return { value: args[0]! };
  } catch (e) {
    if (e instanceof WirelabError) return { error: `bash cannot read ${visible(word)} back as plain text: ${e.message.split(" (")[0]}` };
    throw e;
  }
}

function roundTrip(name: string, points: number, fnName: string, inputs: string[], levels: 1 | 2): TestCase {
  return {
    name,
    points,
    run(answer) {
      const fn = typeof answer === "function" ? answer : answer?.[fnName];
      if (typeof fn !== "function") return fail(`export a function named ${fnName} (found ${brief(fn)})`);
      for (const s of inputs) {
        let text: unknown = fn(s);
        for (let k = 1; k <= levels; k++) {
          const r = evalWord(text, fnName);
          if (r.error) return fail(`${fnName}(${visible(s)}) = ${brief(fn(s))}: ${k === 1 ? "" : `after shell ${k - 1} the text is ${visible(String(text))}; shell ${k}: `}${r.error}`);
          text = r.value;
        }
        if (text !== s) {
          return fail(`${fnName}(${visible(s)}) = ${brief(fn(s))}, which ${levels === 1 ? "bash reads back" : "two shells in a row read back"} as ${visible(String(text))}. Look at which characters are still special inside your quotes.`);
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
    "Implement `quoteWord(s)` in `exercises/shell/quote.ts`: return a bash word that bash reads back as exactly `s` (one argument) for every string: empty, spaces, `'`, `\"`, `$`, backslashes, newlines, control characters, non-ASCII. Readability is a bonus, correctness is the grade.",
  answer: { file: QUOTE_FILE, export: "quoteWord" },
  public: [
    roundTrip("plain and spaced", 1, "quoteWord", ["sp01", "a b", "  two  spaces  ", ""], 1),
    roundTrip("quotes and dollars", 2, "quoteWord", ["it's", 'say "hi"', "$HOME", "a\\nb", "'", "''"], 1),
  ],
  hidden: [
    // wirelab:hidden-begin
    roundTrip("newlines, tabs, control characters, non-ASCII, dashes", 1, "quoteWord", ["line1\nline2", "\t", "\x01\x1b[0m", "é中😀", "-n", "--rm", "*", "~", "#x", "x=1"], 1),
    roundTrip("200 seeded random strings", 2, "quoteWord", randomInputs(8, 200), 1),
    // wirelab:hidden-end
  ],
});

const quoteTwo = defineExercise({
  id: "shell.quote-two",
  title: "Quote a string for two shells (ssh host 'bash -c …')",
  kind: "code",
  notebook: NB,
  prompt:
    "Implement `quoteTwoLevels(s)` in `exercises/shell/quote.ts`: text that, read by one shell and the result read again by a second shell, gives exactly `s`. This is what you paste after `ssh host ` or into `docker exec c bash -c \"… HERE\"`. Hint: quoting twice works if quoting once is right.",
  answer: { file: QUOTE_FILE, export: "quoteTwoLevels" },
  public: [
    roundTrip("plain and spaced", 1, "quoteTwoLevels", ["sp01", "a b", ""], 2),
    roundTrip("quotes and dollars", 2, "quoteTwoLevels", ["it's", 'say "hi"', "$HOME", "'", "a\\nb"], 2),
  ],
  hidden: [
    // wirelab:hidden-begin
    roundTrip("control characters, newlines, non-ASCII", 1, "quoteTwoLevels", ["line1\nline2", "\x01", "é中", "-e"], 2),
    roundTrip("150 seeded random strings", 2, "quoteTwoLevels", randomInputs(9, 150), 2),
    // wirelab:hidden-end
  ],
});

// ------------------------------------------------------------------ shell.words (predict)

function predictLine(k: number, points: number): TestCase {
  return {
    name: `line ${k + 1}: ${PREDICT_LINES[k]}`,
    points,
    run(answer) {
      if (!Array.isArray(answer) || answer.length !== PREDICT_LINES.length) return fail(`answer with an array of ${PREDICT_LINES.length} arrays of strings, one per line (got ${brief(answer)})`);
      const want = words(PREDICT_LINES[k]!, PREDICT_ENV)[0]!;
      const got = answer[k];
      if (!Array.isArray(got) || got.some((w) => typeof w !== "string")) return fail(`line ${k + 1}: give an array of strings (got ${brief(got)})`);
      if (JSON.stringify(got) === JSON.stringify(want)) return pass(`${want.length} words: ${want.map(visible).join(" ")}`);
      const first = want.findIndex((w, i) => got[i] !== w);
      const where = first < 0 ? `you have ${got.length} words, bash makes ${want.length}` : `word ${first + 1}: you have ${brief(got[first])}`;
      return fail(`line ${k + 1} (${PREDICT_LINES[k]}): ${where}. Try explain() on the line, and remember: quotes are removed, unquoted $x is split, empty unquoted expansions vanish.`);
    },
  };
}

const predictWords = defineExercise({
  id: "shell.words",
  title: "Predict bash's words",
  kind: "predict",
  notebook: NB,
  prompt: `With \`x='a  b'\` (two spaces) and \`e=''\`, give the words (argv, command name first) bash passes for each line, as an array of string arrays:\n\n${PREDICT_LINES.map((l, i) => `${i + 1}. \`${l}\``).join("\n")}`,
  answer: { file: "exercises/shell/answers.ts", export: "words" },
  public: [predictLine(0, 1), predictLine(1, 1), predictLine(2, 1)],
  hidden: [
    // wirelab:hidden-begin
    predictLine(3, 1),
    // wirelab:hidden-end
  ],
});

// ------------------------------------------------------------------ shell.fastcli (fix)

const FIX_FILE = "exercises/shell/fast_cli.sh";
const norm = (t: string) => t.split(/\r?\n/).map((l) => l.replace(/(^|\s)#.*$/, "").trim()).filter(Boolean).join("\n");

function fastCliCase(name: string, points: number, texts: string[]): TestCase {
  return {
    name,
    points,
    timeoutMs: 20000,
    run(text) {
      if (typeof text !== "string") return fail(`the answer is the text of ${FIX_FILE}`);
      for (const t of texts) {
        const r = runFastCli(text, t, "yours");
        if (r.received === undefined) return fail(`with commands=${visible(t)} FastCli never ran.${r.stderr ? ` bash said: ${r.stderr.trim().split("\n")[0]}` : ""} Print what the container's bash receives: it is the string after -c.`);
        if (!r.ok) return fail(`with commands=${visible(t)} FastCli read ${visible(r.received)} instead of ${visible(r.expected)}. The container's bash parsed ${visible(r.innerScript ?? "?")}.`);
      }
      return pass(`${texts.length} command text(s) reach FastCli intact`);
    },
  };
}

const fixFastCli = defineExercise({
  id: "shell.fastcli",
  title: "Fix fast_cli so any command text reaches FastCli",
  kind: "fix",
  notebook: NB,
  prompt:
    "Edit `exercises/shell/fast_cli.sh` (the seed post's function) so that `commands=<any text>; fast_cli sw1` makes FastCli read exactly what `echo -e \"$commands\"` prints, quotes and dollars included. Keep going through `docker exec \"$1\" bash -c …`.",
  answer: { file: FIX_FILE },
  isUnattempted: (text) => typeof text === "string" && norm(text) === norm(FASTCLI_VERSIONS.original!),
  public: [
    fastCliCase("a plain configuration", 1, ["configure\\n hostname sp01\\n end\\n write"]),
    fastCliCase("a description with an apostrophe", 2, ["configure\\n interface Et1\\n description it's the uplink\\n end"]),
  ],
  hidden: [
    // wirelab:hidden-begin
    fastCliCase("double quotes, dollars, backquotes, tabs, runs of spaces", 2, ['banner motd "welcome $USER"\\n`id`\\tx  y', "a * b ? [c]", "-n"]),
    {
      name: "still goes through docker exec to the container named by $1",
      points: 1,
      timeoutMs: 20000,
      run(text) {
        if (typeof text !== "string") return fail(`the answer is the text of ${FIX_FILE}`);
        const r = runSandbox(`${text}\ncommands='show version'\nfast_cli sw7\n`);
        const d = r.calls.find((c) => c.program === "docker");
        if (!d) return fail("fast_cli must still run docker exec (the switch lives in a container)");
        if (d.argv[1] !== "exec" || !d.argv.includes("sw7")) return fail(`docker was called as ${d.argv.map(visible).join(" ")}: use docker exec "$1" …`);
        const fc = r.calls.find((c) => c.program === "FastCli");
        if (!fc || !fc.via.includes("docker exec sw7")) return fail("FastCli must run inside the container (after docker exec)");
        return pass("docker exec sw7 … FastCli");
      },
    },
    // wirelab:hidden-end
  ],
});

export const exercises: Exercise[] = [quoteOne, quoteTwo, predictWords, fixFastCli];

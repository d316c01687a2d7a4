/**
 * Exercise `dlog.downgrade` (notebook 03, the Logjam downgrade lab): six variations of the lab's
 * 2015 setting; for each, the learner predicts whether the man in the middle reads the request.
 * One public test per variation, one point each, compared through seals (src/grading/sealed.ts):
 * the key is the outcome of running the simulation (./downgrade.ts) on the variation, and the
 * message a wrong prediction opens names the mechanism that decides that variation. Keys and
 * messages sit in hidden regions (instructor copy); `wirelab seal` writes the sealed entries.
 */
import { brief } from "../grading/checks";
import { sealedFields, type Normaliser } from "../grading/sealed-checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { DOWNGRADE_QUESTIONS, type DowngradeQuestion } from "./downgrade-views";
// wirelab:hidden-begin
import { runQuestion } from "./downgrade-views";
// wirelab:hidden-end

const WORDS: Record<string, "read" | "safe"> = {
  read: "read",
  broken: "read",
  yes: "read",
  safe: "safe",
  no: "safe",
  stopped: "safe",
};

const asVerdict: Normaliser = (v) => {
  if (v === undefined) throw new Error("no prediction for this variation: give one of the two words of the prompt");
  const w = typeof v === "string" ? WORDS[v.trim().toLowerCase()] : undefined;
  if (!w)
    throw new Error(
      `${brief(v)} is not one of the two words of the prompt (the attacker reads the request, or it does not)`,
    );
  return w;
};

const HINT =
  "Follow the rewritten ClientHello to the server and the rewritten ServerHello back: which party " +
  "checks something the attacker changed, or cannot avoid sending?";

// wirelab:hidden-begin
/** What a wrong prediction of each variation misses. Never states the word to type. */
const LESSONS: Record<string, string> = {
  A:
    "With no export suite enabled, the server answers the rewritten ClientHello (DHE_EXPORT only) with " +
    "handshake_failure: no 512-bit group is ever sent.",
  B:
    "The downgraded browser receives the 512-bit export prime in a ServerKeyExchange that looks like " +
    "ordinary DHE; a browser with a 1024-bit minimum aborts before sending its share, whatever suite the " +
    "ServerHello names.",
  C:
    "The attacker must hand the browser a suite it offered, here ECDHE; the browser then tries to read " +
    "the server's finite-field DH parameters as elliptic-curve ones and aborts.",
  D:
    "The ServerKeyExchange signature covers the two randoms and the DH parameters, not the cipher suite; " +
    "the attacker changes only the suites in the two hellos and forges no signature, so a stronger key " +
    "changes nothing.",
  E:
    "Export suites exist only up to TLS 1.2, so the attacker must also remove TLS 1.3 from the " +
    'ClientHello; a TLS 1.3 server then ends its random with "DOWNGRD\\x01", the random is signed, and a ' +
    "TLS 1.3 browser aborts when it sees it.",
  F:
    "The downgrade sentinel is written by the server: a server that only speaks TLS 1.2 never writes it, " +
    "so the TLS 1.3 browser has nothing to detect.",
};
// wirelab:hidden-end

function questionCase(q: DowngradeQuestion): TestCase {
  return sealedFields(`${q.letter}: ${q.change}`, 1, {
    fields: { [q.letter]: asVerdict },
    shape: "with one prediction per letter, A to F",
    hint: HINT,
    // wirelab:hidden-begin
    key: () => {
      const right = runQuestion(q).outcome === "read by the attacker" ? "read" : "safe";
      return {
        right: { [q.letter]: right },
        why: LESSONS[q.letter],
        wrong: [{ cell: q.letter, answer: right === "read" ? "safe" : "read", message: LESSONS[q.letter]! }],
      };
    },
    // wirelab:hidden-end
  });
}

export const downgradeExercise: Exercise = defineExercise({
  id: "dlog.downgrade",
  title: "Which change stops the Logjam downgrade?",
  kind: "predict",
  notebook: "03-precomputed-prime-attack.ipynb",
  prompt:
    "Start from the lab: a 2015 browser (ECDHE and DHE, any group size, TLS 1.2) and a server that still " +
    "enables DHE_EXPORT with the widely shared export prime and uses a 2048-bit group for ordinary DHE, " +
    ("with an active man in the middle that has precomputed that export prime. For each variation A–F " +
      '(one change each), predict whether the attacker reads the request ("read") or not ("safe"): ') +
    '`{ A: "read" | "safe", …, F: … }`.',
  answer: { file: "exercises/dlog/answers.ts", export: "downgrade" },
  public: DOWNGRADE_QUESTIONS.map(questionCase),
  hidden: [],
});

/**
 * Exercise `dlog.downgrade` (notebook 03, the Logjam downgrade lab): six variations of the lab's
 * 2015 setting; for each, the learner predicts whether the man in the middle reads the request.
 * Each variation is one public test worth one point. The expected answer is the outcome of running
 * the simulation (./downgrade.ts) at grading time, never stored; a wrong prediction gets the
 * mechanism that decides that variation (./downgrade-views.ts `lesson`).
 */
import { brief, fail, pass } from "../grading/checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { DOWNGRADE_QUESTIONS, runQuestion, type DowngradeQuestion } from "./downgrade-views";

const WORDS: Record<string, "read" | "safe"> = { read: "read", broken: "read", yes: "read", safe: "safe", no: "safe", stopped: "safe" };

function questionCase(q: DowngradeQuestion): TestCase {
  return {
    name: `${q.letter}: ${q.change}`,
    points: 1,
    timeoutMs: 20000,
    run(answer) {
      if (answer === null || typeof answer !== "object" || Array.isArray(answer)) {
        return fail(`answer with an object such as { A: "read", B: "safe", … } (got ${brief(answer)})`);
      }
      const raw = (answer as Record<string, unknown>)[q.letter];
      if (raw === undefined) return fail(`no prediction for ${q.letter}: give "read" or "safe"`);
      const said = typeof raw === "string" ? WORDS[raw.trim().toLowerCase()] : undefined;
      if (!said) return fail(`${q.letter}: ${brief(raw)} is neither "read" nor "safe"`);
      const run = runQuestion(q);
      const want = run.outcome === "read by the attacker" ? "read" : "safe";
      if (said === want) return pass(`${q.letter}: ${run.outcome}. ${q.lesson}`);
      return fail(`${q.letter}: not what happens. ${q.lesson}`);
    },
  };
}

export const downgradeExercise: Exercise = defineExercise({
  id: "dlog.downgrade",
  title: "Which change stops the Logjam downgrade?",
  kind: "predict",
  notebook: "03-precomputed-prime-attack.ipynb",
  prompt:
    "Start from the lab: a 2015 browser (ECDHE and DHE, any group size, TLS 1.2) and a server that still enables DHE_EXPORT with the widely shared export prime and uses a 2048-bit group for ordinary DHE, " +
    'with an active man in the middle that has precomputed that export prime. For each variation A–F (one change each), predict whether the attacker reads the request ("read") or not ("safe"): ' +
    '`{ A: "read" | "safe", …, F: … }`.',
  answer: { file: "exercises/dlog/answers.ts", export: "downgrade" },
  public: DOWNGRADE_QUESTIONS.map(questionCase),
  hidden: [],
});

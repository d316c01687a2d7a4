/**
 * The grading process of the notebook `check()`: reads `{id, answer?, root, module}` (codec JSON)
 * on stdin, grades with public tests only, prints the ExerciseReport as JSON on stdout.
 * `check()` runs it synchronously (spawnSync) so a cell shows its result before it ends. The
 * tests run in this process (one hop from the kernel); the learner's module, if any, runs only in
 * its sandbox.
 */
import * as fs from "node:fs";
import { gradeInline } from "./grader";

async function main(): Promise<void> {
  const input = JSON.parse(fs.readFileSync(0, "utf8")) as {
    id: string;
    answer?: string;
    root: string;
    module?: string;
  };
  const report = await gradeInline(input.id, input.answer, {
    root: input.root,
    hidden: false,
    module: input.module,
    inProcess: true,
  });
  process.stdout.write(JSON.stringify(report));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stdout.write(JSON.stringify({ fatal: e instanceof Error ? e.message : String(e) }));
    process.exit(0);
  },
);

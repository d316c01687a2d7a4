/**
 * Every notebook executes headless with the wirelab kernel, with no error output: the same check
 * `wirelab run` and `wirelab doctor` do. (Notebooks are committed without outputs; the executed
 * copies are written to artifacts/notebooks/ for inspection.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { it, expect } from "vitest";
import { runNotebook } from "../../src/jupyter/runner";

const ROOT = path.resolve(__dirname, "..", "..");
const DIR = path.join(ROOT, "notebooks");
const OUT = path.join(ROOT, "artifacts", "notebooks");

for (const f of fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith(".ipynb"))
  .sort()) {
  it(`notebook ${f} executes with no error`, { timeout: 600_000 }, async () => {
    fs.mkdirSync(OUT, { recursive: true });
    const rep = await runNotebook(path.join(DIR, f), {
      root: ROOT,
      timeoutPerCellMs: 300_000,
      write: path.join(OUT, f),
    });
    const bad = rep.cells.filter((c) => c.status !== "ok");
    expect(
      rep.status,
      `${f}: ${bad.map((c) => `cell ${c.number} ${c.status}${c.error ? ` ${c.error.ename}: ${c.error.evalue}` : ""}`).join("; ")}`,
    ).toBe("ok");
    expect(rep.errorOutputs).toBe(0);
  });
}

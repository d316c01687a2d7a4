import { it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gradesStubsZeroSolutionsFull } from "../helpers/grading";
import { BROKEN_TEXT } from "../../src/mpls/exercises";
import { withoutComments } from "../../src/grading/present";

gradesStubsZeroSolutionsFull("mpls");

it(
  "the fix stub, the lab copy and BROKEN_TEXT are the same text (comments aside: the stub's header is generated)",
  { timeout: 5000 },
  () => {
    const root = join(__dirname, "../..");
    const f = "exercises/mpls/broken.yaml";
    expect(withoutComments(readFileSync(join(root, f), "utf8"), f)).toBe(withoutComments(BROKEN_TEXT, f));
    expect(readFileSync(join(root, "labs/mpls/broken.yaml"), "utf8")).toBe(BROKEN_TEXT);
  },
);

import { exercises } from "../../src/mpls/exercises";
const ctx = { root: join(__dirname, "../.."), evaluate: () => 0n };
const run = async (id: string, answer: unknown) => {
  const ex = exercises.find((e) => e.id === id)!;
  return Promise.all(
    [...ex.public, ...ex.hidden].map(async (t) => (await t.run(answer, ctx)) as { pass: boolean; message: string }),
  );
};

it("wrong answers fail with a message that points somewhere", { timeout: 20000 }, async () => {
  const sol = await import("../../solutions/mpls/answers");
  const lf = sol.lfib!.map((r) => ({ ...r }));
  lf[0]!.out = 202; // B swaps to its own label: wrong
  const r1 = await run("mpls.lfib", lf);
  expect(r1[0]!.pass).toBe(false);
  expect(r1[0]!.message).toMatch(/B.*out/);
  const r2 = await run("mpls.vpnstack", { php: sol.vpnStack!.explicitNull, explicitNull: sol.vpnStack!.php });
  expect(r2.every((x) => !x.pass)).toBeTruthy();
  const r3 = await run("mpls.cspf", "PE1 P1 P2 PE2");
  expect(r3[0]!.pass).toBe(false);
  expect(r3[1]!.message).toMatch(/only 300 Mb\/s/);
  // Deleting the static LSP "fixes" delivery only if some other route exists: here nothing routes it.
  const noStatic = BROKEN_TEXT.replace(/static-lsps:[\s\S]*$/, "ldp: true\n");
  const r4 = await run("mpls.fix", noStatic);
  expect(r4[1]!.pass).toBe(false);
  const r5 = await run("mpls.fix", BROKEN_TEXT);
  expect(r5[0]!.pass).toBe(false);
  expect(r5[0]!.message).toMatch(/loops/);
});

/**
 * Own work: a code exercise whose answer is a library function gives no credit for re-exporting,
 * wrapping or reaching that function (directly, through an index, another library function or a
 * helper file of the learner's, a literal require, an npm package or node:crypto), while an own
 * implementation that uses the allowed helpers (modInv, modPow, crt where allowed) is accepted.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, it } from "vitest";
import { exercises as dhExercises } from "../../src/dh/exercises";
import { exercises as dlogExercises } from "../../src/dlog/exercises";
import { exercises as shellExercises } from "../../src/shell/exercises";
import { evaluateInteger } from "../../src/grading/expr";
import { forbiddenUse } from "../../src/grading/ownwork";
import type { Exercise } from "../../src/grading/spec";

const ROOT = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `wl-ownwork-${process.pid}-`));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** Writes a learner file at <tmp>/<case>/exercises/<rel> (imports of ../../src resolve to the library) and returns its path. */
function learner(rel: string, text: string, extra: Record<string, string> = {}): string {
  const dir = path.join(tmp, `c${++n}`);
  for (const [f, t] of Object.entries({ [rel]: text, ...extra })) {
    fs.mkdirSync(path.dirname(path.join(dir, "exercises", f)), { recursive: true });
    fs.writeFileSync(path.join(dir, "exercises", f), t);
  }
  return path.join(dir, "exercises", rel);
}
const rule = (list: Exercise[], id: string) => list.find((e) => e.id === id)!.ownWork!;

it(
  "re-exporting, wrapping or reaching the library's modPow earns nothing; an own loop passes the check",
  { timeout: 60_000 },
  async () => {
    const r = rule(dhExercises, "dh.modpow");
    const caught: Record<string, string> = {
      "re-export": `export { modPow } from "../../src/math/modular";`,
      "old path": `export { modPow } from "../../src/dh/modular";`,
      "wrapped, through the topic index": `import { modPow as m } from "../../src/dh";\nexport function modPow(b: bigint, e: bigint, p: bigint) { const r = m(b, e, p); return r; }`,
      "another library function that calls it": `import { publicKeyOf } from "../../src/dh/exchange";\nexport const modPow = (b: bigint, e: bigint, p: bigint) => publicKeyOf({ g: b, p } as any, e);`,
      "the trace": `import { modPowTrace } from "../../src/math";\nexport const modPow = (b: bigint, e: bigint, p: bigint) => modPowTrace(b, e, p).result;`,
      "literal require": `export function modPow(b: bigint, e: bigint, p: bigint) { return require("../../src/math/modular").modPow(b, e, p); }`,
      "npm package": `import { modPow as m } from "bigint-crypto-utils";\nexport const modPow = (b: bigint, e: bigint, p: bigint) => m(b, e, p);`,
      "node:crypto": `import * as c from "node:crypto";\nexport function modPow(b: bigint, e: bigint, p: bigint): bigint { void c; return 0n; }`,
      "eval of a computed require": `export function modPow(b: bigint, e: bigint, p: bigint): bigint { const r = eval("req" + "uire"); return r("bigint-" + "crypto-utils").modPow(b, e, p); }`,
      "a computed require": `declare const require: any;\nconst name = ["bigint", "crypto", "utils"].join("-");\nexport function modPow(b: bigint, e: bigint, p: bigint): bigint { return require(name).modPow(b, e, p); }`,
      "Function constructor": `export const modPow = new Function("b", "e", "p", "return require('bigint-crypto-utils').modPow(b, e, p)") as (b: bigint, e: bigint, p: bigint) => bigint;`,
    };
    for (const [what, text] of Object.entries(caught)) {
      const v = await forbiddenUse(learner("dh/modpow.ts", text), ROOT, r);
      expect(v, `${what}: not caught`).toBeTruthy();
      expect(v!, what).toMatch(/earns? no credit/);
    }
    const viaHelper = learner("dh/modpow.ts", `export { fast as modPow } from "./helper";`, {
      "dh/helper.ts": `import { modPow } from "../../src/math/modular";\nexport const fast = modPow;`,
    });
    expect((await forbiddenUse(viaHelper, ROOT, r))!).toMatch(/src\/math\/modular\.ts \(its modPow\)/);
    const own = `import { mod } from "../../src/math/modular";\nexport function modPow(b: bigint, e: bigint, m: bigint): bigint { let r = 1n; b = mod(b, m); while (e > 0n) { if (e & 1n) r = (r * b) % m; b = (b * b) % m; e >>= 1n; } return r; }`;
    expect(
      await forbiddenUse(learner("dh/modpow.ts", own), ROOT, r),
      "an own loop using another helper of the module is fine",
    ).toBe(undefined);
    expect(await forbiddenUse(path.join(ROOT, "solutions", "dh", "modpow.ts"), ROOT, r)).toBe(undefined);
    expect(await forbiddenUse(path.join(ROOT, "exercises", "dh", "modpow.ts"), ROOT, r)).toBe(undefined);
  },
);

it(
  "crt, bsgs and quoting: the library's own function is refused, the allowed helpers are not",
  { timeout: 60_000 },
  async () => {
    const crt = rule(dlogExercises, "dlog.crt");
    expect(
      await forbiddenUse(
        learner(
          "dlog/crt.ts",
          `import { crt as c } from "../../src/math/modular";\nexport const crt = (r: bigint[], m: bigint[]) => c(r, m).x;`,
        ),
        ROOT,
        crt,
      ),
    ).toBeTruthy();
    const ownCrt = `import { modInv } from "../../src/math/modular";\nexport function crt(r: bigint[], m: bigint[]): bigint { let x = 0n, M = 1n; for (let i = 0; i < r.length; i++) { const t = (((r[i]! - x) % m[i]!) + m[i]!) * modInv(M % m[i]!, m[i]!) % m[i]!; x += M * t; M *= m[i]!; } return ((x % M) + M) % M; }`;
    expect(await forbiddenUse(learner("dlog/crt.ts", ownCrt), ROOT, crt)).toBe(undefined);
    const bsgs = rule(dlogExercises, "dlog.bsgs");
    expect(
      await forbiddenUse(
        learner(
          "dlog/bsgs.ts",
          `import { dlog } from "../../src/dlog";\nexport const bsgs = (g: bigint, h: bigint, p: bigint) => dlog(g, h, p).x;`,
        ),
        ROOT,
        bsgs,
      ),
    ).toBeTruthy();
    expect(await forbiddenUse(path.join(ROOT, "solutions", "dlog", "bsgs.ts"), ROOT, bsgs)).toBe(undefined);
    const q = rule(shellExercises, "shell.quote-one");
    expect(
      await forbiddenUse(
        learner(
          "shell/quote.ts",
          `import { quote } from "../../src/shell";\nexport function quoteWord(s: string) { return quote(s); }`,
        ),
        ROOT,
        q,
      ),
    ).toBeTruthy();
    expect(
      await forbiddenUse(
        learner(
          "shell/quote.ts",
          `import sq from "shell-quote";\nexport function quoteWord(s: string) { return sq.quote([s]); }`,
        ),
        ROOT,
        q,
      ),
    ).toBeTruthy();
    expect(await forbiddenUse(path.join(ROOT, "solutions", "shell", "quote.ts"), ROOT, q)).toBe(undefined);
  },
);

it("the exercise's tests fail with the own-work message before calling the answer", { timeout: 60_000 }, async () => {
  const ex = dhExercises.find((e) => e.id === "dh.modpow")!;
  const file = learner("dh/modpow.ts", `export { modPow } from "../../src/math/modular";`);
  let called = false;
  const answer = { modPow: async () => ((called = true), 8n) };
  for (const t of [...ex.public, ...ex.hidden]) {
    const out = (await t.run(answer, { root: ROOT, answerPath: file, evaluate: evaluateInteger })) as {
      pass: boolean;
      message: string;
    };
    expect(out.pass, t.name).toBe(false);
    expect(out.message).toMatch(/library's own implementation/);
  }
  expect(called).toBe(false);
});

/** Pure error formatting used by the kernel (src/kernel/errors.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanStack, diagnosticsError, parseDiagnosticCall, thrownError } from "../../src/kernel/errors";

const T = { timeout: 5000 };

test("diagnostics: every message with line:col, counted in the first traceback line", T, () => {
  const e = diagnosticsError([
    { line: 1, column: 7, message: "Type 'string' is not assignable to type 'number'." },
    { file: "lib.ts", line: 3, column: 1, message: "Cannot find name 'x'." },
  ]);
  assert.equal(e.ename, "TSError");
  assert.equal(e.evalue, "1:7 - Type 'string' is not assignable to type 'number'.\nlib.ts 3:1 - Cannot find name 'x'.");
  assert.equal(e.traceback[0], "TSError: the cell did not compile (2 TypeScript errors):");
  assert.equal(e.traceback.length, 3);
});

test("tslab's console.error diagnostic call is recognised; other calls are not", T, () => {
  assert.deepEqual(parseDiagnosticCall(["%s%d:%d - %s", "", 2, 5, "boom"]), { line: 2, column: 5, message: "boom" });
  assert.equal(parseDiagnosticCall([new Error("x")]), null);
  assert.equal(parseDiagnosticCall(["%s%d:%d - %s"]), null);
});

test("kernel and vm frames are removed, the cell's frames kept", T, () => {
  const stack = ["Error: x", "    at f (evalmachine.<anonymous>:2:7)", "    at Script.runInThisContext (node:vm:1:1)", "    at Object.execute (/r/node_modules/tslab/dist/executor.js:9:9)", "    at g (/r/dist/dh/modular.js:4:4)"].join("\n");
  assert.deepEqual(cleanStack(stack), ["Error: x", "    at f (<cell, compiled JS>:2:7)", "    at g (/r/dist/dh/modular.js:4:4)"]);
});

test("thrown values: Error subclasses, decorated vm stacks, non-Errors", T, () => {
  const e = new TypeError("bad");
  e.stack = "evalmachine.<anonymous>:2\nthrow new TypeError('bad');\n^\n\nTypeError: bad\n    at evalmachine.<anonymous>:2:7";
  assert.deepEqual(thrownError(e), { ename: "TypeError", evalue: "bad", traceback: ["TypeError: bad", "    at <cell, compiled JS>:2:7"] });
  const s = thrownError("boom");
  assert.equal(s.ename, "NonErrorThrown");
  assert.equal(s.evalue, "'boom'");
  assert.match(s.traceback[1]!, /a string was thrown/);
  assert.equal(thrownError(null).evalue, "null");
  assert.equal(thrownError({ code: 7 }).evalue, "{ code: 7 }");
});

/** Pure error formatting used by the kernel (src/kernel/errors.ts). */
import { it, expect } from "vitest";
import { cleanStack, diagnosticsError, parseDiagnosticCall, thrownError } from "../../src/kernel/errors";

const T = { timeout: 5000 };

it("diagnostics: every message with line:col, counted in the first traceback line", T, () => {
  const e = diagnosticsError([
    { line: 1, column: 7, message: "Type 'string' is not assignable to type 'number'." },
    { file: "lib.ts", line: 3, column: 1, message: "Cannot find name 'x'." },
  ]);
  expect(e.ename).toBe("TSError");
  expect(e.evalue).toBe("1:7 - Type 'string' is not assignable to type 'number'.\nlib.ts 3:1 - Cannot find name 'x'.");
  expect(e.traceback[0]).toBe("TSError: the cell did not compile (2 TypeScript errors):");
  expect(e.traceback.length).toBe(3);
});

it("tslab's console.error diagnostic call is recognised; other calls are not", T, () => {
  expect(parseDiagnosticCall(["%s%d:%d - %s", "", 2, 5, "boom"])).toStrictEqual({
    line: 2,
    column: 5,
    message: "boom",
  });
  expect(parseDiagnosticCall([new Error("x")])).toBe(null);
  expect(parseDiagnosticCall(["%s%d:%d - %s"])).toBe(null);
});

it("kernel and vm frames are removed, the cell's frames kept", T, () => {
  const stack = [
    "Error: x",
    "    at f (evalmachine.<anonymous>:2:7)",
    "    at Script.runInThisContext (node:vm:1:1)",
    "    at Object.execute (/r/node_modules/tslab/dist/executor.js:9:9)",
    "    at g (/r/dist/dh/modular.js:4:4)",
  ].join("\n");
  expect(cleanStack(stack)).toStrictEqual([
    "Error: x",
    "    at f (<cell, compiled JS>:2:7)",
    "    at g (/r/dist/dh/modular.js:4:4)",
  ]);
});

it("thrown values: Error subclasses, decorated vm stacks, non-Errors", T, () => {
  const e = new TypeError("bad");
  e.stack =
    "evalmachine.<anonymous>:2\nthrow new TypeError('bad');\n^\n\nTypeError: bad\n    at evalmachine.<anonymous>:2:7";
  expect(thrownError(e)).toStrictEqual({
    ename: "TypeError",
    evalue: "bad",
    traceback: ["TypeError: bad", "    at <cell, compiled JS>:2:7"],
  });
  const s = thrownError("boom");
  expect(s.ename).toBe("NonErrorThrown");
  expect(s.evalue).toBe("'boom'");
  expect(s.traceback[1]!).toMatch(/a string was thrown/);
  expect(thrownError(null).evalue).toBe("null");
  expect(thrownError({ code: 7 }).evalue).toBe("{ code: 7 }");
});

/**
 * Source shape the project makes a rule (issue #17): no function in src/ longer than 150 lines,
 * no line in src/ longer than 120 characters (src/grading/sealed-keys.ts is generated and exempt).
 * Functions are found with the TypeScript compiler API: declarations, methods, constructors,
 * accessors, arrow functions and function expressions, each measured from its first to its last line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, it, expect } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const SRC = path.join(ROOT, "src");
const MAX_FUNCTION_LINES = 150;
const MAX_LINE_CHARS = 120;
const LINE_EXEMPT = new Set(["src/grading/sealed-keys.ts"]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out.sort();
}

/** "file:line name (N lines)" for each function of `text` longer than `limit` lines. */
function longFunctions(file: string, text: string, limit: number): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isConstructorDeclaration(n) ||
      ts.isGetAccessorDeclaration(n) ||
      ts.isSetAccessorDeclaration(n) ||
      ts.isArrowFunction(n) ||
      ts.isFunctionExpression(n)
    ) {
      const first = sf.getLineAndCharacterOfPosition(n.getStart()).line;
      const last = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit) {
        const name = "name" in n && n.name ? n.name.getText(sf) : "(anonymous)";
        found.push(`${file}:${first + 1} ${name} (${lines} lines)`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** "file:line (N characters)" for each line of `text` longer than `limit` characters. */
function longLines(file: string, text: string, limit: number): string[] {
  const found: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const chars = [...line].length;
    if (chars > limit) found.push(`${file}:${i + 1} (${chars} characters)`);
  });
  return found;
}

const files = sourceFiles(SRC).map((f) => ({
  rel: path.relative(ROOT, f).split(path.sep).join("/"),
  text: fs.readFileSync(f, "utf8"),
}));

describe("source shape", () => {
  it("the checks find a long function and a long line", () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES - 1 }, (_, i) => `  const v${i} = ${i};`).join("\n");
    const tooLong = `export function big(): void {\n${body}\n}\nconst f = () => {\n  return 1;\n};\n`;
    expect(longFunctions("x.ts", tooLong, MAX_FUNCTION_LINES)).toEqual(["x.ts:1 big (151 lines)"]);
    const fits = tooLong.replace("  const v0 = 0;\n", "");
    expect(longFunctions("x.ts", fits, MAX_FUNCTION_LINES)).toEqual([]);
    expect(longLines("y.ts", `ok\n${"é".repeat(MAX_LINE_CHARS)}\n${"x".repeat(121)}`, MAX_LINE_CHARS)).toEqual([
      "y.ts:3 (121 characters)",
    ]);
  });

  it("src/ has files to check", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it(`no function in src/ is longer than ${MAX_FUNCTION_LINES} lines`, { timeout: 60_000 }, () => {
    const found = files.flatMap((f) => longFunctions(f.rel, f.text, MAX_FUNCTION_LINES));
    expect(found, `split these into smaller named functions:\n${found.join("\n")}`).toEqual([]);
  });

  it(`no line in src/ is longer than ${MAX_LINE_CHARS} characters`, () => {
    const found = files.filter((f) => !LINE_EXEMPT.has(f.rel)).flatMap((f) => longLines(f.rel, f.text, MAX_LINE_CHARS));
    expect(found, `wrap these lines:\n${found.join("\n")}`).toEqual([]);
  });
});

/**
 * Reads learners' inline answers out of notebooks without running them.
 *
 * An exercise cell looks like `check("mod.ex1", "103*42 mod 17")`. The grader parses each code
 * cell with the TypeScript compiler and accepts only literal answers (strings, numbers, bigints,
 * booleans, null, arrays and objects of those, optionally with `as T`); a non-literal answer is
 * reported as such, never evaluated. Running learner notebooks to collect answers would let a
 * notebook decide its own grade.
 */
import * as fs from "node:fs";
import type * as TS from "typescript";
import { ParseError } from "../util/errors";
import { looseSource, parseLooseNotebook } from "../jupyter/nbformat";

// The TypeScript compiler is large (≈1 s to load): only the collector and the CLI grader need it,
// never a notebook's check().
let tsModule: typeof TS | undefined;
function tsc(): typeof TS {
  return (tsModule ??= require("typescript") as typeof TS);
}

export interface NotebookAnswer {
  id: string;
  /** The literal value, or undefined when `error` says why it could not be read. */
  value?: unknown;
  error?: string;
  /** Where: notebook file, cell index (0-based), line in the cell (1-based). */
  file: string;
  cell: number;
  line: number;
}

class NotLiteral extends Error {}

function literal(node: TS.Expression, sf: TS.SourceFile): unknown {
  const ts = tsc();
  if (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node)
  ) {
    return literal(node.expression, sf);
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ""));
  if (ts.isBigIntLiteral(node)) return BigInt(node.text.replace(/_/g, "").slice(0, -1));
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isIdentifier(node) && node.text === "undefined") return undefined;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const v = literal(node.operand, sf);
    if (typeof v === "number") return -v;
    if (typeof v === "bigint") return -v;
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => literal(e, sf));
  if (ts.isObjectLiteralExpression(node)) {
    const o: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p)) throw new NotLiteral(p.getText(sf));
      const key =
        ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name) ? p.name.text : null;
      if (key === null) throw new NotLiteral(p.name.getText(sf));
      o[key] = literal(p.initializer, sf);
    }
    return o;
  }
  throw new NotLiteral(node.getText(sf));
}

/** Finds `check("<id>", <answer>)` calls in one cell's source. */
export function answersInCell(source: string, file: string, cell: number): NotebookAnswer[] {
  const ts = tsc();
  const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true);
  const out: NotebookAnswer[] = [];
  const visit = (node: TS.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "check" &&
      node.arguments.length === 2 &&
      ts.isStringLiteral(node.arguments[0]!)
    ) {
      const id = (node.arguments[0] as TS.StringLiteral).text;
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      try {
        out.push({ id, value: literal(node.arguments[1]!, sf), file, cell, line });
      } catch (e) {
        if (!(e instanceof NotLiteral)) throw e;
        out.push({
          id,
          file,
          cell,
          line,
          error:
            `the answer \`${e.message.slice(0, 60)}\` is not a literal value; write the value itself (a ` +
            `string, number, bigint, array or object)`,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** All inline answers in a notebook file. A malformed notebook throws a ParseError naming the file. */
export function answersInNotebook(file: string): NotebookAnswer[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ParseError(`not a readable notebook: ${(e as Error).message}`, { location: { file } });
  }
  const nb = parseLooseNotebook(text, file);
  const out: NotebookAnswer[] = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    out.push(...answersInCell(looseSource(c), file, i));
  });
  return out;
}

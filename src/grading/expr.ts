/**
 * Exact arithmetic for learners' answers: "103*42 mod 17", "7^29 mod 17", "2^16+1".
 *
 * mathjs (https://mathjs.org) parses the expression; numbers are exact fractions (mathjs
 * `number: 'Fraction'`), so `10/3` is not silently truncated to 3. The answer must come out as an
 * integer; anything else is a clear error that names the expression.
 */
import type { MathJsInstance } from "mathjs";
import { InputError } from "../util/errors";

let math: MathJsInstance | undefined;

/** mathjs takes about a second to load, so it is loaded only for a real expression. */
function mathjs(): MathJsInstance {
  if (!math) {
    const { create, all } = require("mathjs") as typeof import("mathjs");
    math = create(all, { number: "Fraction" });
  }
  return math;
}

const PLAIN_INTEGER = /^[+-]?(?:\d[\d_]*|0x[0-9a-f][0-9a-f_]*)n?$/i;

/** Longest expression accepted (answers are short; this keeps abuse bounded). */
export const MAX_EXPRESSION_LENGTH = 2000;

/**
 * Loads mathjs now if `answer` (or any string inside it) will need it, so the cost lands in the
 * grader's load phase and not inside a timed test.
 */
export function preloadFor(answer: unknown): void {
  const needs = (v: unknown): boolean =>
    typeof v === "string"
      ? v.trim() !== "" && !PLAIN_INTEGER.test(v.trim()) && v.length <= MAX_EXPRESSION_LENGTH
      : Array.isArray(v)
        ? v.some(needs)
        : false;
  if (needs(answer)) mathjs();
}

/**
 * Evaluates an integer answer. Accepts a bigint, a safe integer number, or a string expression.
 * @example evaluateInteger("103*42 mod 17") // 8n
 */
export function evaluateInteger(expr: unknown): bigint {
  if (typeof expr === "bigint") return expr;
  if (typeof expr === "number") {
    if (!Number.isSafeInteger(expr)) throw new InputError("the answer must be an integer", { value: expr });
    return BigInt(expr);
  }
  if (typeof expr !== "string") {
    throw new InputError("the answer must be an integer or an expression in a string", { value: expr });
  }
  const text = expr.trim();
  if (text === "") throw new InputError("the answer is empty", { value: expr });
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new InputError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, { value: text });
  }
  if (PLAIN_INTEGER.test(text)) {
    const digits = text.replace(/_/g, "").replace(/n$/i, "");
    const neg = digits.startsWith("-");
    const body = digits.replace(/^[+-]/, "");
    const v = BigInt(body);
    return neg ? -v : v;
  }
  let v: unknown;
  try {
    v = mathjs().evaluate(text);
  } catch (e) {
    throw new InputError(`cannot evaluate the expression: ${(e as Error).message}`, { value: text });
  }
  const m = mathjs();
  if (m.typeOf(v) !== "Fraction") {
    throw new InputError(`the expression must give a single integer, it gave a ${m.typeOf(v)}`, { value: text });
  }
  const f = v as { s: bigint; n: bigint; d: bigint };
  if (f.d !== 1n) throw new InputError(`the expression is not an integer (it is ${String(v)})`, { value: text });
  return f.s * f.n;
}

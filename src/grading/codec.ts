/**
 * JSON with bigints, for answers and results that cross a process boundary
 * (`{"$bigint": "123"}`). Functions and symbols cannot cross: they are refused with a message.
 */
import { InputError } from "../util/errors";

export function encode(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") return { $bigint: v.toString() };
    if (typeof v === "function") {
      throw new InputError(
        "a function cannot be given inline; put your code in the exercise file and call check(id) without an answer",
        { value: v },
      );
    }
    if (typeof v === "symbol") throw new InputError("a symbol cannot be an answer", { value: v });
    if (v === undefined) return { $undefined: true };
    return v;
  });
}

export function decode(text: string): unknown {
  return JSON.parse(text, (_k, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === "$bigint" && typeof v.$bigint === "string") return BigInt(v.$bigint);
      if (keys.length === 1 && keys[0] === "$undefined") return undefined;
    }
    return v;
  });
}

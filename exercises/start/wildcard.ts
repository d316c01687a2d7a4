// Warm-up exercise start.wildcard (notebook 00-start-here).
// Return the wildcard mask of a prefix length as a dotted quad: 24 → "0.0.0.255".
// Throw a RangeError for anything that is not an integer from 0 to 32.
import { todo } from "../../src/grading/spec";

export function wildcardMask(prefixLen: number): string {
  return todo("wildcardMask");
}

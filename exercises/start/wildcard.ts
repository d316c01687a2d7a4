// Exercise start.wildcard: Wildcard mask of a prefix length (notebook 00-start-here; 7 points: 4 public + 3 hidden)
//
// Implement `wildcardMask(prefixLen)` in `exercises/start/wildcard.ts`: the dotted-quad wildcard
// mask (the complement of the netmask), e.g. 24 → `0.0.0.255`, 22 → `0.0.3.255`. Throw a
// RangeError for lengths outside 0–32 or non-integers.
//
// Grade with: npx wirelab grade start.wildcard
import { todo } from "../../src/grading/spec";

export function wildcardMask(prefixLen: number): string {
  return todo("wildcardMask");
}

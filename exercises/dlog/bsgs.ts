// Exercise dlog.bsgs: Baby-step giant-step (notebook 03-precomputed-prime-attack; 7 points: 5 public + 2 hidden)
//
// Implement `bsgs(g, h, p, n)` in `exercises/dlog/bsgs.ts`: return x in [0, n) with g^x ≡ h (mod
// p), where n = ord(g), or `null` when h is not a power of g. Store about sqrt(n) baby steps, then
// take giant steps of g^(-m).
//
// Own work: this answer is also a library function. Calling, wrapping or re-exporting the
// library's bruteForce (src/dlog/generic.ts), bsgs (src/dlog/generic.ts), rho
// (src/dlog/generic.ts), rhoTextbook (src/dlog/generic.ts), kangaroo (src/dlog/generic.ts),
// pohligHellman (src/dlog/generic.ts), dlog (src/dlog/dlog.ts), src/dlog/index-calculus.ts (or any
// npm package) here earns no credit. modPow and modInv from the library are fine; the baby steps
// and giant steps are the exercise.
//
// Grade with: npx wirelab grade dlog.bsgs
// Baby-step giant-step: let m = ceil(sqrt(n)); store g^j → j for j = 0 … m-1 in a Map;
// then compute h·(g^-m)^i for i = 0 … m-1 and look each up: a hit j gives x = i·m + j.
// Use modPow and modInv from src/math/modular. A Map<bigint, number> compares bigint keys by value.
import { todo } from "../../src/grading/spec";

export function bsgs(g: bigint, h: bigint, p: bigint, n: bigint): bigint | null {
  return todo("bsgs");
}

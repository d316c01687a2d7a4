// Exercise dlog.bsgs (notebook 03-precomputed-prime-attack).
// Return x in [0, n) with g^x ≡ h (mod p), where n is the order of g, or null when no such x exists.
// Baby-step giant-step: let m = ceil(sqrt(n)); store g^j → j for j = 0 … m-1 in a Map;
// then compute h·(g^-m)^i for i = 0 … m-1 and look each up: a hit j gives x = i·m + j.
// Use modPow and modInv from src/math/modular. A Map<bigint, number> compares bigint keys by value.
// Own work: calling, wrapping or re-exporting the library's bsgs, rho, kangaroo, pohligHellman, dlog or index calculus (or any npm package) here earns no credit (the grader checks).
import { todo } from "../../src/grading/spec";

export function bsgs(g: bigint, h: bigint, p: bigint, n: bigint): bigint | null {
  return todo("bsgs");
}

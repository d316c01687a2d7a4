// Exercise dh.modpow: Square-and-multiply (notebook 02-diffie-hellman; 11 points: 7 public + 4 hidden)
//
// Implement `modPow(base, exp, m)` in `exercises/dh/modpow.ts` by repeated squaring: `base^exp mod
// m` for bigints with exp ≥ 0, m > 1. It must handle 2048-bit numbers in well under a second, so
// never compute `base ** exp` first: the public tests include a 2048-bit exponent with a 5-second
// limit, and the hidden tests try other inputs (a base larger than the modulus, modulus 2, a huge
// exponent of 1).
//
// Own work: this answer is also a library function. Calling, wrapping or re-exporting the
// library's modPow (src/math/modular.ts), modPowWith (src/math/modular.ts), modPowTrace
// (src/math/modular.ts) (or any npm package) here earns no credit. Write the square-and-multiply
// loop yourself: the library's modPow is what you are rebuilding.
//
// Grade with: npx wirelab grade dh.modpow
// Hint: walk the bits of exp; square at every bit, multiply when the bit is 1, reduce mod m every time.
import { todo } from "../../src/grading/spec";

export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  return todo("modPow");
}

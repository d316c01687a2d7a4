// Exercise dlog.kangaroo: Pollard's kangaroo: a log in a known interval (notebook 03-precomputed-prime-attack; 11 points: 7 public + 4 hidden)
//
// Implement `kangaroo(g, h, p, a, b)` in `exercises/dlog/kangaroo.ts`: return the x in [a, b] with
// g^x ≡ h (mod p), or `null` when no x in [a, b] works. The order of g is far larger than b − a,
// so the work must grow like sqrt(b − a), with constant memory. Jumps are f(y) = 2^(y mod k), with
// k the smallest integer whose mean jump (2^k − 1)/k is at least sqrt(b − a)/2. The tame kangaroo
// starts at g^b and makes N = 4·mean jumps, adding each jump to its distance dT; it stops there
// (the trap). The wild kangaroo starts at h and jumps by the same rule, adding to dW; if it lands
// on the trap, x = b + dT − dW; once dW > (b − a) + dT it has passed the trap. After a miss, try
// again with k + 1; after 5 misses, return null. The public tests include an interval 2^32 wide: a
// walk over the interval, or a method that ignores it, will not finish in time.
//
// Own work: this answer is also a library function. Calling, wrapping or re-exporting the
// library's bruteForce (src/dlog/generic.ts), bsgs (src/dlog/generic.ts), rho
// (src/dlog/generic.ts), rhoTextbook (src/dlog/generic.ts), kangaroo (src/dlog/generic.ts),
// pohligHellman (src/dlog/generic.ts), dlog (src/dlog/dlog.ts), src/dlog/index-calculus.ts (or any
// npm package) here earns no credit. modPow from the library is fine; the two kangaroos are the
// exercise.
//
// Grade with: npx wirelab grade dlog.kangaroo
// modPow from src/math/modular computes g^e mod p; precompute g^(2^j) for j < k.
import { todo } from "../../src/grading/spec";

export function kangaroo(g: bigint, h: bigint, p: bigint, a: bigint, b: bigint): bigint | null {
  return todo("kangaroo");
}

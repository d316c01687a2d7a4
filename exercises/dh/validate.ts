// Exercise dh.validate: Validate a peer's public key (notebook 02-diffie-hellman; 10 points: 6 public + 4 hidden)
//
// Implement `checkPeerKey(y, p, q)` in `exercises/dh/validate.ts` for a safe prime p = 2q + 1:
// return `"range"` unless 2 ≤ y ≤ p − 2, else `"subgroup"` unless y^q mod p = 1, else `"ok"` (RFC
// 7919 §5.1, NIST SP 800-56A §5.6.2.3.1).
//
// Own work: this answer is also a library function. Calling, wrapping or re-exporting the
// library's checkPublicKey (src/dh/validate.ts), validatePublicKey (src/dh/validate.ts) (or any
// npm package) here earns no credit. modPow from the library is fine; write the range and subgroup
// checks yourself.
//
// Grade with: npx wirelab grade dh.validate
// You may use modPow from the library: import { modPow } from "../../src/math/modular";
import { todo } from "../../src/grading/spec";

export function checkPeerKey(y: bigint, p: bigint, q: bigint): "ok" | "range" | "subgroup" {
  return todo("checkPeerKey");
}

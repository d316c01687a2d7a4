// Exercise dh.validate (notebook 02-diffie-hellman).
// A peer sent you y. For a safe prime p = 2q + 1 return:
//   "range"    unless 2 ≤ y ≤ p − 2            (RFC 7919 §5.1)
//   "subgroup" unless y^q mod p = 1             (NIST SP 800-56A §5.6.2.3.1)
//   "ok"       otherwise.
// You may use modPow from the library: import { modPow } from "../../src/dh";
// Own work: calling, wrapping or re-exporting the library's checkPublicKey / validatePublicKey here earns no credit (the grader checks).
import { todo } from "../../src/grading/spec";

export function checkPeerKey(y: bigint, p: bigint, q: bigint): "ok" | "range" | "subgroup" {
  return todo("checkPeerKey");
}

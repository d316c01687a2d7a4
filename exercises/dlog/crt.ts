// Exercise dlog.crt (notebook 03-precomputed-prime-attack).
// The last step of Pohlig-Hellman: given x ≡ residues[i] (mod moduli[i]) for pairwise coprime
// moduli, return the unique x with 0 ≤ x < (product of the moduli).
// Build it up one congruence at a time: if x ≡ a (mod M) so far and you need x ≡ r (mod m),
// then x = a + M·t with t = (r - a)·M^-1 mod m (modInv from src/math/modular).
// Own work: calling, wrapping or re-exporting the library's crt (or any npm package) here earns no credit (the grader checks).
import { todo } from "../../src/grading/spec";

export function crt(residues: bigint[], moduli: bigint[]): bigint {
  return todo("crt");
}

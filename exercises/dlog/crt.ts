// Exercise dlog.crt: The CRT step of Pohlig-Hellman (notebook 03-precomputed-prime-attack; 6 points: 4 public + 2 hidden)
//
// Implement `crt(residues, moduli)` in `exercises/dlog/crt.ts`: the unique x in [0, ∏ moduli) with
// x ≡ residues[i] (mod moduli[i]) for pairwise coprime moduli. Pohlig-Hellman finds x modulo each
// prime power of ord(g) and glues the pieces with it.
//
// Own work: this answer is also a library function. Calling, wrapping or re-exporting the
// library's crt (src/math/modular.ts) (or any npm package) here earns no credit. modInv from the
// library is fine; combine the congruences yourself.
//
// Grade with: npx wirelab grade dlog.crt
// Build it up one congruence at a time: if x ≡ a (mod M) so far and you need x ≡ r (mod m),
// then x = a + M·t with t = (r - a)·M^-1 mod m (modInv from src/math/modular).
import { todo } from "../../src/grading/spec";

export function crt(residues: bigint[], moduli: bigint[]): bigint {
  return todo("crt");
}

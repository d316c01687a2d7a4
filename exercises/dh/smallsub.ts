// Exercise dh.smallsub: Small-subgroup attack on a peer that does not validate (notebook 02-diffie-hellman; 8 points: 4 public + 4 hidden)
//
// Implement `recoverKey(group, victim, tagOf)` in `exercises/dh/smallsub.ts`. `group` is `{ p, g,
// q, smallFactors }` with p − 1 = 2 · (∏ smallFactors) · q. `victim(y)` computes its secret y^x
// mod p without validating y and answers `{ tag }` where `tag = tagOf(secret)`. For each small
// factor r, send an element of order r, find x mod r by trying the r candidates, then combine the
// residues with `crt` (from src/dh). Return x.
//
// Own work: this answer is also a library function. Calling, wrapping or re-exporting the
// library's smallSubgroupAttack (src/dh/attacks.ts) (or any npm package) here earns no credit.
// modPow and crt from the library are fine; the attack loop is the exercise.
//
// Grade with: npx wirelab grade dh.smallsub
// Hint, for each small factor r:
//   1. find h of order r: h = c^((p − 1) / r) mod p for c = 2, 3, … until h ≠ 1;
//   2. ask the victim: const { tag } = victim(h);
//   3. find k in 0 … r−1 with tagOf(h^k mod p) === tag: then x ≡ k (mod r).
// Then crt(residues, moduli).x is x (the factors multiply to more than q).
import { todo } from "../../src/grading/spec";
// import { modPow, crt } from "../../src/dh";

export interface AttackGroup {
  p: bigint;
  g: bigint;
  q: bigint;
  smallFactors: bigint[];
}

export function recoverKey(group: AttackGroup, victim: (y: bigint) => { tag?: string; error?: string }, tagOf: (secret: bigint) => string): bigint {
  return todo("recoverKey");
}

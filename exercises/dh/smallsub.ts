// Exercise dh.smallsub (notebook 02-diffie-hellman): the Lim-Lee small-subgroup attack.
// group: { p, g, q, smallFactors } with p − 1 = 2 · (product of smallFactors) · q.
// victim(y): computes y^x mod p WITHOUT validating y and answers { tag } with tag = tagOf(y^x mod p).
// For each small factor r:
//   1. find h of order r: h = c^((p − 1) / r) mod p for c = 2, 3, … until h ≠ 1;
//   2. ask the victim: const { tag } = victim(h);
//   3. find k in 0 … r−1 with tagOf(h^k mod p) === tag: then x ≡ k (mod r).
// Finally combine the residues: crt(residues, moduli).x is x (the factors multiply to more than q).
// Own work: calling, wrapping or re-exporting the library's smallSubgroupAttack here earns no credit (the grader checks).
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

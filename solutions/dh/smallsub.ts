// Reference for dh.smallsub: one query per small factor, brute force the residue, CRT.
import { crt, modPow } from "../../src/dh";

export interface AttackGroup {
  p: bigint;
  g: bigint;
  q: bigint;
  smallFactors: bigint[];
}

export function recoverKey(group: AttackGroup, victim: (y: bigint) => { tag?: string; error?: string }, tagOf: (secret: bigint) => string): bigint {
  const { p } = group;
  const residues: bigint[] = [];
  for (const r of group.smallFactors) {
    let h = 1n;
    for (let c = 2n; h === 1n; c++) h = modPow(c, (p - 1n) / r, p);
    const { tag } = victim(h);
    let k = 0n;
    while (k < r && tagOf(modPow(h, k, p)) !== tag) k++;
    if (k === r) throw new Error(`no residue mod ${r} matched the victim's tag`);
    residues.push(k);
  }
  return crt(residues, group.smallFactors).x;
}

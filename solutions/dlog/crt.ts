// Reference answer for dlog.crt.
import { mod, modInv } from "../../src/math/modular";

export function crt(residues: bigint[], moduli: bigint[]): bigint {
  let x = 0n;
  let M = 1n;
  for (let i = 0; i < moduli.length; i++) {
    const m = moduli[i]!;
    const t = mod((residues[i]! - x) * modInv(M, m), m);
    x += M * t;
    M *= m;
  }
  return mod(x, M);
}

// Reference answer for dlog.bsgs.
import { modInv, modPow } from "../../src/math/modular";

export function bsgs(g: bigint, h: bigint, p: bigint, n: bigint): bigint | null {
  let m = 1n;
  while (m * m < n) m++;
  const table = new Map<bigint, number>();
  let y = 1n;
  for (let j = 0; j < Number(m); j++) {
    if (!table.has(y)) table.set(y, j);
    y = (y * g) % p;
  }
  const step = modInv(modPow(g, m, p), p);
  let gamma = ((h % p) + p) % p;
  for (let i = 0n; i < m; i++) {
    const j = table.get(gamma);
    if (j !== undefined) return (i * m + BigInt(j)) % n;
    gamma = (gamma * step) % p;
  }
  return null;
}

// Reference answer for dlog.kangaroo (Pollard's kangaroo, Cryptopals set 8 challenge 58 style).
import { modPow } from "../../src/math/modular";

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

export function kangaroo(g: bigint, h: bigint, p: bigint, a: bigint, b: bigint): bigint | null {
  h = ((h % p) + p) % p;
  const half = isqrt(b - a) / 2n;
  let k = 1;
  while ((2n ** BigInt(k) - 1n) / BigInt(k) < half) k++;
  for (let attempt = 0; attempt < 5; attempt++, k++) {
    const jumps: bigint[] = [];
    const powers: bigint[] = [];
    for (let j = 0; j < k; j++) {
      jumps.push(1n << BigInt(j));
      powers.push(modPow(g, 1n << BigInt(j), p));
    }
    const mean = (2n ** BigInt(k) - 1n) / BigInt(k);
    const n = 4n * (mean > 0n ? mean : 1n);
    let yT = modPow(g, b, p);
    let dT = 0n;
    for (let i = 0n; i < n; i++) {
      const j = Number(yT % BigInt(k));
      dT += jumps[j]!;
      yT = (yT * powers[j]!) % p;
    }
    let yW = h;
    let dW = 0n;
    while (dW <= b - a + dT) {
      if (yW === yT) {
        const x = b + dT - dW;
        if (x >= a && x <= b && modPow(g, x, p) === h) return x;
        break;
      }
      const j = Number(yW % BigInt(k));
      dW += jumps[j]!;
      yW = (yW * powers[j]!) % p;
    }
  }
  return null;
}

// Reference for dh.modpow: right-to-left repeated squaring (as in the DH primer's 7^29 mod 17).
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let square = ((base % m) + m) % m; // base^(2^i) mod m
  let result = 1n % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * square) % m;
    square = (square * square) % m;
  }
  return result;
}

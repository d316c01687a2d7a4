// Answers for notebooks 01-modular-arithmetic (mod.ex1 … mod.ex9) and 02-diffie-hellman
// (dh.exchange, dh.trace). Replace each `undefined`, then run
//   npx wirelab grade dh
// A number (3), a bigint (3n) or an expression in a string ("30 mod 9") are all fine for ex1 … ex9.
type Value = number | bigint | string | undefined;

export const ex1: Value = undefined; // (12 + 18) mod 9
export const ex2: Value = undefined; // (3 · 7) mod 11
export const ex3: Value = undefined; // ((103 mod 17) · (42 mod 17)) mod 17
export const ex4: Value = undefined; // (103 · 42) mod 17
export const ex5: Value = undefined; // 7^2 mod 13
export const ex6: Value = undefined; // 7^3 mod 13
export const ex7: Value = undefined; // 7^4 mod 13
export const ex8: Value = undefined; // 7^5 mod 13
export const ex9: Value = undefined; // 7^6 mod 13

// dh.exchange: { J, K, secret } for group modp768 with the private keys given in the notebook.
export const exchange: { J: bigint | string; K: bigint | string; secret: bigint | string } | undefined = undefined;

// dh.trace: 5^43 mod 23 by repeated squaring, bit 0 first.
export const trace: { binary: string; squares: Array<number | bigint>; used: boolean[]; result: number | bigint } | undefined = undefined;

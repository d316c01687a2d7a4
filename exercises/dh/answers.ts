// Answers for notebooks 01-modular-arithmetic (mod.ex1 … mod.ex9) and 02-diffie-hellman
// (dh.exchange, dh.trace). Replace each `undefined`, then run
//   npx wirelab grade dh
// A number (3), a bigint (3n) or an expression in a string ("30 mod 9") are all fine for ex1 … ex9.
type Value = number | bigint | string | undefined;

// mod.ex1: Practice 1: (12 + 18) mod 9 (2 points: 1 public + 1 hidden)
export const ex1: Value = undefined; // (12 + 18) mod 9
// mod.ex2: Practice 2: (3 · 7) mod 11 (2 points: 1 public + 1 hidden)
export const ex2: Value = undefined; // (3 · 7) mod 11
// mod.ex3: Practice 3: ((103 mod 17) · (42 mod 17)) mod 17 (2 points: 1 public + 1 hidden)
export const ex3: Value = undefined; // ((103 mod 17) · (42 mod 17)) mod 17
// mod.ex4: Practice 4: (103 · 42) mod 17 (2 points: 1 public + 1 hidden)
export const ex4: Value = undefined; // (103 · 42) mod 17
// mod.ex5: Practice 5: 7^2 mod 13 (2 points: 1 public + 1 hidden)
export const ex5: Value = undefined; // 7^2 mod 13
// mod.ex6: Practice 6: 7^3 mod 13 (2 points: 1 public + 1 hidden)
export const ex6: Value = undefined; // 7^3 mod 13
// mod.ex7: Practice 7: 7^4 mod 13 (2 points: 1 public + 1 hidden)
export const ex7: Value = undefined; // 7^4 mod 13
// mod.ex8: Practice 8: 7^5 mod 13 (2 points: 1 public + 1 hidden)
export const ex8: Value = undefined; // 7^5 mod 13
// mod.ex9: Practice 9: 7^6 mod 13 (2 points: 1 public + 1 hidden)
export const ex9: Value = undefined; // 7^6 mod 13

// dh.exchange: Run an exchange over Oakley group 1 (4 points: 3 public + 1 hidden)
export const exchange: { J: bigint | string; K: bigint | string; secret: bigint | string } | undefined = undefined;

// dh.trace: Predict the trace of 5^43 mod 23 (5 points, all public)
export const trace: { binary: string; squares: Array<number | bigint>; used: boolean[]; result: number | bigint } | undefined = undefined;

// Reference answers for mod.ex1 … mod.ex9, dh.exchange and dh.trace.
// Computed with the library where a by-hand number would be long (dh.exchange).
import { getGroup, modPow } from "../../src/dh";

type Value = number | bigint | string | undefined;

export const ex1: Value = "(12 + 18) mod 9"; // 30 = 3·9 + 3
export const ex2: Value = 10; // 21 = 11 + 10
export const ex3: Value = 8; // 103 ≡ 1, 42 ≡ 8, 1·8 = 8
export const ex4: Value = 8n; // same residue as ex3
export const ex5: Value = 10; // 49 = 3·13 + 10
export const ex6: Value = 5; // 10·7 = 70 = 5·13 + 5
export const ex7: Value = "5*7 mod 13"; // 35 → 9
export const ex8: Value = 11; // 9·7 = 63 = 4·13 + 11
export const ex9: Value = 12; // 11·7 = 77 = 5·13 + 12 (≡ −1: 7 has order 12)

const { p, g } = getGroup("modp768");
const a = 123456789012345678901234567890n;
const b = 987654321098765432109876543210n;
const J = modPow(g, a, p);
const K = modPow(g, b, p);
export const exchange = { J, K: "0x" + K.toString(16), secret: modPow(K, a, p) };

// 43 = 101011b; squares of 5 mod 23: 5, 2, 4, 16, 3, 9; bits (from bit 0) 1,1,0,1,0,1;
// result 5 · 2 · 16 · 9 = 1440 = 62 · 23 + 14.
export const trace = { binary: "101011", squares: [5, 2, 4, 16, 3, 9], used: [true, true, false, true, false, true], result: 14 };

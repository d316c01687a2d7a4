/**
 * The hand-sized relation database of notebook 03 (exercise dlog.byhand): p = 1019 (a safe prime,
 * 1019 = 2·509 + 1), g = 2 (a generator: 1019 ≡ 3 mod 8, so 2 is not a square), factor base
 * {2, 3, 5, 7}. The logs are computed (BSGS), not typed in.
 */
import { dlog } from "./dlog";

// The relation database of the by-hand exercise: p = 1019, g = 2, logs of 3, 5, 7.
export const BY_HAND = { p: 1019n, g: 2n, order: 1018n, primes: [2n, 3n, 5n, 7n], h: 945n };
export function byHandDatabase(): Array<{ prime: bigint; log: bigint }> {
  return BY_HAND.primes.map((l) => ({ prime: l, log: dlog(BY_HAND.g, l, BY_HAND.p, { method: "bsgs" }).x! }));
}

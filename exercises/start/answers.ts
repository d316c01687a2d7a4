// Warm-up answers for notebook 00-start-here. Replace `undefined` with your answer, then run
//   npx wirelab grade start
// A number (1234), a bigint (1234n) or an expression in a string ("2^8") are all fine.
// start.addresses: Addresses in a /22 (3 points: 2 public + 1 hidden)
export const addresses: number | bigint | string | undefined = undefined;

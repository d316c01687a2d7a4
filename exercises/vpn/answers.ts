// Answers for notebook 04-rt-rd-import (vpn.predict, vpn.rd-rt). Replace each `undefined`, then run
//   npx wirelab grade vpn
// (or call check("vpn.predict", …) in the notebook).

// vpn.predict: Predict the imports of a hub-and-spoke VPN (5 points, all public)
export const predict: Array<{ vrf: string; imports: string }> | undefined = undefined;
// Rows to fill, in this order: "pe1/HUB", "pe2/SPOKE", "pe3/SPOKE", "pe3/MONITOR".

// vpn.rd-rt: Read an RD and an RT by hand (3 points, all public)
export const rdRt: { rdHex: string; rt: string; type: number } | undefined = undefined;

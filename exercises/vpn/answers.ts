// Answers for notebook 04-rt-rd-import (vpn.predict, vpn.rd-rt). Replace each `undefined`, then run
//   npx wirelab grade vpn
// (or call check("vpn.predict", …) in the notebook).

// vpn.predict: for each VRF, the prefixes it imports from OTHER VRFs (not its own), e.g. "10.9.0.0/24, 10.8.0.0/24".
export const predict: Array<{ vrf: string; imports: string }> | undefined = undefined;
// Rows to fill, in this order: "pe1/HUB", "pe2/SPOKE", "pe3/SPOKE", "pe3/MONITOR".

// vpn.rd-rt: { rdHex: wire bytes of RD 10.0.0.5:100, rt: "target:…" for 02 02 00 01 00 00 00 2a, type: RD type of 65536:1 }
export const rdRt: { rdHex: string; rt: string; type: number } | undefined = undefined;

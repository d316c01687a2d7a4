// Reference answers for notebook 04-rt-rd-import (vpn.predict, vpn.rd-rt).

// vpn.predict: the hub imports both spokes; each spoke imports only the hub; MONITOR imports both
// spokes, including pe3's own SPOKE through same-router leaking (IOS does it without configuration).
export const predict: Array<{ vrf: string; imports: string }> | undefined = [
  { vrf: "pe1/HUB", imports: "10.21.0.0/24, 10.31.0.0/24" },
  { vrf: "pe2/SPOKE", imports: "10.1.0.0/16" },
  { vrf: "pe3/SPOKE", imports: "10.1.0.0/16" },
  { vrf: "pe3/MONITOR", imports: "10.21.0.0/24, 10.31.0.0/24" },
];

// 10.0.0.5:100 is type 1 (IPv4 administrator); 02 02 … is a 4-byte-AS route target; 65001:70000 has a
// 2-byte administrator and a 4-byte assigned number → type 0 (type 2 would allow only 2 bytes for 70000).
export const rdRt: { rdHex: string; rt: string; type: number } | undefined = {
  rdHex: "00 01 0a 00 00 05 00 64",
  rt: "target:65536:42",
  type: 0,
};

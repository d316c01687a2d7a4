// Answers for notebook 05-lsp-label-swaps (mpls.lfib, mpls.vpnstack, mpls.cspf, mpls.csc).
// Replace each `undefined`, then run   npx wirelab grade mpls
// (mpls.fix is graded from exercises/mpls/broken.yaml.)

// mpls.lfib: the LFIB rows of B and C in the chain A–B–C–D (labels from 100/200/300/400), for the
// FECs 10.0.0.4/32 (D) and 10.0.0.1/32 (A), in this order: B/D, B/A, C/D, C/A.
// action is "swap" or "pop"; out is the outgoing label ("" for pop); next is the next router.
export type LfibRow = { router: string; fec: string; in: number; action: string; out: number | string; next: string };
export const lfib: LfibRow[] | undefined = [
  { router: "B", fec: "10.0.0.4/32", in: 202, action: "swap", out: 302, next: "C" },
  { router: "B", fec: "10.0.0.1/32", in: 200, action: "pop", out: "", next: "A" },
  { router: "C", fec: "10.0.0.4/32", in: 302, action: "pop", out: "", next: "D" },
  { router: "C", fec: "10.0.0.1/32", in: 300, action: "swap", out: 200, next: "B" },
];

// mpls.vpnstack: the label stack (top first) on each link PE1→P1, P1→P2, P2→PE2 of a BLUE VPN
// packet from 192.168.1.0/24 to 192.168.2.0/24, with PHP (php) and with explicit null (explicitNull).
export const vpnStack: { php: number[][]; explicitNull: number[][] } | undefined = {
  php: [[2002, 4003], [3002, 4003], [4003]],
  explicitNull: [[2002, 4003], [3002, 4003], [0, 4003]],
};

// mpls.cspf: the routers of the CSPF path of a 350 Mb/s LSP PE1→PE2 on the lab topology, after a
// 700 Mb/s LSP has been signalled along PE1 P1 P2 PE2: router names in order, separated by spaces,
// from "PE1" to "PE2".
export const cspf: string | undefined = "PE1 P3 P4 PE2";

// mpls.csc: carrier supporting carrier (labs/mpls/csc.yaml). The label stack, top first, on each link
// cPE1→cCE1, cCE1→PE1, PE1→P, P→PE2, PE2→cCE2, cCE2→cPE2 of a VPN END packet from cPE1 to
// 192.168.2.0/24: an array of 6 arrays of numbers ([] for a link without labels).
export const csc: number[][] | undefined = [[2003, 7004], [3005, 7004], [4001, 5005, 7004], [5005, 7004], [6003, 7004], [7004]];

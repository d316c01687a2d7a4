// Answers for notebook 05-lsp-label-swaps (mpls.lfib, mpls.vpnstack, mpls.cspf, mpls.csc).
// Replace each `undefined`, then run   npx wirelab grade mpls
// (mpls.fix is graded from exercises/mpls/broken.yaml.)

// mpls.lfib: the LFIB rows of B and C in the chain A–B–C–D (labels from 100/200/300/400), for the
// FECs 10.0.0.4/32 (D) and 10.0.0.1/32 (A), in this order: B/D, B/A, C/D, C/A.
// action is "swap" or "pop"; out is the outgoing label ("" for pop); next is the next router.
export type LfibRow = { router: string; fec: string; in: number; action: string; out: number | string; next: string };
// mpls.lfib: Fill the LFIBs of B and C (4 points: 2 public + 2 hidden)
export const lfib: LfibRow[] | undefined = undefined;

// mpls.vpnstack: the label stack (top first) on each link PE1→P1, P1→P2, P2→PE2 of a BLUE VPN
// packet from 192.168.1.0/24 to 192.168.2.0/24, with PHP (php) and with explicit null (explicitNull).
// mpls.vpnstack: The L3VPN label stack at each hop, with and without PHP (4 points: 2 public + 2 hidden)
export const vpnStack: { php: number[][]; explicitNull: number[][] } | undefined = undefined;

// mpls.cspf: the routers of the CSPF path of a 350 Mb/s LSP PE1→PE2 on the lab topology, after a
// 700 Mb/s LSP has been signalled along PE1 P1 P2 PE2: router names in order, separated by spaces,
// from "PE1" to "PE2".
// mpls.cspf: CSPF under a bandwidth constraint (3 points: 2 public + 1 hidden)
export const cspf: string | undefined = undefined;

// mpls.csc: carrier supporting carrier (labs/mpls/csc.yaml). The label stack, top first, on each link
// cPE1→cCE1, cCE1→PE1, PE1→P, P→PE2, PE2→cCE2, cCE2→cPE2 of a VPN END packet from cPE1 to
// 192.168.2.0/24: an array of 6 arrays of numbers ([] for a link without labels).
// mpls.csc: Carrier supporting carrier: the label stack on each link (6 points, all public)
export const csc: number[][] | undefined = undefined;

/**
 * Exercise `mpls.csc` (notebook 05, carrier supporting carrier, RFC 4364 §9 with BGP-LU): predict
 * the label stack on each link of a customer carrier's VPN packet from cPE1 to 192.168.2.0/24,
 * across its site S1, the backbone's VRF CC and its site S2. The notebook works the reverse
 * direction as the example and shows every router's advertised labels. One public test per
 * segment, compared through seals (src/grading/sealed.ts); the key is the walk on the topology
 * (labs/mpls/csc.yaml, embedded so an edited lab file cannot change it; test/mpls/csc.test.ts
 * checks both agree), and plausible wrong stacks open the mechanism they miss. Keys and messages
 * sit in hidden regions (instructor copy); `wirelab seal` writes the sealed entries.
 */
import { brief } from "../grading/checks";
import { sealedFields, type Normaliser } from "../grading/sealed-checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
// wirelab:hidden-begin
import { buildNetwork } from "./network";
import { parseTopology } from "./topology";
import { trace } from "./walk";
// wirelab:hidden-end

export const CSC_YAML = `name: csc
ldp: true
routers:
  cPE1: { loopback: 10.11.0.1, domain: S1, role: pe }
  cCE1: { loopback: 10.11.0.2, domain: S1, role: ce }
  PE1:  { loopback: 10.0.0.1, domain: BB, role: pe }
  P:    { loopback: 10.0.0.2, domain: BB }
  PE2:  { loopback: 10.0.0.3, domain: BB, role: pe }
  cCE2: { loopback: 10.12.0.2, domain: S2, role: ce }
  cPE2: { loopback: 10.12.0.1, domain: S2, role: pe }
links:
  - { a: cPE1, b: cCE1 }
  - { a: cCE1, b: PE1 }
  - { a: PE1, b: P }
  - { a: P, b: PE2 }
  - { a: PE2, b: cCE2 }
  - { a: cCE2, b: cPE2 }
bgp-lu:
  - { a: cPE1, b: cCE1 }
  - { a: cCE1, b: PE1, b-vrf: CC }
  - { a: PE1, b: PE2, vrf: CC }
  - { a: PE2, b: cCE2, a-vrf: CC }
  - { a: cCE2, b: cPE2 }
vpns:
  END:
    - { pe: cPE1, prefix: 192.168.1.0/24 }
    - { pe: cPE2, prefix: 192.168.2.0/24 }
`;

export const CSC_LINKS = ["cPE1→cCE1", "cCE1→PE1", "PE1→P", "P→PE2", "PE2→cCE2", "cCE2→cPE2"];

const asStack: Normaliser = (v) => {
  if (!Array.isArray(v))
    throw new Error(`give each stack as an array of labels, top first ([] for none); got ${brief(v)}`);
  return v.map((x) => String(Number(x))).join(" ");
};

const VPN_BOTTOM =
  "The customer carrier's VPN label (advertised by cPE2 for VRF END) sits at the bottom of every " +
  "stack, unchanged from cPE1 to cPE2: neither the customer carrier's CEs nor the backbone ever look " +
  "at it.";

// wirelab:hidden-begin
/** The stacks (top first) on each link of the exercise's packet, from the walk. */
export function cscStacks(): number[][] {
  const w = trace(buildNetwork(parseTopology(CSC_YAML, "csc.yaml")), { from: "cPE1", to: "192.168.2.0/24" });
  return w.hops.filter((h) => h.next).map((h) => h.outStack.map((e) => e.label));
}

/** Plausible wrong stacks, derived from the right ones, each with the mechanism it misses. */
function wrongStacks(links: number[]): Array<{ cell: string; answer: number[]; message: string }> {
  const s = cscStacks();
  const out: Array<{ cell: string; answer: number[]; message: string }> = [];
  const add = (i: number, answer: number[], message: string) => {
    if (links.includes(i) && JSON.stringify(answer) !== JSON.stringify(s[i]))
      out.push({ cell: CSC_LINKS[i]!, answer, message });
  };
  const vpn = s[0]![s[0]!.length - 1]!;
  add(
    0,
    [vpn],
    "the VPN label alone does not get the packet to cPE2: on top rides the BGP-LU label cCE1 advertised " +
      "for cPE2's loopback (10.12.0.1/32, the VPN route's next hop)",
  );
  add(0, s[0]!.slice(0, -1), VPN_BOTTOM);
  add(1, s[1]!.slice(0, -1), VPN_BOTTOM);
  add(
    1,
    s[0]!,
    "cCE1 does not forward the label it advertised itself: it swaps it for the label its next hop, PE1, " +
      "advertised for 10.12.0.1/32 in VRF CC",
  );
  add(
    2,
    s[3]!,
    "PE1 also pushes the backbone's own LDP label for PE2's loopback on top: the VRF CC label only means " +
      "something to PE2, so the backbone core carries three labels",
  );
  add(
    2,
    [s[2]![0]!, vpn],
    "PE1 does not replace the customer's label by the backbone's: it swaps it for PE2's VRF CC label and " +
      "pushes the LDP label on top of that",
  );
  add(
    3,
    s[2]!,
    "P is the penultimate hop of the backbone's LDP LSP to PE2, and PE2 advertised implicit null for its " +
      "loopback: P pops the top label (PHP)",
  );
  add(4, s[3]!, "PE2 swaps its own VRF CC label for the label cCE2 advertised for 10.12.0.1/32");
  add(
    5,
    s[4]!,
    "cPE2 advertised implicit null (3) for its own loopback, so cCE2 pops the BGP-LU label (PHP): only " +
      "the VPN label reaches cPE2",
  );
  return out;
}
// wirelab:hidden-end

function segmentCase(name: string, points: number, links: number[], hint: string): TestCase {
  return sealedFields(name, points, {
    fields: Object.fromEntries(links.map((i) => [CSC_LINKS[i]!, asStack])),
    read: (a, f) => (Array.isArray(a) ? a[CSC_LINKS.indexOf(f)] : undefined),
    shape: `an array of ${CSC_LINKS.length} stacks, one per link: ${CSC_LINKS.join(", ")}`,
    hint: `${VPN_BOTTOM} ${hint}`,
    // wirelab:hidden-begin
    key: () => ({ right: cscStacks(), wrong: wrongStacks(links) }),
    // wirelab:hidden-end
  });
}

export const cscExercise: Exercise = defineExercise({
  id: "mpls.csc",
  title: "Carrier supporting carrier: the label stack on each link",
  kind: "predict",
  notebook: "05-lsp-label-swaps.ipynb",
  prompt:
    "On labs/mpls/csc.yaml, a packet of the customer carrier's VPN END goes from cPE1 to 192.168.2.0/24 " +
    "(behind cPE2). Using the labels each router advertises (shown in the notebook), " +
    (`give the label stack, top first, on each link: ${CSC_LINKS.join(", ")}, as an array of 6 arrays of ` +
      `numbers ([] for no label).`),
  answer: { file: "exercises/mpls/answers.ts", export: "csc" },
  public: [
    segmentCase(
      "site S1: cPE1→cCE1, cCE1→PE1",
      2,
      [0, 1],
      "On top rides the BGP-LU label for cPE2's loopback (10.12.0.1/32, the VPN route's next hop) that the " +
        "next router advertised; each router swaps it for its own next hop's label.",
    ),
    segmentCase(
      "backbone: PE1→P, P→PE2",
      2,
      [2, 3],
      "In the backbone, PE1 needs PE2's VRF CC label for 10.12.0.1/32 and a way to reach PE2 across its " +
        "core; the core's LSPs end with PHP.",
    ),
    segmentCase(
      "site S2: PE2→cCE2, cCE2→cPE2",
      2,
      [4, 5],
      "In site S2 the BGP-LU labels come from cCE2 and cPE2; a router that is the egress of a FEC " +
        "advertises implicit null for it.",
    ),
  ],
  hidden: [],
});

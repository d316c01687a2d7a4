/**
 * Exercise `mpls.csc` (notebook 05, carrier supporting carrier, RFC 4364 §9 with BGP-LU): predict
 * the label stack on each link of a customer carrier's VPN packet from cPE1 to 192.168.2.0/24,
 * across its site S1, the backbone's VRF CC and its site S2. The notebook works the reverse
 * direction as the example and shows every router's advertised labels; the expected stacks come
 * from the walk at grading time. One public test per segment, each with the mechanism a wrong
 * stack misses. The topology is labs/mpls/csc.yaml, embedded so an edited lab file cannot change
 * the expected answer (test/mpls/csc.test.ts checks that both agree).
 */
import { brief, fail, pass } from "../grading/checks";
import { defineExercise, type Exercise, type TestCase } from "../grading/spec";
import { buildNetwork } from "./network";
import { parseTopology } from "./topology";
import { trace } from "./walk";

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

/** The stacks (top first) on each link of the exercise's packet, from the walk. */
export function cscStacks(): number[][] {
  const w = trace(buildNetwork(parseTopology(CSC_YAML, "csc.yaml")), { from: "cPE1", to: "192.168.2.0/24" });
  return w.hops.filter((h) => h.next).map((h) => h.outStack.map((e) => e.label));
}

function segmentCase(name: string, points: number, links: number[], lesson: (got: number[][], want: number[][]) => string): TestCase {
  return {
    name,
    points,
    run(answer) {
      if (!Array.isArray(answer) || answer.length !== CSC_LINKS.length) {
        return fail(`give ${CSC_LINKS.length} stacks, one per link in the order ${CSC_LINKS.join(", ")} (got ${brief(answer)})`);
      }
      const got = answer.map((s: unknown) => (Array.isArray(s) ? s.map(Number) : []));
      const want = cscStacks();
      const wrong = links.filter((i) => JSON.stringify(got[i]) !== JSON.stringify(want[i]));
      if (wrong.length === 0) return pass(`${links.map((i) => `${CSC_LINKS[i]} [${want[i]!.join(" ")}]`).join(", ")}`);
      return fail(`${wrong.map((i) => `${CSC_LINKS[i]}: you have ${brief(answer[i])}`).join("; ")}. ${lesson(got, want)}`);
    },
  };
}

const vpnBottom = (got: number[][], want: number[][]) => {
  const vpn = want[0]![want[0]!.length - 1]!;
  return got.some((s) => s.length > 0 && s[s.length - 1] !== vpn)
    ? "The customer carrier's VPN label (advertised by cPE2 for VRF END) sits at the bottom of every stack, unchanged from cPE1 to cPE2: neither the customer carrier's CEs nor the backbone ever look at it. "
    : "";
};

export const cscExercise: Exercise = defineExercise({
  id: "mpls.csc",
  title: "Carrier supporting carrier: the label stack on each link",
  kind: "predict",
  notebook: "05-lsp-label-swaps.ipynb",
  prompt:
    "On labs/mpls/csc.yaml, a packet of the customer carrier's VPN END goes from cPE1 to 192.168.2.0/24 (behind cPE2). Using the labels each router advertises (shown in the notebook), " +
    `give the label stack, top first, on each link: ${CSC_LINKS.join(", ")}, as an array of 6 arrays of numbers ([] for no label).`,
  answer: { file: "exercises/mpls/answers.ts", export: "csc" },
  public: [
    segmentCase("site S1: cPE1→cCE1, cCE1→PE1", 2, [0, 1], (g, w) =>
      vpnBottom(g, w) +
      "On top rides the BGP-LU label for cPE2's loopback (10.12.0.1/32, the VPN route's next hop) that the next router advertised: cCE1's on the first link; cCE1 swaps it for the one PE1 advertised in VRF CC.",
    ),
    segmentCase("backbone: PE1→P, P→PE2", 2, [2, 3], (g, w) =>
      vpnBottom(g, w) +
      "PE1 swaps the customer's label for the one PE2 advertised in VRF CC, then pushes the backbone's own LDP label for PE2's loopback: three labels in the core. P is the penultimate hop of that LDP LSP (PE2 advertised implicit null), so P pops it.",
    ),
    segmentCase("site S2: PE2→cCE2, cCE2→cPE2", 2, [4, 5], (g, w) =>
      vpnBottom(g, w) +
      "PE2 swaps its VRF CC label for the BGP-LU label cCE2 advertised for 10.12.0.1/32. cPE2 advertised implicit null (3) for its own loopback, so cCE2 pops: only the VPN label reaches cPE2.",
    ),
  ],
  hidden: [],
});

/**
 * Small topologies used by the mpls.* exercises and notebook 05. The expected answers are
 * computed from these by the library at grading time, never typed in.
 */
import { buildNetwork, type Network } from "./network";
import { labTopology } from "./lab";
import { parseTopology, type RsvpLspSpec, type Topology } from "./topology";

/** A chain of four LDP routers; labels start at 100, 200, 300, 400. */
export const CHAIN_YAML = `name: chain
ldp: true
routers:
  A: { loopback: 10.0.0.1, label-base: 100 }
  B: { loopback: 10.0.0.2, label-base: 200 }
  C: { loopback: 10.0.0.3, label-base: 300 }
  D: { loopback: 10.0.0.4, label-base: 400 }
links:
  - { a: A, b: B }
  - { a: B, b: C }
  - { a: C, b: D }
`;

/** PE1–P1–P2–PE2 with LDP and one VPN; \`php\` switches implicit/explicit null. */
export function vpnChainYaml(php: boolean): string {
  return `name: vpn-chain
ldp: true
php: ${php}
routers:
  PE1: { loopback: 10.0.0.1, label-base: 1000 }
  P1:  { loopback: 10.0.0.2, label-base: 2000 }
  P2:  { loopback: 10.0.0.3, label-base: 3000 }
  PE2: { loopback: 10.0.0.4, label-base: 4000 }
links:
  - { a: PE1, b: P1 }
  - { a: P1, b: P2 }
  - { a: P2, b: PE2 }
vpns:
  BLUE:
    - { pe: PE1, prefix: 192.168.1.0/24 }
    - { pe: PE2, prefix: 192.168.2.0/24 }
`;
}

export function chainNetwork(): Network {
  return buildNetwork(parseTopology(CHAIN_YAML, "chain.yaml"));
}

export function vpnChainNetwork(php: boolean): Network {
  return buildNetwork(parseTopology(vpnChainYaml(php), `vpn-chain-${php ? "php" : "explicit-null"}.yaml`));
}

/** The CSPF exercise: the lab topology after an LSP of 700 Mb/s took PE1 P1 P2 PE2. */
export const CSPF_EXISTING = { name: "BIG", from: "PE1", to: "PE2", bandwidth: 700 };
export const CSPF_NEW = { name: "NEW", from: "PE1", to: "PE2", bandwidth: 350 };

function spec(s: { name: string; from: string; to: string; bandwidth: number }): RsvpLspSpec {
  return { ...s, ero: [], includeAny: [], exclude: [], loc: { file: "exercise mpls.cspf" } };
}

/** The lab topology with only the 700 Mb/s LSP (and, with `withNew`, the 350 Mb/s one after it). */
export function cspfTopology(withNew: boolean): Topology {
  const t = labTopology("lab");
  return { ...t, rsvp: withNew ? [spec(CSPF_EXISTING), spec(CSPF_NEW)] : [spec(CSPF_EXISTING)] };
}

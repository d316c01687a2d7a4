/**
 * The data model of an MPLS L3VPN (RFC 4364): PEs with VRFs, route reflectors (RFC 4456), the
 * customer routes each VRF learns, and the VPNv4 routes (RD:prefix, next hop, label, route
 * targets, BGP attributes) the PEs exchange. Plain interfaces only, so notebooks (TypeScript 5.0)
 * and `--json` output can use them directly.
 */
import type { SourceLocation } from "../util/errors";

/** One term of an import/export policy (Junos policy-statement term, simplified). */
export interface PolicyTerm {
  name: string;
  /** Match: the route carries every RT of at least one of these sets (a Junos community = a set of members). */
  fromCommunities?: string[][];
  /** Names of the communities above, for explanations. */
  fromCommunityNames?: string[];
  /** Match: the prefix is one of these (exact). */
  fromPrefixes?: string[];
  /** RTs to add / delete / set (replace all RTs). */
  addRts?: string[];
  deleteRts?: string[];
  setRts?: string[];
  /** Terminating action; absent means fall through to the next term. */
  action?: "accept" | "reject";
  location?: SourceLocation;
}

export interface Policy {
  name: string;
  terms: PolicyTerm[];
  location?: SourceLocation;
}

/** A route a CE (or a static route) puts into a VRF. */
export interface CustomerRoute {
  prefix: string;
  /** CE next hop, for display. */
  nextHop?: string;
  localPref?: number;
  med?: number;
  /** AS path as a list of AS numbers (the CE's AS first). */
  asPath?: number[];
  origin?: "igp" | "egp" | "incomplete";
  location?: SourceLocation;
}

export interface VrfConfig {
  name: string;
  /** Canonical RD text ("65000:100"). */
  rd: string;
  importRts: string[];
  exportRts: string[];
  importPolicy?: Policy;
  exportPolicy?: Policy;
  /** IOS-XE `import map`: applied after the import RTs matched; the route must also be permitted. */
  importFilter?: Policy;
  /** Use every equal path (Junos routing-instance multipath, IOS maximum-paths ibgp). */
  multipath: boolean;
  /** One label per VRF (Junos vrf-table-label) rather than per prefix. */
  tableLabel: boolean;
  interfaces: string[];
  routes: CustomerRoute[];
  location?: SourceLocation;
}

export interface Neighbor {
  address: string;
  peerAs: number;
  /** Carries VPNv4 (Junos family inet-vpn unicast, IOS address-family vpnv4 + activate). */
  vpnv4: boolean;
  /** The neighbor is a route-reflector client of this router. */
  rrClient: boolean;
  /** Carries labelled IPv4 (BGP-LU, RFC 8277; Junos family inet labeled-unicast). */
  labeledUnicast?: boolean;
  location?: SourceLocation;
}

export interface RouterConfig {
  name: string;
  asn: number;
  routerId: string;
  /** Address used as BGP next hop and session source (loopback). */
  localAddress: string;
  /** RFC 4456 cluster id when this router reflects; defaults to its router id. */
  clusterId?: string;
  neighbors: Neighbor[];
  vrfs: VrfConfig[];
  /**
   * Routes exported by one VRF may be imported by another VRF of the same router (IOS, FRR; Junos needs
   * auto-export).
   */
  localLeaking: boolean;
  /** Interface addresses with their length ("ge-0/0/0.0" → "192.168.1.1/24"), when the dialect gives them. */
  interfaces?: Record<string, string>;
  /** Where the configuration came from. */
  source: { file: string; dialect: "junos" | "ios" | "model" };
}

/** A whole lab: the routers' configurations. */
export interface Network {
  routers: RouterConfig[];
}

/** A VPNv4 route as carried in BGP (RFC 4364 §4.3). */
export interface VpnRoute {
  rd: string;
  prefix: string;
  nextHop: string;
  label: number;
  rts: string[];
  localPref: number;
  med: number;
  asPath: number[];
  origin: "igp" | "egp" | "incomplete";
  /** The PE and VRF that exported it. */
  originPe: string;
  originVrf: string;
  /** RFC 4456 attributes, set when a route reflector reflects it. */
  originatorId?: string;
  clusterList: string[];
}

/** "65000:1:10.1.0.0/24": the key a BGP speaker selects one best path for. */
export function vpnKey(r: { rd: string; prefix: string }): string {
  return `${r.rd}:${r.prefix}`;
}

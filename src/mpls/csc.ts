/**
 * Carrier supporting carrier and the inter-AS options, as data for notebook 05.
 *
 * - `labelBindings`: every label a router advertises (LDP, BGP-LU per table, its VPN labels), the
 *   table a learner reads to predict a label stack, without the forwarding actions that would give
 *   the answer away. Implicit null (3) is the egress asking its upstream neighbour to pop (PHP).
 * - `INTER_AS_OPTIONS`: RFC 4364 §10's three ways to run one VPN across two ASes, side by side;
 *   option C is what labs/mpls/bgplu.yaml simulates (test/mpls/csc.test.ts checks the label count
 *   on its ASBR link against the walk). Carriers' carriers is RFC 4364 §9.
 */
import { renderTable, stacks, type Diagram, type Row, type TableView } from "../notebook";
import type { Network } from "./network";

/** The labels each router advertises: one row per (router, protocol/table, FEC). */
export function labelBindings(net: Network, routers?: string[]): Row[] {
  const rows: Row[] = [];
  const show = (l: number) => (l === 3 ? "3 (implicit null)" : l === 0 ? "0 (explicit null)" : String(l));
  for (const st of net.routers.values()) {
    if (routers && !routers.includes(st.name)) continue;
    for (const [fec, label] of [...st.ldpLocal.entries()].sort())
      rows.push({ router: st.name, protocol: "LDP", fec, "label it advertises": show(label) });
    for (const r of [...st.bgpLu.values()].sort(
      (a, b) => (a.vrf ?? "").localeCompare(b.vrf ?? "") || a.fec.localeCompare(b.fec),
    )) {
      rows.push({
        router: st.name,
        protocol: r.vrf ? `BGP-LU (vrf ${r.vrf})` : "BGP-LU",
        fec: r.fec,
        "label it advertises": show(r.localLabel),
      });
    }
    for (const [vrf, label] of st.vpnLabels)
      rows.push({
        router: st.name,
        protocol: `VPN ${vrf} (per VRF)`,
        fec: "routes of its sites",
        "label it advertises": show(label),
      });
  }
  return rows;
}

export function labelBindingsTable(net: Network, routers?: string[]): TableView {
  return renderTable(labelBindings(net, routers), {
    caption: "Labels advertised, per router (who uses them: the router's upstream neighbours)",
  });
}

export interface InterAsOption {
  option: "A" | "B" | "C";
  rfc: string;
  name: string;
  /** What crosses the ASBR–ASBR link in the control plane. */
  asbrsExchange: string;
  /** Who holds the VPN routes. */
  vpnRoutesHeldBy: string;
  /** Labels on the ASBR–ASBR link, top first (data plane). */
  asbrLinkStack: string[];
  scaling: string;
  trust: string;
}

export const INTER_AS_OPTIONS: InterAsOption[] = [
  {
    option: "A",
    rfc: "RFC 4364 §10 (a)",
    name: "back-to-back VRFs",
    asbrsExchange: "plain IPv4 routes, one eBGP session (or static routes) per VRF, over one sub-interface per VRF",
    vpnRoutesHeldBy: "both ASBRs, in a VRF per VPN",
    asbrLinkStack: [],
    scaling: "worst: per-VPN configuration and state on both ASBRs",
    trust: "highest isolation: each AS sees the other as a CE",
  },
  {
    option: "B",
    rfc: "RFC 4364 §10 (b)",
    name: "eBGP VPNv4 between the ASBRs",
    asbrsExchange:
      "labelled VPN-IPv4 routes on one eBGP session; each ASBR sets next-hop-self and allocates a new VPN label",
    vpnRoutesHeldBy: "both ASBRs (no VRFs, but every VPN route)",
    asbrLinkStack: ["VPN label (allocated by the receiving ASBR)"],
    scaling: "medium: the ASBRs carry every VPN route",
    trust: "the ASes exchange VPN routes and labels directly",
  },
  {
    option: "C",
    rfc: "RFC 4364 §10 (c)",
    name: "multihop eBGP VPNv4 between PEs (or route reflectors), BGP-LU between ASBRs",
    asbrsExchange: "labelled IPv4 routes (BGP-LU, RFC 8277) for the PE loopbacks; the VPN routes go PE to PE, multihop",
    vpnRoutesHeldBy: "only the PEs (and route reflectors)",
    asbrLinkStack: ["BGP-LU label (for the remote PE's loopback)", "VPN label (allocated by the egress PE)"],
    scaling: "best: the ASBRs only carry PE loopbacks",
    trust: "lowest isolation: each AS must accept the other's PE loopbacks and labels",
  },
];

export function interAsTable(): TableView {
  return renderTable(
    INTER_AS_OPTIONS.map((o) => ({
      option: `${o.option}: ${o.name}`,
      "ASBRs exchange": o.asbrsExchange,
      "VPN routes held by": o.vpnRoutesHeldBy,
      "labels on the ASBR link": o.asbrLinkStack.length ? o.asbrLinkStack.length : "none (IP)",
      scaling: o.scaling,
      trust: o.trust,
    })),
    { caption: "RFC 4364 §10: one VPN across two autonomous systems" },
  );
}

/** The packet on the ASBR–ASBR link under each option, side by side. */
export function interAsStacks(): Diagram {
  const short: Record<string, string> = { A: "IP between VRFs", B: "VPNv4 at ASBRs", C: "BGP-LU + PE–PE" };
  return stacks(
    INTER_AS_OPTIONS.map((o) => ({
      title: `option ${o.option}`,
      boxes: [...o.asbrLinkStack.map((l) => l.replace(/ \(.*\)$/, "")), "IPv4"],
      caption: short[o.option],
    })),
    { title: "On the ASBR–ASBR link", boxColors: { "VPN label": "#bbf7d0", "BGP-LU": "#bfdbfe" } },
  );
}

/**
 * Cisco IOS-XE configuration → RouterConfig (the L3VPN subset).
 *
 * Understood: hostname; `vrf definition NAME` with rd, `address-family ipv4` and
 * `route-target import|export|both RT` (under the family, or directly under the VRF where IOS-XE
 * applies it to every family), exit-address-family; interface blocks with
 * `vrf forwarding`, `ip address A MASK`, `mpls ip`, description, `no shutdown`;
 * `ip route vrf NAME PREFIX MASK NEXTHOP|Null0`; `router bgp ASN` with bgp router-id,
 * bgp log-neighbor-changes, no bgp default ipv4-unicast, bgp cluster-id, neighbor … remote-as /
 * update-source, `address-family vpnv4` (neighbor activate, send-community extended|both,
 * route-reflector-client) and `address-family ipv4 vrf NAME` (network … mask …, redistribute
 * connected|static, maximum-paths ibgp N, neighbor … remote-as/activate toward the CE).
 * IOS leaks between local VRFs by itself (no auto-export needed). A second `rd` with a different
 * value in the same VRF is an error, as on the device: IOS-XE does not change an RD in place.
 * `import map NAME` with `route-map NAME permit|deny SEQ`, `match extcommunity LIST…`,
 * `set extcommunity rt RT… [additive]` and `ip extcommunity-list [standard] NAME permit rt RT…`:
 * as in IOS, a route must first match an import RT, then be permitted by the map (no matching
 * entry: denied). Export maps, expanded lists and other route-map clauses are refused as
 * unsupported; any other line is an error naming file:line:column.
 */
import { ParseError } from "../util/errors";
import type { CustomerRoute, Neighbor, Policy, PolicyTerm, RouterConfig, VrfConfig } from "./model";
import { canonicalRd, canonicalRt } from "./rd";
import {
  checkAddress,
  checkPrefix,
  lineCursor,
  loc,
  maskLength,
  parseUintToken,
  tokenize,
  wordsOf,
  type CursorDialect,
  type LineCursor,
} from "./tokens";

interface VrfDraft {
  name: string;
  rd?: string;
  importRts: string[];
  exportRts: string[];
  interfaces: string[];
  location: ReturnType<typeof loc>;
  ipv4: boolean;
  networks: CustomerRoute[];
  statics: CustomerRoute[];
  connected: CustomerRoute[];
  redistStatic: boolean;
  redistConnected: boolean;
  multipath: boolean;
  importMap?: { name: string; location: ReturnType<typeof loc> };
}

interface RouteMapEntry {
  seq: number;
  action: "accept" | "reject";
  lists: Array<{ name: string; location: ReturnType<typeof loc> }>;
  setRts?: string[];
  additive: boolean;
  location: ReturnType<typeof loc>;
}

/** Everything parseIos collects before it builds the RouterConfig. */
interface IosState {
  file: string;
  hostname?: string;
  asn?: number;
  routerId?: string;
  clusterId?: string;
  vrfs: Map<string, VrfDraft>;
  ifAddr: Map<string, string>;
  nbrs: Map<
    string,
    {
      address: string;
      remoteAs?: number;
      updateSource?: string;
      vpnv4: boolean;
      rrClient: boolean;
      location: ReturnType<typeof loc>;
    }
  >;
  /** Extended community lists: name → entries, each entry a set of RTs that must all be present. */
  extLists: Map<string, string[][]>;
  routeMaps: Map<string, RouteMapEntry[]>;
  /** Context: top-level section and address-family sub-section. */
  section: { kind: "vrf" | "interface" | "bgp" | "route-map" | "none"; name: string; entry?: RouteMapEntry };
  af: { kind: "vrf-ipv4" | "vpnv4" | "bgp-vrf" | "none"; vrf?: string };
}

/** How IOS-XE lines are named in errors: the whole line is quoted. */
const IOS: CursorDialect = {
  line: "IOS-XE line",
  quote: (t) => wordsOf(t),
  hint: "this model reads the L3VPN subset listed in src/vpn/ios.ts",
};

export function parseIos(text: string, file: string): RouterConfig {
  const st: IosState = {
    file,
    vrfs: new Map(),
    ifAddr: new Map(),
    nbrs: new Map(),
    extLists: new Map(),
    routeMaps: new Map(),
    section: { kind: "none", name: "" },
    af: { kind: "none" },
  };
  text.split(/\r?\n/).forEach((raw, idx) => {
    const lineNo = idx + 1;
    if (/^\s*(!.*)?$/.test(raw)) return;
    const L = lineCursor(tokenize(raw, file, lineNo), file, lineNo, IOS);
    const { w } = L;
    if (!/^\s/.test(raw)) return topLevelLine(st, L);
    if (w(0) === "exit-address-family") {
      st.af = { kind: "none" };
      return L.end(1);
    }
    switch (st.section.kind) {
      case "route-map":
        return routeMapLine(st, L);
      case "vrf":
        return vrfLine(st, L);
      case "interface":
        return interfaceLine(st, L);
      case "bgp":
        return bgpLine(st, L);
      default:
        return L.unknown(0);
    }
  });
  return finishIos(st);
}

function getVrf(st: IosState, name: string, where: ReturnType<typeof loc>): VrfDraft {
  const v = st.vrfs.get(name);
  if (!v)
    throw new ParseError("VRF is not defined (vrf definition NAME must come first)", { value: name, location: where });
  return v;
}

/** A line at column 0: it opens a section (vrf, interface, router bgp, route-map) or stands alone. */
function topLevelLine(st: IosState, L: LineCursor): void {
  const { t, w, at, unknown, unsupported, end } = L;
  const { file, lineNo } = L;
  st.af = { kind: "none" };
  st.section = { kind: "none", name: "" };
  switch (w(0)) {
    case "hostname":
      st.hostname = w(1);
      return end(2);
    case "end":
      return end(1);
    case "vrf":
      if (w(1) !== "definition" || !t[2]) return unknown(1);
      if (!st.vrfs.has(w(2)!)) {
        st.vrfs.set(w(2)!, {
          name: w(2)!,
          importRts: [],
          exportRts: [],
          interfaces: [],
          location: at(2),
          ipv4: false,
          networks: [],
          statics: [],
          connected: [],
          redistStatic: false,
          redistConnected: false,
          multipath: false,
        });
      }
      st.section = { kind: "vrf", name: w(2)! };
      return end(3);
    case "ip":
      if (w(1) === "vrf") return unsupported(1, "old-style `ip vrf` (use `vrf definition`)");
      if (w(1) === "route" && w(2) === "vrf" && t[3]) {
        const v = getVrf(st, w(3)!, at(3));
        const len = maskLength(w(5) ?? "", at(5));
        const prefix = checkPrefix(`${checkAddress(w(4) ?? "", at(4))}/${len}`, at(4));
        if (!t[6]) return unknown(6);
        const nh = w(6) === "Null0" ? "discard" : checkAddress(w(6)!, at(6));
        v.statics.push({ prefix, nextHop: nh, location: at(4) });
        return end(7);
      }
      if (w(1) === "cef") return end(2);
      if (w(1) === "extcommunity-list") {
        // ip extcommunity-list [standard] NAME permit rt X [rt Y …]
        let k = 2;
        if (w(2) === "standard") k = 3;
        else if (w(2) === "expanded") return unsupported(2, "expanded extcommunity lists");
        if (!t[k]) return unknown(k);
        const name = w(k)!;
        if (w(k + 1) === "deny") return unsupported(k + 1, "deny entries in extcommunity lists");
        if (w(k + 1) !== "permit") return unknown(k + 1);
        const rts: string[] = [];
        for (let j = k + 2; j < t.length; j += 2) {
          if (w(j) !== "rt") return unsupported(j, `extcommunity "${w(j)}" (only rt)`);
          rts.push(canonicalRt(w(j + 1) ?? "", { location: at(j + 1), bare: true }));
        }
        if (!rts.length) return unknown(k + 2);
        st.extLists.set(name, [...(st.extLists.get(name) ?? []), rts]);
        return;
      }
      return unknown(1);
    case "mpls":
      if (w(1) === "label" && w(2) === "protocol" && w(3) === "ldp") return end(4);
      return unknown(1);
    case "interface":
      if (!t[1]) return unknown(1);
      st.section = { kind: "interface", name: w(1)! };
      return end(2);
    case "router":
      if (w(1) !== "bgp") return unsupported(1, `router ${w(1) ?? ""}`);
      st.asn = parseUintToken(t[2], "an AS number", file, lineNo);
      st.section = { kind: "bgp", name: w(2)! };
      return end(3);
    case "route-map": {
      if (!t[1] || (w(2) !== "permit" && w(2) !== "deny")) return unknown(2);
      const seq = parseUintToken(t[3], "a sequence number", file, lineNo, 65535);
      const entry: RouteMapEntry = {
        seq,
        action: w(2) === "permit" ? "accept" : "reject",
        lists: [],
        additive: false,
        location: at(0),
      };
      const list = st.routeMaps.get(w(1)!) ?? [];
      if (list.some((e) => e.seq === seq))
        throw new ParseError("route-map entry defined twice", { value: `${w(1)} ${seq}`, location: at(3) });
      list.push(entry);
      st.routeMaps.set(w(1)!, list);
      st.section = { kind: "route-map", name: w(1)!, entry };
      return end(4);
    }
    default:
      return unknown(0);
  }
}

/** Lines under `route-map NAME permit|deny SEQ`. */
function routeMapLine(st: IosState, L: LineCursor): void {
  const { t, w, at, unknown, unsupported, end } = L;
  const e = st.section.entry!;
  if (w(0) === "match" && w(1) === "extcommunity" && t[2]) {
    for (let j = 2; j < t.length; j++) e.lists.push({ name: w(j)!, location: at(j) });
    return;
  }
  if (w(0) === "set" && w(1) === "extcommunity" && w(2) === "rt") {
    const rts: string[] = [];
    let j = 3;
    for (; j < t.length && w(j) !== "additive"; j++) rts.push(canonicalRt(w(j)!, { location: at(j), bare: true }));
    if (!rts.length) return unknown(3);
    e.setRts = rts;
    e.additive = w(j) === "additive";
    return end(e.additive ? j + 1 : j);
  }
  if (w(0) === "description") return;
  if (w(0) === "match" || w(0) === "set") return unsupported(0, `route-map clause "${w(0)} ${w(1) ?? ""}"`);
  return unknown(0);
}

/** Lines under `vrf definition NAME`. */
function vrfLine(st: IosState, L: LineCursor): void {
  const { t, w, at, unknown, unsupported, end } = L;
  const v = st.vrfs.get(st.section.name)!;
  if (w(0) === "rd") {
    const rd = canonicalRd(w(1) ?? "", { location: at(1) });
    if (v.rd !== undefined && v.rd !== rd) {
      // IOS-XE refuses to change an RD in place: the VRF must be removed and defined again.
      throw new ParseError(
        `vrf ${v.name} already has rd ${v.rd}; IOS-XE does not change an RD in place and rejects this line`,
        {
          value: w(1),
          location: at(1),
          hint:
            `remove the VRF (no vrf definition ${v.name}) and define it again with the new rd, or delete ` +
            `one of the two rd lines`,
        },
      );
    }
    v.rd = rd;
    return end(2);
  }
  if (w(0) === "address-family") {
    if (w(1) !== "ipv4") return unsupported(1, `address-family ${w(1) ?? ""} in a VRF (only ipv4)`);
    v.ipv4 = true;
    st.af = { kind: "vrf-ipv4", vrf: v.name };
    return end(2);
  }
  if (w(0) === "route-target") {
    // Outside an address family, IOS-XE applies route-target lines to every family of the VRF.
    const dir = w(1);
    if (dir !== "import" && dir !== "export" && dir !== "both") return unknown(1);
    const rt = canonicalRt(w(2) ?? "", { location: at(2), bare: true });
    if (dir !== "export") v.importRts.push(rt);
    if (dir !== "import") v.exportRts.push(rt);
    return end(3);
  }
  if (w(0) === "import" && w(1) === "map" && t[2]) {
    v.importMap = { name: w(2)!, location: at(2) };
    return end(3);
  }
  if (w(0) === "export" && w(1) === "map") return unsupported(0, "export map");
  if (w(0) === "import" || w(0) === "export") return unsupported(0, `${w(0)} ${w(1) ?? ""}`);
  if (w(0) === "description") return;
  return unknown(0);
}

/** Lines under `interface NAME`. */
function interfaceLine(st: IosState, L: LineCursor): void {
  const { t, w, at, unknown, end } = L;
  const name = st.section.name;
  if (w(0) === "vrf" && w(1) === "forwarding" && t[2]) {
    getVrf(st, w(2)!, at(2)).interfaces.push(name);
    return end(3);
  }
  if (w(0) === "ip" && w(1) === "address" && t[2]) {
    const a = checkAddress(w(2)!, at(2));
    const len = maskLength(w(3) ?? "", at(3));
    st.ifAddr.set(name, a);
    const v = [...st.vrfs.values()].find((x) => x.interfaces.includes(name));
    if (v && len < 32)
      v.connected.push({ prefix: checkPrefix(`${a}/${len}`, at(2)), nextHop: "direct", location: at(2) });
    return end(4);
  }
  if (w(0) === "mpls" && w(1) === "ip") return end(2);
  if (w(0) === "no" && w(1) === "shutdown") return end(2);
  if (w(0) === "description") return;
  return unknown(0);
}

/** Lines under `router bgp ASN`, in the global part or an address family. */
function bgpLine(st: IosState, L: LineCursor): void {
  const { t, w, at, unknown, unsupported, end } = L;
  const { file, lineNo } = L;
  if (w(0) === "address-family") {
    if (w(1) === "vpnv4") {
      st.af = { kind: "vpnv4" };
      if (t[2] && w(2) !== "unicast") return unknown(2);
      return end(t[2] ? 3 : 2);
    }
    if (w(1) === "ipv4" && w(2) === "vrf" && t[3]) {
      getVrf(st, w(3)!, at(3));
      st.af = { kind: "bgp-vrf", vrf: w(3)! };
      return end(4);
    }
    if (w(1) === "ipv4" && (!t[2] || w(2) === "unicast")) return unsupported(1, "address-family ipv4 (global table)");
    return unsupported(
      1,
      `address-family ${t
        .slice(1)
        .map((x) => x.text)
        .join(" ")}`,
    );
  }
  if (st.af.kind === "bgp-vrf") {
    const v = st.vrfs.get(st.af.vrf!)!;
    if (w(0) === "network" && t[1]) {
      const a = checkAddress(w(1)!, at(1));
      const len = w(2) === "mask" ? maskLength(w(3) ?? "", at(3)) : 32;
      v.networks.push({ prefix: checkPrefix(`${a}/${len}`, at(1)), location: at(1) });
      return end(w(2) === "mask" ? 4 : 2);
    }
    if (w(0) === "redistribute") {
      if (w(1) === "connected") v.redistConnected = true;
      else if (w(1) === "static") v.redistStatic = true;
      else return unsupported(1, `redistribute ${w(1) ?? ""}`);
      return end(2);
    }
    if (w(0) === "maximum-paths") {
      const ibgp = w(1) === "ibgp";
      const n = parseUintToken(t[ibgp ? 2 : 1], "a number of paths", file, lineNo, 64);
      if (ibgp) v.multipath = n > 1;
      return end(ibgp ? 3 : 2);
    }
    if (w(0) === "neighbor" && t[1]) {
      checkAddress(w(1)!, at(1));
      if (w(2) === "remote-as") return (void parseUintToken(t[3], "an AS number", file, lineNo), end(4));
      if (w(2) === "activate") return end(3);
      if (w(2) === "as-override") return end(3);
      return unknown(2);
    }
    return unknown(0);
  }
  if (w(0) === "bgp") {
    if (w(1) === "router-id") {
      st.routerId = checkAddress(w(2) ?? "", at(2));
      return end(3);
    }
    if (w(1) === "log-neighbor-changes") return end(2);
    if (w(1) === "cluster-id") {
      st.clusterId = checkAddress(w(2) ?? "", at(2));
      return end(3);
    }
    return unknown(1);
  }
  if (w(0) === "no" && w(1) === "bgp" && w(2) === "default" && w(3) === "ipv4-unicast") return end(4);
  if (w(0) === "neighbor" && t[1]) {
    const a = checkAddress(w(1)!, at(1));
    const n = st.nbrs.get(a) ?? { address: a, vpnv4: false, rrClient: false, location: at(1) };
    st.nbrs.set(a, n);
    if (st.af.kind === "none") {
      if (w(2) === "remote-as") {
        n.remoteAs = parseUintToken(t[3], "an AS number", file, lineNo);
        return end(4);
      }
      if (w(2) === "update-source" && t[3]) {
        n.updateSource = w(3);
        return end(4);
      }
      if (w(2) === "description") return;
      return unknown(2);
    }
    if (st.af.kind === "vpnv4") {
      if (w(2) === "activate") n.vpnv4 = true;
      else if (w(2) === "route-reflector-client") n.rrClient = true;
      else if (w(2) === "send-community" && (w(3) === "extended" || w(3) === "both")) return end(4);
      else if (w(2) === "next-hop-self") return unsupported(2, "next-hop-self on VPNv4");
      else return unknown(2);
      return end(3);
    }
  }
  return unknown(0);
}

/** From the collected lines to the RouterConfig: neighbours, import maps, VRF routes. */
function finishIos(st: IosState): RouterConfig {
  const { file } = st;
  const name = st.hostname ?? file.replace(/^.*\//, "").replace(/\.[^.]*$/, "");
  const lo = st.ifAddr.get("Loopback0");
  const rid = st.routerId ?? lo;
  if (!rid) throw new ParseError("no router id: set bgp router-id or an address on Loopback0", { location: { file } });
  const neighbors: Neighbor[] = [];
  let localAddress: string | undefined;
  for (const n of st.nbrs.values()) {
    if (n.remoteAs === undefined)
      throw new ParseError("neighbor has no remote-as", { value: n.address, location: n.location });
    if (n.updateSource) localAddress ??= st.ifAddr.get(n.updateSource);
    neighbors.push({
      address: n.address,
      peerAs: n.remoteAs,
      vpnv4: n.vpnv4,
      rrClient: n.rrClient,
      location: n.location,
    });
  }
  const resolveMap = (ref: { name: string; location: ReturnType<typeof loc> }): Policy => {
    const entries = st.routeMaps.get(ref.name);
    if (!entries) throw new ParseError("route-map is not defined", { value: ref.name, location: ref.location });
    const terms: PolicyTerm[] = [...entries]
      .sort((a, b) => a.seq - b.seq)
      .map((e) => {
        const term: PolicyTerm = {
          name: `${e.action === "accept" ? "permit" : "deny"} ${e.seq}`,
          action: e.action,
          location: e.location,
        };
        if (e.lists.length) {
          term.fromCommunities = e.lists.flatMap((l) => {
            const entries = st.extLists.get(l.name);
            if (!entries)
              throw new ParseError("extcommunity-list is not defined", { value: l.name, location: l.location });
            return entries;
          });
          term.fromCommunityNames = e.lists.map((l) => l.name);
        }
        if (e.setRts) {
          if (e.additive) term.addRts = e.setRts;
          else term.setRts = e.setRts;
        }
        return term;
      });
    return { name: ref.name, terms };
  };
  const out: VrfConfig[] = [];
  for (const d of st.vrfs.values()) {
    if (!d.rd) throw new ParseError("vrf definition has no rd", { value: d.name, location: d.location });
    const routes: CustomerRoute[] = [...d.networks];
    if (d.redistStatic) routes.push(...d.statics);
    if (d.redistConnected) routes.push(...d.connected);
    const seen = new Set<string>();
    out.push({
      name: d.name,
      rd: d.rd,
      importRts: d.importRts,
      exportRts: d.exportRts,
      multipath: d.multipath,
      tableLabel: false,
      interfaces: d.interfaces,
      routes: routes.filter((r) => (seen.has(r.prefix) ? false : (seen.add(r.prefix), true))),
      location: d.location,
      ...(d.importMap ? { importFilter: resolveMap(d.importMap) } : {}),
    });
  }
  const r: RouterConfig = {
    name,
    asn: st.asn ?? 0,
    routerId: rid,
    localAddress: localAddress ?? lo ?? rid,
    neighbors,
    vrfs: out,
    localLeaking: true,
    source: { file, dialect: "ios" },
  };
  if (st.clusterId) r.clusterId = st.clusterId;
  return r;
}

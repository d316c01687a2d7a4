/**
 * Junos `set`-style configuration → RouterConfig (the subset an MPLS L3VPN lab needs).
 *
 * Understood: system host-name; routing-options autonomous-system / router-id / auto-export;
 * interfaces … unit … family inet address / family mpls; protocols mpls|ldp|rsvp interface,
 * protocols ospf area … interface [passive]; protocols bgp group (type, local-address, family
 * inet-vpn unicast, family inet unicast, neighbor [peer-as], peer-as, cluster, multihop [ttl N]);
 * family inet labeled-unicast [rib inet.3 | resolve-vpn] (BGP-LU, RFC 8277: recorded as `labeledUnicast` on the
 * neighbours), routing-instances (instance-type vrf, interface, route-distinguisher, vrf-target [import|export],
 * vrf-import, vrf-export, vrf-table-label, routing-options static route … / multipath /
 * auto-export, protocols bgp group toward the CE); policy-options community … members and
 * policy-statement [term …] from community / route-filter … exact, then community add|delete|set,
 * accept, reject. Semantics follow the Junos VPN guide: vrf-target creates the implicit import
 * and export policies; vrf-import / vrf-export replace them.
 *
 * Any other line is an error naming file:line:column: recognised-but-unmodelled constructs raise
 * UnsupportedError, unknown ones ParseError. Nothing is silently ignored.
 */
import { ParseError, UnsupportedError } from "../util/errors";
import type { CustomerRoute, Neighbor, Policy, PolicyTerm, RouterConfig, VrfConfig } from "./model";
import { canonicalRd, canonicalRt } from "./rd";
import {
  checkAddress,
  checkPrefix,
  lineCursor,
  loc,
  parseUintToken,
  tokenize,
  wordsOf,
  type CursorDialect,
  type LineCursor,
} from "./tokens";

interface Group {
  name: string;
  type?: "internal" | "external";
  localAddress?: string;
  vpnv4: boolean;
  labeledUnicast: boolean;
  peerAs?: number;
  cluster?: string;
  neighbors: Array<{ address: string; peerAs?: number; location: ReturnType<typeof loc> }>;
}

interface Instance {
  name: string;
  isVrf: boolean;
  rd?: string;
  importRts: string[];
  exportRts: string[];
  importPolicy?: string;
  exportPolicy?: string;
  tableLabel: boolean;
  multipath: boolean;
  autoExport: boolean;
  interfaces: string[];
  routes: CustomerRoute[];
  location: ReturnType<typeof loc>;
  policyRefs: Array<{ name: string; location: ReturnType<typeof loc> }>;
}

interface PolicyDraft {
  name: string;
  terms: Map<
    string,
    PolicyTerm & {
      communityRefs: Array<{ name: string; kind: "from" | "add" | "delete" | "set"; location: ReturnType<typeof loc> }>;
    }
  >;
  location: ReturnType<typeof loc>;
}

/** Everything parseJunos collects before it builds the RouterConfig. */
interface JunosState {
  file: string;
  hostname?: string;
  asn?: number;
  routerId?: string;
  autoExport: boolean;
  ifAddr: Map<string, string>;
  ifPrefix: Map<string, string>;
  groups: Map<string, Group>;
  instances: Map<string, Instance>;
  communities: Map<string, { members: string[]; location: ReturnType<typeof loc> }>;
  policies: Map<string, PolicyDraft>;
}

/** How Junos statements are named in errors: the words up to the one at fault are quoted. */
const JUNOS: CursorDialect = {
  line: "Junos statement",
  quote: (t, k) => wordsOf(t.slice(0, k + 1)),
  hint: "this model reads the L3VPN subset listed in src/vpn/junos.ts",
};

/** Parses one Junos configuration file. */
export function parseJunos(text: string, file: string): RouterConfig {
  const st: JunosState = {
    file,
    autoExport: false,
    ifAddr: new Map(),
    ifPrefix: new Map(),
    groups: new Map(),
    instances: new Map(),
    communities: new Map(),
    policies: new Map(),
  };
  text.split(/\r?\n/).forEach((raw, idx) => {
    const lineNo = idx + 1;
    const line = raw.replace(/\s+#.*$/, "");
    if (/^\s*(#|$)/.test(line)) return;
    const L = lineCursor(tokenize(line, file, lineNo), file, lineNo, JUNOS);
    const { w: word, at } = L;
    if (word(0) === "delete" || word(0) === "deactivate" || word(0) === "activate") L.unsupported(0, `"${word(0)}"`);
    if (word(0) !== "set")
      throw new ParseError('a Junos set-style line starts with "set"', { value: word(0), location: at(0) });
    statement(st, L);
  });
  return finishJunos(st);
}

/** `set system …`, `set routing-options …`, `set interfaces …`, and the three families below. */
function statement(st: JunosState, L: LineCursor): void {
  const { t, w: word, at, unknown, end } = L;
  const { file, lineNo } = L;
  switch (word(1)) {
    case "system":
      if (word(2) === "host-name" && t[3]) {
        st.hostname = word(3);
        return end(4);
      }
      return unknown(2);
    case "routing-options":
      if (word(2) === "autonomous-system") {
        st.asn = parseUintToken(t[3], "an AS number", file, lineNo);
        return end(4);
      }
      if (word(2) === "router-id") {
        st.routerId = checkAddress(word(3) ?? "", at(3));
        return end(4);
      }
      if (word(2) === "auto-export") {
        st.autoExport = true;
        return end(3);
      }
      return unknown(2);
    case "interfaces": {
      // set interfaces IF unit N family inet address A/L | family mpls | description …
      if (!t[2] || word(3) !== "unit" || !t[4]) return unknown(3);
      parseUintToken(t[4], "a unit number", file, lineNo);
      const ifName = `${word(2)}.${word(4)}`;
      if (word(5) === "family" && word(6) === "inet" && word(7) === "address") {
        const p = word(8) ?? "";
        checkPrefix(p.includes("/") ? p : p + "/32", at(8));
        st.ifAddr.set(ifName, p.split("/")[0]!);
        st.ifPrefix.set(ifName, p.includes("/") ? p : p + "/32");
        return end(9);
      }
      if (word(5) === "family" && (word(6) === "mpls" || word(6) === "iso")) return end(7);
      if (word(5) === "description") return;
      return unknown(5);
    }
    case "protocols":
      return protocols(st, L, 2, null);
    case "routing-instances":
      return instance(st, L);
    case "policy-options":
      return policyOptions(st, L);
    default:
      return unknown(1);
  }
}

/** `set protocols …` at the top level (k = 2) or inside a routing instance (k = 4). */
function protocols(st: JunosState, L: LineCursor, k: number, inst: Instance | null): void {
  const { t, w: word, at, unknown, unsupported, end } = L;
  const { file, lineNo } = L;
  const p = word(k);
  if (p === "mpls" || p === "ldp" || p === "rsvp") {
    if (inst) unsupported(k, `protocols ${p} inside a routing instance`);
    if (word(k + 1) === "interface" && t[k + 2]) return end(k + 3);
    return unknown(k + 1);
  }
  if (p === "ospf") {
    if (inst) unsupported(k, "OSPF toward the CE");
    if (word(k + 1) === "area" && t[k + 2] && word(k + 3) === "interface" && t[k + 4]) {
      if (word(k + 5) === "passive") return end(k + 6);
      return end(k + 5);
    }
    return unknown(k + 1);
  }
  if (p !== "bgp") return unknown(k);
  if (word(k + 1) !== "group" || !t[k + 2]) return unknown(k + 1);
  const gname = word(k + 2)!;
  if (inst) {
    // A CE-facing BGP group inside the VRF: recorded for completeness; CE routes come from
    // static routes in the instance or the --routes file.
    const rest = word(k + 3);
    if (rest === "type" && (word(k + 4) === "external" || word(k + 4) === "internal")) return end(k + 5);
    if (rest === "peer-as") return (void parseUintToken(t[k + 4], "an AS number", file, lineNo), end(k + 5));
    if (rest === "neighbor" && t[k + 4]) {
      checkAddress(word(k + 4)!, at(k + 4));
      if (word(k + 5) === "peer-as") return (void parseUintToken(t[k + 6], "an AS number", file, lineNo), end(k + 7));
      return end(k + 5);
    }
    if (rest === "as-override") return end(k + 4);
    return unknown(k + 3);
  }
  const g = st.groups.get(gname) ?? { name: gname, vpnv4: false, labeledUnicast: false, neighbors: [] };
  st.groups.set(gname, g);
  switch (word(k + 3)) {
    case "type":
      if (word(k + 4) !== "internal" && word(k + 4) !== "external") return unknown(k + 4);
      g.type = word(k + 4) as "internal" | "external";
      return end(k + 5);
    case "local-address":
      g.localAddress = checkAddress(word(k + 4) ?? "", at(k + 4));
      return end(k + 5);
    case "peer-as":
      g.peerAs = parseUintToken(t[k + 4], "an AS number", file, lineNo);
      return end(k + 5);
    case "cluster":
      g.cluster = checkAddress(word(k + 4) ?? "", at(k + 4));
      return end(k + 5);
    case "multihop":
      // eBGP between loopbacks (inter-AS option C's PE–PE or RR–RR VPNv4 session): no effect on routes.
      if (word(k + 4) === "ttl") return (void parseUintToken(t[k + 5], "a TTL", file, lineNo), end(k + 6));
      return end(k + 4);
    case "family": {
      const fam = `${word(k + 4)} ${word(k + 5)}`;
      if (fam === "inet-vpn unicast") g.vpnv4 = true;
      else if (fam === "inet labeled-unicast") {
        // BGP-LU (RFC 8277). `rib inet.3` / `resolve-vpn` put the labelled routes where VPN next hops resolve.
        g.labeledUnicast = true;
        if (word(k + 6) === "resolve-vpn") return end(k + 7);
        if (word(k + 6) === "rib") {
          if (word(k + 7) !== "inet.3")
            return unsupported(k + 7, `labeled-unicast rib ${word(k + 7) ?? "(none)"} (only inet.3)`);
          return end(k + 8);
        }
      } else if (fam !== "inet unicast") return unsupported(k + 4, `BGP family ${fam}`);
      return end(k + 6);
    }
    case "neighbor": {
      const a = checkAddress(word(k + 4) ?? "", at(k + 4));
      let n = g.neighbors.find((x) => x.address === a);
      if (!n) g.neighbors.push((n = { address: a, location: at(k + 4) }));
      if (word(k + 5) === "peer-as") {
        n.peerAs = parseUintToken(t[k + 6], "an AS number", file, lineNo);
        return end(k + 7);
      }
      return end(k + 5);
    }
    default:
      return unknown(k + 3);
  }
}

/** `set routing-instances NAME …`. */
function instance(st: JunosState, L: LineCursor): void {
  const { t, w: word, at, unknown, unsupported, end } = L;
  if (!t[2]) return unknown(2);
  const name = word(2)!;
  let inst = st.instances.get(name);
  if (!inst) {
    inst = {
      name,
      isVrf: false,
      importRts: [],
      exportRts: [],
      tableLabel: false,
      multipath: false,
      autoExport: false,
      interfaces: [],
      routes: [],
      location: at(2),
      policyRefs: [],
    };
    st.instances.set(name, inst);
  }
  const w = word(3);
  switch (w) {
    case "instance-type":
      if (word(4) !== "vrf") return unsupported(4, `instance-type ${word(4)} (only vrf)`);
      inst.isVrf = true;
      return end(5);
    case "interface":
      if (!t[4]) return unknown(4);
      inst.interfaces.push(word(4)!);
      return end(5);
    case "route-distinguisher":
      inst.rd = canonicalRd(word(4) ?? "", { location: at(4) });
      return end(5);
    case "vrf-target": {
      if (word(4) === "import" || word(4) === "export") {
        const rt = canonicalRt(word(5) ?? "", { location: at(5) });
        (word(4) === "import" ? inst.importRts : inst.exportRts).push(rt);
        return end(6);
      }
      const rt = canonicalRt(word(4) ?? "", { location: at(4) });
      inst.importRts.push(rt);
      inst.exportRts.push(rt);
      return end(5);
    }
    case "vrf-import":
    case "vrf-export": {
      if (!t[4]) return unknown(4);
      if (t[4].list) return unsupported(4, "a chain of several policies");
      if (w === "vrf-import") inst.importPolicy = word(4);
      else inst.exportPolicy = word(4);
      inst.policyRefs.push({ name: word(4)!, location: at(4) });
      return end(5);
    }
    case "vrf-table-label":
      inst.tableLabel = true;
      return end(4);
    case "routing-options":
      if (word(4) === "multipath") {
        inst.multipath = true;
        return end(5);
      }
      if (word(4) === "auto-export") {
        inst.autoExport = true;
        return end(5);
      }
      if (word(4) === "static" && word(5) === "route" && t[6]) {
        const prefix = checkPrefix(word(6)!, at(6));
        const r: CustomerRoute = { prefix, location: at(6) };
        if (word(7) === "next-hop") {
          r.nextHop = checkAddress(word(8) ?? "", at(8));
          inst.routes.push(r);
          return end(9);
        }
        if (word(7) === "discard" || word(7) === "reject") {
          r.nextHop = word(7);
          inst.routes.push(r);
          return end(8);
        }
        return unknown(7);
      }
      return unknown(4);
    case "protocols":
      return protocols(st, L, 4, inst);
    default:
      return unknown(3);
  }
}

/** `set policy-options community …` and `set policy-options policy-statement …`. */
function policyOptions(st: JunosState, L: LineCursor): void {
  const { t, w: word, at, unknown, unsupported, end } = L;
  if (word(2) === "community" && t[3]) {
    if (word(4) !== "members" || !t[5]) return unknown(4);
    const items = t[5].list ?? [t[5].text];
    const members = items.map((m) => canonicalRt(m, { location: at(5), where: `community ${word(3)} members` }));
    const c = st.communities.get(word(3)!) ?? { members: [], location: at(3) };
    c.members.push(...members);
    st.communities.set(word(3)!, c);
    return end(6);
  }
  if (word(2) !== "policy-statement" || !t[3]) return unknown(2);
  const pname = word(3)!;
  const p = st.policies.get(pname) ?? { name: pname, terms: new Map(), location: at(3) };
  st.policies.set(pname, p);
  let k = 4;
  let tname = "(unnamed)";
  if (word(4) === "term") {
    if (!t[5]) return unknown(5);
    tname = word(5)!;
    k = 6;
  }
  const term = p.terms.get(tname) ?? { name: tname, communityRefs: [], location: at(k) };
  p.terms.set(tname, term);
  if (word(k) === "from") {
    if (word(k + 1) === "community" && t[k + 2]) {
      const names = t[k + 2]!.list ?? [t[k + 2]!.text];
      for (const n of names) term.communityRefs.push({ name: n, kind: "from", location: at(k + 2) });
      return end(k + 3);
    }
    if (word(k + 1) === "route-filter" && t[k + 2]) {
      const pfx = checkPrefix(word(k + 2)!, at(k + 2));
      if (word(k + 3) !== "exact")
        return unsupported(k + 3, `route-filter match type ${word(k + 3) ?? "(none)"} (only exact)`);
      (term.fromPrefixes ??= []).push(pfx);
      return end(k + 4);
    }
    return unsupported(k + 1, `policy match "from ${word(k + 1) ?? ""}" (only community and route-filter … exact)`);
  }
  if (word(k) === "then") {
    const a = word(k + 1);
    if (a === "accept" || a === "reject") {
      term.action = a;
      return end(k + 2);
    }
    if (a === "community" && (word(k + 2) === "add" || word(k + 2) === "delete" || word(k + 2) === "set") && t[k + 3]) {
      term.communityRefs.push({
        name: word(k + 3)!,
        kind: word(k + 2) as "add" | "delete" | "set",
        location: at(k + 3),
      });
      return end(k + 4);
    }
    return unsupported(k + 1, `policy action "then ${a ?? ""}"`);
  }
  return unknown(k);
}

/** From the collected statements to the RouterConfig: policies resolved, VRFs checked, neighbours. */
function finishJunos(st: JunosState): RouterConfig {
  const { file } = st;
  const name = st.hostname ?? file.replace(/^.*\//, "").replace(/\.[^.]*$/, "");
  const lo = st.ifAddr.get("lo0.0");
  const rid = st.routerId ?? lo;
  if (!rid)
    throw new ParseError("no router id: set routing-options router-id or an lo0 unit 0 address", {
      location: { file },
    });
  if (st.asn === undefined && st.groups.size)
    throw new ParseError("BGP is configured but routing-options autonomous-system is missing", { location: { file } });

  const resolvePolicy = (pname: string, where: ReturnType<typeof loc>): Policy => {
    const d = st.policies.get(pname);
    if (!d) throw new ParseError("policy-statement is not defined", { value: pname, location: where });
    const terms: PolicyTerm[] = [];
    for (const tm of d.terms.values()) {
      const out: PolicyTerm = { name: tm.name, location: tm.location };
      if (tm.fromPrefixes) out.fromPrefixes = tm.fromPrefixes;
      if (tm.action) out.action = tm.action;
      for (const ref of tm.communityRefs) {
        const c = st.communities.get(ref.name);
        if (!c)
          throw new ParseError("community is not defined under policy-options", {
            value: ref.name,
            location: ref.location,
          });
        if (ref.kind === "from") {
          (out.fromCommunities ??= []).push(c.members);
          (out.fromCommunityNames ??= []).push(ref.name);
        } else if (ref.kind === "add") (out.addRts ??= []).push(...c.members);
        else if (ref.kind === "delete") (out.deleteRts ??= []).push(...c.members);
        else out.setRts = [...c.members];
      }
      terms.push(out);
    }
    return { name: pname, terms, location: d.location };
  };

  const vrfs: VrfConfig[] = [];
  for (const inst of st.instances.values()) {
    if (!inst.isVrf)
      throw new UnsupportedError("routing instance without instance-type vrf", {
        value: inst.name,
        location: inst.location,
      });
    if (!inst.rd)
      throw new ParseError("a vrf needs a route-distinguisher", { value: inst.name, location: inst.location });
    const v: VrfConfig = {
      name: inst.name,
      rd: inst.rd,
      importRts: inst.importRts,
      exportRts: inst.exportRts,
      multipath: inst.multipath,
      tableLabel: inst.tableLabel,
      interfaces: inst.interfaces,
      routes: inst.routes,
      location: inst.location,
    };
    if (inst.importPolicy)
      v.importPolicy = resolvePolicy(
        inst.importPolicy,
        inst.policyRefs.find((r) => r.name === inst.importPolicy)!.location,
      );
    if (inst.exportPolicy)
      v.exportPolicy = resolvePolicy(
        inst.exportPolicy,
        inst.policyRefs.find((r) => r.name === inst.exportPolicy)!.location,
      );
    if (!v.importPolicy && v.importRts.length === 0)
      throw new ParseError("a vrf needs vrf-target (import) or vrf-import", {
        value: inst.name,
        location: inst.location,
      });
    if (!v.exportPolicy && v.exportRts.length === 0)
      throw new ParseError("a vrf needs vrf-target (export) or vrf-export", {
        value: inst.name,
        location: inst.location,
      });
    vrfs.push(v);
  }

  const neighbors: Neighbor[] = [];
  let clusterId: string | undefined;
  let localAddress: string | undefined;
  for (const g of st.groups.values()) {
    if (g.cluster) clusterId = g.cluster;
    if (g.localAddress && g.type !== "external") localAddress ??= g.localAddress;
    for (const n of g.neighbors) {
      const peerAs = n.peerAs ?? g.peerAs ?? (g.type === "internal" ? st.asn : undefined);
      if (peerAs === undefined)
        throw new ParseError("neighbor has no peer-as (and the group is not type internal)", {
          value: n.address,
          location: n.location,
        });
      const nb: Neighbor = {
        address: n.address,
        peerAs,
        vpnv4: g.vpnv4,
        rrClient: g.cluster !== undefined,
        location: n.location,
      };
      if (g.labeledUnicast) nb.labeledUnicast = true;
      neighbors.push(nb);
    }
  }
  const r: RouterConfig = {
    name,
    asn: st.asn ?? 0,
    routerId: rid,
    localAddress: localAddress ?? lo ?? rid,
    neighbors,
    vrfs,
    localLeaking: st.autoExport || [...st.instances.values()].some((i) => i.autoExport),
    source: { file, dialect: "junos" },
  };
  if (clusterId) r.clusterId = clusterId;
  if (st.ifPrefix.size) r.interfaces = Object.fromEntries(st.ifPrefix);
  return r;
}

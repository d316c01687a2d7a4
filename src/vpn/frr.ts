/**
 * Translating a lab (`Network`) into FRR 8.4 bgpd configurations, for the cross-check against a
 * real BGP implementation (FRR's "VRF route leaking" / L3VPN import-export, docs.frrouting.org
 * "bgp.html#vrf-route-leaking"), and reading FRR's `show bgp vrf all ipv4 unicast json` back
 * into the same "prefix via next hop" import sets the engine produces (`importSets`).
 *
 * FRR names each VRF after a network namespace (zebra -n), so the caller gives a VRF-name map.
 * Every VRF instance gets an explicit `bgp router-id`: without it FRR 8.4 re-derives the RD and
 * export RT when the router id changes. Junos policies are translated only when they are plain
 * "from community X then accept … then reject" import lists or "then community add X accept"
 * export lists; anything else throws UnsupportedError rather than comparing something different.
 */
import { UnsupportedError } from "../util/errors";
import type { Network, Policy, RouterConfig, VrfConfig } from "./model";
import { parseRt } from "./rd";

/** "target:65000:100" → "65000:100" (FRR's rt syntax). */
function frrRt(rt: string): string {
  const v = parseRt(rt);
  if (v.type === 2 && typeof v.admin === "number" && v.admin <= 0xffff)
    throw new UnsupportedError("4-byte-AS RT with a small ASN has no FRR spelling", { value: rt });
  return rt.slice("target:".length);
}

function importListOf(v: VrfConfig, r: RouterConfig): string[] {
  if (v.importFilter)
    throw new UnsupportedError("IOS import maps are not translated to FRR", {
      value: v.importFilter.name,
      where: `${r.name}/${v.name}`,
    });
  if (!v.importPolicy) return v.importRts;
  return policyAsImportList(v.importPolicy, `${r.name}/${v.name}`);
}

/** A Junos vrf-import policy that is "accept if it carries any of these single RTs, else reject". */
export function policyAsImportList(p: Policy, where: string): string[] {
  const rts: string[] = [];
  p.terms.forEach((t, i) => {
    const last = i === p.terms.length - 1;
    if (
      last &&
      !t.fromCommunities &&
      !t.fromPrefixes &&
      t.action === "reject" &&
      !t.addRts &&
      !t.deleteRts &&
      !t.setRts
    )
      return;
    if (
      t.action !== "accept" ||
      !t.fromCommunities ||
      t.fromPrefixes ||
      t.addRts ||
      t.deleteRts ||
      t.setRts ||
      t.fromCommunities.some((c) => c.length !== 1)
    ) {
      throw new UnsupportedError("only 'from community X then accept' terms translate to FRR rt vpn import", {
        value: `${p.name} term ${t.name}`,
        where,
      });
    }
    for (const c of t.fromCommunities) rts.push(c[0]!);
  });
  return rts;
}

function exportListOf(v: VrfConfig, r: RouterConfig): string[] {
  if (!v.exportPolicy) return v.exportRts;
  const p = v.exportPolicy;
  const rts: string[] = [];
  for (const t of p.terms) {
    if (t.fromCommunities || t.fromPrefixes || t.deleteRts || t.setRts || (t.action && t.action !== "accept")) {
      throw new UnsupportedError(
        "only 'then community add X; then accept' export policies translate to FRR rt vpn export",
        { value: `${p.name} term ${t.name}`, where: `${r.name}/${v.name}` },
      );
    }
    rts.push(...(t.addRts ?? []));
  }
  if (!p.terms.some((t) => t.action === "accept"))
    throw new UnsupportedError("export policy never accepts", { value: p.name, where: `${r.name}/${v.name}` });
  return rts;
}

/** bgpd.conf for one router. `vrfNames` maps the model's VRF name to the FRR (netns) name. */
export function frrBgpConfig(r: RouterConfig, vrfNames: Record<string, string>): string {
  const out: string[] = [
    `frr defaults traditional`,
    `hostname ${r.name}`,
    `!`,
    `router bgp ${r.asn}`,
    ` bgp router-id ${r.routerId}`,
    ` no bgp default ipv4-unicast`,
    ` no bgp ebgp-requires-policy`,
  ];
  if (r.clusterId) out.push(` bgp cluster-id ${r.clusterId}`);
  const vpnNbrs = r.neighbors.filter((n) => n.vpnv4);
  for (const n of vpnNbrs) out.push(` neighbor ${n.address} remote-as ${n.peerAs}`);
  out.push(` address-family ipv4 vpn`);
  for (const n of vpnNbrs) {
    out.push(`  neighbor ${n.address} activate`);
    if (n.rrClient) out.push(`  neighbor ${n.address} route-reflector-client`);
  }
  out.push(` exit-address-family`, `!`);
  r.vrfs.forEach((v, i) => {
    const name = vrfNames[v.name];
    if (!name) throw new UnsupportedError("no FRR VRF name given", { value: v.name, where: r.name });
    if (v.rd.includes("L:"))
      throw new UnsupportedError("Junos 'L' RD spelling has no FRR equivalent", { value: v.rd, where: r.name });
    out.push(
      `router bgp ${r.asn} vrf ${name}`,
      ` bgp router-id ${r.routerId}`,
      ` no bgp network import-check`,
      ` address-family ipv4 unicast`,
    );
    for (const c of v.routes) {
      if (
        c.localPref !== undefined ||
        c.med !== undefined ||
        (c.asPath && c.asPath.length) ||
        (c.origin && c.origin !== "igp")
      ) {
        throw new UnsupportedError(
          "route attributes are not translated to FRR (use default attributes in cross-check scenarios)",
          { value: c.prefix, where: `${r.name}/${v.name}` },
        );
      }
      out.push(`  network ${c.prefix}`);
    }
    if (v.multipath) out.push(`  maximum-paths ibgp 8`);
    out.push(
      `  rd vpn export ${v.rd}`,
      `  rt vpn import ${importListOf(v, r).map(frrRt).join(" ")}`,
      `  rt vpn export ${exportListOf(v, r).map(frrRt).join(" ")}`,
      `  label vpn export ${100 + i}`,
      `  nexthop vpn export ${r.localAddress}`,
      `  import vpn`,
      `  export vpn`,
      ` exit-address-family`,
      `!`,
    );
  });
  if (!r.localLeaking) {
    // FRR always leaks between VRFs of one router; refuse scenarios where that would differ.
    for (const a of r.vrfs) {
      for (const b of r.vrfs) {
        if (a === b) continue;
        const imp = importListOf(b, r);
        if (exportListOf(a, r).some((t) => imp.includes(t))) {
          throw new UnsupportedError("FRR leaks between local VRFs but this router (Junos, no auto-export) does not", {
            value: `${a.name} → ${b.name}`,
            where: r.name,
          });
        }
      }
    }
  }
  return out.join("\n") + "\n";
}

/** One path of FRR's JSON. */
interface FrrPath {
  bestpath?: boolean;
  nhVrfName?: string;
  nexthops?: Array<{ ip?: string }>;
}

/**
 * FRR's `show bgp vrf all ipv4 unicast json` → { modelVrfName: ["prefix via nexthop", …] } for
 * the imported paths (the ones FRR marks with nhVrfName). Paths leaked from another local VRF
 * (nexthop 0.0.0.0) are reported via the router's local address, as the engine does.
 */
export function frrImportSets(
  json: unknown,
  vrfNames: Record<string, string>,
  localAddress: string,
): Record<string, string[]> {
  const back = new Map(Object.entries(vrfNames).map(([model, frr]) => [frr, model]));
  const out: Record<string, string[]> = {};
  for (const model of Object.keys(vrfNames)) out[model] = [];
  for (const [frrName, body] of Object.entries(json as Record<string, { routes?: Record<string, FrrPath[]> }>)) {
    const model = back.get(frrName);
    if (!model) continue;
    const set = new Set<string>();
    for (const [prefix, paths] of Object.entries(body.routes ?? {})) {
      for (const p of paths) {
        if (p.nhVrfName === undefined) continue;
        let nh = p.nexthops?.[0]?.ip ?? "?";
        if (nh === "0.0.0.0") nh = localAddress;
        set.add(`${prefix} via ${nh}`);
      }
    }
    out[model] = [...set].sort();
  }
  return out;
}

/** Checks a lab can be run under FRR and returns the bgpd configs (no processes are started here). */
export function frrConfigs(
  net: Network,
  vrfName: (router: number, vrf: number) => string,
): Array<{ router: RouterConfig; vrfNames: Record<string, string>; bgpd: string }> {
  return net.routers.map((r, i) => {
    const vrfNames: Record<string, string> = {};
    r.vrfs.forEach((v, j) => (vrfNames[v.name] = vrfName(i, j)));
    return { router: r, vrfNames, bgpd: frrBgpConfig(r, vrfNames) };
  });
}

/**
 * FRR's `show bgp ipv4 vpn json` → sorted "RD:prefix via next hop" for every path it holds, " (best)" on best
 * paths.
 */
export function frrVpnTable(json: unknown): string[] {
  const rds = ((json as { routes?: { routeDistinguishers?: Record<string, Record<string, FrrPath[]>> } }).routes
    ?.routeDistinguishers ?? {}) as Record<string, Record<string, FrrPath[]>>;
  const out = new Set<string>();
  for (const [rd, prefixes] of Object.entries(rds)) {
    for (const [prefix, paths] of Object.entries(prefixes))
      for (const p of paths) out.add(`${rd}:${prefix} via ${p.nexthops?.[0]?.ip ?? "?"}${p.bestpath ? " (best)" : ""}`);
  }
  return [...out].sort();
}

/**
 * The L3VPN route engine: from router configurations and customer routes to every VRF table,
 * with an explanation for every decision.
 *
 * Steps (RFC 4364 §4.3 and §5, RFC 4456, RFC 4271 §9.1):
 *  1. export: each VRF's customer routes become VPNv4 routes (RD:prefix, the PE's next hop, a
 *     label, the export RTs or what the vrf-export policy sets);
 *  2. distribution over the iBGP sessions, rounds until nothing changes: a PE advertises its own
 *     VPNv4 routes; a route reflector keeps every path but advertises only its best path per
 *     RD:prefix (client → everyone, non-client → clients), with ORIGINATOR_ID / CLUSTER_LIST
 *     loop prevention. That is why two PEs exporting the same prefix with the same RD hide each
 *     other behind an RR, while distinct RDs make two keys and both paths survive;
 *  3. import: every received path (and, where the platform does it, the router's own exports from
 *     other VRFs) is checked against each VRF's import RTs or vrf-import policy;
 *  4. each VRF picks its best path per prefix, and every equal path when multipath is on.
 *
 * Everything returns data (decisions, tables); nothing prints.
 */
import { InputError } from "../util/errors";
import type { CustomerRoute, Network, Policy, RouterConfig, VpnRoute, VrfConfig } from "./model";
import { vpnKey } from "./model";

export type Stage = "export" | "session" | "advertise" | "hide" | "drop" | "best" | "import" | "reject" | "select";

export interface Decision {
  router: string;
  stage: Stage;
  /** The VRF concerned (export, import, reject, select). */
  vrf?: string;
  /** RD:prefix (or prefix for VRF selection). */
  route: string;
  text: string;
}

export interface Advertisement {
  from: string;
  to: string;
  route: VpnRoute;
  reflected: boolean;
}

export interface Session {
  a: string;
  b: string;
  up: boolean;
  /** b is a route-reflector client of a (or a of b). */
  rrClient?: string;
  why: string;
}

export interface VrfRoute {
  router: string;
  vrf: string;
  prefix: string;
  /** Where the path came from: "local" (this VRF's CE/static route) or "imported". */
  source: "local" | "imported";
  rd: string;
  nextHop: string;
  label: number;
  rts: string[];
  originPe: string;
  originVrf: string;
  /** The router this path was learned from ("" for local routes and same-PE leaking). */
  learnedFrom: string;
  best: boolean;
  multipath: boolean;
}

export interface VrfTable {
  router: string;
  vrf: string;
  rd: string;
  importRts: string[];
  exportRts: string[];
  routes: VrfRoute[];
}

/** A path in a router's BGP VPNv4 table. */
export interface RibPath {
  key: string;
  route: VpnRoute;
  /** Name of the router it came from; "" when this router exported it. */
  from: string;
  /** BGP identifier used for tie breaking (ORIGINATOR_ID when present, RFC 4456 §9). */
  tieId: string;
  best: boolean;
}

export interface EngineResult {
  sessions: Session[];
  /** Exported VPNv4 routes per router. */
  exported: VpnRoute[];
  /** The final round's advertisements. */
  advertisements: Advertisement[];
  /** Each router's VPNv4 table (all paths, best marked). */
  ribs: Record<string, RibPath[]>;
  vrfTables: VrfTable[];
  decisions: Decision[];
  rounds: number;
}

// ------------------------------------------------------------------ policies

export interface PolicyOutcome {
  accepted: boolean;
  rts: string[];
  /** Which term decided, or "default" when no term matched. */
  term: string;
  /** What the policy did, in words. */
  what: string;
}

function termMatches(t: Policy["terms"][number], prefix: string, rts: string[]): boolean {
  if (t.fromPrefixes && !t.fromPrefixes.includes(prefix)) return false;
  if (t.fromCommunities) {
    const any = t.fromCommunities.some((members) => members.every((m) => rts.includes(m)));
    if (!any) return false;
  }
  return true;
}

/**
 * Runs a Junos-style policy: terms in order; a matching term applies its community actions and,
 * if it has one, its accept/reject ends the evaluation. No decision at the end: `fallback`
 * (reject for vrf-import and vrf-export, RFC-agnostic Junos default for VPN policies).
 */
export function applyPolicy(
  policy: Policy,
  prefix: string,
  rts: string[],
  fallback: "accept" | "reject" = "reject",
): PolicyOutcome {
  let cur = [...rts];
  const did: string[] = [];
  for (const t of policy.terms) {
    if (!termMatches(t, prefix, cur)) continue;
    if (t.setRts) {
      cur = [...t.setRts];
      did.push(`term ${t.name} set ${t.setRts.join(" ")}`);
    }
    if (t.deleteRts) {
      cur = cur.filter((r) => !t.deleteRts!.includes(r));
      did.push(`term ${t.name} deleted ${t.deleteRts.join(" ")}`);
    }
    if (t.addRts) {
      for (const r of t.addRts) if (!cur.includes(r)) cur.push(r);
      did.push(`term ${t.name} added ${t.addRts.join(" ")}`);
    }
    if (t.action) {
      did.push(`term ${t.name} ${t.action}s`);
      return {
        accepted: t.action === "accept",
        rts: cur,
        term: t.name,
        what: `policy ${policy.name}: ${did.join(", ")}`,
      };
    }
  }
  did.push(`no term decided, default ${fallback}`);
  return {
    accepted: fallback === "accept",
    rts: cur,
    term: "default",
    what: `policy ${policy.name}: ${did.join(", ")}`,
  };
}

// ------------------------------------------------------------------ export

function routeFromCustomer(r: RouterConfig, v: VrfConfig, c: CustomerRoute, label: number, rts: string[]): VpnRoute {
  return {
    rd: v.rd,
    prefix: c.prefix,
    nextHop: r.localAddress,
    label,
    rts,
    localPref: c.localPref ?? 100,
    med: c.med ?? 0,
    asPath: c.asPath ?? [],
    origin: c.origin ?? "igp",
    originPe: r.name,
    originVrf: v.name,
    clusterList: [],
  };
}

/** The VPNv4 routes one router exports, with a decision per route. */
export function exportRoutes(r: RouterConfig): { routes: VpnRoute[]; decisions: Decision[] } {
  const routes: VpnRoute[] = [];
  const decisions: Decision[] = [];
  let nextLabel = 16;
  for (const v of r.vrfs) {
    const vrfLabel = v.tableLabel ? nextLabel++ : -1;
    for (const c of v.routes) {
      let rts = v.exportRts;
      let how = v.exportRts.length ? `export RTs ${v.exportRts.join(" ")}` : "no export RT";
      if (v.exportPolicy) {
        const o = applyPolicy(v.exportPolicy, c.prefix, [], "reject");
        if (!o.accepted) {
          decisions.push({
            router: r.name,
            stage: "export",
            vrf: v.name,
            route: c.prefix,
            text: `${r.name} does not export ${c.prefix} from ${v.name}: vrf-export ${o.what}`,
          });
          continue;
        }
        rts = o.rts;
        how = `vrf-export ${o.what}`;
      }
      const label = v.tableLabel ? vrfLabel : nextLabel++;
      const route = routeFromCustomer(r, v, c, label, [...rts]);
      routes.push(route);
      decisions.push({
        router: r.name,
        stage: "export",
        vrf: v.name,
        route: vpnKey(route),
        text:
          `${r.name} exports ${c.prefix} from ${v.name} as VPNv4 ${vpnKey(route)}, next hop ` +
          `${route.nextHop}, label ${label}, RTs ${rts.join(" ") || "(none)"} (${how})`,
      });
    }
  }
  return { routes, decisions };
}

// ------------------------------------------------------------------ best path

function ipNum(s: string): number {
  const p = s.split(".").map(Number);
  return p.length === 4 && p.every((x) => Number.isInteger(x))
    ? ((p[0]! * 256 + p[1]!) * 256 + p[2]!) * 256 + p[3]!
    : Number.MAX_SAFE_INTEGER;
}

const ORIGIN_RANK = { igp: 0, egp: 1, incomplete: 2 } as const;

export interface PathLike {
  route: VpnRoute;
  /** "" for a locally originated path. */
  from: string;
  tieId: string;
  fromAddress?: string;
}

/**
 * Compares two paths (negative: a is better). Returns the step that decided and whether the two
 * are equal up to the multipath boundary (everything before the router-ID tie breakers).
 */
export function comparePaths(a: PathLike, b: PathLike): { cmp: number; reason: string; multipathEqual: boolean } {
  const A = a.route;
  const B = b.route;
  const steps: Array<[number, string]> = [
    [(a.from === "" ? 0 : 1) - (b.from === "" ? 0 : 1), "locally originated"],
    [
      B.localPref - A.localPref,
      `higher LOCAL_PREF (${Math.max(A.localPref, B.localPref)} > ${Math.min(A.localPref, B.localPref)})`,
    ],
    [A.asPath.length - B.asPath.length, "shorter AS_PATH"],
    [ORIGIN_RANK[A.origin] - ORIGIN_RANK[B.origin], "lower ORIGIN"],
    [A.asPath[0] === B.asPath[0] ? A.med - B.med : 0, "lower MED"],
  ];
  for (const [d, why] of steps) if (d !== 0) return { cmp: d, reason: why, multipathEqual: false };
  const ta = ipNum(a.tieId);
  const tb = ipNum(b.tieId);
  if (ta !== tb) {
    const orig = A.originatorId !== undefined || B.originatorId !== undefined;
    return {
      cmp: ta - tb,
      reason:
        `lower ${orig ? "ORIGINATOR_ID/router ID" : "router ID"} (${ta < tb ? a.tieId : b.tieId} < ` +
        `${ta < tb ? b.tieId : a.tieId})`,
      multipathEqual: true,
    };
  }
  const cl = A.clusterList.length - B.clusterList.length;
  if (cl !== 0) return { cmp: cl, reason: "shorter CLUSTER_LIST", multipathEqual: true };
  const na = ipNum(a.fromAddress ?? "");
  const nb = ipNum(b.fromAddress ?? "");
  if (na !== nb) return { cmp: na - nb, reason: "lower neighbor address", multipathEqual: true };
  return { cmp: 0, reason: "identical", multipathEqual: true };
}

/** Index of the best path, and why it beat each other path. */
export function selectBest<T extends PathLike>(paths: T[]): { best: number; why: string[] } {
  let best = 0;
  for (let i = 1; i < paths.length; i++) if (comparePaths(paths[i]!, paths[best]!).cmp < 0) best = i;
  const why = paths.map((p, i) => (i === best ? "best" : comparePaths(paths[best]!, p).reason));
  return { best, why };
}

// ------------------------------------------------------------------ sessions

interface Peering {
  local: RouterConfig;
  remote: RouterConfig;
  /** remote is an RR client of local */
  remoteIsClient: boolean;
  remoteAddress: string;
}

function findRouterByAddress(net: Network, addr: string): RouterConfig | undefined {
  return net.routers.find((r) => r.localAddress === addr || r.routerId === addr);
}

/** The VPNv4 iBGP sessions that come up: both ends configure each other, same AS, VPNv4 on both. */
export function sessions(net: Network): { sessions: Session[]; peerings: Peering[] } {
  const out: Session[] = [];
  const peerings: Peering[] = [];
  const seen = new Set<string>();
  for (const r of net.routers) {
    for (const n of r.neighbors) {
      const other = findRouterByAddress(net, n.address);
      if (!other) continue; // a neighbor outside the lab (e.g. a CE): not part of VPNv4 distribution
      const pair = [r.name, other.name].sort().join("|");
      if (seen.has(pair)) continue;
      seen.add(pair);
      const back = other.neighbors.find((m) => m.address === r.localAddress || m.address === r.routerId);
      let up = true;
      let why = "VPNv4 session up";
      if (!back) [up, why] = [false, `${other.name} has no neighbor ${r.localAddress}`];
      else if (n.peerAs !== other.asn || back.peerAs !== r.asn)
        [up, why] = [false, `AS mismatch (${r.name} expects ${n.peerAs}, ${other.name} is ${other.asn})`];
      else if (r.asn !== other.asn)
        [up, why] = [false, "only iBGP (one AS) is modelled; inter-AS options are unsupported here"];
      else if (!n.vpnv4 || !back.vpnv4)
        [up, why] = [false, `VPNv4 (inet-vpn) not enabled on ${!n.vpnv4 ? r.name : other.name}`];
      const rrClient = n.rrClient ? other.name : back?.rrClient ? r.name : undefined;
      if (up && rrClient)
        why += `; ${rrClient} is a route-reflector client of ${rrClient === other.name ? r.name : other.name}`;
      out.push({ a: r.name, b: other.name, up, rrClient, why });
      if (up) {
        peerings.push({ local: r, remote: other, remoteIsClient: n.rrClient, remoteAddress: n.address });
        peerings.push({ local: other, remote: r, remoteIsClient: back!.rrClient, remoteAddress: back!.address });
      }
    }
  }
  return { sessions: out, peerings };
}

// ------------------------------------------------------------------ the engine

function isReflector(r: RouterConfig): boolean {
  return r.neighbors.some((n) => n.rrClient);
}

function clusterIdOf(r: RouterConfig): string {
  return r.clusterId ?? r.routerId;
}

interface ReceivedPath extends PathLike {
  key: string;
}

/**
 * How a route from another VRF of the same router got in, per platform: IOS-XE and FRR import it
 * whenever the RTs match; Junos only with routing-options auto-export (or rib-groups), which this
 * engine follows for Junos configs.
 */
function sameRouterLeak(dialect: "junos" | "ios" | "model"): string {
  if (dialect === "junos")
    return (
      "same-PE leaking, enabled by routing-options auto-export; without it Junos would not import from a " + "local VRF"
    );
  if (dialect === "ios")
    return (
      "same-PE leaking: IOS-XE (like FRR) imports from a local VRF whenever the RTs match; Junos would " +
      "need auto-export"
    );
  return "same-PE leaking: the RTs match (IOS-XE and FRR do this by default; Junos needs auto-export)";
}

/** Computes everything: sessions, exports, RR reflection, VRF imports and VRF tables. */
export function computeVpn(net: Network, opts: { maxRounds?: number } = {}): EngineResult {
  const names = new Set<string>();
  for (const r of net.routers) {
    if (names.has(r.name))
      throw new InputError("two routers have the same name", { value: r.name, where: r.source.file });
    names.add(r.name);
  }
  const decisions: Decision[] = [];
  const { sessions: sess, peerings } = sessions(net);
  for (const s of sess)
    decisions.push({
      router: s.a,
      stage: "session",
      route: "",
      text: `${s.a} ↔ ${s.b}: ${s.up ? "" : "session down: "}${s.why}`,
    });

  const byName = new Map(net.routers.map((r) => [r.name, r]));
  const local = new Map<string, VpnRoute[]>();
  const exported: VpnRoute[] = [];
  for (const r of net.routers) {
    const e = exportRoutes(r);
    local.set(r.name, e.routes);
    exported.push(...e.routes);
    decisions.push(...e.decisions);
  }
  const d = distribute(net, peerings, local, byName, opts.maxRounds ?? net.routers.length * 2 + 4);
  decisions.push(...explainDistribution(net, d, byName));
  const vrfTables: VrfTable[] = [];
  for (const r of net.routers) {
    const candidates: ReceivedPath[] = [];
    for (const [from, paths] of d.adjIn.get(r.name) ?? new Map())
      for (const p of paths) candidates.push({ ...p, from });
    for (const v of r.vrfs) {
      const paths = importIntoVrf(r, v, candidates, local.get(r.name)!, decisions);
      vrfTables.push({
        router: r.name,
        vrf: v.name,
        rd: v.rd,
        importRts: v.importRts,
        exportRts: v.exportRts,
        routes: selectVrfRoutes(r, v, paths, decisions),
      });
    }
  }
  const ribOut: Record<string, RibPath[]> = {};
  for (const [k, v] of d.ribs) ribOut[k] = v;
  return {
    sessions: sess,
    exported,
    advertisements: d.advertisements,
    ribs: ribOut,
    vrfTables,
    decisions,
    rounds: d.rounds,
  };
}

type AdjIn = Map<string, Map<string, ReceivedPath[]>>;

interface Distribution {
  /** adjIn[router][fromRouter] = received paths. */
  adjIn: AdjIn;
  advertisements: Advertisement[];
  drops: Decision[];
  ribs: Map<string, RibPath[]>;
  rounds: number;
}

/** Every router's RIB: its own exports and what it received, with the best path per RD:prefix marked. */
function buildRibs(
  net: Network,
  local: Map<string, VpnRoute[]>,
  adjIn: AdjIn,
  byName: Map<string, RouterConfig>,
): Map<string, RibPath[]> {
  const out = new Map<string, RibPath[]>();
  for (const r of net.routers) {
    const all: RibPath[] = [];
    for (const route of local.get(r.name)!)
      all.push({ key: vpnKey(route), route, from: "", tieId: r.routerId, best: false });
    for (const [from, paths] of adjIn.get(r.name) ?? new Map()) {
      for (const p of paths) all.push({ key: p.key, route: p.route, from, tieId: p.tieId, best: false });
    }
    const groups = new Map<string, RibPath[]>();
    for (const p of all) groups.set(p.key, [...(groups.get(p.key) ?? []), p]);
    for (const g of groups.values()) {
      const withAddr = g.map((p) => ({ ...p, fromAddress: p.from ? byName.get(p.from)!.localAddress : "" }));
      g[selectBest(withAddr).best]!.best = true;
    }
    out.set(r.name, all);
  }
  return out;
}

/**
 * Step 1, distribution: BGP rounds until nothing changes. Each router advertises its best paths to
 * its peers; iBGP split horizon, route reflection (RFC 4456) with ORIGINATOR_ID / CLUSTER_LIST.
 */
function distribute(
  net: Network,
  peerings: ReturnType<typeof sessions>["peerings"],
  local: Map<string, VpnRoute[]>,
  byName: Map<string, RouterConfig>,
  maxRounds: number,
): Distribution {
  let adjIn: AdjIn = new Map();
  let advertisements: Advertisement[];
  let drops: Decision[];
  let rounds = 0;
  for (;;) {
    if (rounds >= maxRounds)
      throw new InputError("BGP distribution did not converge", { value: rounds, where: "computeVpn" });
    rounds++;
    const ribs = buildRibs(net, local, adjIn, byName);
    const next: AdjIn = new Map();
    const adv: Advertisement[] = [];
    const dr: Decision[] = [];
    for (const p of peerings) {
      const a = p.local;
      const b = p.remote;
      for (const path of ribs.get(a.name)!) {
        if (!path.best) continue;
        let reflected = false;
        if (path.from !== "") {
          if (!isReflector(a)) continue; // iBGP split horizon
          if (path.from === b.name) continue;
          const fromClient = a.neighbors.some(
            (n) => n.rrClient && findRouterByAddress(net, n.address)?.name === path.from,
          );
          if (!fromClient && !p.remoteIsClient) continue;
          reflected = true;
        }
        const sent: VpnRoute = reflected
          ? {
              ...path.route,
              originatorId: path.route.originatorId ?? byName.get(path.from)!.routerId,
              clusterList: [clusterIdOf(a), ...path.route.clusterList],
            }
          : path.route;
        adv.push({ from: a.name, to: b.name, route: sent, reflected });
        const key = vpnKey(sent);
        if (sent.originatorId === b.routerId) {
          dr.push({
            router: b.name,
            stage: "drop",
            route: key,
            text:
              `${b.name} drops ${key} reflected by ${a.name}: ORIGINATOR_ID ${sent.originatorId} is its ` +
              `own router ID (RFC 4456 loop prevention)`,
          });
          continue;
        }
        if (isReflector(b) && sent.clusterList.includes(clusterIdOf(b))) {
          dr.push({
            router: b.name,
            stage: "drop",
            route: key,
            text:
              `${b.name} drops ${key} from ${a.name}: its cluster ID ${clusterIdOf(b)} is in the ` +
              `CLUSTER_LIST (RFC 4456 loop prevention)`,
          });
          continue;
        }
        const m = next.get(b.name) ?? new Map<string, ReceivedPath[]>();
        next.set(b.name, m);
        const list = m.get(a.name) ?? [];
        m.set(a.name, list);
        list.push({
          key,
          route: sent,
          from: a.name,
          tieId: sent.originatorId ?? a.routerId,
          fromAddress: p.remoteAddress,
        });
      }
    }
    const same =
      JSON.stringify([...next].map(([k, v]) => [k, [...v]])) ===
      JSON.stringify([...adjIn].map(([k, v]) => [k, [...v]]));
    adjIn = next;
    advertisements = adv;
    drops = dr;
    if (same) break;
  }
  return { adjIn, advertisements, drops, ribs: buildRibs(net, local, adjIn, byName), rounds };
}

/**
 * Step 4 for distribution: advertisements, loop-prevention drops, and the paths a RIB holds but does not use or
 * reflect.
 */
function explainDistribution(net: Network, d: Distribution, byName: Map<string, RouterConfig>): Decision[] {
  const out: Decision[] = [];
  for (const a of d.advertisements) {
    out.push({
      router: a.from,
      stage: "advertise",
      route: vpnKey(a.route),
      text: a.reflected
        ? `${a.from} reflects ${vpnKey(a.route)} (from ${a.route.originPe}) to ${a.to}: it is its best path ` +
          `for this RD:prefix`
        : `${a.from} advertises its own ${vpnKey(a.route)} to ${a.to}`,
    });
  }
  out.push(...d.drops);
  for (const r of net.routers) {
    const groups = new Map<string, RibPath[]>();
    for (const p of d.ribs.get(r.name)!) groups.set(p.key, [...(groups.get(p.key) ?? []), p]);
    for (const [key, g] of groups) {
      if (g.length < 2) continue;
      const best = g.find((p) => p.best)!;
      for (const p of g) {
        if (p.best) continue;
        const c = comparePaths(
          { ...best, fromAddress: best.from ? byName.get(best.from)!.localAddress : "" },
          { ...p, fromAddress: p.from ? byName.get(p.from)!.localAddress : "" },
        );
        const reflector = isReflector(r);
        out.push({
          router: r.name,
          stage: reflector ? "hide" : "best",
          route: key,
          text: reflector
            ? `${r.name} keeps ${key} via ${p.route.originPe} (${p.route.nextHop}) but does not reflect it: ` +
              `it advertises one best path per RD:prefix and ${best.route.originPe}'s path won (${c.reason}). ` +
              `A distinct RD per PE would make two keys and keep both.`
            : `${r.name}: for ${key}, the path via ${best.route.originPe} beats the one via ` +
              `${p.route.originPe} (${c.reason})`,
        });
      }
    }
  }
  return out;
}

type VrfPath = PathLike & { row: VrfRoute };

/**
 * Step 2, import: the VRF's own customer routes, then every received path and (where the platform
 * leaks) every other local VRF's export, each accepted or rejected by the import RTs / policy.
 * Appends one decision per candidate to `decisions`.
 */
function importIntoVrf(
  r: RouterConfig,
  v: RouterConfig["vrfs"][number],
  candidates: ReceivedPath[],
  ownExports: VpnRoute[],
  decisions: Decision[],
): VrfPath[] {
  const paths: VrfPath[] = [];
  for (const c of v.routes) {
    const route = routeFromCustomer(r, v, c, 0, []);
    const row: VrfRoute = {
      router: r.name,
      vrf: v.name,
      prefix: c.prefix,
      source: "local",
      rd: v.rd,
      nextHop: c.nextHop ?? "direct",
      label: 0,
      rts: [],
      originPe: r.name,
      originVrf: v.name,
      learnedFrom: "",
      best: false,
      multipath: false,
    };
    paths.push({ route, from: "", tieId: r.routerId, row });
  }
  const consider = (route: VpnRoute, from: string, tieId: string, fromAddress: string) => {
    const key = vpnKey(route);
    const { accepted, rts, because } = importVerdict(v, route);
    const via = from ? ` (received from ${from})` : ` (${sameRouterLeak(r.source.dialect)})`;
    decisions.push({
      router: r.name,
      stage: accepted ? "import" : "reject",
      vrf: v.name,
      route: key,
      text:
        `${accepted ? "imported into" : "not imported into"} ${v.name} on ${r.name}: ${key} from ` +
        `${route.originPe}/${route.originVrf}${via}: ${because}`,
    });
    if (!accepted) return;
    const row: VrfRoute = {
      router: r.name,
      vrf: v.name,
      prefix: route.prefix,
      source: "imported",
      rd: route.rd,
      nextHop: route.nextHop,
      label: route.label,
      rts,
      originPe: route.originPe,
      originVrf: route.originVrf,
      learnedFrom: from,
      best: false,
      multipath: false,
    };
    paths.push({ route: { ...route, rts }, from: from || "(local)", tieId, fromAddress, row });
  };
  for (const c of candidates) consider(c.route, c.from, c.tieId, c.fromAddress ?? "");
  for (const e of ownExports) {
    if (e.originVrf === v.name) continue;
    if (!r.localLeaking) {
      const hit = v.importPolicy
        ? applyPolicy(v.importPolicy, e.prefix, e.rts).accepted
        : e.rts.some((t) => v.importRts.includes(t));
      if (hit) {
        decisions.push({
          router: r.name,
          stage: "reject",
          vrf: v.name,
          route: vpnKey(e),
          text:
            `not imported into ${v.name} on ${r.name}: ${vpnKey(e)} comes from ${e.originVrf} on the same ` +
            `router, and Junos leaks between VRFs of one PE only with routing-options auto-export (or ` +
            `rib-groups); the RTs match, so IOS-XE and FRR would import it (they leak by default)`,
        });
      }
      continue;
    }
    consider(e, "", r.routerId, "");
  }
  return paths;
}

/** Whether a VRF accepts a route: vrf-import policy (Junos), or import RTs then an import map (IOS-XE). */
function importVerdict(
  v: RouterConfig["vrfs"][number],
  route: VpnRoute,
): { accepted: boolean; rts: string[]; because: string } {
  if (v.importPolicy) {
    const o = applyPolicy(v.importPolicy, route.prefix, route.rts, "reject");
    return { accepted: o.accepted, rts: o.rts, because: `vrf-import ${o.what}` };
  }
  const hit = route.rts.filter((t) => v.importRts.includes(t));
  let accepted = hit.length > 0;
  let rts = route.rts;
  let because = accepted
    ? `RT ${hit.join(" ")} ${hit.length > 1 ? "are" : "is"} in its import list`
    : `its RTs (${route.rts.join(" ") || "none"}) match none of the import RTs (${v.importRts.join(" ") || "none"})`;
  if (accepted && v.importFilter) {
    const f = applyPolicy(v.importFilter, route.prefix, route.rts, "reject");
    accepted = f.accepted;
    rts = f.rts;
    because += accepted
      ? `, and import map ${f.what.replace(/^policy \S+: /, "")}`
      : `, but import map ${f.what.replace(/^policy \S+: /, "")}`;
  }
  return { accepted, rts, because };
}

/** Step 3, selection: per prefix, the best path (and multipath partners), with a decision each. */
function selectVrfRoutes(
  r: RouterConfig,
  v: RouterConfig["vrfs"][number],
  paths: VrfPath[],
  decisions: Decision[],
): VrfRoute[] {
  const byPrefix = new Map<string, VrfPath[]>();
  for (const p of paths) byPrefix.set(p.row.prefix, [...(byPrefix.get(p.row.prefix) ?? []), p]);
  const rows: VrfRoute[] = [];
  for (const [prefix, g] of byPrefix) {
    const { best } = selectBest(g);
    g[best]!.row.best = true;
    const bestP = g[best]!;
    const others: string[] = [];
    for (let i = 0; i < g.length; i++) {
      if (i === best) continue;
      const c = comparePaths(bestP, g[i]!);
      if (v.multipath && c.multipathEqual && bestP.from !== "") {
        g[i]!.row.multipath = true;
        bestP.row.multipath = true;
        others.push(`${g[i]!.row.nextHop} is an equal-cost path used with multipath`);
      } else if (c.multipathEqual && bestP.from !== "") {
        others.push(
          `${g[i]!.row.nextHop} is equal up to the tie breakers but multipath is off in ${v.name} (${c.reason})`,
        );
      } else {
        others.push(`${g[i]!.row.nextHop} loses (${c.reason})`);
      }
    }
    decisions.push({
      router: r.name,
      stage: "select",
      vrf: v.name,
      route: prefix,
      text:
        `${v.name} on ${r.name} uses ${prefix} via ` +
        `${bestP.row.nextHop}` +
        `${bestP.row.source === "local" ? " (local customer route)" : ` (from ${bestP.row.originPe})`}` +
        `${others.length ? "; " + others.join("; ") : ""}`,
    });
    rows.push(...g.map((p) => p.row));
  }
  rows.sort((x, y) =>
    x.prefix === y.prefix
      ? Number(y.best) - Number(x.best) || x.nextHop.localeCompare(y.nextHop)
      : comparePrefix(x.prefix, y.prefix),
  );
  return rows;
}

/** Orders prefixes numerically ("10.0.0.0/8" before "192.0.2.0/24"). */
export function comparePrefix(a: string, b: string): number {
  const [pa, la] = a.split("/");
  const [pb, lb] = b.split("/");
  return ipNum(pa!) - ipNum(pb!) || Number(la) - Number(lb);
}

/** The decisions that concern one VRF (or one router), for `--explain` and notebooks. */
export function explain(
  result: EngineResult,
  filter: { router?: string; vrf?: string; prefix?: string } = {},
): Decision[] {
  // With a VRF filter, also keep what a route reflector hid or dropped for the prefixes in that VRF.
  const prefixes = new Set(
    filter.vrf === undefined
      ? []
      : result.vrfTables
          .filter((t) => t.vrf === filter.vrf && (filter.router === undefined || t.router === filter.router))
          .flatMap((t) => t.routes.map((r) => r.prefix)),
  );
  const related = (d: Decision) =>
    (d.stage === "hide" || d.stage === "drop") &&
    [...prefixes].some((p) => d.route.endsWith(":" + p)) &&
    (filter.prefix === undefined || d.route.endsWith(":" + filter.prefix));
  return result.decisions.filter(
    (d) =>
      related(d) ||
      ((filter.router === undefined || d.router === filter.router) &&
        (filter.vrf === undefined || d.vrf === filter.vrf) &&
        (filter.prefix === undefined || d.route === filter.prefix || d.route.endsWith(":" + filter.prefix))),
  );
}

/** The per-VRF import sets "prefix via next hop", the same shape the FRR cross-check compares. */
export function importSets(result: EngineResult): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const t of result.vrfTables) {
    const set = t.routes.filter((r) => r.source === "imported").map((r) => `${r.prefix} via ${r.nextHop}`);
    (out[t.router] ??= {})[t.vrf] = [...new Set(set)].sort();
  }
  return out;
}

/** Each router's VPNv4 table as sorted "RD:prefix via next hop" (every path, " (best)" marked), for cross-checks. */
export function vpnTables(result: EngineResult): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [router, paths] of Object.entries(result.ribs))
    out[router] = [...new Set(paths.map((p) => `${p.key} via ${p.route.nextHop}${p.best ? " (best)" : ""}`))].sort();
  return out;
}

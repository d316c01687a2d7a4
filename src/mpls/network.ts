/**
 * The control plane: from a topology to every router's FTN (FEC → push, RFC 3031 §3.11) and LFIB
 * (incoming label → swap / pop / swap-and-push, RFC 3031 §3.10–3.12).
 *
 * - LDP (RFC 5036): downstream unsolicited, independent control, liberal retention; every LDP
 *   router binds a label to every FEC (loopbacks and attached prefixes of its IGP domain) it has a
 *   route for, and advertises it to every LDP neighbour. The egress binds implicit null (3, PHP)
 *   or explicit null (0) (RFC 3032 §2.1). Forwarding uses the binding of the IGP next hop only.
 * - RSVP-TE (RFC 3209): each LSP's path is computed by CSPF over the TED, honouring the ERO
 *   (strict hops: a direct link; loose hops: CSPF to that hop), bandwidth and admin groups;
 *   PATH goes downstream, RESV carries labels upstream, and the bandwidth is reserved, so LSPs
 *   signalled later see less room. RSVP is preferred to LDP for traffic to the tail.
 * - BGP labeled unicast (RFC 8277): speakers originate their loopback and prefixes with implicit
 *   null, re-advertise best routes with next-hop-self and a new local label (swap on eBGP, swap and
 *   push the transport label on iBGP). iBGP routes are not reflected to iBGP peers.
 * - L3VPN (RFC 4364): a per-VRF label per PE (like Junos vrf-table-label); the ingress pushes the
 *   VPN label and then the transport to the egress PE (LDP, RSVP, or BGP-LU + transport).
 *   VPN route exchange between PEs (MP-BGP, RT import) is assumed complete: every PE with a site
 *   in a VPN learns every other site. (Integration point: src/vpn's RT/RD engine could decide
 *   the imports instead.)
 * - Static LSPs: configured hop by hop; mistakes stay visible in the packet walk.
 */
import { InputError } from "../util/errors";
import { IMPLICIT_NULL, IPV4_EXPLICIT_NULL } from "./label";
import {
  Ted,
  cspf,
  domainEdges,
  edgeRejection,
  equalCostFirstHops,
  shortestPaths,
  tieNote,
  type Edge,
  type PathResult,
  type TeConstraints,
} from "./spf";
import {
  formatIPv4,
  neighbours,
  prefixContains,
  type Link,
  type Prefix,
  type RsvpLspSpec,
  type Topology,
} from "./topology";

export interface NextHop {
  peer: string;
  link: Link;
  /** When equal-cost alternatives exist: which ones, and the tie-break that chose this one (spf.ts tieNote). */
  tie?: string;
}

/** An LFIB entry: the incoming top label is replaced by `out` (top first; [] = pop). */
export interface LfibEntry {
  in: number;
  out: number[];
  /** Absent: pop and look at what is underneath in this router (egress). */
  next?: NextHop;
  /** After a local pop, look the IP packet up in this VRF. */
  vrf?: string;
  fec: string;
  /** Who installed it: "ldp", "rsvp LSP1", "bgp-lu", "vpn CUST", "static blue". */
  owner: string;
}

/** A route in a global or VRF table. */
export interface Route {
  prefix: Prefix;
  /** Delivered here (an attached prefix or our own loopback). */
  local: boolean;
  /** Our own address (the loopback): the packet is received, not forwarded, so its TTL is not decremented. */
  self?: boolean;
  /** Labels pushed at the ingress, top first (may be empty: plain IP or PHP next hop). */
  push: number[];
  next?: NextHop;
  via: string;
}

export interface LdpMapping {
  from: string;
  to: string;
  fec: string;
  label: number;
}

export interface RsvpMessage {
  type: "PATH" | "RESV";
  from: string;
  to: string;
  lsp: string;
  detail: string;
}

export interface RsvpLsp {
  spec: RsvpLspSpec;
  path: string[];
  edges: Edge[];
  /** Label each hop advertised upstream in RESV: labels[i] is the label router path[i] expects. */
  labels: number[];
  cost: number;
  messages: RsvpMessage[];
  /** CSPF ties at the head end: equal-cost alternatives and the tie-break that chose this path. */
  ties: string[];
}

export interface BgpLuRoute {
  fec: string;
  /** The VRF this route lives in (carrier supporting carrier); absent: the global table. */
  vrf?: string;
  /** The label we advertise for this FEC (local binding). */
  localLabel: number;
  /** Where the best route came from (undefined: originated here). */
  from?: string;
  /** The label that peer advertised. */
  remoteLabel?: number;
  asPath: string[];
}

export interface RouterState {
  name: string;
  lfib: Map<number, LfibEntry>;
  global: Map<string, Route>;
  vrfs: Map<string, Map<string, Route>>;
  /** LDP: FEC → local label; and FEC → (peer → label) remote bindings kept (liberal retention). */
  ldpLocal: Map<string, number>;
  ldpRemote: Map<string, Map<string, number>>;
  /** BGP-LU routes keyed by FEC ("10.0.0.1/32") or "VRF:FEC" for routes in a VRF. */
  bgpLu: Map<string, BgpLuRoute>;
  /** VRF name → VPN label at this PE. */
  vpnLabels: Map<string, number>;
}

export interface Network {
  topology: Topology;
  routers: Map<string, RouterState>;
  ldpMappings: LdpMapping[];
  rsvp: RsvpLsp[];
  ted: Ted;
  /** FEC text → owner router. */
  fecOwner: Map<string, string>;
}

export interface BuildOptions {
  /** Extra RSVP bandwidth to pre-reserve before signalling, e.g. other traffic. */
  preReserved?: Array<{ from: string; to: string; bandwidth: number }>;
}

class Allocator {
  private next: number;
  constructor(
    base: number,
    private readonly taken: Set<number>,
  ) {
    this.next = base;
  }
  alloc(): number {
    while (this.taken.has(this.next)) this.next++;
    if (this.next > 0xfffff) throw new InputError("label space exhausted", { value: this.next });
    this.taken.add(this.next);
    return this.next++;
  }
}

function pop3(labels: number[]): number[] {
  return labels.filter((l) => l !== IMPLICIT_NULL);
}

/** Builds the whole control plane. Throws InputError (with the file position) on unsatisfiable EROs. */
export function buildNetwork(t: Topology, opts: BuildOptions = {}): Network {
  const ctx = newContext(t);
  const igpNext = igpNextHops(ctx);
  const ldp = buildLdp(ctx, igpNext);
  const rsvp = buildRsvp(ctx, opts);
  /** Intra-domain transport: RSVP, then LDP, then plain IP (lsp=false). */
  const intraTransport = (from: string, to: string): Transport | undefined => {
    const r = rsvp.transport(from, to);
    if (r) return { push: r.push, next: r.next, via: `rsvp ${r.name}`, lsp: true };
    const l = ldp.transport(from, to);
    if (l) return { ...l, via: "ldp", lsp: true };
    const nh = igpNext(from, to);
    if (nh) return { push: [], next: nh, via: "igp", lsp: false };
    return undefined;
  };
  const bgpTransport = buildBgpLu(ctx, intraTransport);
  /** Transport from a router to another router's loopback, any domain. */
  const transportTo = (from: string, to: string): Transport | undefined => {
    if (t.routers.get(from)!.domain === t.routers.get(to)!.domain) return intraTransport(from, to);
    const b = bgpTransport(from, ctx.lo(to));
    return b ? { ...b, lsp: true } : undefined;
  };
  buildGlobalTables(ctx, igpNext, rsvp.transport, bgpTransport);
  buildVpns(ctx, transportTo);
  applyStatics(ctx);
  return {
    topology: t,
    routers: ctx.routers,
    ldpMappings: ldp.mappings,
    rsvp: rsvp.lsps,
    ted: rsvp.ted,
    fecOwner: ctx.fecOwner,
  };
}

interface Transport {
  push: number[];
  next: NextHop;
  via: string;
  lsp: boolean;
}
type NextHopFn = (from: string, to: string) => NextHop | undefined;
type BgpTransportFn = (
  from: string,
  fec: string,
  ctx?: string,
) => { push: number[]; next: NextHop; via: string } | undefined;
type RsvpTransportFn = (from: string, to: string) => { push: number[]; next: NextHop; name: string } | undefined;

/** What every protocol builder shares: topology, router states, label allocators, FEC owners, IGP trees. */
interface BuildContext {
  t: Topology;
  routers: Map<string, RouterState>;
  alloc: Map<string, Allocator>;
  egressLabel: (r: string) => number;
  fecOwner: Map<string, string>;
  fecsOf: (r: string) => string[];
  prefixOf: (f: string) => Prefix;
  lo: (r: string) => string;
  /** IGP shortest-path tree of every router (Dijkstra per domain). */
  spt: Map<string, Map<string, PathResult>>;
}

/** Router states and label allocators (static labels reserved first), FEC owners, IGP trees. */
function newContext(t: Topology): BuildContext {
  const routers = new Map<string, RouterState>();
  const alloc = new Map<string, Allocator>();
  // Static labels are reserved first so dynamic allocation never collides with them.
  const staticTaken = new Map<string, Set<number>>();
  for (const r of t.routers.values()) staticTaken.set(r.name, new Set());
  for (const s of t.statics)
    for (const h of s.hops)
      if (h.in !== undefined) {
        const set = staticTaken.get(h.router)!;
        if (set.has(h.in))
          throw new InputError(`label ${h.in} is already used by another static LSP on ${h.router}`, {
            value: h.in,
            where: `static LSP ${s.name}`,
            location: h.loc,
          });
        set.add(h.in);
      }
  for (const r of t.routers.values()) {
    routers.set(r.name, {
      name: r.name,
      lfib: new Map(),
      global: new Map(),
      vrfs: new Map(),
      ldpLocal: new Map(),
      ldpRemote: new Map(),
      bgpLu: new Map(),
      vpnLabels: new Map(),
    });
    alloc.set(r.name, new Allocator(r.labelBase, new Set(staticTaken.get(r.name))));
  }
  const egressLabel = (r: string) => (t.routers.get(r)!.explicitNull ? IPV4_EXPLICIT_NULL : IMPLICIT_NULL);
  const fecOwner = new Map<string, string>();
  const fecsOf = (r: string): string[] => {
    const rr = t.routers.get(r)!;
    return [`${formatIPv4(rr.loopback)}/32`, ...rr.prefixes.map((p) => p.text)];
  };
  for (const r of t.routers.values()) for (const f of fecsOf(r.name)) fecOwner.set(f, r.name);
  const prefixOf = (f: string): Prefix => {
    const [a, l] = f.split("/");
    return { addr: a!.split(".").reduce((x, o) => x * 256 + Number(o), 0), len: Number(l), text: f };
  };
  const lo = (r: string) => `${formatIPv4(t.routers.get(r)!.loopback)}/32`;
  const spt = new Map<string, Map<string, PathResult>>();
  for (const r of t.routers.values()) spt.set(r.name, shortestPaths(t, r.name, domainEdges(t, r.domain)));
  return { t, routers, alloc, egressLabel, fecOwner, fecsOf, prefixOf, lo, spt };
}

/** IGP: the next hop from a router towards another, with a note when equal-cost alternatives exist. */
function igpNextHops(ctx: BuildContext): NextHopFn {
  const { t, spt } = ctx;
  const ecmp = new Map<string, ReturnType<typeof equalCostFirstHops>>();
  return (from: string, to: string): NextHop | undefined => {
    const p = spt.get(from)!.get(to);
    if (!p || p.edges.length === 0) return undefined;
    if (!ecmp.has(from)) ecmp.set(from, equalCostFirstHops(t, from, domainEdges(t, t.routers.get(from)!.domain)));
    const nh: NextHop = { peer: p.edges[0]!.to, link: p.edges[0]!.link };
    const tie = tieNote(t, to, ecmp.get(from)!.get(to), nh);
    return tie ? { ...nh, tie } : nh;
  };
}

/** LDP (RFC 5036): local bindings, advertisements to every LDP neighbour, LFIB entries; the LDP transport. */
function buildLdp(
  ctx: BuildContext,
  igpNext: NextHopFn,
): { mappings: LdpMapping[]; transport: (from: string, to: string) => { push: number[]; next: NextHop } | undefined } {
  const { t, routers, alloc, egressLabel, fecOwner, fecsOf, lo, spt } = ctx;
  const ldpMappings: LdpMapping[] = [];
  const ldpOn = (r: string) => t.routers.get(r)!.ldp;
  for (const r of t.routers.values()) {
    if (!r.ldp) continue;
    const st = routers.get(r.name)!;
    for (const owner of t.routers.values()) {
      if (owner.domain !== r.domain || !spt.get(r.name)!.has(owner.name)) continue;
      for (const f of fecsOf(owner.name))
        st.ldpLocal.set(f, owner.name === r.name ? egressLabel(r.name) : alloc.get(r.name)!.alloc());
    }
  }
  for (const r of t.routers.values()) {
    if (!r.ldp) continue;
    for (const nb of neighbours(t, r.name)) {
      const peer = t.routers.get(nb.peer)!;
      if (!peer.ldp || peer.domain !== r.domain) continue;
      for (const [f, label] of routers.get(r.name)!.ldpLocal) {
        ldpMappings.push({ from: r.name, to: peer.name, fec: f, label });
        const rem = routers.get(peer.name)!.ldpRemote;
        (rem.get(f) ?? rem.set(f, new Map()).get(f)!).set(r.name, label);
      }
    }
  }
  for (const r of t.routers.values()) {
    if (!r.ldp) continue;
    const st = routers.get(r.name)!;
    for (const [f, label] of st.ldpLocal) {
      const owner = fecOwner.get(f)!;
      if (owner === r.name) continue; // implicit null needs no entry; explicit null (0) is handled by the walk
      const nh = igpNext(r.name, owner)!;
      const remote = st.ldpRemote.get(f)?.get(nh.peer);
      st.lfib.set(label, {
        in: label,
        out: remote === undefined ? [] : pop3([remote]),
        next: nh,
        fec: f,
        owner: remote === undefined ? "ldp (no label from next hop: pop, forward IP)" : "ldp",
      });
    }
  }
  const ldpTransport = (from: string, to: string): { push: number[]; next: NextHop } | undefined => {
    const nh = igpNext(from, to);
    if (!nh || !ldpOn(from)) return undefined;
    const remote = routers.get(from)!.ldpRemote.get(lo(to))?.get(nh.peer);
    if (remote === undefined) return undefined;
    return { push: pop3([remote]), next: nh };
  };
  return { mappings: ldpMappings, transport: ldpTransport };
}

/** RSVP-TE (RFC 3209): a CSPF path per LSP in order, PATH/RESV, labels and reservations; the RSVP transport. */
function buildRsvp(ctx: BuildContext, opts: BuildOptions): { lsps: RsvpLsp[]; ted: Ted; transport: RsvpTransportFn } {
  const { t, routers, alloc, egressLabel, lo } = ctx;
  const ted = new Ted(t);
  for (const pr of opts.preReserved ?? []) {
    const e = domainEdges(t, t.routers.get(pr.from)?.domain ?? "").find((x) => x.from === pr.from && x.to === pr.to);
    if (!e)
      throw new InputError("no link for a pre-reservation", {
        value: `${pr.from}→${pr.to}`,
        where: "buildNetwork preReserved",
      });
    ted.reserve(e, pr.bandwidth);
  }
  const rsvp: RsvpLsp[] = [];
  for (const spec of t.rsvp) {
    const computed = computeLspPath(t, ted, spec);
    const path = computed.nodes;
    const labels: number[] = new Array(path.length).fill(0);
    labels[path.length - 1] = egressLabel(spec.to);
    for (let i = path.length - 2; i >= 1; i--) labels[i] = alloc.get(path[i]!)!.alloc();
    labels[0] = -1; // the head end does not advertise a label
    const messages: RsvpMessage[] = [];
    for (let i = 0; i < path.length - 1; i++) {
      messages.push({
        type: "PATH",
        from: path[i]!,
        to: path[i + 1]!,
        lsp: spec.name,
        detail: `ERO ${path.slice(i + 1).join(" ")}, ${spec.bandwidth} Mb/s`,
      });
    }
    for (let i = path.length - 1; i >= 1; i--) {
      messages.push({ type: "RESV", from: path[i]!, to: path[i - 1]!, lsp: spec.name, detail: `label ${labels[i]}` });
    }
    for (const e of computed.edges) ted.reserve(e, spec.bandwidth);
    for (let i = 1; i < path.length - 1; i++) {
      const e = computed.edges[i]!;
      routers.get(path[i]!)!.lfib.set(labels[i]!, {
        in: labels[i]!,
        out: pop3([labels[i + 1]!]),
        next: { peer: e.to, link: e.link },
        fec: lo(spec.to),
        owner: `rsvp ${spec.name}`,
      });
    }
    rsvp.push({ spec, path, edges: computed.edges, labels, cost: computed.cost, messages, ties: computed.ties ?? [] });
  }
  const rsvpTransport = (from: string, to: string): { push: number[]; next: NextHop; name: string } | undefined => {
    const l = rsvp.find((x) => x.spec.from === from && x.spec.to === to);
    if (!l) return undefined;
    const tie = l.ties.length ? `CSPF at ${from}: ${l.ties.join("; ")}` : undefined;
    return {
      push: pop3([l.labels[1]!]),
      next: { peer: l.edges[0]!.to, link: l.edges[0]!.link, ...(tie ? { tie } : {}) },
      name: l.spec.name,
    };
  };
  return { lsps: rsvp, ted, transport: rsvpTransport };
}

/**
 * BGP labeled unicast (RFC 8277): best routes per speaker and context, labels, LFIB entries and the
 * carriers' VRF tables; returns the BGP-LU transport to a FEC.
 */
function buildBgpLu(
  ctx: BuildContext,
  intraTransport: (from: string, to: string) => Transport | undefined,
): BgpTransportFn {
  const { t, routers, alloc, egressLabel, fecOwner, fecsOf, prefixOf, spt } = ctx;
  // Routes live in a context: the global table ("") or a VRF (carrier supporting carrier, where a
  // PE speaks BGP-LU to a customer carrier's CE inside a VRF and carries the labelled routes to
  // the other PEs like VPN routes: RFC 4364 §9). Keys are "ctx|fec".
  const key = (ctx: string, fec: string) => `${ctx}|${fec}`;
  const speakers = [...new Set(t.bgpLu.flatMap((s) => [s.a, s.b]))];
  const peersOf = new Map<string, Array<{ peer: string; mine: string; theirs: string }>>(speakers.map((s) => [s, []]));
  for (const s of t.bgpLu) {
    const da = t.routers.get(s.a)!.domain;
    const db = t.routers.get(s.b)!.domain;
    if (s.a === s.b)
      throw new InputError(`a BGP-LU session needs two different routers (both ends are ${s.a})`, {
        where: "bgp-lu",
        location: s.loc,
      });
    if (da !== db && !neighbours(t, s.a).some((n) => n.peer === s.b)) {
      throw new InputError(`eBGP-LU session ${s.a}–${s.b} needs a direct link (the domains differ: ${da}, ${db})`, {
        where: "bgp-lu",
        location: s.loc,
      });
    }
    if (da === db && !spt.get(s.a)!.has(s.b))
      throw new InputError(`iBGP-LU session ${s.a}–${s.b}: no IGP route between them`, {
        where: "bgp-lu",
        location: s.loc,
      });
    peersOf.get(s.a)!.push({ peer: s.b, mine: s.aVrf ?? "", theirs: s.bVrf ?? "" });
    peersOf.get(s.b)!.push({ peer: s.a, mine: s.bVrf ?? "", theirs: s.aVrf ?? "" });
  }
  type Cand = { fec: string; ctx: string; from?: string; asPath: string[]; cost: number };
  const best = new Map<string, Map<string, Cand>>(speakers.map((s) => [s, new Map()]));
  for (const s of speakers)
    for (const f of fecsOf(s)) best.get(s)!.set(key("", f), { fec: f, ctx: "", asPath: [], cost: 0 });
  const isIbgp = (a: string, b: string) => t.routers.get(a)!.domain === t.routers.get(b)!.domain;
  const candBetter = (a: Cand, b: Cand | undefined) => {
    if (!b) return true;
    if (b.from === undefined) return false;
    if (a.from === undefined) return true;
    if (a.asPath.length !== b.asPath.length) return a.asPath.length < b.asPath.length;
    if (a.cost !== b.cost) return a.cost < b.cost;
    return t.routers.get(a.from)!.index < t.routers.get(b.from!)!.index;
  };
  for (let round = 0; round <= 2 * speakers.length + 2; round++) {
    let changed = false;
    for (const s of speakers) {
      const myDomain = t.routers.get(s)!.domain;
      for (const { peer: p, mine, theirs } of peersOf.get(s)!) {
        for (const c of best.get(p)!.values()) {
          if (c.ctx !== theirs) continue; // only routes of the session's table at the sender
          if (c.from !== undefined && isIbgp(c.from, p) && isIbgp(p, s)) continue; // no iBGP reflection
          const asPath = isIbgp(p, s) ? c.asPath : [t.routers.get(p)!.domain, ...c.asPath];
          if (asPath.includes(myDomain)) continue;
          if (fecOwner.get(c.fec) === s && mine === "") continue;
          const cand: Cand = { fec: c.fec, ctx: mine, from: p, asPath, cost: spt.get(s)!.get(p)?.cost ?? 0 };
          const k = key(mine, c.fec);
          const cur = best.get(s)!.get(k);
          if (cur && cur.from === p) {
            if (cur.asPath.join() !== asPath.join()) {
              best.get(s)!.set(k, cand);
              changed = true;
            }
            continue;
          }
          if (candBetter(cand, cur)) {
            best.get(s)!.set(k, cand);
            changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
  // Labels: allocated after convergence, in speaker then FEC order, so they are deterministic.
  const fecOrder = (a: Cand, b: Cand) =>
    a.ctx.localeCompare(b.ctx) ||
    (fecOwner.get(a.fec) === fecOwner.get(b.fec)
      ? a.fec.localeCompare(b.fec)
      : t.routers.get(fecOwner.get(a.fec)!)!.index - t.routers.get(fecOwner.get(b.fec)!)!.index);
  for (const s of speakers) {
    const st = routers.get(s)!;
    for (const c of [...best.get(s)!.values()].sort(fecOrder)) {
      st.bgpLu.set(c.ctx ? `${c.ctx}:${c.fec}` : c.fec, {
        fec: c.fec,
        localLabel: c.from === undefined ? egressLabel(s) : alloc.get(s)!.alloc(),
        asPath: c.asPath,
        ...(c.ctx ? { vrf: c.ctx } : {}),
        ...(c.from !== undefined ? { from: c.from } : {}),
      });
    }
  }
  const bgpKey = (ctx: string, fec: string) => (ctx ? `${ctx}:${fec}` : fec);
  const bgpTransport = (
    from: string,
    fec: string,
    ctx = "",
  ): { push: number[]; next: NextHop; via: string } | undefined => {
    const route = routers.get(from)!.bgpLu.get(bgpKey(ctx, fec));
    if (!route || route.from === undefined) return undefined;
    const sess = peersOf.get(from)!.find((x) => x.peer === route.from && x.mine === ctx)!;
    const peerRoute = routers.get(route.from)!.bgpLu.get(bgpKey(sess.theirs, fec))!;
    const remote = pop3([peerRoute.localLabel]);
    route.remoteLabel = peerRoute.localLabel;
    const tag = `bgp-lu${ctx ? ` vrf ${ctx}` : ""} from ${route.from}`;
    if (!isIbgp(from, route.from)) {
      const nb = neighbours(t, from).find((n) => n.peer === route.from)!;
      return { push: remote, next: { peer: route.from, link: nb.link }, via: tag };
    }
    const tr = intraTransport(from, route.from);
    if (!tr || !tr.lsp) return undefined;
    return { push: [...tr.push, ...remote], next: tr.next, via: `${tag} over ${tr.via}` };
  };
  for (const s of speakers) {
    const st = routers.get(s)!;
    for (const route of st.bgpLu.values()) {
      if (route.from === undefined) continue;
      const tr = bgpTransport(s, route.fec, route.vrf ?? "");
      if (!tr) continue;
      st.lfib.set(route.localLabel, {
        in: route.localLabel,
        out: tr.push,
        next: tr.next,
        fec: route.vrf ? `${route.fec} (vrf ${route.vrf})` : route.fec,
        owner: route.vrf ? `bgp-lu vrf ${route.vrf}` : "bgp-lu",
      });
      if (route.vrf) {
        // The carrier's VRF table: IP packets arriving in it are labelled like the routes say.
        const vt = st.vrfs.get(route.vrf) ?? st.vrfs.set(route.vrf, new Map()).get(route.vrf)!;
        vt.set(route.fec, { prefix: prefixOf(route.fec), local: false, push: tr.push, next: tr.next, via: tr.via });
      }
    }
  }
  return bgpTransport;
}

/** Global tables: local FECs, RSVP before LDP/IGP inside a domain, BGP-LU across domains. */
function buildGlobalTables(
  ctx: BuildContext,
  igpNext: NextHopFn,
  rsvpTransport: RsvpTransportFn,
  bgpTransport: BgpTransportFn,
): void {
  const { t, routers, fecOwner, prefixOf, lo } = ctx;
  for (const r of t.routers.values()) {
    const st = routers.get(r.name)!;
    for (const [f, owner] of fecOwner) {
      if (owner === r.name) {
        st.global.set(f, {
          prefix: prefixOf(f),
          local: true,
          ...(f === lo(r.name) ? { self: true } : {}),
          push: [],
          via: "local",
        });
        continue;
      }
      const sameDomain = t.routers.get(owner)!.domain === r.domain;
      let route: Route | undefined;
      if (sameDomain) {
        const tr = rsvpTransport(r.name, owner);
        if (tr) route = { prefix: prefixOf(f), local: false, push: tr.push, next: tr.next, via: `rsvp ${tr.name}` };
        else {
          const nh = igpNext(r.name, owner);
          if (nh) {
            const remote = r.ldp ? st.ldpRemote.get(f)?.get(nh.peer) : undefined;
            route = {
              prefix: prefixOf(f),
              local: false,
              push: remote === undefined ? [] : pop3([remote]),
              next: nh,
              via: remote === undefined ? "igp" : "ldp",
            };
          }
        }
      } else {
        const b = bgpTransport(r.name, f);
        if (b) route = { prefix: prefixOf(f), local: false, push: b.push, next: b.next, via: b.via };
      }
      if (route) st.global.set(f, route);
    }
  }
}

/** L3VPN (RFC 4364): one VPN label per VRF and PE, VRF tables with the VPN label under the transport. */
function buildVpns(ctx: BuildContext, transportTo: (from: string, to: string) => Transport | undefined): void {
  const { t, routers, alloc } = ctx;
  for (const v of t.vpns) {
    const pes = [...new Set(v.sites.map((s) => s.pe))];
    for (const pe of pes) {
      const label = alloc.get(pe)!.alloc();
      const st = routers.get(pe)!;
      st.vpnLabels.set(v.name, label);
      st.lfib.set(label, { in: label, out: [], vrf: v.name, fec: `vrf ${v.name}`, owner: `vpn ${v.name}` });
    }
    for (const pe of pes) {
      const table = new Map<string, Route>();
      routers.get(pe)!.vrfs.set(v.name, table);
      for (const site of v.sites) {
        if (site.pe === pe) {
          table.set(site.prefix.text, { prefix: site.prefix, local: true, push: [], via: "local site" });
          continue;
        }
        const tr = transportTo(pe, site.pe);
        if (!tr || !tr.lsp) continue; // no LSP to the remote PE: the VPN route is not usable
        const vpnLabel = routers.get(site.pe)!.vpnLabels.get(v.name)!;
        table.set(site.prefix.text, {
          prefix: site.prefix,
          local: false,
          push: [...tr.push, vpnLabel],
          next: tr.next,
          via: `vpn label ${vpnLabel} from ${site.pe}, transport ${tr.via}`,
        });
      }
    }
  }
}

/** Static LSPs, configured hop by hop: installed last, so they override. */
function applyStatics(ctx: BuildContext): void {
  const { t, routers } = ctx;
  for (const s of t.statics) {
    for (const h of s.hops) {
      const st = routers.get(h.router)!;
      const nb = h.next === undefined ? undefined : neighbours(t, h.router).find((n) => n.peer === h.next);
      if (h.next !== undefined && !nb)
        throw new InputError(`static LSP ${s.name}: ${h.router} has no link to ${h.next}`, {
          where: "static-lsps",
          location: h.loc,
        });
      const next = nb ? { peer: nb.peer, link: nb.link } : undefined;
      if (h.in === undefined) {
        st.global.set(s.fec.text, { prefix: s.fec, local: false, push: h.push, next: next!, via: `static ${s.name}` });
      } else {
        const out = h.pop ? [] : [...h.push, h.swap!];
        st.lfib.set(h.in, { in: h.in, out, ...(next ? { next } : {}), fec: s.fec.text, owner: `static ${s.name}` });
      }
    }
  }
}

/** CSPF with the ERO: strict hops need a direct link, loose hops and the tail use CSPF. */
export function computeLspPath(t: Topology, ted: Ted, spec: RsvpLspSpec): PathResult {
  const domain = t.routers.get(spec.from)!.domain;
  if (t.routers.get(spec.to)!.domain !== domain) {
    throw new InputError(
      `RSVP LSP ${spec.name}: ${spec.to} is in domain ${t.routers.get(spec.to)!.domain}, not ${domain}`,
      {
        where: "rsvp",
        location: spec.loc,
        hint: "RSVP-TE LSPs stay inside one IGP domain; use BGP-LU between domains",
      },
    );
  }
  const c: TeConstraints = { bandwidth: spec.bandwidth, includeAny: spec.includeAny, exclude: spec.exclude };
  const nodes = [spec.from];
  const edges: Edge[] = [];
  const ties: string[] = [];
  let cost = 0;
  const targets = [...spec.ero, { node: spec.to, strict: false, loc: spec.loc }];
  if (spec.ero.length && spec.ero[spec.ero.length - 1]!.node === spec.to) targets.pop();
  for (const hop of targets) {
    const at = nodes[nodes.length - 1]!;
    if (hop.node === at) continue;
    if (t.routers.get(hop.node)!.domain !== domain) {
      throw new InputError(`ERO hop ${hop.node} of LSP ${spec.name} is outside domain ${domain}`, {
        where: "rsvp ero",
        location: hop.loc,
      });
    }
    if (hop.strict) {
      const cands = domainEdges(t, domain).filter((e) => e.from === at && e.to === hop.node);
      if (!cands.length) {
        throw new InputError(
          `ERO of LSP ${spec.name} cannot be satisfied: strict hop ${hop.node} is not adjacent to ${at}`,
          {
            where: "rsvp ero",
            location: hop.loc,
            hint: `make the hop loose ("${hop.node} loose") or add the missing hops`,
          },
        );
      }
      const fits = cands
        .filter((e) => edgeRejection(ted, e, c) === undefined)
        .sort((a, b) => a.link.metric - b.link.metric || a.link.index - b.link.index);
      if (!fits.length) {
        throw new InputError(
          `ERO of LSP ${spec.name} cannot be satisfied at strict hop ${hop.node}: ${edgeRejection(ted, cands[0]!, c)}`,
          { where: "rsvp ero", location: hop.loc },
        );
      }
      edges.push(fits[0]!);
      nodes.push(hop.node);
      cost += fits[0]!.link.metric;
    } else {
      // Nodes already on the path are pruned, so a loose segment never doubles back.
      const onPath = new Set(nodes.slice(0, -1));
      const p = cspf(ted, domain, at, hop.node, c, (e) => !onPath.has(e.to));
      if (!p) {
        const what = hop.node === spec.to ? `the tail ${spec.to}` : `loose hop ${hop.node}`;
        throw new InputError(
          `CSPF finds no path from ${at} to ${what} for LSP ${spec.name} (${spec.bandwidth} ` +
            `Mb/s${spec.includeAny.length ? `, include-any ${spec.includeAny.join(",")}` : ""}` +
            `${spec.exclude.length ? `, exclude ${spec.exclude.join(",")}` : ""})`,
          { where: "rsvp", location: hop.loc, hint: "lower the bandwidth, relax the colours or change the ERO" },
        );
      }
      // Equal-cost alternatives anywhere along this segment: the head end picked one of them.
      const ok = (e: Edge) => !onPath.has(e.to) && edgeRejection(ted, e, c) === undefined;
      p.edges.forEach((e) => {
        const note = tieNote(t, hop.node, equalCostFirstHops(t, e.from, domainEdges(t, domain), ok).get(hop.node), {
          peer: e.to,
          link: e.link,
        });
        if (note) ties.push(e.from === at ? note : `from ${e.from}, ${note}`);
      });
      edges.push(...p.edges);
      nodes.push(...p.nodes.slice(1));
      cost += p.cost;
    }
  }
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n))
      throw new InputError(`the ERO of LSP ${spec.name} makes the path visit ${n} twice (${nodes.join(" → ")})`, {
        where: "rsvp ero",
        location: spec.loc,
      });
    seen.add(n);
  }
  return { nodes, edges, cost, ...(ties.length ? { ties } : {}) };
}

/** Longest-prefix match in a table. */
export function lookup(table: Map<string, Route>, addr: number): Route | undefined {
  let best: Route | undefined;
  for (const r of table.values())
    if (prefixContains(r.prefix, addr) && (!best || r.prefix.len > best.prefix.len)) best = r;
  return best;
}

/** The action word of an LFIB entry. */
export function actionOf(e: LfibEntry): string {
  if (e.out.length === 0) return e.next ? "pop" : e.vrf ? `pop, lookup vrf ${e.vrf}` : "pop, lookup";
  if (e.out.length === 1) return "swap";
  return "swap+push";
}

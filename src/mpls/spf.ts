/**
 * Shortest paths for the IGP (Dijkstra, "A note on two problems in connexion with graphs", 1959)
 * and constrained shortest paths for RSVP-TE (CSPF over the traffic-engineering database, RFC 3630
 * TE metrics / bandwidth / administrative groups as used by RFC 3209 path computation).
 *
 * Ties are broken deterministically: lower total metric, then fewer hops, then the path whose
 * router indices compare lower. One path is chosen (no ECMP hashing), so every run gives the same
 * LSPs; `equalCostFirstHops` finds the equal-cost alternatives a real router would load-share over
 * (RFC 2328 §16.1, equal-cost multipath), and `tieNote` says in words which one was chosen and why.
 */
import type { Link, Topology } from "./topology";

export interface Edge {
  from: string;
  to: string;
  link: Link;
}

export interface PathResult {
  nodes: string[];
  edges: Edge[];
  cost: number;
  /** Equal-cost alternatives the path computation passed over, in words (see tieNote). */
  ties?: string[];
}

/** Directed edges of the topology restricted to one domain (both ends inside it). */
export function domainEdges(t: Topology, domain: string): Edge[] {
  const out: Edge[] = [];
  for (const l of t.links) {
    const ra = t.routers.get(l.a)!;
    const rb = t.routers.get(l.b)!;
    if (ra.domain !== domain || rb.domain !== domain) continue;
    out.push({ from: l.a, to: l.b, link: l }, { from: l.b, to: l.a, link: l });
  }
  return out;
}

interface Label {
  cost: number;
  hops: number;
  key: number[];
  prev?: { node: string; edge: Edge };
}

function better(a: Label, b: Label | undefined): boolean {
  if (!b) return true;
  if (a.cost !== b.cost) return a.cost < b.cost;
  if (a.hops !== b.hops) return a.hops < b.hops;
  for (let i = 0; i < Math.min(a.key.length, b.key.length); i++)
    if (a.key[i] !== b.key[i]) return a.key[i]! < b.key[i]!;
  return false;
}

/**
 * Shortest paths from `src` over `edges` accepted by `ok`. Returns, for every reachable node,
 * the path from `src`. O(V² + E) — fine for lab-sized graphs.
 */
export function shortestPaths(
  t: Topology,
  src: string,
  edges: Edge[],
  ok: (e: Edge) => boolean = () => true,
): Map<string, PathResult> {
  const idx = (n: string) => t.routers.get(n)!.index;
  const best = new Map<string, Label>([[src, { cost: 0, hops: 0, key: [idx(src)] }]]);
  const done = new Set<string>();
  const adj = new Map<string, Edge[]>();
  for (const e of edges) if (ok(e)) (adj.get(e.from) ?? adj.set(e.from, []).get(e.from)!).push(e);
  for (;;) {
    let cur: string | undefined;
    for (const [n, l] of best) if (!done.has(n) && (cur === undefined || better(l, best.get(cur)))) cur = n;
    if (cur === undefined) break;
    done.add(cur);
    const cl = best.get(cur)!;
    for (const e of adj.get(cur) ?? []) {
      if (done.has(e.to)) continue;
      const cand: Label = {
        cost: cl.cost + e.link.metric,
        hops: cl.hops + 1,
        key: [...cl.key, idx(e.to)],
        prev: { node: cur, edge: e },
      };
      if (better(cand, best.get(e.to))) best.set(e.to, cand);
    }
  }
  const out = new Map<string, PathResult>();
  for (const [n, l] of best) {
    const nodes: string[] = [];
    const es: Edge[] = [];
    let at: string | undefined = n;
    let lab: Label | undefined = l;
    while (at !== undefined && lab) {
      nodes.unshift(at);
      if (lab.prev) es.unshift(lab.prev.edge);
      at = lab.prev?.node;
      lab = at === undefined ? undefined : best.get(at);
    }
    out.set(n, { nodes, edges: es, cost: l.cost });
  }
  return out;
}

/** One shortest path or undefined. */
export function shortestPath(
  t: Topology,
  src: string,
  dst: string,
  edges: Edge[],
  ok?: (e: Edge) => boolean,
): PathResult | undefined {
  return shortestPaths(t, src, edges, ok).get(dst);
}

/** TE state: bandwidth reserved per directed link, keyed "linkIndex:from". */
export class Ted {
  readonly reserved = new Map<string, number>();
  constructor(readonly topology: Topology) {}
  key(e: Edge): string {
    return `${e.link.index}:${e.from}`;
  }
  available(e: Edge): number {
    return e.link.bandwidth - (this.reserved.get(this.key(e)) ?? 0);
  }
  reserve(e: Edge, bw: number): void {
    this.reserved.set(this.key(e), (this.reserved.get(this.key(e)) ?? 0) + bw);
  }
}

export interface TeConstraints {
  bandwidth: number;
  includeAny: string[];
  exclude: string[];
}

/** Why an edge fails the constraints, or undefined if it fits. */
export function edgeRejection(ted: Ted, e: Edge, c: TeConstraints): string | undefined {
  if (ted.available(e) < c.bandwidth)
    return `only ${ted.available(e)} Mb/s unreserved on ${e.from}→${e.to}, ${c.bandwidth} needed`;
  if (c.exclude.some((x) => e.link.colors.includes(x)))
    return `${e.from}–${e.to} has an excluded colour (${e.link.colors.join(", ")})`;
  if (c.includeAny.length && !c.includeAny.some((x) => e.link.colors.includes(x))) {
    return (
      `${e.from}–${e.to} has none of the colours ${c.includeAny.join(", ")} ` +
      `(it has ${e.link.colors.join(", ") || "none"})`
    );
  }
  return undefined;
}

/** CSPF: the shortest path from src to dst using only edges that satisfy the constraints. */
export function cspf(
  ted: Ted,
  domain: string,
  src: string,
  dst: string,
  c: TeConstraints,
  extra: (e: Edge) => boolean = () => true,
): PathResult | undefined {
  return shortestPath(
    ted.topology,
    src,
    dst,
    domainEdges(ted.topology, domain),
    (e) => extra(e) && edgeRejection(ted, e, c) === undefined,
  );
}

/** One first hop out of the source that starts a shortest path, and the fewest hops along such paths. */
export interface FirstHop {
  peer: string;
  link: Link;
  hops: number;
}

/**
 * For every node reachable from `src`: the cost of a shortest path and every first hop (neighbour
 * and link) that starts one. Metrics are ≥ 1, so the shortest-path graph is acyclic.
 */
export function equalCostFirstHops(
  t: Topology,
  src: string,
  edges: Edge[],
  ok: (e: Edge) => boolean = () => true,
): Map<string, { cost: number; firstHops: FirstHop[] }> {
  const usable = edges.filter(ok);
  const dist = new Map<string, number>([[src, 0]]);
  const done = new Set<string>();
  for (;;) {
    let cur: string | undefined;
    for (const [n, d] of dist) if (!done.has(n) && (cur === undefined || d < dist.get(cur)!)) cur = n;
    if (cur === undefined) break;
    done.add(cur);
    for (const e of usable) {
      if (e.from !== cur) continue;
      const d = dist.get(cur)! + e.link.metric;
      if (d < (dist.get(e.to) ?? Infinity)) dist.set(e.to, d);
    }
  }
  const order = [...dist.keys()].sort((a, b) => dist.get(a)! - dist.get(b)!);
  const fh = new Map<string, Map<string, FirstHop>>([[src, new Map()]]);
  for (const n of order) {
    if (n === src) continue;
    const mine = new Map<string, FirstHop>();
    for (const e of usable) {
      if (e.to !== n || !dist.has(e.from) || dist.get(e.from)! + e.link.metric !== dist.get(n)) continue;
      if (e.from === src) {
        mine.set(`${e.to}#${e.link.index}`, { peer: e.to, link: e.link, hops: 1 });
        continue;
      }
      for (const [k, h] of fh.get(e.from) ?? []) {
        const prev = mine.get(k);
        if (!prev || h.hops + 1 < prev.hops) mine.set(k, { ...h, hops: h.hops + 1 });
      }
    }
    fh.set(n, mine);
  }
  const out = new Map<string, { cost: number; firstHops: FirstHop[] }>();
  for (const [n, m] of fh) out.set(n, { cost: dist.get(n)!, firstHops: [...m.values()] });
  return out;
}

/**
 * A sentence for the trace when `dst` has equal-cost first hops: which exist, which was chosen and
 * by which tie-break; undefined when there is only one. `chosen` is the first hop of the path used.
 */
export function tieNote(
  t: Topology,
  dst: string,
  info: { cost: number; firstHops: FirstHop[] } | undefined,
  chosen: { peer: string; link: Link },
): string | undefined {
  if (!info || info.firstHops.length < 2) return undefined;
  const mine = info.firstHops.find((h) => h.link === chosen.link && h.peer === chosen.peer);
  if (!mine) return undefined;
  const samePeer = (p: string) => info.firstHops.filter((h) => h.peer === p).length > 1;
  const name = (h: FirstHop) => (samePeer(h.peer) ? `${h.peer} (link ${h.link.index + 1})` : h.peer);
  const others = info.firstHops.filter((h) => h !== mine);
  const fewer = others.every((h) => h.hops > mine.hops);
  const why = fewer
    ? `it has the fewest hops (${mine.hops})`
    : `same hop count, so the path whose routers come first in the topology file wins`;
  return (
    `equal-cost paths to ${dst} (cost ${info.cost}) via ${[mine, ...others].map(name).join(", ")}: ` +
    `${name(mine)} chosen because ${why}; no ECMP load sharing is modelled`
  );
}

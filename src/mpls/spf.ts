/**
 * Shortest paths for the IGP (Dijkstra, "A note on two problems in connexion with graphs", 1959)
 * and constrained shortest paths for RSVP-TE (CSPF over the traffic-engineering database, RFC 3630
 * TE metrics / bandwidth / administrative groups as used by RFC 3209 path computation).
 *
 * Ties are broken deterministically: lower total metric, then fewer hops, then the path whose
 * router indices compare lower. One path is chosen (no ECMP), so every run gives the same LSPs.
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
  for (let i = 0; i < Math.min(a.key.length, b.key.length); i++) if (a.key[i] !== b.key[i]) return a.key[i]! < b.key[i]!;
  return false;
}

/**
 * Shortest paths from `src` over `edges` accepted by `ok`. Returns, for every reachable node,
 * the path from `src`. O(V² + E) — fine for lab-sized graphs.
 */
export function shortestPaths(t: Topology, src: string, edges: Edge[], ok: (e: Edge) => boolean = () => true): Map<string, PathResult> {
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
      const cand: Label = { cost: cl.cost + e.link.metric, hops: cl.hops + 1, key: [...cl.key, idx(e.to)], prev: { node: cur, edge: e } };
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
export function shortestPath(t: Topology, src: string, dst: string, edges: Edge[], ok?: (e: Edge) => boolean): PathResult | undefined {
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
  if (ted.available(e) < c.bandwidth) return `only ${ted.available(e)} Mb/s unreserved on ${e.from}→${e.to}, ${c.bandwidth} needed`;
  if (c.exclude.some((x) => e.link.colors.includes(x))) return `${e.from}–${e.to} has an excluded colour (${e.link.colors.join(", ")})`;
  if (c.includeAny.length && !c.includeAny.some((x) => e.link.colors.includes(x))) {
    return `${e.from}–${e.to} has none of the colours ${c.includeAny.join(", ")} (it has ${e.link.colors.join(", ") || "none"})`;
  }
  return undefined;
}

/** CSPF: the shortest path from src to dst using only edges that satisfy the constraints. */
export function cspf(ted: Ted, domain: string, src: string, dst: string, c: TeConstraints, extra: (e: Edge) => boolean = () => true): PathResult | undefined {
  return shortestPath(ted.topology, src, dst, domainEdges(ted.topology, domain), (e) => extra(e) && edgeRejection(ted, e, c) === undefined);
}

/**
 * Properties on seeded random topologies: LDP LSPs follow the IGP shortest path and never loop;
 * TTLs follow RFC 3443; CSPF returns a cheapest feasible path (checked by brute force over all
 * simple paths) and reservations never exceed a link's bandwidth.
 */
import { it, expect } from "vitest";
import { Rng } from "../../src/util/rng";
import {
  buildNetwork,
  domainEdges,
  formatIPv4,
  parseTopology,
  shortestPath,
  trace,
  type Edge,
  type Topology,
} from "../../src/mpls";

function randomTopo(rng: Rng, n: number, extra: number, lsps: number, mode: "uniform" | "pipe"): string {
  const L = ["routers:"];
  for (let i = 0; i < n; i++) L.push(`  R${i}: { loopback: 10.0.0.${i + 1} }`);
  L.push("links:");
  const seen = new Set<string>();
  const add = (a: number, b: number) => {
    const k = `${Math.min(a, b)}-${Math.max(a, b)}`;
    if (a === b || seen.has(k)) return;
    seen.add(k);
    const colors = rng.int(0, 2) === 0 ? "[red]" : "[]";
    L.push(
      `  - { a: R${a}, b: R${b}, metric: ${rng.int(1, 9)}, bandwidth: ${rng.int(1, 10) * 100}, colors: ${colors} }`,
    );
  };
  for (let i = 1; i < n; i++) add(i, rng.int(0, i - 1)); // a spanning tree keeps it connected
  for (let i = 0; i < extra; i++) add(rng.int(0, n - 1), rng.int(0, n - 1));
  L.push("rsvp:");
  for (let i = 0; i < lsps; i++) {
    const a = rng.int(0, n - 1);
    let b = rng.int(0, n - 1);
    if (b === a) b = (a + 1) % n;
    L.push(
      `  - { name: T${i}, from: R${a}, to: R${b}, bandwidth: ${rng.int(1, 6) * 50}${rng.int(0, 3) === 0 ? ", exclude: [red]" : ""} }`,
    );
  }
  return `ttl-mode: ${mode}\nldp: true\n${L.join("\n")}\n`;
}

function simplePaths(t: Topology, from: string, to: string): Edge[][] {
  const edges = domainEdges(t, "core");
  const out: Edge[][] = [];
  const walk = (at: string, seen: Set<string>, acc: Edge[]) => {
    if (at === to) return void out.push([...acc]);
    for (const e of edges)
      if (e.from === at && !seen.has(e.to)) {
        seen.add(e.to);
        acc.push(e);
        walk(e.to, seen, acc);
        acc.pop();
        seen.delete(e.to);
      }
  };
  walk(from, new Set([from]), []);
  return out;
}

it("LDP walks follow the IGP shortest path, never loop, and count TTL per RFC 3443", { timeout: 60000 }, () => {
  for (let seed = 1; seed <= 25; seed++) {
    const rng = new Rng(seed);
    const mode = seed % 2 ? "uniform" : "pipe";
    const text = randomTopo(rng, rng.int(3, 7), rng.int(0, 5), 0, mode);
    const t = parseTopology(text, `seed${seed}.yaml`);
    const net = buildNetwork(t);
    for (const a of t.routers.values())
      for (const b of t.routers.values()) {
        if (a === b) continue;
        const w = trace(net, { from: a.name, to: formatIPv4(b.loopback) });
        const where = `seed ${seed}: ${a.name} → ${b.name}`;
        expect(w.outcome, `${where}: ${w.reason}`).toBe("delivered");
        expect(w.loopAt, where).toBe(undefined);
        const sp = shortestPath(t, a.name, b.name, domainEdges(t, "core"))!;
        expect(
          w.hops.map((h) => h.router),
          where,
        ).toStrictEqual(sp.nodes);
        // Independently of tie-breaking: no simple path is cheaper than the one the packet took.
        const cheapest = Math.min(
          ...simplePaths(t, a.name, b.name).map((p) => p.reduce((s, e) => s + e.link.metric, 0)),
        );
        const taken = w.hops.filter((h) => h.link).reduce((s, h) => s + h.link!.metric, 0);
        expect(taken, `${where}: path cost`).toBe(cheapest);
        // One decrement per router that forwards; the destination router receives without one.
        expect(w.ip.ttl, `${where}: final IP TTL`).toBe(mode === "uniform" ? 65 - sp.nodes.length : 63);
        // Every link but the last carries exactly one label (LDP transport), the last none (PHP).
        const depths = w.hops.filter((h) => h.next).map((h) => h.outStack.length);
        expect(depths, where).toStrictEqual([...depths.slice(0, -1).map(() => 1), 0]);
      }
  }
});

it("CSPF picks a cheapest feasible path; reservations never exceed bandwidth", { timeout: 60000 }, () => {
  let signalled = 0;
  let refused = 0;
  for (let seed = 100; seed < 140; seed++) {
    const rng = new Rng(seed);
    const text = randomTopo(rng, rng.int(4, 7), rng.int(2, 6), 4, "uniform");
    const t = parseTopology(text, `seed${seed}.yaml`);
    // Signal LSPs one at a time (prefixes of the list) so a refusal can be checked too.
    for (let k = 1; k <= t.rsvp.length; k++) {
      const sub: Topology = { ...t, rsvp: t.rsvp.slice(0, k) };
      let net;
      try {
        net = buildNetwork(sub);
      } catch (e) {
        // Refused: brute force must agree that no feasible path exists for LSP k-1.
        const prev = buildNetwork({ ...t, rsvp: t.rsvp.slice(0, k - 1) });
        const spec = t.rsvp[k - 1]!;
        const feasible = simplePaths(t, spec.from, spec.to).filter((p) =>
          p.every(
            (e) => prev.ted.available(e) >= spec.bandwidth && !spec.exclude.some((c) => e.link.colors.includes(c)),
          ),
        );
        expect(
          feasible.length,
          `seed ${seed}: CSPF refused ${spec.name} (${(e as Error).message}) but ${feasible.length} feasible paths exist`,
        ).toBe(0);
        refused++;
        break;
      }
      const spec = t.rsvp[k - 1]!;
      const prev = buildNetwork({ ...t, rsvp: t.rsvp.slice(0, k - 1) });
      const feasible = simplePaths(t, spec.from, spec.to).filter((p) =>
        p.every((e) => prev.ted.available(e) >= spec.bandwidth && !spec.exclude.some((c) => e.link.colors.includes(c))),
      );
      const best = Math.min(...feasible.map((p) => p.reduce((s, e) => s + e.link.metric, 0)));
      const lsp = net.rsvp[k - 1]!;
      expect(lsp.cost, `seed ${seed}: ${spec.name} cost`).toBe(best);
      for (const e of lsp.edges)
        expect(!spec.exclude.some((c) => e.link.colors.includes(c)), `seed ${seed}: excluded colour used`).toBeTruthy();
      for (const l of t.links)
        for (const [from, to] of [
          [l.a, l.b],
          [l.b, l.a],
        ] as const) {
          expect(
            net.ted.available({ from, to, link: l }) >= 0,
            `seed ${seed}: ${from}→${to} over-reserved`,
          ).toBeTruthy();
        }
      // The LSP carries traffic to its tail: the walk follows the signalled path.
      const w = trace(net, { from: spec.from, to: formatIPv4(t.routers.get(spec.to)!.loopback) });
      if (net.rsvp.filter((x) => x.spec.from === spec.from && x.spec.to === spec.to)[0] === lsp) {
        expect(
          w.hops.map((h) => h.router),
          `seed ${seed}: walk over ${spec.name}`,
        ).toStrictEqual(lsp.path);
      }
      signalled++;
    }
  }
  expect(
    signalled > 50 && refused > 3,
    `enough of both cases (signalled ${signalled}, refused ${refused})`,
  ).toBeTruthy();
});

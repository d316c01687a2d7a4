/**
 * Two MPLS corners: a packet addressed to the router itself is received, not forwarded (no TTL
 * decrement, no frame to a host that does not exist), checked against the Linux kernel in
 * namespaces the test creates (a TTL-1 ping to a router's own address is answered; to a host
 * behind it, it expires); and equal-cost paths are named in the trace with the tie-break used,
 * against an independent enumeration of every loop-free path in the test's own topologies.
 */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { buildNetwork, parseTopology, trace, walkFrames, type Topology } from "../../src/mpls";
import { netnsAdd, netnsDel, netnsWhy, sh } from "./nsutil";

const topo = (yaml: string) => parseTopology(yaml, "<test>");

const CHAIN = `
name: chain
ldp: true
routers:
  A: { loopback: 10.9.0.1 }
  B: { loopback: 10.9.0.2 }
  C: { loopback: 10.9.0.3, prefixes: [172.31.5.0/24] }
links:
  - { a: A, b: B }
  - { a: B, b: C }
`;

it(
  "a packet for the router's own loopback is received there: no decrement, no expiry at TTL 1, no extra frame",
  { timeout: 10000 },
  () => {
    for (const mode of ["uniform", "pipe"]) {
      for (const php of [true, false]) {
        const net = buildNetwork(topo(`ttl-mode: ${mode}\nphp: ${php}\n${CHAIN}`));
        const w = trace(net, { from: "A", to: "10.9.0.3", ttl: 9 });
        expect(w.outcome, `${mode} php=${php}`).toBe("delivered");
        expect(w.deliveredTo).toBe("router");
        const last = w.hops[w.hops.length - 1]!;
        expect(last.router).toBe("C");
        // Uniform: A and B forward (two decrements), C receives 9 - 2 = 7. Pipe (RFC 3443): the LSP
        // counts as one hop for the IP TTL, decremented at the ingress only on the way in: 8.
        const want = mode === "uniform" ? 7 : 8;
        const arrived = last.inStack.length && mode === "uniform" ? last.inStack[0]!.ttl : last.inIpTtl;
        expect(last.outIpTtl, `${mode} php=${php}: C must not decrement (${JSON.stringify(last)})`).toBe(arrived);
        expect(last.outIpTtl, `${mode} php=${php}`).toBe(want);
        expect(last.actions.join(" ")).toMatch(/C's own address, received here/);
        // One frame per link crossed (A→B, B→C) and none towards a host behind C.
        expect(walkFrames(net.topology, w).map((f) => f.where)).toStrictEqual(["A→B", "B→C"]);
        // Exactly enough TTL to arrive: delivered, not expired.
        expect(trace(net, { from: "A", to: "10.9.0.3", ttl: 3 }).outcome).toBe("delivered");
        // A host behind C is forwarded to: C decrements, and the delivery frame exists.
        const site = trace(net, { from: "A", to: "172.31.5.9", ttl: 9 });
        expect(site.deliveredTo).toBe("network");
        expect(site.hops[site.hops.length - 1]!.outIpTtl).toBe(want - 1);
        expect(walkFrames(net.topology, site).length).toBe(3);
        expect(trace(net, { from: "A", to: "172.31.5.9", ttl: mode === "uniform" ? 3 : 2 }).outcome).toBe(
          "ttl-expired",
        );
      }
    }
    // From the router to itself: nothing crosses a link.
    const self = trace(buildNetwork(topo(CHAIN)), { from: "B", to: "10.9.0.2", ttl: 1 });
    expect(self.outcome).toBe("delivered");
    expect(self.hops.length).toBe(1);
  },
);

const nsWhy = netnsWhy();

it(
  "Linux agrees: a TTL-1 ping to a router's own address is answered, to a host behind it expires",
  { timeout: 60000 },
  (ctx) => {
    if (nsWhy) ctx.skip(nsWhy);
    const id = `${process.pid % 100000}${Math.floor(Math.random() * 1000)}`;
    const [A, R, H] = ["a", "r", "h"].map((x) => `wlttl${id}${x}`) as [string, string, string];
    try {
      for (const n of [A, R, H]) netnsAdd(n);
      sh(["ip", "link", "add", `wa${id}`, "netns", A, "type", "veth", "peer", "name", `wr${id}`, "netns", R]);
      sh(["ip", "link", "add", `wh${id}`, "netns", H, "type", "veth", "peer", "name", `ws${id}`, "netns", R]);
      sh(["ip", "addr", "add", "172.30.1.1/30", "dev", `wa${id}`], { ns: A });
      sh(["ip", "addr", "add", "172.30.1.2/30", "dev", `wr${id}`], { ns: R });
      sh(["ip", "addr", "add", "172.30.2.1/30", "dev", `ws${id}`], { ns: R });
      sh(["ip", "addr", "add", "172.30.2.2/30", "dev", `wh${id}`], { ns: H });
      sh(["ip", "addr", "add", "10.9.0.3/32", "dev", "lo"], { ns: R });
      for (const [n, d] of [
        [A, `wa${id}`],
        [R, `wr${id}`],
        [R, `ws${id}`],
        [H, `wh${id}`],
      ] as const)
        sh(["ip", "link", "set", d, "up"], { ns: n });
      sh(["sysctl", "-qw", "net.ipv4.ip_forward=1"], { ns: R });
      sh(["ip", "route", "add", "10.9.0.3/32", "via", "172.30.1.2"], { ns: A });
      sh(["ip", "route", "add", "172.30.2.0/30", "via", "172.30.1.2"], { ns: A });
      sh(["ip", "route", "add", "default", "via", "172.30.2.1"], { ns: H });
      const ping = (dst: string) =>
        spawnSync("ip", ["netns", "exec", A, "ping", "-n", "-c", "1", "-W", "2", "-t", "1", dst], {
          encoding: "utf8",
          timeout: 10000,
        });
      const own = ping("10.9.0.3");
      expect(own.status, `TTL-1 ping to the router's own address: ${own.stdout}${own.stderr}`).toBe(0);
      expect(own.stdout).toMatch(/1 received/);
      const behind = ping("172.30.2.2");
      expect(behind.status).not.toBe(0);
      expect(behind.stdout).toMatch(/Time to live exceeded/i);
      // The simulator, on the same shape (A – R, R's loopback and a host behind R), says the same.
      const net = buildNetwork(
        topo(
          `ldp: false\nrouters:\n  A: { loopback: 10.9.0.1 }\n  R: { loopback: 10.9.0.3, prefixes: [172.30.2.0/30] }\nlinks:\n  - { a: A, b: R }\n`,
        ),
      );
      // The ping leaves A's stack with TTL 1 and A does not forward its own packet: the walk starts at R.
      expect(trace(net, { from: "A", to: "10.9.0.3", ttl: 2 }).outcome).toBe("delivered");
      expect(trace(net, { from: "A", to: "172.30.2.2", ttl: 2 }).outcome).toBe("ttl-expired");
    } finally {
      for (const n of [A, R, H]) netnsDel(n);
    }
  },
);

/** Every loop-free path from src to dst with its cost: an independent check of the equal-cost sets. */
function allPaths(t: Topology, src: string, dst: string): Array<{ nodes: string[]; cost: number }> {
  const out: Array<{ nodes: string[]; cost: number }> = [];
  const go = (at: string, nodes: string[], cost: number) => {
    if (at === dst) return void out.push({ nodes, cost });
    for (const l of t.links) {
      const nb = l.a === at ? l.b : l.b === at ? l.a : undefined;
      if (nb && !nodes.includes(nb)) go(nb, [...nodes, nb], cost + l.metric);
    }
  };
  go(src, [src], 0);
  return out;
}

const DIAMOND = `
ldp: true
routers:
  S: { loopback: 10.8.0.1 }
  X: { loopback: 10.8.0.2 }
  Y: { loopback: 10.8.0.3 }
  Z: { loopback: 10.8.0.4 }
  D: { loopback: 10.8.0.5 }
links:
  - { a: S, b: X, metric: 10 }
  - { a: S, b: Y, metric: 10 }
  - { a: X, b: D, metric: 10 }
  - { a: Y, b: D, metric: 10 }
  - { a: S, b: Z, metric: 5 }
  - { a: Z, b: D, metric: 15 }
  - { a: S, b: D, metric: 25 }
`;

it(
  "equal-cost paths: the trace names the alternatives and the tie-break, matching an enumeration of all paths",
  { timeout: 10000 },
  () => {
    const t = topo(DIAMOND);
    const net = buildNetwork(t);
    const w = trace(net, { from: "S", to: "10.8.0.5" });
    const first = w.hops[0]!;
    const note = first.actions.find((a) => a.startsWith("equal-cost"));
    expect(note, JSON.stringify(first.actions)).toBeTruthy();
    const paths = allPaths(t, "S", "D");
    const best = Math.min(...paths.map((p) => p.cost));
    const firstHops = [...new Set(paths.filter((p) => p.cost === best).map((p) => p.nodes[1]!))];
    expect(firstHops.sort()).toStrictEqual(["X", "Y", "Z"]);
    for (const h of firstHops) expect(note!).toMatch(new RegExp(`\\b${h}\\b`));
    expect(note!).toMatch(/cost 20/);
    expect(first.next).toBe("X");
    expect(note!).toMatch(
      /X chosen because same hop count, so the path whose routers come first in the topology file wins/,
    );
    // Fewer hops wins over router order: a direct link of the same cost.
    const direct = buildNetwork(topo(DIAMOND.replace("metric: 25", "metric: 20")));
    const d = trace(direct, { from: "S", to: "10.8.0.5" }).hops[0]!;
    expect(d.next).toBe("D");
    expect(d.actions.join(" ")).toMatch(/D chosen because it has the fewest hops \(1\)/);
    // No alternative, no note.
    const chain = trace(buildNetwork(topo(CHAIN)), { from: "A", to: "10.9.0.3" });
    expect(chain.hops.every((h) => !h.actions.some((a) => a.startsWith("equal-cost")))).toBeTruthy();
  },
);

it("RSVP-TE: CSPF ties at the head end are named, for the segment that had them", { timeout: 10000 }, () => {
  const t = topo(
    DIAMOND.replace("ldp: true", "ldp: false") + "rsvp:\n  - { name: T1, from: S, to: D, bandwidth: 10 }\n",
  );
  const w = trace(buildNetwork(t), { from: "S", to: "10.8.0.5" });
  expect(w.hops[0]!.actions.join(" ")).toMatch(/CSPF at S: equal-cost paths to D \(cost 20\) via X, Y, Z/);
  expect(
    w.hops.slice(1).every((h) => !h.actions.some((a) => a.includes("CSPF"))),
    "transit routers follow the ERO: no choice there",
  ).toBeTruthy();
});

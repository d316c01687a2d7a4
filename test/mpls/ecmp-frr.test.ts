/**
 * Oracle for equal-cost paths: FRR 8.4 ospfd, on a topology this test defines, run in network
 * namespaces it creates and removes. For every router and every other router's loopback, the set
 * of next hops FRR installs (ECMP, RFC 2328 §16.1) must be the set of equal-cost first hops the
 * simulator names in its trace, and the one the simulator uses must be among them.
 */
import { it, expect, beforeAll, afterAll } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { oracle } from "../helpers/oracle";
import { buildNetwork, formatIPv4, ifName, neighbours, parseTopology, trace } from "../../src/mpls";
import { domainEdges, equalCostFirstHops } from "../../src/mpls/spf";
import { frrRouterDir, frrTempDir, netnsWhy, sleep, startFrrDaemon, stopFrrLab, vtysh, wireTopology } from "./nsutil";

const why = oracle("FRR ospfd", ["/usr/lib/frr/ospfd", "--version"], "apt-get install frr") ?? netnsWhy();

// Three equal-cost ways from S to D (via X, Y and Z), one tie between a direct link and two hops
// (X to Z), and plain single paths elsewhere.
const YAML = `
name: ecmp
ldp: false
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
  - { a: X, b: Z, metric: 15 }
`;
const t = parseTopology(YAML, "ecmp.yaml");
const net = buildNetwork(t);
const routers = [...t.routers.keys()];
const ns = (r: string) => `wlecmp${process.pid}-${r}`;
let dir = "";

beforeAll(async () => {
  if (why) return;
  dir = frrTempDir("wlmpls-ecmp-");
  wireTopology(t, ns, "wle");
  for (const r of routers) {
    const d = frrRouterDir(join(dir, r));
    const ifs = neighbours(t, r)
      .map(
        (n) =>
          `interface ${ifName(t, r, n.link)}\n ip ospf network point-to-point\n ip ospf cost ${n.link.metric}\n ip ospf hello-interval 1\n ip ospf dead-interval 4\n!\n`,
      )
      .join("");
    writeFileSync(join(d, "zebra.conf"), `hostname ${r}\n`);
    writeFileSync(
      join(d, "ospfd.conf"),
      `hostname ${r}\n${ifs}router ospf\n ospf router-id ${formatIPv4(t.routers.get(r)!.loopback)}\n network 0.0.0.0/0 area 0\n timers throttle spf 0 50 200\n!\n`,
    );
    startFrrDaemon(ns(r), d, "zebra");
    await sleep(200);
    startFrrDaemon(ns(r), d, "ospfd");
  }
});

afterAll(() => {
  if (dir) stopFrrLab(dir, routers, ns, ["ospfd", "zebra"]);
});

interface FrrRoute {
  protocol: string;
  selected?: boolean;
  nexthops?: Array<{ interfaceName?: string; active?: boolean }>;
}

/** Per router: loopback prefix → the peers FRR's OSPF route uses (sorted). */
function frrNextHops(): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const r of routers) {
    const raw = vtysh(ns(r), join(dir, r), "show ip route ospf json");
    let json: Record<string, FrrRoute[]> = {};
    try {
      json = JSON.parse(raw || "{}");
    } catch {
      /* not ready */
    }
    const m = new Map<string, string[]>();
    for (const [prefix, entries] of Object.entries(json)) {
      const sel = entries.find((e) => e.protocol === "ospf" && e.selected);
      if (!sel) continue;
      const peers = (sel.nexthops ?? [])
        .filter((h) => h.active && h.interfaceName)
        .map((h) => neighbours(t, r).find((n) => ifName(t, r, n.link) === h.interfaceName)!.peer);
      m.set(prefix, [...new Set(peers)].sort());
    }
    out.set(r, m);
  }
  return out;
}

it(
  "FRR ospfd installs exactly the equal-cost next hops the simulator names, and the one it uses is among them",
  { timeout: 120000 },
  async (ctx) => {
    if (why) ctx.skip(why);
    const want = new Map(routers.map((r) => [r, equalCostFirstHops(t, r, domainEdges(t, t.routers.get(r)!.domain))]));
    const expected = (r: string, dst: string) =>
      [
        ...new Set(
          want
            .get(r)!
            .get(dst)!
            .firstHops.map((h) => h.peer),
        ),
      ].sort();
    let frr = new Map<string, Map<string, string[]>>();
    const converged = () =>
      routers.every((r) =>
        routers.every(
          (d) =>
            d === r ||
            JSON.stringify(frr.get(r)?.get(`${formatIPv4(t.routers.get(d)!.loopback)}/32`)) ===
              JSON.stringify(expected(r, d)),
        ),
      );
    for (let i = 0; i < 60 && !converged(); i++) {
      await sleep(1000);
      frr = frrNextHops();
    }
    let ecmpCases = 0;
    for (const r of routers) {
      for (const d of routers) {
        if (d === r) continue;
        const lo = `${formatIPv4(t.routers.get(d)!.loopback)}/32`;
        expect(
          frr.get(r)?.get(lo),
          `${r} → ${d}: FRR next hops vs the simulator's equal-cost set (FRR log: ${dir}/${r}/log)`,
        ).toStrictEqual(expected(r, d));
        const w = trace(net, { from: r, to: formatIPv4(t.routers.get(d)!.loopback) });
        const first = w.hops[0]!;
        expect(expected(r, d).includes(first.next!), `${r} → ${d}: the simulator uses ${first.next}`).toBeTruthy();
        const note = first.actions.find((a) => a.startsWith("equal-cost"));
        if (expected(r, d).length > 1) {
          ecmpCases++;
          expect(
            note,
            `${r} → ${d}: FRR load-shares over ${expected(r, d).join(", ")}, the trace must say so`,
          ).toBeTruthy();
          for (const p of expected(r, d)) expect(note!).toMatch(new RegExp(`\\b${p}\\b`));
        } else expect(note, `${r} → ${d}: no alternative, no note`).toBe(undefined);
      }
    }
    expect(ecmpCases >= 3, `only ${ecmpCases} equal-cost cases: the topology no longer teaches ECMP`).toBeTruthy();
  },
);

/**
 * The BGP-LU lab driven by Junos configurations (src/mpls/junos.ts + the Junos parser of
 * src/vpn/junos.ts): the post's routing-instance lines load, give the three-label stack, and every
 * inconsistency is refused with the file and line.
 */
import { it, expect } from "vitest";
import { buildNetwork, labJunosSources, labTopology, trace, withJunosVrfs, type JunosSource } from "../../src/mpls";
import { parseJunos } from "../../src/vpn/junos";

const sources = () => labJunosSources("bgplu", ["PE1", "PE2"]);
const edit = (s: JunosSource[], router: string, f: (t: string) => string): JunosSource[] =>
  s.map((x) => (x.router === router ? { ...x, text: f(x.text) } : x));

it("the Junos parser records labeled-unicast neighbours and interface prefixes", () => {
  const cfg = parseJunos(sources()[0]!.text, "bgplu-pe1.set");
  expect(cfg.neighbors.map((n) => [n.address, !!n.labeledUnicast, n.vpnv4, n.peerAs])).toStrictEqual([
    ["10.1.0.3", true, false, 65001],
    ["10.2.0.3", false, true, 65002],
  ]);
  expect(cfg.interfaces?.["ge-0/0/0.0"]).toBe("192.168.1.1/24");
  const v = cfg.vrfs[0]!;
  expect([v.name, v.rd, v.importRts, v.exportRts, v.tableLabel]).toStrictEqual([
    "customer1",
    "1:1",
    ["target:1:1"],
    ["target:1:1"],
    true,
  ]);
  for (const extra of ["rib inet.3", "resolve-vpn", ""]) {
    const c = parseJunos(
      `set routing-options autonomous-system 1\nset routing-options router-id 1.1.1.1\nset protocols bgp group g type internal\nset protocols bgp group g family inet labeled-unicast ${extra}\nset protocols bgp group g neighbor 2.2.2.2`,
      "x.set",
    );
    expect(c.neighbors[0]!.labeledUnicast, extra).toBe(true);
  }
  expect(() =>
    parseJunos(
      "set routing-options router-id 1.1.1.1\nset protocols bgp group g family inet labeled-unicast rib inet.0",
      "y.set",
    ),
  ).toThrow(/only inet\.3[\s\S]*y\.set:2/);
  expect(() =>
    parseJunos(
      "set routing-options router-id 1.1.1.1\nset protocols bgp group g family inet labeled-unicast resolve-vpn now",
      "z.set",
    ),
  ).toThrow(/extra words[\s\S]*z\.set:2/);
});

it("the post's VRF (RD 1:1, target:1:1, vrf-table-label) on both tails: sites, and the three-label stack", () => {
  const { topology, sites } = withJunosVrfs(labTopology("bgplu"), sources());
  expect(sites.map((s) => [s.router, s.vrf, s.rd, s["vrf-target"], s.interface, s.prefix])).toStrictEqual([
    ["PE1", "customer1", "1:1", "target:1:1", "ge-0/0/0.0", "192.168.1.0/24"],
    ["PE2", "customer1", "1:1", "target:1:1", "ge-0/0/1.0", "192.168.2.0/24"],
  ]);
  expect(
    topology.vpns.map((v) => v.name),
    "the YAML's own sites on PE1 and PE2 are replaced",
  ).toStrictEqual(["customer1"]);
  const w = trace(buildNetwork(topology), { from: "PE1", to: "192.168.2.0/24" });
  expect(w.outcome).toBe("delivered");
  const stacks = w.hops.filter((h) => h.next).map((h) => h.outStack.length);
  expect(stacks, "LDP + BGP-LU + VPN at the ingress, PHP inside each domain, VPN label alone into PE2").toStrictEqual([
    3, 2, 2, 2, 1,
  ]);
  const back = trace(buildNetwork(topology), { from: "PE2", to: "192.168.1.0/24" });
  expect(back.outcome).toBe("delivered");
});

it("inconsistent configurations are refused with the file (and line)", () => {
  const t = labTopology("bgplu");
  const s = sources();
  expect(() =>
    withJunosVrfs(
      t,
      edit(s, "PE2", (x) => x.replace("set routing-instances customer1 vrf-table-label\n", "")),
    ),
  ).toThrow(/vrf-table-label[\s\S]*bgplu-pe2\.set:\d+/);
  expect(() =>
    withJunosVrfs(
      t,
      edit(s, "PE1", (x) => x.replace("neighbor 10.1.0.3", "neighbor 10.1.0.2")),
    ),
  ).toThrow(/labeled-unicast neighbours do not match[\s\S]*10\.1\.0\.3/);
  expect(() =>
    withJunosVrfs(
      t,
      edit(s, "PE1", (x) => x.replace("router-id 10.1.0.1", "router-id 10.1.0.9")),
    ),
  ).toThrow(/router id of PE1[\s\S]*10\.1\.0\.9/);
  expect(() =>
    withJunosVrfs(
      t,
      edit(s, "PE1", (x) => x.replace(/^set interfaces ge-0\/0\/0 .*\n/m, "")),
    ),
  ).toThrow(/ge-0\/0\/0\.0 of routing-instance customer1 has no family inet address[\s\S]*bgplu-pe1\.set:\d+/);
  expect(() =>
    withJunosVrfs(
      t,
      edit(s, "PE1", (x) => x.replace(/^set protocols bgp group vpn family inet-vpn unicast\n/m, "")),
    ),
  ).toThrow(/no BGP session with family inet-vpn unicast/);
  const hub = edit(s, "PE2", (x) =>
    x.replace(
      "vrf-target target:1:1",
      "vrf-target import target:1:1\nset routing-instances customer1 vrf-target export target:1:2",
    ),
  );
  expect(() => withJunosVrfs(t, hub)).toThrow(/only one way/);
  expect(() => withJunosVrfs(t, [...s, { ...s[0]!, router: "PX" }])).toThrow(/no such router[\s\S]*PX/);
});

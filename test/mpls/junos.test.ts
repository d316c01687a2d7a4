/**
 * The BGP-LU lab driven by Junos configurations (src/mpls/junos.ts + the Junos parser of
 * src/vpn/junos.ts): the post's routing-instance lines load, give the three-label stack, and every
 * inconsistency is refused with the file and line.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildNetwork, labJunosSources, labTopology, trace, withJunosVrfs, type JunosSource } from "../../src/mpls";
import { parseJunos } from "../../src/vpn/junos";

const sources = () => labJunosSources("bgplu", ["PE1", "PE2"]);
const edit = (s: JunosSource[], router: string, f: (t: string) => string): JunosSource[] => s.map((x) => (x.router === router ? { ...x, text: f(x.text) } : x));

test("the Junos parser records labeled-unicast neighbours and interface prefixes", () => {
  const cfg = parseJunos(sources()[0]!.text, "bgplu-pe1.set");
  assert.deepEqual(
    cfg.neighbors.map((n) => [n.address, !!n.labeledUnicast, n.vpnv4, n.peerAs]),
    [
      ["10.1.0.3", true, false, 65001],
      ["10.2.0.3", false, true, 65002],
    ],
  );
  assert.equal(cfg.interfaces?.["ge-0/0/0.0"], "192.168.1.1/24");
  const v = cfg.vrfs[0]!;
  assert.deepEqual([v.name, v.rd, v.importRts, v.exportRts, v.tableLabel], ["customer1", "1:1", ["target:1:1"], ["target:1:1"], true]);
  for (const extra of ["rib inet.3", "resolve-vpn", ""]) {
    const c = parseJunos(`set routing-options autonomous-system 1\nset routing-options router-id 1.1.1.1\nset protocols bgp group g type internal\nset protocols bgp group g family inet labeled-unicast ${extra}\nset protocols bgp group g neighbor 2.2.2.2`, "x.set");
    assert.equal(c.neighbors[0]!.labeledUnicast, true, extra);
  }
  assert.throws(() => parseJunos("set routing-options router-id 1.1.1.1\nset protocols bgp group g family inet labeled-unicast rib inet.0", "y.set"), /only inet\.3[\s\S]*y\.set:2/);
  assert.throws(() => parseJunos("set routing-options router-id 1.1.1.1\nset protocols bgp group g family inet labeled-unicast resolve-vpn now", "z.set"), /extra words[\s\S]*z\.set:2/);
});

test("the post's VRF (RD 1:1, target:1:1, vrf-table-label) on both tails: sites, and the three-label stack", () => {
  const { topology, sites } = withJunosVrfs(labTopology("bgplu"), sources());
  assert.deepEqual(
    sites.map((s) => [s.router, s.vrf, s.rd, s["vrf-target"], s.interface, s.prefix]),
    [
      ["PE1", "customer1", "1:1", "target:1:1", "ge-0/0/0.0", "192.168.1.0/24"],
      ["PE2", "customer1", "1:1", "target:1:1", "ge-0/0/1.0", "192.168.2.0/24"],
    ],
  );
  assert.deepEqual(
    topology.vpns.map((v) => v.name),
    ["customer1"],
    "the YAML's own sites on PE1 and PE2 are replaced",
  );
  const w = trace(buildNetwork(topology), { from: "PE1", to: "192.168.2.0/24" });
  assert.equal(w.outcome, "delivered");
  const stacks = w.hops.filter((h) => h.next).map((h) => h.outStack.length);
  assert.deepEqual(stacks, [3, 2, 2, 2, 1], "LDP + BGP-LU + VPN at the ingress, PHP inside each domain, VPN label alone into PE2");
  const back = trace(buildNetwork(topology), { from: "PE2", to: "192.168.1.0/24" });
  assert.equal(back.outcome, "delivered");
});

test("inconsistent configurations are refused with the file (and line)", () => {
  const t = labTopology("bgplu");
  const s = sources();
  assert.throws(() => withJunosVrfs(t, edit(s, "PE2", (x) => x.replace("set routing-instances customer1 vrf-table-label\n", ""))), /vrf-table-label[\s\S]*bgplu-pe2\.set:\d+/);
  assert.throws(() => withJunosVrfs(t, edit(s, "PE1", (x) => x.replace("neighbor 10.1.0.3", "neighbor 10.1.0.2"))), /labeled-unicast neighbours do not match[\s\S]*10\.1\.0\.3/);
  assert.throws(() => withJunosVrfs(t, edit(s, "PE1", (x) => x.replace("router-id 10.1.0.1", "router-id 10.1.0.9"))), /router id of PE1[\s\S]*10\.1\.0\.9/);
  assert.throws(() => withJunosVrfs(t, edit(s, "PE1", (x) => x.replace(/^set interfaces ge-0\/0\/0 .*\n/m, ""))), /ge-0\/0\/0\.0 of routing-instance customer1 has no family inet address[\s\S]*bgplu-pe1\.set:\d+/);
  assert.throws(() => withJunosVrfs(t, edit(s, "PE1", (x) => x.replace(/^set protocols bgp group vpn family inet-vpn unicast\n/m, ""))), /no BGP session with family inet-vpn unicast/);
  const hub = edit(s, "PE2", (x) => x.replace("vrf-target target:1:1", "vrf-target import target:1:1\nset routing-instances customer1 vrf-target export target:1:2"));
  assert.throws(() => withJunosVrfs(t, hub), /only one way/);
  assert.throws(() => withJunosVrfs(t, [...s, { ...s[0]!, router: "PX" }]), /no such router[\s\S]*PX/);
});

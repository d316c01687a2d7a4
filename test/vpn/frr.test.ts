/**
 * Cross-check against FRR 8.4: the engine's per-VRF import sets must equal what FRR's bgpd
 * imports (`show bgp vrf all ipv4 unicast json`) on the same scenario, run in network namespaces.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { canUseNetns, inCI, oracle } from "../helpers/oracle";
import { computeVpn, importSets, vpnTables } from "../../src/vpn/engine";
import { FRR_SCENARIOS } from "../../src/vpn/scenarios";
import { runUnderFrr } from "./frr-harness";

const why =
  oracle("FRR bgpd", ["/usr/lib/frr/bgpd", "--version"], "apt-get install frr") ??
  oracle("vtysh", ["vtysh", "--version"], "apt-get install frr") ??
  (canUseNetns() ? undefined : inCI ? (() => { throw new Error("CI=true but network namespaces need root"); })() : "needs root for network namespaces");

FRR_SCENARIOS.forEach((sc, idx) => {
  test(`FRR agrees on VRF imports: ${sc.name}`, { skip: why, timeout: 120000 }, async () => {
    const net = sc.build();
    const ours = importSets(computeVpn(net));
    const frr = await runUnderFrr(net, `${process.pid % 1000}${idx}`);
    // Only routers with VRFs appear on both sides.
    const mine: typeof ours = {};
    for (const [r, v] of Object.entries(ours)) if (Object.keys(v).length) mine[r] = v;
    assert.deepEqual(frr.importSets, mine, `FRR vs engine differ. FRR logs:\n${frr.logs()}`);
    // Every router's VPNv4 table, path by path with the best path marked: this is where the route
    // reflector keeps two paths for one RD:prefix but advertises one.
    assert.deepEqual(frr.vpnTables, vpnTables(computeVpn(net)), "VPNv4 tables differ");
  });
});

test("FRR scenarios teach what they claim (engine side)", { timeout: 10000 }, () => {
  const same = importSets(computeVpn(FRR_SCENARIOS[2]!.build()));
  const distinct = importSets(computeVpn(FRR_SCENARIOS[3]!.build()));
  assert.deepEqual(same.vmx5!.customer!.filter((x) => x.startsWith("192.0.2.53")), ["192.0.2.53/32 via 10.0.0.1"]);
  assert.deepEqual(distinct.vmx5!.customer!.filter((x) => x.startsWith("192.0.2.53")), ["192.0.2.53/32 via 10.0.0.1", "192.0.2.53/32 via 10.0.0.3"]);
  const mesh = importSets(computeVpn(FRR_SCENARIOS[5]!.build()));
  assert.deepEqual(mesh.vmx5!.customer!.filter((x) => x.startsWith("192.0.2.53")), ["192.0.2.53/32 via 10.0.0.1", "192.0.2.53/32 via 10.0.0.3"]);
  const ss = importSets(computeVpn(FRR_SCENARIOS[1]!.build()));
  assert.deepEqual(ss.pe1!["CUST-A"], ["192.0.2.53/32 via 10.0.0.3"]);
  assert.deepEqual(ss.pe3!.SERVICES, ["10.1.0.0/24 via 10.0.0.1", "10.2.0.0/24 via 10.0.0.2"]);
});

import { readFileSync } from "node:fs";
import { loadBundle } from "../../src/vpn/config";

test("FRR agrees with the reference answer of vpn.shared-services", { skip: why, timeout: 120000 }, async () => {
  const net = loadBundle(readFileSync("solutions/vpn/shared-services.cfg", "utf8"), "solutions/vpn/shared-services.cfg");
  const frr = await runUnderFrr(net, `${process.pid % 1000}s`);
  assert.deepEqual(frr.importSets, importSets(computeVpn(net)));
  assert.deepEqual(frr.importSets, {
    pe1: { "CUST-A": ["192.0.2.53/32 via 10.0.0.3"] },
    pe2: { "CUST-B": ["192.0.2.53/32 via 10.0.0.3"] },
    pe3: { SERVICES: ["10.1.0.0/24 via 10.0.0.1", "10.2.0.0/24 via 10.0.0.2"] },
  });
});

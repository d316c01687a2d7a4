/**
 * Cross-check against FRR 8.4: the engine's per-VRF import sets must equal what FRR's bgpd
 * imports (`show bgp vrf all ipv4 unicast json`) on the same scenario, run in network namespaces.
 */
import { it, expect } from "vitest";
import { canUseNetns, inCI, oracle } from "../helpers/oracle";
import { computeVpn, importSets, vpnTables } from "../../src/vpn/engine";
import { FRR_SCENARIOS } from "../../src/vpn/lab";
import { runUnderFrr } from "./frr-harness";

const why =
  oracle("FRR bgpd", ["/usr/lib/frr/bgpd", "--version"], "apt-get install frr") ??
  oracle("vtysh", ["vtysh", "--version"], "apt-get install frr") ??
  (canUseNetns()
    ? undefined
    : inCI
      ? (() => {
          throw new Error("CI=true but network namespaces need root");
        })()
      : "needs root for network namespaces");

FRR_SCENARIOS.forEach((sc, idx) => {
  it(`FRR agrees on VRF imports: ${sc.name}`, { timeout: 120000 }, async (ctx) => {
    if (why) ctx.skip(why);
    const net = sc.build();
    const ours = importSets(computeVpn(net));
    const frr = await runUnderFrr(net, `${process.pid % 1000}${idx}`);
    // Only routers with VRFs appear on both sides.
    const mine: typeof ours = {};
    for (const [r, v] of Object.entries(ours)) if (Object.keys(v).length) mine[r] = v;
    expect(frr.importSets, `FRR vs engine differ. FRR logs:\n${frr.logs()}`).toStrictEqual(mine);
    // Every router's VPNv4 table, path by path with the best path marked: this is where the route
    // reflector keeps two paths for one RD:prefix but advertises one.
    expect(frr.vpnTables, "VPNv4 tables differ").toStrictEqual(vpnTables(computeVpn(net)));
  });
});

it("FRR scenarios teach what they claim (engine side)", { timeout: 10000 }, () => {
  const same = importSets(computeVpn(FRR_SCENARIOS[2]!.build()));
  const distinct = importSets(computeVpn(FRR_SCENARIOS[3]!.build()));
  expect(same.vmx5!.customer!.filter((x) => x.startsWith("192.0.2.53"))).toStrictEqual(["192.0.2.53/32 via 10.0.0.1"]);
  expect(distinct.vmx5!.customer!.filter((x) => x.startsWith("192.0.2.53"))).toStrictEqual([
    "192.0.2.53/32 via 10.0.0.1",
    "192.0.2.53/32 via 10.0.0.3",
  ]);
  const mesh = importSets(computeVpn(FRR_SCENARIOS[5]!.build()));
  expect(mesh.vmx5!.customer!.filter((x) => x.startsWith("192.0.2.53"))).toStrictEqual([
    "192.0.2.53/32 via 10.0.0.1",
    "192.0.2.53/32 via 10.0.0.3",
  ]);
  const ss = importSets(computeVpn(FRR_SCENARIOS[1]!.build()));
  expect(ss.pe1!["CUST-A"]).toStrictEqual(["192.0.2.53/32 via 10.0.0.3"]);
  expect(ss.pe3!.SERVICES).toStrictEqual(["10.1.0.0/24 via 10.0.0.1", "10.2.0.0/24 via 10.0.0.2"]);
});

import { readFileSync } from "node:fs";
import { loadBundle } from "../../src/vpn/config";

it("FRR agrees with the reference answer of vpn.shared-services", { timeout: 120000 }, async (ctx) => {
  if (why) ctx.skip(why);
  const net = loadBundle(
    readFileSync("solutions/vpn/shared-services.cfg", "utf8"),
    "solutions/vpn/shared-services.cfg",
  );
  const frr = await runUnderFrr(net, `${process.pid % 1000}s`);
  expect(frr.importSets).toStrictEqual(importSets(computeVpn(net)));
  expect(frr.importSets).toStrictEqual({
    pe1: { "CUST-A": ["192.0.2.53/32 via 10.0.0.3"] },
    pe2: { "CUST-B": ["192.0.2.53/32 via 10.0.0.3"] },
    pe3: { SERVICES: ["10.1.0.0/24 via 10.0.0.1", "10.2.0.0/24 via 10.0.0.2"] },
  });
});

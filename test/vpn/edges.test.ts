/**
 * Two L3VPN corners: IOS-XE does not change an RD in place (a second, different `rd` in a VRF is
 * refused with its line and column), and leaking between VRFs of one PE: Junos only with
 * auto-export, IOS-XE and FRR by default. The engine follows Junos for Junos configs and says so;
 * FRR 8.4, run here on the same VRFs, leaks without being asked.
 */
import { it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { canUseNetns, inCI, oracle } from "../helpers/oracle";
import { computeVpn, explain, importSets } from "../../src/vpn/engine";
import { parseIos } from "../../src/vpn/ios";
import { parseJunos } from "../../src/vpn/junos";
import { ParseError } from "../../src/util/errors";
import type { RouterConfig } from "../../src/vpn/model";
import { runUnderFrr } from "./frr-harness";

const T = { timeout: 10000 };

const iosPe = (vrfBody: string[]) =>
  [
    "hostname pe9",
    "!",
    "vrf definition RED",
    ...vrfBody,
    " address-family ipv4",
    "  route-target both 65001:7",
    " exit-address-family",
    "!",
    "interface Loopback0",
    " ip address 10.0.0.9 255.255.255.255",
    "!",
    "router bgp 65001",
    " bgp router-id 10.0.0.9",
    "!",
  ].join("\n");

it("IOS-XE: a second rd with another value in the same VRF is refused at its line, as the device does", T, () => {
  expect(thrownBy(() => parseIos(iosPe([" rd 65001:1", " description red", " rd 65001:2"]), "pe9.cfg"))).toSatisfy(
    (e: unknown) =>
      e instanceof ParseError &&
      /vrf RED already has rd 65001:1; IOS-XE does not change an RD in place/.test(e.message) &&
      /"65001:2"/.test(e.message) &&
      /pe9\.cfg:6:5/.test(e.message) &&
      /no vrf definition RED/.test(e.message),
  );
  // The same value again changes nothing and is accepted, like on the device.
  const same = parseIos(iosPe([" rd 65001:1", " rd 65001:1"]), "pe9.cfg");
  expect(same.vrfs[0]!.rd).toBe("65001:1");
  // Written in another notation, the same RD is still the same RD.
  expect(parseIos(iosPe([" rd 65001:1", " rd 65001:01"]), "pe9.cfg").vrfs[0]!.rd).toBe("65001:1");
});

function junosPe(extra: string[]): RouterConfig {
  return parseJunos(
    [
      "set system host-name pe1",
      "set routing-options autonomous-system 65000",
      "set routing-options router-id 10.0.0.1",
      "set interfaces lo0 unit 0 family inet address 10.0.0.1/32",
      "set routing-instances GREEN instance-type vrf",
      "set routing-instances GREEN route-distinguisher 65000:11",
      "set routing-instances GREEN vrf-target target:65000:11",
      "set routing-instances GREEN routing-options static route 10.11.0.0/24 discard",
      "set routing-instances BLUE instance-type vrf",
      "set routing-instances BLUE route-distinguisher 65000:12",
      "set routing-instances BLUE vrf-target import target:65000:11",
      "set routing-instances BLUE vrf-target export target:65000:12",
      "set routing-instances BLUE routing-options static route 10.12.0.0/24 discard",
      ...extra,
    ].join("\n"),
    "pe1.set",
  );
}

it(
  "--explain says which platforms leak between VRFs of one PE, for Junos with and without auto-export and for IOS-XE",
  T,
  () => {
    const off = computeVpn({ routers: [junosPe([])] });
    expect(importSets(off).pe1!.BLUE).toStrictEqual([]);
    const why = explain(off, { vrf: "BLUE" }).find((d) => d.stage === "reject")!.text;
    expect(why).toMatch(/Junos leaks between VRFs of one PE only with routing-options auto-export \(or rib-groups\)/);
    expect(why).toMatch(/IOS-XE and FRR would import it \(they leak by default\)/);
    const on = computeVpn({ routers: [junosPe(["set routing-options auto-export"])] });
    expect(importSets(on).pe1!.BLUE).toStrictEqual(["10.11.0.0/24 via 10.0.0.1"]);
    expect(explain(on, { vrf: "BLUE" }).find((d) => d.stage === "import")!.text).toMatch(
      /enabled by routing-options auto-export/,
    );
    const ios = parseIos(
      [
        "hostname pe9",
        "vrf definition RED",
        " rd 65001:1",
        " address-family ipv4",
        "  route-target both 65001:7",
        " exit-address-family",
        "vrf definition BLACK",
        " rd 65001:2",
        " address-family ipv4",
        "  route-target import 65001:7",
        "  route-target export 65001:8",
        " exit-address-family",
        "interface Loopback0",
        " ip address 10.0.0.9 255.255.255.255",
        "ip route vrf RED 10.7.0.0 255.255.255.0 Null0",
        "router bgp 65001",
        " bgp router-id 10.0.0.9",
        " address-family ipv4 vrf RED",
        "  redistribute static",
        " exit-address-family",
      ].join("\n"),
      "pe9.cfg",
    );
    const r = computeVpn({ routers: [ios] });
    expect(importSets(r).pe9!.BLACK).toStrictEqual(["10.7.0.0/24 via 10.0.0.9"]);
    expect(explain(r, { vrf: "BLACK" }).find((d) => d.stage === "import")!.text).toMatch(
      /IOS-XE \(like FRR\) imports from a local VRF whenever the RTs match; Junos would need auto-export/,
    );
  },
);

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

it(
  "FRR leaks between VRFs of one router without auto-export: what Junos (and the engine for Junos) does not",
  { timeout: 120000 },
  async (ctx) => {
    if (why) ctx.skip(why);
    const junos = junosPe([]);
    // FRR has no switch for this: give it the same VRFs; it imports GREEN's route into BLUE by itself.
    const asFrr: RouterConfig = { ...junos, localLeaking: true };
    const frr = await runUnderFrr({ routers: [asFrr] }, `${process.pid % 1000}lk`);
    expect(frr.importSets.pe1!.BLUE, `FRR logs:\n${frr.logs()}`).toStrictEqual(["10.11.0.0/24 via 10.0.0.1"]);
    // The engine agrees with FRR once leaking is on (Junos auto-export), and refuses it without.
    expect(importSets(computeVpn({ routers: [junosPe(["set routing-options auto-export"])] })).pe1).toStrictEqual(
      frr.importSets.pe1,
    );
    expect(importSets(computeVpn({ routers: [junos] })).pe1!.BLUE).toStrictEqual([]);
  },
);

import { it, expect } from "vitest";
import { applyPolicy, comparePaths, computeVpn, explain, importSets } from "../../src/vpn/engine";
import { fromTexts, PLAIN_IOS, SHARED_SERVICES_JUNOS, multipathLab } from "../../src/vpn/lab";
import { parseJunos } from "../../src/vpn/junos";
import { loadNetworkFromText } from "../../src/vpn/config";
import { readFileSync } from "node:fs";
import type { Network, RouterConfig, VpnRoute } from "../../src/vpn/model";

const T = { timeout: 10000 };

it("multipath lab, same RD: the RR keeps both paths but reflects one; the customer sees one", T, () => {
  const r = computeVpn(multipathLab());
  const rr = r.ribs.vmx7!.filter((p) => p.key === "65000:1:192.0.2.53/32");
  expect(rr.length).toBe(2);
  expect(rr.filter((p) => p.best).map((p) => p.route.originPe)).toStrictEqual(["vmx1"]);
  const hide = explain(r, { router: "vmx7" }).filter((d) => d.stage === "hide");
  expect(hide.length).toBe(1);
  expect(hide[0]!.text).toMatch(/does not reflect it.*vmx1's path won \(lower router ID/);
  const cust = r.vrfTables.find((t) => t.router === "vmx5" && t.vrf === "customer")!;
  expect(
    cust.routes.filter((x) => x.prefix === "192.0.2.53/32").map((x) => [x.nextHop, x.best, x.multipath]),
  ).toStrictEqual([["10.0.0.1", true, false]]);
});

it("multipath lab, distinct RDs: two keys survive the RR and the customer VRF uses both (multipath)", T, () => {
  const r = computeVpn(multipathLab({ vmx3Rd: "65000:3" }));
  expect(r.ribs.vmx7!.filter((p) => p.best && p.route.prefix === "192.0.2.53/32").length).toBe(2);
  const cust = r.vrfTables.find((t) => t.router === "vmx5" && t.vrf === "customer")!;
  expect(
    cust.routes.filter((x) => x.prefix === "192.0.2.53/32").map((x) => [x.nextHop, x.rd, x.best, x.multipath]),
  ).toStrictEqual([
    ["10.0.0.1", "65000:1", true, true],
    ["10.0.0.3", "65000:3", false, true],
  ]);
  const sel = explain(r, { router: "vmx5", vrf: "customer", prefix: "192.0.2.53/32" }).find(
    (d) => d.stage === "select",
  )!;
  expect(sel.text).toMatch(/equal-cost path used with multipath/);
  // Without multipath in the VRF, the second path is present but unused, and the explanation says why.
  const net = multipathLab({ vmx3Rd: "65000:3" });
  net.routers.find((x) => x.name === "vmx5")!.vrfs[0]!.multipath = false;
  const r2 = computeVpn(net);
  const sel2 = explain(r2, { router: "vmx5", vrf: "customer", prefix: "192.0.2.53/32" }).find(
    (d) => d.stage === "select",
  )!;
  expect(sel2.text).toMatch(/multipath is off/);
});

it("import decisions are explained with the matching RT", T, () => {
  const r = computeVpn(fromTexts(PLAIN_IOS, "cfg"));
  const texts = explain(r, { router: "pe2", vrf: "CUST-A" }).map((d) => d.text);
  expect(
    texts.includes(
      "imported into CUST-A on pe2: 65000:1:10.1.0.0/24 from pe1/CUST-A (received from pe1): RT target:65000:100 is in its import list",
    ),
    texts.join("\n"),
  ).toBeTruthy();
  expect(
    texts.some((t) =>
      /^not imported into CUST-A on pe2: 65000:2:10.1.0.0\/24 .*match none of the import RTs \(target:65000:100\)/.test(
        t,
      ),
    ),
  ).toBeTruthy();
  // Overlapping 10.1.0.0/24 stays apart: two RDs, two VPNv4 routes, each in its own customer's VRF.
  expect(importSets(r).pe2).toStrictEqual({
    "CUST-A": ["10.1.0.0/24 via 10.0.0.1"],
    "CUST-B": ["10.1.0.0/24 via 10.0.0.1", "10.2.0.0/24 via 10.0.0.1"],
  });
  const b = r.vrfTables.find((t) => t.router === "pe2" && t.vrf === "CUST-B")!;
  expect(b.routes.filter((x) => x.prefix === "10.1.0.0/24").map((x) => x.rd)).toStrictEqual(["65000:2"]);
});

it("shared services: customers reach the services VPN, never each other", T, () => {
  const s = importSets(computeVpn(fromTexts(SHARED_SERVICES_JUNOS, "set")));
  expect(s).toStrictEqual({
    pe1: { "CUST-A": ["192.0.2.53/32 via 10.0.0.3"] },
    pe2: { "CUST-B": ["192.0.2.53/32 via 10.0.0.3"] },
    pe3: { SERVICES: ["10.1.0.0/24 via 10.0.0.1", "10.2.0.0/24 via 10.0.0.2"] },
  });
});

it("policies: terms in order, add/delete/set communities, default reject", T, () => {
  const p = {
    name: "P",
    terms: [
      { name: "strip", fromCommunities: [["target:1:1"]], deleteRts: ["target:1:1"], addRts: ["target:1:2"] },
      { name: "ok", fromCommunities: [["target:1:2", "target:1:3"]], action: "accept" as const },
      { name: "pfx", fromPrefixes: ["10.0.0.0/8"], setRts: ["target:9:9"], action: "accept" as const },
    ],
  };
  expect(applyPolicy(p, "1.0.0.0/8", ["target:1:1", "target:1:3"])).toStrictEqual({
    accepted: true,
    rts: ["target:1:3", "target:1:2"],
    term: "ok",
    what: "policy P: term strip deleted target:1:1, term strip added target:1:2, term ok accepts",
  });
  expect(applyPolicy(p, "1.0.0.0/8", ["target:1:2"]).accepted, "a community with two members needs both").toBe(false);
  expect(applyPolicy(p, "10.0.0.0/8", []).rts).toStrictEqual(["target:9:9"]);
  expect(applyPolicy(p, "11.0.0.0/8", []).term).toBe("default");
});

function junosPe(name: string, n: number, extra: string[]): RouterConfig {
  return parseJunos(
    [
      `set system host-name ${name}`,
      "set routing-options autonomous-system 65000",
      `set routing-options router-id 10.0.0.${n}`,
      "set protocols bgp group i type internal",
      "set protocols bgp group i family inet-vpn unicast",
      ...extra,
    ].join("\n"),
    `${name}.set`,
  );
}

it("Junos leaks between local VRFs only with auto-export; the explanation says so", T, () => {
  const vrfs = [
    "set routing-instances A instance-type vrf",
    "set routing-instances A route-distinguisher 65000:1",
    "set routing-instances A vrf-target target:65000:1",
    "set routing-instances A routing-options static route 10.1.0.0/24 discard",
    "set routing-instances B instance-type vrf",
    "set routing-instances B route-distinguisher 65000:2",
    "set routing-instances B vrf-target import target:65000:1",
    "set routing-instances B vrf-target export target:65000:2",
  ];
  const off = computeVpn({ routers: [junosPe("pe1", 1, vrfs)] });
  expect(importSets(off).pe1).toStrictEqual({ A: [], B: [] });
  expect(explain(off, { vrf: "B" }).find((d) => d.stage === "reject")!.text).toMatch(/auto-export/);
  const on = computeVpn({ routers: [junosPe("pe1", 1, [...vrfs, "set routing-options auto-export"])] });
  expect(importSets(on).pe1).toStrictEqual({ A: [], B: ["10.1.0.0/24 via 10.0.0.1"] });
});

it("sessions: one-sided or non-VPNv4 neighbors do not come up, and say why", T, () => {
  const a = junosPe("pe1", 1, ["set protocols bgp group i neighbor 10.0.0.2"]);
  const b = junosPe("pe2", 2, []);
  const r = computeVpn({ routers: [a, b] });
  expect(r.sessions.map((s) => [s.up, s.why])).toStrictEqual([[false, "pe2 has no neighbor 10.0.0.1"]]);
  const c = parseJunos(
    [
      "set system host-name pe2",
      "set routing-options autonomous-system 65000",
      "set routing-options router-id 10.0.0.2",
      "set protocols bgp group i type internal",
      "set protocols bgp group i family inet unicast",
      "set protocols bgp group i neighbor 10.0.0.1",
    ].join("\n"),
    "pe2.set",
  );
  expect(computeVpn({ routers: [a, c] }).sessions[0]!.why).toMatch(/VPNv4 \(inet-vpn\) not enabled on pe2/);
});

it("two route reflectors: ORIGINATOR_ID and CLUSTER_LIST stop loops", T, () => {
  const vrf = (n: number) => [
    "set routing-instances A instance-type vrf",
    `set routing-instances A route-distinguisher 65000:${n}`,
    "set routing-instances A vrf-target target:65000:1",
    `set routing-instances A routing-options static route 10.${n}.0.0/16 discard`,
  ];
  const rr = (n: number, other: number) =>
    junosPe(`rr${n}`, n, [
      "set protocols bgp group i cluster 10.0.0.100",
      "set protocols bgp group i neighbor 10.0.0.1",
      "set protocols bgp group i neighbor 10.0.0.2",
      `set protocols bgp group mesh type internal`,
      `set protocols bgp group mesh family inet-vpn unicast`,
      `set protocols bgp group mesh neighbor 10.0.0.${other}`,
    ]);
  const net: Network = {
    routers: [
      junosPe("pe1", 1, [
        "set protocols bgp group i neighbor 10.0.0.11",
        "set protocols bgp group i neighbor 10.0.0.12",
        ...vrf(1),
      ]),
      junosPe("pe2", 2, [
        "set protocols bgp group i neighbor 10.0.0.11",
        "set protocols bgp group i neighbor 10.0.0.12",
        ...vrf(2),
      ]),
      rr(11, 12),
      rr(12, 11),
    ],
  };
  const r = computeVpn(net);
  expect(r.rounds < 10).toBeTruthy();
  // pe2 hears pe1's route from both RRs (two paths, same RD:prefix) and imports both.
  expect(importSets(r).pe2).toStrictEqual({ A: ["10.1.0.0/16 via 10.0.0.1"] });
  expect(r.vrfTables.find((t) => t.router === "pe2")!.routes.filter((x) => x.source === "imported").length).toBe(2);
  expect(
    r.decisions.some((d) => d.stage === "drop" && /CLUSTER_LIST/.test(d.text)),
    "RR-to-RR reflection of a path carrying their shared cluster id is dropped",
  ).toBeTruthy();
});

it("best path steps in order (RFC 4271 §9.1.2.2, RFC 4456 §9)", T, () => {
  const base: VpnRoute = {
    rd: "1:1",
    prefix: "10.0.0.0/8",
    nextHop: "10.0.0.1",
    label: 16,
    rts: [],
    localPref: 100,
    med: 0,
    asPath: [],
    origin: "igp",
    originPe: "a",
    originVrf: "v",
    clusterList: [],
  };
  const p = (over: Partial<VpnRoute>, tieId = "10.0.0.1") => ({ route: { ...base, ...over }, from: "x", tieId });
  expect(comparePaths(p({ localPref: 200 }), p({})).reason).toMatch(/LOCAL_PREF/);
  expect(comparePaths(p({ localPref: 200 }), p({})).cmp < 0).toBeTruthy();
  expect(comparePaths(p({ asPath: [1] }), p({ asPath: [1, 2] })).reason).toMatch(/AS_PATH/);
  expect(comparePaths(p({ origin: "incomplete" }), p({})).reason).toMatch(/ORIGIN/);
  expect(comparePaths(p({ med: 5, asPath: [7] }), p({ med: 1, asPath: [7] })).reason).toMatch(/MED/);
  expect(
    comparePaths(p({ med: 5, asPath: [7] }), p({ med: 1, asPath: [8] })).multipathEqual,
    "MED is compared only between routes from the same neighbor AS",
  ).toBe(true);
  const c = comparePaths(p({}, "10.0.0.3"), p({}, "10.0.0.1"));
  expect(c.cmp > 0 && c.multipathEqual && /router ID/.test(c.reason)).toBeTruthy();
  expect(comparePaths(p({ clusterList: ["1.1.1.1"] }), p({})).reason).toMatch(/CLUSTER_LIST/);
});

it("the lab's break-and-fix claims hold (notebook 04 and labs/vpn/README.md)", T, () => {
  const files = () =>
    ["vmx1", "vmx3", "vmx5", "vmx7"].map((n) => ({
      file: `${n}.set`,
      text: readFileSync(`labs/vpn/${n}.set`, "utf8"),
    }));
  const routes = { file: "routes.txt", text: readFileSync("labs/vpn/routes.txt", "utf8") };
  const edit = (name: string, f: (t: string) => string) =>
    files().map((x) => (x.file === `${name}.set` ? { ...x, text: f(x.text) } : x));
  // 1. No services term: the customer loses the service, and a reject decision names the policy.
  const noSvc = computeVpn(
    loadNetworkFromText(
      edit("vmx5", (t) => t.replace(/^set policy-options policy-statement customer-import term services.*\n/gm, "")),
      routes,
    ),
  );
  expect(importSets(noSvc).vmx5).toStrictEqual({ customer: [] });
  expect(explain(noSvc, { router: "vmx5", vrf: "customer" }).find((d) => d.stage === "reject")!.text).toMatch(
    /not imported into customer on vmx5: 65000:1:192.0.2.53\/32 .*customer-import: term \(unnamed\) rejects/,
  );
  // 2. Distinct RD: two paths, multipath.
  const two = computeVpn(
    loadNetworkFromText(
      edit("vmx3", (t) => t.replace("provider route-distinguisher 65000:1", "provider route-distinguisher 65000:3")),
      routes,
    ),
  );
  expect(two.vrfTables.find((t) => t.vrf === "customer")!.routes.filter((r) => r.multipath).length).toBe(2);
  // 3. No cluster: vmx7 does not reflect; the PEs learn nothing from each other.
  const noRr = computeVpn(
    loadNetworkFromText(
      edit("vmx7", (t) => t.replace(/^.*cluster 10\.0\.0\.7\n/m, "")),
      routes,
    ),
  );
  expect(importSets(noRr)).toStrictEqual({ vmx1: { provider: [] }, vmx3: { provider: [] }, vmx5: { customer: [] } });
  // 4. Unknown line: file:line:column.
  expect(() =>
    loadNetworkFromText(
      edit("vmx1", (t) => t + "set snmp location lab\n"),
      routes,
    ),
  ).toThrow(/vmx1\.set:32:5/);
});

it("same RD hides a path only behind a reflector: in a full mesh both paths arrive", T, () => {
  // The multipath lab rewired as a full mesh (no vmx7): every PE peers with every other PE.
  const net = multipathLab();
  const pes = net.routers.filter((r) => r.name !== "vmx7");
  for (const r of pes)
    r.neighbors = pes
      .filter((o) => o !== r)
      .map((o) => ({ address: o.localAddress, peerAs: 65000, vpnv4: true, rrClient: false }));
  const r = computeVpn({ routers: pes });
  const svc = r.vrfTables.find((t) => t.router === "vmx5")!.routes.filter((x) => x.prefix === "192.0.2.53/32");
  expect(svc.map((x) => [x.rd, x.nextHop, x.multipath])).toStrictEqual([
    ["65000:1", "10.0.0.1", true],
    ["65000:1", "10.0.0.3", true],
  ]);
  expect(r.decisions.filter((d) => d.stage === "hide").length).toBe(0);
});

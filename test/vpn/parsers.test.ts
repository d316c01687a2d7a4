import { it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { readFileSync } from "node:fs";
import { parseJunos } from "../../src/vpn/junos";
import { parseIos } from "../../src/vpn/ios";
import { applyRoutes, detectDialect, loadNetworkFromText } from "../../src/vpn/config";
import { PLAIN_IOS, MULTIPATH_LAB, MULTIPATH_ROUTES, multipathLab } from "../../src/vpn/lab";
import { computeVpn, explain, importSets } from "../../src/vpn/engine";
import { ParseError, UnsupportedError } from "../../src/util/errors";

const T = { timeout: 10000 };

it("the lab files in labs/vpn are the multipath lab of src/vpn/lab.ts", T, () => {
  for (const [name, text] of Object.entries(MULTIPATH_LAB))
    expect(readFileSync(`labs/vpn/${name}.set`, "utf8"), `labs/vpn/${name}.set drifted`).toBe(text);
  expect(readFileSync("labs/vpn/routes.txt", "utf8")).toBe(MULTIPATH_ROUTES);
});

it("Junos: the multipath lab's PE and RR configurations", T, () => {
  const pe = parseJunos(MULTIPATH_LAB.vmx5!, "vmx5.set");
  expect(pe.name).toBe("vmx5");
  expect(pe.asn).toBe(65000);
  expect(pe.localAddress).toBe("10.0.0.5");
  expect(pe.localLeaking).toBe(false);
  const v = pe.vrfs[0]!;
  expect(v.rd).toBe("65000:100");
  expect(v.exportRts).toStrictEqual(["target:65000:100"]);
  expect(v.importRts).toStrictEqual([]);
  expect(v.importPolicy?.name).toBe("customer-import");
  expect(v.importPolicy?.terms.map((t) => [t.name, t.action, t.fromCommunities])).toStrictEqual([
    ["own", "accept", [["target:65000:100"]]],
    ["services", "accept", [["target:65000:1"]]],
    ["(unnamed)", "reject", undefined],
  ]);
  expect(v.multipath).toBe(true);
  expect(v.tableLabel).toBe(true);
  const rr = parseJunos(MULTIPATH_LAB.vmx7!, "vmx7.set");
  expect(rr.clusterId).toBe("10.0.0.7");
  expect(rr.neighbors.map((n) => [n.address, n.rrClient, n.vpnv4, n.peerAs])).toStrictEqual([
    ["10.0.0.1", true, true, 65000],
    ["10.0.0.3", true, true, 65000],
    ["10.0.0.5", true, true, 65000],
  ]);
  expect(detectDialect(MULTIPATH_LAB.vmx7!)).toBe("junos");
});

it("Junos: vrf-target import/export and plain vrf-target", T, () => {
  const base =
    "set system host-name p\nset routing-options router-id 10.0.0.9\nset routing-instances A instance-type vrf\nset routing-instances A route-distinguisher 10.0.0.9:5\n";
  const a = parseJunos(base + "set routing-instances A vrf-target target:65000:1\n", "p.set");
  expect([a.vrfs[0]!.importRts, a.vrfs[0]!.exportRts, a.vrfs[0]!.rd]).toStrictEqual([
    ["target:65000:1"],
    ["target:65000:1"],
    "10.0.0.9:5",
  ]);
  const b = parseJunos(
    base +
      "set routing-instances A vrf-target import target:65000:1\nset routing-instances A vrf-target export target:65000:2\n",
    "p.set",
  );
  expect([b.vrfs[0]!.importRts, b.vrfs[0]!.exportRts]).toStrictEqual([["target:65000:1"], ["target:65000:2"]]);
});

function throwsAt(
  fn: () => unknown,
  cls: abstract new (...args: never[]) => Error,
  where: string,
  words: RegExp,
): void {
  expect(thrownBy(fn)).toSatisfy((e: Error) => {
    expect(e instanceof cls, `expected ${cls.name}, got ${e.constructor.name}: ${e.message}`).toBeTruthy();
    expect(e.message.includes(where), `message should name ${where}: ${e.message}`).toBeTruthy();
    expect(e.message).toMatch(words);
    return true;
  });
}

it("Junos: unknown and unsupported lines fail with file:line:column", T, () => {
  const head = "set system host-name p\nset routing-options router-id 10.0.0.9\n";
  throwsAt(
    () => parseJunos(head + "set routing-instances A frobnicate 1\n", "p.set"),
    ParseError,
    "p.set:3:25",
    /frobnicate/,
  );
  throwsAt(
    () => parseJunos(head + "set routing-instances A instance-type virtual-router\n", "p.set"),
    UnsupportedError,
    "p.set:3:39",
    /only vrf/,
  );
  throwsAt(() => parseJunos(head + "set snmp community public\n", "p.set"), ParseError, "p.set:3:5", /snmp/);
  throwsAt(
    () => parseJunos(head + "set routing-instances A route-distinguisher 65536:70000\n", "p.set"),
    ParseError,
    "p.set:3:45",
    /2 bytes/,
  );
  throwsAt(
    () => parseJunos(head + "set routing-instances A vrf-target 65000:1\n", "p.set"),
    ParseError,
    "p.set:3:36",
    /target:ADMIN:NUMBER/,
  );
  throwsAt(
    () => parseJunos(head + "set policy-options policy-statement X term t from protocol bgp\n", "p.set"),
    UnsupportedError,
    "p.set:3:",
    /from protocol/,
  );
  throwsAt(() => parseJunos(head + "delete routing-instances A\n", "p.set"), UnsupportedError, "p.set:3:1", /delete/);
  throwsAt(
    () =>
      parseJunos(
        head +
          "set routing-instances A instance-type vrf\nset routing-instances A route-distinguisher 1:1\nset routing-instances A vrf-import nope\nset routing-instances A vrf-target export target:1:1\n",
        "p.set",
      ),
    ParseError,
    "p.set:5:",
    /policy-statement is not defined/,
  );
});

it("IOS-XE: vrf definition, route-target import/export/both, BGP address families", T, () => {
  const pe1 = parseIos(PLAIN_IOS.pe1!, "pe1.cfg");
  expect(pe1.name).toBe("pe1");
  expect(pe1.localLeaking).toBe(true);
  expect(pe1.vrfs.map((v) => [v.name, v.rd, v.importRts, v.exportRts, v.routes.map((r) => r.prefix)])).toStrictEqual([
    ["CUST-A", "65000:1", ["target:65000:100"], ["target:65000:100"], ["10.1.0.0/24"]],
    ["CUST-B", "65000:2", ["target:65000:200"], ["target:65000:200"], ["10.1.0.0/24", "10.2.0.0/24"]],
  ]);
  expect(pe1.neighbors.map((n) => [n.address, n.vpnv4, n.peerAs])).toStrictEqual([["10.0.0.2", true, 65000]]);
  expect(detectDialect(PLAIN_IOS.pe1!)).toBe("ios");
  const rr = parseIos(
    "hostname rr\ninterface Loopback0\n ip address 10.0.0.7 255.255.255.255\nrouter bgp 65000\n bgp cluster-id 1.1.1.1\n neighbor 10.0.0.1 remote-as 65000\n address-family vpnv4\n  neighbor 10.0.0.1 activate\n  neighbor 10.0.0.1 route-reflector-client\n exit-address-family\n",
    "rr.cfg",
  );
  expect([rr.clusterId, rr.neighbors[0]!.rrClient, rr.routerId]).toStrictEqual(["1.1.1.1", true, "10.0.0.7"]);
});

it("IOS-XE: redistribute static/connected and errors with file:line:column", T, () => {
  const cfg =
    "hostname pe\nvrf definition A\n rd 1:1\n address-family ipv4\n  route-target both 1:1\n exit-address-family\ninterface Gi2\n vrf forwarding A\n ip address 172.16.0.1 255.255.255.0\ninterface Loopback0\n ip address 10.0.0.1 255.255.255.255\nip route vrf A 192.0.2.0 255.255.255.0 172.16.0.2\nrouter bgp 1\n address-family ipv4 vrf A\n  redistribute connected\n  redistribute static\n  maximum-paths ibgp 2\n exit-address-family\n";
  const pe = parseIos(cfg, "pe.cfg");
  expect(pe.vrfs[0]!.routes.map((r) => r.prefix)).toStrictEqual(["192.0.2.0/24", "172.16.0.0/24"]);
  expect(pe.vrfs[0]!.multipath).toBe(true);
  throwsAt(
    () => parseIos(cfg.replace("  route-target both 1:1", "  route-target sideways 1:1"), "pe.cfg"),
    ParseError,
    "pe.cfg:5:16",
    /sideways/,
  );
  throwsAt(() => parseIos(cfg.replace(" rd 1:1", " rd 65536:65536"), "pe.cfg"), ParseError, "pe.cfg:3:5", /2 bytes/);
  throwsAt(
    () => parseIos(cfg + "route-map X permit 10\n match ip address prefix-list P\n", "pe.cfg"),
    UnsupportedError,
    "pe.cfg:20:2",
    /route-map clause "match ip"/,
  );
  throwsAt(
    () => parseIos(cfg.replace("  route-target both 1:1", "  route-target both 1:1\n  import map X"), "pe.cfg"),
    ParseError,
    "pe.cfg:6:14",
    /route-map is not defined/,
  );
  throwsAt(
    () => parseIos(cfg.replace("  route-target both 1:1", "  route-target both 1:1\n  export map X"), "pe.cfg"),
    UnsupportedError,
    "pe.cfg:6:3",
    /export map/,
  );
  throwsAt(
    () => parseIos(cfg + "ip extcommunity-list standard L deny rt 1:1\n", "pe.cfg"),
    UnsupportedError,
    "pe.cfg:19:33",
    /deny entries/,
  );
  throwsAt(() => parseIos(cfg + "snmp-server community x\n", "pe.cfg"), ParseError, "pe.cfg:19:1", /snmp-server/);
  throwsAt(
    () => parseIos(cfg.replace("255.255.255.0 172", "255.0.255.0 172"), "pe.cfg"),
    ParseError,
    "pe.cfg:12:",
    /contiguous/,
  );
});

it("routes file: attributes and errors", T, () => {
  const net = multipathLab({ routes: false });
  applyRoutes(net, {
    file: "r.txt",
    text: "# c\nvmx1 provider 198.51.100.0/24 med=5 local-pref=200 as-path=1,2 origin=egp\n",
  });
  const r = net.routers.find((x) => x.name === "vmx1")!.vrfs[0]!.routes.at(-1)!;
  expect([r.prefix, r.med, r.localPref, r.asPath, r.origin]).toStrictEqual(["198.51.100.0/24", 5, 200, [1, 2], "egp"]);
  throwsAt(
    () => applyRoutes(multipathLab({ routes: false }), { file: "r.txt", text: "vmx9 provider 1.0.0.0/8\n" }),
    ParseError,
    "r.txt:1:1",
    /no router/,
  );
  throwsAt(
    () => applyRoutes(multipathLab({ routes: false }), { file: "r.txt", text: "vmx1 nope 1.0.0.0/8\n" }),
    ParseError,
    "r.txt:1:6",
    /no such VRF/,
  );
  throwsAt(
    () =>
      applyRoutes(multipathLab({ routes: false }), { file: "r.txt", text: "\nvmx1 provider 1.0.0.0/8 colour=red\n" }),
    ParseError,
    "r.txt:2:25",
    /unknown route attribute/,
  );
  throwsAt(
    () => applyRoutes(multipathLab({ routes: false }), { file: "r.txt", text: "vmx1 provider 1.0.0.0/33\n" }),
    ParseError,
    "r.txt:1:15",
    /prefix/,
  );
  expect(loadNetworkFromText([{ file: "a.cfg", text: PLAIN_IOS.pe1! }]).routers.length).toBe(1);
});

it("IOS-XE: route-target directly under vrf definition applies to IPv4", T, () => {
  const pe = parseIos(
    "hostname p\nvrf definition A\n rd 1:1\n route-target import 1:2\n address-family ipv4\n  route-target export 1:3\n exit-address-family\ninterface Loopback0\n ip address 10.0.0.1 255.255.255.255\n",
    "p.cfg",
  );
  expect([pe.vrfs[0]!.importRts, pe.vrfs[0]!.exportRts]).toStrictEqual([["target:1:2"], ["target:1:3"]]);
});

it("IOS-XE: import map filters after the import RTs (extcommunity lists, permit/deny, additive)", T, () => {
  const pe2 =
    PLAIN_IOS.pe2!.replace(
      "vrf definition CUST-A\n rd 65000:11\n address-family ipv4\n  route-target export 65000:100\n  route-target import 65000:100\n",
      "vrf definition CUST-A\n rd 65000:11\n address-family ipv4\n  route-target export 65000:100\n  route-target import 65000:100\n  route-target import 65000:200\n  import map ONLY-B\n",
    ) +
    "ip extcommunity-list standard B permit rt 65000:200\nroute-map ONLY-B deny 5\n match extcommunity A\nroute-map ONLY-B permit 10\n match extcommunity B\n set extcommunity rt 65000:999 additive\nip extcommunity-list standard A permit rt 65000:100\n";
  const p = parseIos(pe2, "pe2.cfg");
  const f = p.vrfs[0]!.importFilter!;
  expect(f.terms.map((t) => [t.name, t.action, t.fromCommunities, t.addRts])).toStrictEqual([
    ["deny 5", "reject", [["target:65000:100"]], undefined],
    ["permit 10", "accept", [["target:65000:200"]], ["target:65000:999"]],
  ]);
  const r = computeVpn({ routers: [parseIos(PLAIN_IOS.pe1!, "pe1.cfg"), p] });
  // pe1's CUST-B routes, and pe2's own CUST-B route through same-router leaking; never RT 65000:100.
  expect(importSets(r).pe2!["CUST-A"]).toStrictEqual([
    "10.1.0.0/24 via 10.0.0.1",
    "10.12.0.0/24 via 10.0.0.2",
    "10.2.0.0/24 via 10.0.0.1",
  ]);
  const rows = r.vrfTables
    .find((t) => t.router === "pe2" && t.vrf === "CUST-A")!
    .routes.filter((x) => x.source === "imported");
  expect(rows.map((x) => [x.prefix, x.rd, x.rts.join(" ")])).toStrictEqual([
    ["10.1.0.0/24", "65000:2", "target:65000:200 target:65000:999"],
    ["10.2.0.0/24", "65000:2", "target:65000:200 target:65000:999"],
    ["10.12.0.0/24", "65000:12", "target:65000:200 target:65000:999"],
  ]);
  const texts = explain(r, { router: "pe2", vrf: "CUST-A" }).map((d) => d.text);
  expect(
    texts.some((t) =>
      /^not imported into CUST-A on pe2: 65000:1:10\.1\.0\.0\/24 .*in its import list, but import map term deny 5 rejects/.test(
        t,
      ),
    ),
    texts.join("\n"),
  ).toBeTruthy();
  expect(
    texts.some((t) =>
      /^imported into CUST-A on pe2: 65000:2:10\.2\.0\.0\/24 .*and import map term permit 10 added target:65000:999, term permit 10 accepts/.test(
        t,
      ),
    ),
    texts.join("\n"),
  ).toBeTruthy();
});

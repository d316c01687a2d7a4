/**
 * Lab scenarios as configuration text: the topology of the post "Multipath routing with VPNv4" (two PEs hosting an
 * anycast service in a
 * provider VPN, a customer PE importing it, a route reflector) and the scenarios the FRR
 * cross-check and the exercises use. `labs/vpn/*.set` are the learner-editable copies of
 * `MULTIPATH_LAB` (a test keeps them identical).
 *
 * Topology (after the "Multipath routing with VPNv4" lab of the "Das Blinken Lichten" MPLS series): AS 65000; vmx1 and
 * vmx3 host 192.0.2.53/32 in VRF provider; vmx5 serves customer AS 12345 (CE vmx2) in VRF
 * customer, which imports the provider's RT; vmx7 reflects VPNv4 routes for all three.
 */
import type { Network } from "./model";
import { loadNetworkFromText, type TextFile } from "./config";

/** The multipath lab as shipped (both service PEs use RD 65000:1: the RR hides one path). */
export const MULTIPATH_LAB: Record<string, string> = {
  vmx1:
    "# vmx1: provider-edge router hosting one copy of the anycast DNS service (192.0.2.53/32)\nset " +
    "system host-name vmx1\nset routing-options autonomous-system 65000\nset routing-options router-id " +
    "10.0.0.1\nset interfaces lo0 unit 0 family inet address 10.0.0.1/32\nset interfaces ge-0/0/1 unit 0 " +
    "family inet address 10.1.7.1/24\nset interfaces ge-0/0/1 unit 0 family mpls\nset interfaces " +
    "ge-0/0/2 unit 0 family inet address 10.1.99.1/24\nset protocols mpls interface ge-0/0/1.0\nset " +
    "protocols ldp interface ge-0/0/1.0\nset protocols ospf area 0.0.0.0 interface ge-0/0/1.0\nset " +
    "protocols ospf area 0.0.0.0 interface lo0.0 passive\nset protocols bgp group rr type internal\nset " +
    "protocols bgp group rr local-address 10.0.0.1\nset protocols bgp group rr family inet-vpn " +
    "unicast\nset protocols bgp group rr neighbor 10.0.0.7\n# The provider's service VPN. vmx3 hosts the " +
    "other copy of the service.\nset routing-instances provider instance-type vrf\nset routing-instances " +
    "provider interface ge-0/0/2.0\nset routing-instances provider route-distinguisher 65000:1\nset " +
    "routing-instances provider vrf-import provider-import\nset routing-instances provider vrf-target " +
    "export target:65000:1\nset routing-instances provider vrf-table-label\nset routing-instances " +
    "provider routing-options static route 192.0.2.53/32 next-hop 10.1.99.53\nset policy-options " +
    "community provider members target:65000:1\nset policy-options community customers members " +
    "target:65000:100\nset policy-options policy-statement provider-import term services from community " +
    "provider\nset policy-options policy-statement provider-import term services then accept\nset " +
    "policy-options policy-statement provider-import term customers from community customers\nset " +
    "policy-options policy-statement provider-import term customers then accept\nset policy-options " +
    "policy-statement provider-import then reject\n",
  vmx3:
    "# vmx3: provider-edge router hosting one copy of the anycast DNS service (192.0.2.53/32)\nset " +
    "system host-name vmx3\nset routing-options autonomous-system 65000\nset routing-options router-id " +
    "10.0.0.3\nset interfaces lo0 unit 0 family inet address 10.0.0.3/32\nset interfaces ge-0/0/1 unit 0 " +
    "family inet address 10.3.7.3/24\nset interfaces ge-0/0/1 unit 0 family mpls\nset interfaces " +
    "ge-0/0/2 unit 0 family inet address 10.3.99.3/24\nset protocols mpls interface ge-0/0/1.0\nset " +
    "protocols ldp interface ge-0/0/1.0\nset protocols ospf area 0.0.0.0 interface ge-0/0/1.0\nset " +
    "protocols ospf area 0.0.0.0 interface lo0.0 passive\nset protocols bgp group rr type internal\nset " +
    "protocols bgp group rr local-address 10.0.0.3\nset protocols bgp group rr family inet-vpn " +
    "unicast\nset protocols bgp group rr neighbor 10.0.0.7\n# The provider's service VPN. vmx1 hosts the " +
    "other copy of the service.\nset routing-instances provider instance-type vrf\nset routing-instances " +
    "provider interface ge-0/0/2.0\nset routing-instances provider route-distinguisher 65000:1\nset " +
    "routing-instances provider vrf-import provider-import\nset routing-instances provider vrf-target " +
    "export target:65000:1\nset routing-instances provider vrf-table-label\nset routing-instances " +
    "provider routing-options static route 192.0.2.53/32 next-hop 10.3.99.53\nset policy-options " +
    "community provider members target:65000:1\nset policy-options community customers members " +
    "target:65000:100\nset policy-options policy-statement provider-import term services from community " +
    "provider\nset policy-options policy-statement provider-import term services then accept\nset " +
    "policy-options policy-statement provider-import term customers from community customers\nset " +
    "policy-options policy-statement provider-import term customers then accept\nset policy-options " +
    "policy-statement provider-import then reject\n",
  vmx5:
    "# vmx5: provider-edge router of customer AS 12345 (its CE, vmx2, peers over ge-0/0/0)\nset system " +
    "host-name vmx5\nset routing-options autonomous-system 65000\nset routing-options router-id " +
    "10.0.0.5\nset interfaces lo0 unit 0 family inet address 10.0.0.5/32\nset interfaces ge-0/0/0 unit 0 " +
    "family inet address 10.2.5.5/24\nset interfaces ge-0/0/1 unit 0 family inet address " +
    "10.5.7.5/24\nset interfaces ge-0/0/1 unit 0 family mpls\nset protocols mpls interface " +
    "ge-0/0/1.0\nset protocols ldp interface ge-0/0/1.0\nset protocols ospf area 0.0.0.0 interface " +
    "ge-0/0/1.0\nset protocols ospf area 0.0.0.0 interface lo0.0 passive\nset protocols bgp group rr " +
    "type internal\nset protocols bgp group rr local-address 10.0.0.5\nset protocols bgp group rr family " +
    "inet-vpn unicast\nset protocols bgp group rr neighbor 10.0.0.7\n# The customer VPN: imports its own " +
    "routes and the provider's service routes.\nset routing-instances customer instance-type vrf\nset " +
    "routing-instances customer interface ge-0/0/0.0\nset routing-instances customer route-distinguisher " +
    "65000:100\nset routing-instances customer vrf-import customer-import\nset routing-instances " +
    "customer vrf-target export target:65000:100\nset routing-instances customer vrf-table-label\nset " +
    "routing-instances customer routing-options multipath\nset routing-instances customer protocols bgp " +
    "group ce type external\nset routing-instances customer protocols bgp group ce peer-as 12345\nset " +
    "routing-instances customer protocols bgp group ce neighbor 10.2.5.2\nset policy-options community " +
    "provider members target:65000:1\nset policy-options community customers members " +
    "target:65000:100\nset policy-options policy-statement customer-import term own from community " +
    "customers\nset policy-options policy-statement customer-import term own then accept\nset " +
    "policy-options policy-statement customer-import term services from community provider\nset " +
    "policy-options policy-statement customer-import term services then accept\nset policy-options " +
    "policy-statement customer-import then reject\n",
  vmx7:
    "# vmx7: route reflector (also an LSR in the data plane); it has no VRFs.\nset system host-name " +
    "vmx7\nset routing-options autonomous-system 65000\nset routing-options router-id 10.0.0.7\nset " +
    "interfaces lo0 unit 0 family inet address 10.0.0.7/32\nset interfaces ge-0/0/1 unit 0 family inet " +
    "address 10.1.7.7/24\nset interfaces ge-0/0/1 unit 0 family mpls\nset interfaces ge-0/0/3 unit 0 " +
    "family inet address 10.3.7.7/24\nset interfaces ge-0/0/3 unit 0 family mpls\nset interfaces " +
    "ge-0/0/5 unit 0 family inet address 10.5.7.7/24\nset interfaces ge-0/0/5 unit 0 family mpls\nset " +
    "protocols mpls interface ge-0/0/1.0\nset protocols mpls interface ge-0/0/3.0\nset protocols mpls " +
    "interface ge-0/0/5.0\nset protocols ldp interface ge-0/0/1.0\nset protocols ldp interface " +
    "ge-0/0/3.0\nset protocols ldp interface ge-0/0/5.0\nset protocols ospf area 0.0.0.0 interface " +
    "ge-0/0/1.0\nset protocols ospf area 0.0.0.0 interface ge-0/0/3.0\nset protocols ospf area 0.0.0.0 " +
    "interface ge-0/0/5.0\nset protocols ospf area 0.0.0.0 interface lo0.0 passive\nset protocols bgp " +
    "group clients type internal\nset protocols bgp group clients local-address 10.0.0.7\nset protocols " +
    "bgp group clients family inet-vpn unicast\nset protocols bgp group clients cluster 10.0.0.7\nset " +
    "protocols bgp group clients neighbor 10.0.0.1\nset protocols bgp group clients neighbor " +
    "10.0.0.3\nset protocols bgp group clients neighbor 10.0.0.5\n",
};

export const MULTIPATH_ROUTES =
  "# Customer routes learned from CEs: ROUTER VRF PREFIX [next-hop=\u2026] [as-path=\u2026] " +
  "[med=\u2026] [local-pref=\u2026]\n# vmx2 (the customer's CE, AS 12345) advertises its LAN to vmx5 " +
  "over eBGP.\nvmx5 customer 10.12.0.0/24 next-hop=10.2.5.2 as-path=12345\n";

/** The multipath lab as files, optionally with vmx3's provider RD changed (the multipath fix). */
export function multipathLabFiles(opts: { vmx3Rd?: string; routes?: boolean; plainRoutes?: boolean } = {}): {
  configs: TextFile[];
  routes?: TextFile;
} {
  const configs = Object.entries(MULTIPATH_LAB).map(([name, text]) => ({
    file: `${name}.set`,
    text:
      name === "vmx3" && opts.vmx3Rd
        ? text.replace("provider route-distinguisher 65000:1", `provider route-distinguisher ${opts.vmx3Rd}`)
        : text,
  }));
  if (opts.routes === false) return { configs };
  // plainRoutes: the CE route without BGP attributes (the FRR translation carries none).
  const text = opts.plainRoutes ? MULTIPATH_ROUTES.replace(/ as-path=\S+/g, "") : MULTIPATH_ROUTES;
  return { configs, routes: { file: "routes.txt", text } };
}

export function multipathLab(opts: { vmx3Rd?: string; routes?: boolean; plainRoutes?: boolean } = {}): Network {
  const f = multipathLabFiles(opts);
  return loadNetworkFromText(f.configs, f.routes);
}

/** The multipath lab without the reflector: vmx1, vmx3 and vmx5 in a full iBGP mesh, same RDs. */
export function multipathFullMesh(): Network {
  const f = multipathLabFiles({ plainRoutes: true });
  const addr: Record<string, string> = { "vmx1.set": "10.0.0.1", "vmx3.set": "10.0.0.3", "vmx5.set": "10.0.0.5" };
  const configs = f.configs
    .filter((c) => c.file !== "vmx7.set")
    .map((c) => ({
      ...c,
      text: c.text.replace(
        "set protocols bgp group rr neighbor 10.0.0.7\n",
        Object.entries(addr)
          .filter(([file]) => file !== c.file)
          .map(([, a]) => `set protocols bgp group rr neighbor ${a}\n`)
          .join(""),
      ),
    }));
  return loadNetworkFromText(configs, f.routes);
}

/** Plain import/export with overlapping customer prefixes, IOS-XE style, two PEs peering directly. */
export const PLAIN_IOS: Record<string, string> = {
  pe1: `hostname pe1
!
vrf definition CUST-A
 rd 65000:1
 address-family ipv4
  route-target both 65000:100
 exit-address-family
!
vrf definition CUST-B
 rd 65000:2
 address-family ipv4
  route-target both 65000:200
 exit-address-family
!
interface Loopback0
 ip address 10.0.0.1 255.255.255.255
!
router bgp 65000
 bgp router-id 10.0.0.1
 no bgp default ipv4-unicast
 neighbor 10.0.0.2 remote-as 65000
 neighbor 10.0.0.2 update-source Loopback0
 !
 address-family vpnv4
  neighbor 10.0.0.2 activate
  neighbor 10.0.0.2 send-community extended
 exit-address-family
 !
 address-family ipv4 vrf CUST-A
  network 10.1.0.0 mask 255.255.255.0
 exit-address-family
 !
 address-family ipv4 vrf CUST-B
  network 10.1.0.0 mask 255.255.255.0
  network 10.2.0.0 mask 255.255.255.0
 exit-address-family
!
end
`,
  pe2: `hostname pe2
!
vrf definition CUST-A
 rd 65000:11
 address-family ipv4
  route-target export 65000:100
  route-target import 65000:100
 exit-address-family
!
vrf definition CUST-B
 rd 65000:12
 address-family ipv4
  route-target both 65000:200
 exit-address-family
!
interface Loopback0
 ip address 10.0.0.2 255.255.255.255
!
router bgp 65000
 bgp router-id 10.0.0.2
 neighbor 10.0.0.1 remote-as 65000
 neighbor 10.0.0.1 update-source Loopback0
 !
 address-family vpnv4
  neighbor 10.0.0.1 activate
  neighbor 10.0.0.1 send-community extended
 exit-address-family
 !
 address-family ipv4 vrf CUST-A
  network 10.11.0.0 mask 255.255.255.0
 exit-address-family
 !
 address-family ipv4 vrf CUST-B
  network 10.12.0.0 mask 255.255.255.0
 exit-address-family
!
end
`,
};

function junosPe(n: number, vrf: string, rd: string, body: string[], peers: number[]): string {
  return [
    `set system host-name pe${n}`,
    `set routing-options autonomous-system 65000`,
    `set routing-options router-id 10.0.0.${n}`,
    `set interfaces lo0 unit 0 family inet address 10.0.0.${n}/32`,
    `set protocols bgp group ibgp type internal`,
    `set protocols bgp group ibgp local-address 10.0.0.${n}`,
    `set protocols bgp group ibgp family inet-vpn unicast`,
    ...peers.map((p) => `set protocols bgp group ibgp neighbor 10.0.0.${p}`),
    `set routing-instances ${vrf} instance-type vrf`,
    `set routing-instances ${vrf} route-distinguisher ${rd}`,
    ...body.map((l) => (l.startsWith("set ") ? l : `set routing-instances ${vrf} ${l}`)),
    ``,
  ].join("\n");
}

const COMMUNITIES = [
  "set policy-options community cust-a members target:65000:100",
  "set policy-options community cust-b members target:65000:200",
  "set policy-options community services members target:65000:999",
];

/** Shared services, Junos style, three PEs in a full mesh: customers reach the service VPN, not each other. */
export const SHARED_SERVICES_JUNOS: Record<string, string> = {
  pe1: junosPe(
    1,
    "CUST-A",
    "65000:1",
    [
      "vrf-import a-import",
      "vrf-target export target:65000:100",
      "routing-options static route 10.1.0.0/24 next-hop 172.16.1.2",
      ...COMMUNITIES,
      "set policy-options policy-statement a-import term own from community cust-a",
      "set policy-options policy-statement a-import term own then accept",
      "set policy-options policy-statement a-import term svc from community services",
      "set policy-options policy-statement a-import term svc then accept",
      "set policy-options policy-statement a-import then reject",
    ],
    [2, 3],
  ),
  pe2: junosPe(
    2,
    "CUST-B",
    "65000:2",
    [
      "vrf-import b-import",
      "vrf-target export target:65000:200",
      "routing-options static route 10.2.0.0/24 next-hop 172.16.2.2",
      ...COMMUNITIES,
      "set policy-options policy-statement b-import term own from community cust-b",
      "set policy-options policy-statement b-import term own then accept",
      "set policy-options policy-statement b-import term svc from community services",
      "set policy-options policy-statement b-import term svc then accept",
      "set policy-options policy-statement b-import then reject",
    ],
    [1, 3],
  ),
  pe3: junosPe(
    3,
    "SERVICES",
    "65000:999",
    [
      "vrf-import svc-import",
      "vrf-export svc-export",
      "routing-options static route 192.0.2.53/32 next-hop 172.16.3.2",
      ...COMMUNITIES,
      "set policy-options policy-statement svc-import term a from community cust-a",
      "set policy-options policy-statement svc-import term a then accept",
      "set policy-options policy-statement svc-import term b from community cust-b",
      "set policy-options policy-statement svc-import term b then accept",
      "set policy-options policy-statement svc-import then reject",
      "set policy-options policy-statement svc-export term tag then community add services",
      "set policy-options policy-statement svc-export term tag then accept",
    ],
    [1, 2],
  ),
};

export function fromTexts(files: Record<string, string>, ext: string, routes?: string): Network {
  return loadNetworkFromText(
    Object.entries(files).map(([n, text]) => ({ file: `${n}.${ext}`, text })),
    routes === undefined ? undefined : { file: "routes.txt", text: routes },
  );
}

// ------------------------------------------------------------------ exercise scenarios

function iosPe(
  n: number,
  vrfs: Array<{ name: string; rd: string; rts: string[]; nets: string[] }>,
  peers: number[],
): string {
  const out = [`hostname pe${n}`, `!`];
  for (const v of vrfs)
    out.push(
      `vrf definition ${v.name}`,
      ` rd ${v.rd}`,
      ` address-family ipv4`,
      ...v.rts.map((l) => `  ${l}`),
      ` exit-address-family`,
      `!`,
    );
  out.push(
    `interface Loopback0`,
    ` ip address 10.0.0.${n} 255.255.255.255`,
    `!`,
    `router bgp 65000`,
    ` bgp router-id 10.0.0.${n}`,
  );
  for (const p of peers)
    out.push(` neighbor 10.0.0.${p} remote-as 65000`, ` neighbor 10.0.0.${p} update-source Loopback0`);
  out.push(` address-family vpnv4`);
  for (const p of peers) out.push(`  neighbor 10.0.0.${p} activate`, `  neighbor 10.0.0.${p} send-community extended`);
  out.push(` exit-address-family`);
  for (const v of vrfs) {
    out.push(` address-family ipv4 vrf ${v.name}`);
    for (const net of v.nets) {
      const [a, len] = net.split("/");
      const mask = [0, 1, 2, 3]
        .map((i) => Math.max(0, Math.min(8, Number(len) - 8 * i)))
        .map((b) => 256 - 2 ** (8 - b))
        .join(".");
      out.push(`  network ${a} mask ${mask}`);
    }
    out.push(` exit-address-family`);
  }
  out.push(`!`, `end`, ``);
  return out.join("\n");
}

/**
 * Predict exercise: hub and spoke. pe1's HUB imports the spokes' RT; the spokes on pe2 and pe3
 * import only the hub's RT; pe3 also has a MONITOR VRF that imports the spoke RT (and IOS leaks
 * between VRFs of the same router).
 */
export const PREDICT_IOS: Record<string, string> = {
  pe1: iosPe(
    1,
    [
      {
        name: "HUB",
        rd: "65000:1",
        rts: ["route-target export 65000:1", "route-target import 65000:2"],
        nets: ["10.1.0.0/16"],
      },
    ],
    [2, 3],
  ),
  pe2: iosPe(
    2,
    [
      {
        name: "SPOKE",
        rd: "65000:21",
        rts: ["route-target export 65000:2", "route-target import 65000:1"],
        nets: ["10.21.0.0/24"],
      },
    ],
    [1, 3],
  ),
  pe3: iosPe(
    3,
    [
      {
        name: "SPOKE",
        rd: "65000:31",
        rts: ["route-target export 65000:2", "route-target import 65000:1"],
        nets: ["10.31.0.0/24"],
      },
      {
        name: "MONITOR",
        rd: "65000:39",
        rts: ["route-target both 65000:9", "route-target import 65000:2"],
        nets: ["10.39.0.0/24"],
      },
    ],
    [1, 2],
  ),
};

/** The VRFs the predict table asks about, in order. */
export const PREDICT_ROWS = ["pe1/HUB", "pe2/SPOKE", "pe3/SPOKE", "pe3/MONITOR"];

function bundle(parts: Record<string, string>, head: string): string {
  return (
    head +
    Object.entries(parts)
      .map(([name, text]) => `### router ${name}\n${text}`)
      .join("")
  );
}

const SS_VRFS = {
  pe1: { name: "CUST-A", rd: "65000:1", nets: ["10.1.0.0/24"] },
  pe2: { name: "CUST-B", rd: "65000:2", nets: ["10.2.0.0/24"] },
  pe3: { name: "SERVICES", rd: "65000:99", nets: ["192.0.2.53/32"] },
};

/** Shared-services fix: the stub has no route targets at all; the learner writes them. */
export function sharedServicesBundle(rts: Record<"pe1" | "pe2" | "pe3", string[]> | null): string {
  const todo = (v: string) => [`! TODO: route-target import/export lines for ${v}`];
  const parts: Record<string, string> = {};
  (["pe1", "pe2", "pe3"] as const).forEach((pe, i) => {
    const v = SS_VRFS[pe];
    parts[pe] = iosPe(
      i + 1,
      [{ ...v, rts: rts ? rts[pe] : todo(v.name) }],
      [1, 2, 3].filter((x) => x !== i + 1),
    );
  });
  return bundle(parts, `! The lab's three PEs in one file (each part starts at "### router NAME").\n`);
}

export const SHARED_SERVICES_STUB = sharedServicesBundle(null);

/** RR multipath fix: the multipath lab as one bundle (the stub keeps both service PEs on RD 65000:1). */
export function multipathBundle(vmx3Rd?: string): string {
  const f = multipathLabFiles({ vmx3Rd });
  const parts: Record<string, string> = {};
  for (const c of f.configs) parts[c.file.replace(/\.set$/, "")] = c.text;
  return (
    bundle(parts, `# The multipath lab in one file (each part starts at "### router NAME").\n`) +
    `### routes\n${f.routes!.text}`
  );
}

export const RR_MULTIPATH_STUB = multipathBundle();

/** The scenarios the FRR cross-check runs (each returns a fresh Network). */
export const FRR_SCENARIOS: Array<{ name: string; build: () => Network }> = [
  { name: "plain import/export with overlapping prefixes (IOS-XE)", build: () => fromTexts(PLAIN_IOS, "cfg") },
  { name: "shared services (Junos policies)", build: () => fromTexts(SHARED_SERVICES_JUNOS, "set") },
  { name: "multipath lab: anycast via RR, same RD", build: () => multipathLab({ plainRoutes: true }) },
  {
    name: "multipath lab: anycast via RR, distinct RDs",
    build: () => multipathLab({ vmx3Rd: "65000:3", plainRoutes: true }),
  },
  {
    name: "hub and spoke with same-router leaking (the vpn.predict scenario)",
    build: () => fromTexts(PREDICT_IOS, "cfg"),
  },
  { name: "multipath lab as a full mesh (no reflector), same RD: both paths arrive", build: () => multipathFullMesh() },
];

import { it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildNetwork,
  parseTopology,
  trace,
  walkFrames,
  internetChecksum,
  decodeStack,
  labNetwork,
  tedRows,
  type Walk,
} from "../../src/mpls";

const LAB = readFileSync(join(__dirname, "../../labs/mpls/lab.yaml"), "utf8");
const labels = (w: Walk) => w.hops.filter((h) => h.next).map((h) => h.outStack.map((e) => e.label));
const ttls = (w: Walk) => w.hops.filter((h) => h.next).map((h) => h.outStack.map((e) => e.ttl));

it(
  "LDP: the egress binds implicit null, every other router an ordinary label, liberal retention",
  { timeout: 10000 },
  () => {
    const net = labNetwork("lab");
    const fec = "10.0.0.6/32"; // PE2
    for (const st of net.routers.values()) {
      const l = st.ldpLocal.get(fec)!;
      if (st.name === "PE2") expect(l).toBe(3);
      else expect(l >= 16, `${st.name} binds ${l}`).toBeTruthy();
      // liberal retention: a binding from every LDP neighbour is kept
      const peers = net.topology.links.filter((k) => k.a === st.name || k.b === st.name).length;
      expect(st.ldpRemote.get(fec)?.size ?? 0, `${st.name} keeps all ${peers} bindings`).toBe(peers);
    }
    // P2's next hop to PE2 is PE2 itself: it pops (PHP)
    const p2 = net.routers.get("P2")!;
    const e = p2.lfib.get(p2.ldpLocal.get(fec)!)!;
    expect(e.out).toStrictEqual([]);
    expect(e.next!.peer).toBe("PE2");
  },
);

it("RSVP-TE: ERO strict+loose gives PE1 P3 P4 PE2 and labels flow upstream in RESV", { timeout: 10000 }, () => {
  const net = labNetwork("lab");
  const lsp = net.rsvp[0]!;
  expect(lsp.path).toStrictEqual(["PE1", "P3", "P4", "PE2"]);
  expect(lsp.labels[3]).toBe(3);
  expect(lsp.messages.map((m) => `${m.type} ${m.from}>${m.to}`)).toStrictEqual([
    "PATH PE1>P3",
    "PATH P3>P4",
    "PATH P4>PE2",
    "RESV PE2>P4",
    "RESV P4>P3",
    "RESV P3>PE1",
  ]);
  const w = trace(net, { from: "PE1", to: "10.0.0.6" });
  expect(w.hops.map((h) => h.router)).toStrictEqual(["PE1", "P3", "P4", "PE2"]);
});

it("CSPF: reservations change what fits", { timeout: 10000 }, () => {
  const t = parseTopology(
    LAB.replace(
      /rsvp:[\s\S]*?vpns:/,
      "rsvp:\n  - { name: A, from: PE1, to: PE2, bandwidth: 600 }\n  - { name: B, from: PE1, to: PE2, bandwidth: 600 }\nvpns:",
    ),
    "lab.yaml",
  );
  const net = buildNetwork(t);
  expect(net.rsvp[0]!.path).toStrictEqual(["PE1", "P1", "P2", "PE2"]);
  expect(net.rsvp[1]!.path, "only 400 Mb/s left on PE1–P1").toStrictEqual(["PE1", "P3", "P4", "PE2"]);
  expect(net.ted.available({ from: "PE1", to: "P1", link: t.links[0]! })).toBe(400);
  // a third LSP of 600 no longer fits anywhere
  const t3 = parseTopology(
    LAB.replace(
      /rsvp:[\s\S]*?vpns:/,
      "rsvp:\n  - { name: A, from: PE1, to: PE2, bandwidth: 600 }\n  - { name: B, from: PE1, to: PE2, bandwidth: 600 }\n  - { name: C, from: PE1, to: PE2, bandwidth: 600 }\nvpns:",
    ),
    "lab.yaml",
  );
  expect(() => buildNetwork(t3)).toThrow(
    /CSPF finds no path from PE1 to the tail PE2 for LSP C \(600 Mb\/s\).*lab\.yaml:\d+:\d+/,
  );
});

it("CSPF: admin groups", { timeout: 10000 }, () => {
  const gold = parseTopology(LAB.replace("ero: [P3 strict, P4 loose]", "exclude: [blue]"), "lab.yaml");
  expect(buildNetwork(gold).rsvp[0]!.path).toStrictEqual(["PE1", "P1", "P2", "PE2"]);
  const noBlue = parseTopology(
    LAB.replace("ero: [P3 strict, P4 loose]", "ero: [P3 strict]\n    exclude: [blue]"),
    "lab.yaml",
  );
  expect(() => buildNetwork(noBlue)).toThrow(/CSPF finds no path from P3/);
});

it("unsatisfiable ERO names the hop and its file position", { timeout: 10000 }, () => {
  const t = parseTopology(LAB.replace("ero: [P3 strict, P4 loose]", "ero: [P2 strict]"), "lab.yaml");
  const lines = LAB.replace("ero: [P3 strict, P4 loose]", "ero: [P2 strict]").split("\n");
  const line = lines.findIndex((l) => l.includes("ero: [P2 strict]")) + 1;
  expect(() => buildNetwork(t)).toThrow(new RegExp(`strict hop P2 is not adjacent to PE1.*lab\\.yaml:${line}:\\d+`));
});

it("L3VPN with PHP: transport popped at P4, VPN label alone reaches PE2", { timeout: 10000 }, () => {
  const net = labNetwork("lab");
  const w = trace(net, { from: "PE1", to: "192.168.2.0/24" });
  const vpn = net.routers.get("PE2")!.vpnLabels.get("CUST1")!;
  const rsvpP3 = net.rsvp[0]!.labels[1]!;
  const rsvpP4 = net.rsvp[0]!.labels[2]!;
  expect(w.outcome).toBe("delivered");
  expect(labels(w)).toStrictEqual([[rsvpP3, vpn], [rsvpP4, vpn], [vpn]]);
  expect(ttls(w)).toStrictEqual([[63, 63], [62, 63], [61]]);
  expect(w.ip.ttl).toBe(60);
});

it("L3VPN without PHP: explicit null (0) on the last link", { timeout: 10000 }, () => {
  const net = buildNetwork(parseTopology(LAB.replace("php: true", "php: false"), "lab.yaml"));
  const w = trace(net, { from: "PE1", to: "192.168.2.0/24" });
  const vpn = net.routers.get("PE2")!.vpnLabels.get("CUST1")!;
  expect(labels(w).slice(-1)).toStrictEqual([[0, vpn]]);
  expect(w.outcome).toBe("delivered");
  expect(w.hops[3]!.actions.join(";")).toMatch(/pop explicit null/);
});

it("TTL pipe mode: LSP hidden, IP TTL decremented at ingress and egress only", { timeout: 10000 }, () => {
  const net = buildNetwork(parseTopology(LAB.replace("ttl-mode: uniform", "ttl-mode: pipe"), "lab.yaml"));
  const w = trace(net, { from: "PE1", to: "10.0.0.6" });
  expect(ttls(w).slice(0, 2)).toStrictEqual([[255], [254]]);
  // Decremented at the ingress only: PE2 receives a packet for its own loopback, it does not forward it.
  expect(w.ip.ttl).toBe(63);
  const u = trace(labNetwork("lab"), { from: "PE1", to: "10.0.0.6" });
  expect(u.ip.ttl).toBe(61);
});

it("TTL expiry is shown at the router where it happens", { timeout: 10000 }, () => {
  const w = trace(labNetwork("lab"), { from: "PE1", to: "192.168.2.0/24", ttl: 2 });
  expect(w.outcome).toBe("ttl-expired");
  expect(w.hops[w.hops.length - 1]!.router).toBe("P3");
});

it("a static LSP loop is flagged and ends by TTL expiry", { timeout: 10000 }, () => {
  const text =
    LAB +
    `static-lsps:
  - name: loop
    fec: 198.51.100.0/24
    hops:
      - { router: PE1, push: [100], next: P1 }
      - { router: P1, in: 100, swap: 200, next: P2 }
      - { router: P2, in: 200, swap: 100, next: P1 }
`;
  const net = buildNetwork(parseTopology(text, "loop.yaml"));
  const w = trace(net, { from: "PE1", to: "198.51.100.7", ttl: 10 });
  expect(w.outcome).toBe("ttl-expired");
  expect(w.loopAt).toBe(3);
  expect(w.hops.length).toBe(10);
});

it("BGP-LU: three labels at the ingress of an inter-domain L3VPN", { timeout: 10000 }, () => {
  const net = labNetwork("bgplu");
  const w = trace(net, { from: "PE1", to: "192.168.2.0/24" });
  expect(w.outcome).toBe("delivered");
  expect(w.hops.map((h) => h.router)).toStrictEqual(["PE1", "P1", "ASBR1", "ASBR2", "P2", "PE2"]);
  const l = labels(w);
  expect(l[0]!.length).toBe(3);
  const vpn = net.routers.get("PE2")!.vpnLabels.get("CUST1")!;
  expect(
    l.slice(0, 5).every((s) => s[s.length - 1] === vpn),
    "the VPN label stays at the bottom end to end",
  ).toBeTruthy();
  // ASBR1 swaps its BGP-LU label for ASBR2's
  expect(l[2]![0]).toBe(net.routers.get("ASBR2")!.bgpLu.get("10.2.0.3/32")!.localLabel);
});

it("pcap frames carry correct IPv4 and ICMP checksums and the walk's stacks", { timeout: 10000 }, () => {
  const net = labNetwork("bgplu");
  const w = trace(net, { from: "PE1", to: "192.168.2.0/24" });
  const frames = walkFrames(net.topology, w);
  for (const f of frames) {
    let off = 14;
    if (f.stack.length) {
      const d = decodeStack(f.bytes, 14);
      expect(d.stack).toStrictEqual(f.stack);
      off += d.length;
    }
    expect(internetChecksum(f.bytes.subarray(off, off + 20))).toBe(0);
    expect(internetChecksum(f.bytes.subarray(off + 20))).toBe(0);
    expect(f.bytes[off + 8]).toBe(f.ipTtl);
  }
});

it("bad input: positions and names", { timeout: 10000 }, () => {
  expect(() =>
    parseTopology("routers:\n  R1: { loopback: 10.0.0.1 }\nlinks:\n  - { a: R1, b: R9 }\n", "t.yaml"),
  ).toThrow(/undefined router "R9".*t\.yaml:4:17/);
  expect(() => parseTopology("routers:\n  R1: { loopback: 10.0.0.1, colour: red }\nlinks: []\n", "t.yaml")).toThrow(
    /unknown key "colour".*t\.yaml:2:37/,
  );
  const st = (l: string) =>
    `routers:\n  R1: { loopback: 10.0.0.1 }\n  R2: { loopback: 10.0.0.2 }\nlinks:\n  - { a: R1, b: R2 }\nstatic-lsps:\n  - fec: 10.9.0.0/16\n    hops:\n      - { router: R1, push: [${l}], next: R2 }\n`;
  expect(() => parseTopology(st("1048576"), "s.yaml")).toThrow(/20-bit.*s\.yaml:9:30/);
  expect(() => parseTopology(st("3"), "s.yaml")).toThrow(/label 3 is reserved \(implicit null\).*s\.yaml:9:30/);
  expect(() => parseTopology("routers:\n  R1: { loopback: 10.0.0.1 }\nlinks: [\n", "y.yaml")).toThrow(
    /YAML syntax error.*y\.yaml:\d+:\d+/,
  );
  expect(() => parseTopology(LAB.replace("ero: [P3 strict, P4 loose]", "ero: [P7 strict]"), "lab.yaml")).toThrow(
    /undefined router "P7" in the ERO/,
  );
  expect(() => trace(labNetwork("lab"), { from: "PE1", to: "203.0.113.9" })).toThrow(
    /no route to 203\.0\.113\.9 from PE1: unreachable FEC.*lab\.yaml:\d+:\d+/,
  );
  expect(() => trace(labNetwork("lab"), { from: "PE9", to: "10.0.0.6" })).toThrow(/undefined router "PE9"/);
  // JSON works too
  const j = parseTopology(JSON.stringify({ routers: { A: { loopback: "10.0.0.1" } }, links: [] }), "t.json");
  expect(j.routers.size).toBe(1);
});

it("more bad input: links, loopbacks, domains, sessions", { timeout: 10000 }, () => {
  const base =
    "routers:\n  R1: { loopback: 10.0.0.1 }\n  R2: { loopback: 10.0.0.2, domain: B }\n  R3: { loopback: 10.0.0.3 }\nlinks:\n  - { a: R1, b: R3 }\n  - { a: R3, b: R2 }\n";
  expect(() =>
    buildNetwork(
      parseTopology(
        base + "static-lsps:\n  - fec: 10.9.0.0/16\n    hops:\n      - { router: R1, push: [100], next: R2 }\n",
        "u.yaml",
      ),
    ),
  ).toThrow(/R1 has no link to R2.*u\.yaml:11:9/);
  expect(() =>
    parseTopology("routers:\n  R1: { loopback: 10.0.0.1 }\n  R2: { loopback: 10.0.0.1 }\nlinks: []\n", "d.yaml"),
  ).toThrow(/loopback already used by R1.*d\.yaml:3:19/);
  expect(() => buildNetwork(parseTopology(base + "bgp-lu:\n  - { a: R1, b: R2 }\n", "b.yaml"))).toThrow(
    /eBGP-LU session R1–R2 needs a direct link.*b\.yaml:9:5/,
  );
  expect(() => buildNetwork(parseTopology(base + "rsvp:\n  - { from: R1, to: R2 }\n", "r.yaml"))).toThrow(
    /R2 is in domain B.*r\.yaml:9:5/,
  );
  expect(() => parseTopology(base.replace("{ a: R1, b: R3 }", "{ a: R1, b: R1 }"), "s.yaml")).toThrow(
    /two different routers/,
  );
  expect(() =>
    parseTopology(
      base +
        "static-lsps:\n  - fec: 10.9.0.0/16\n    hops:\n      - { router: R1, push: [100], next: R3 }\n      - { router: R3, in: 14, pop: true }\n",
      "o.yaml",
    ),
  ).toThrow(/label 14 is reserved \(OAM alert\)/);
  expect(() => parseTopology("ttl-mode: short\nrouters:\n  R1: { loopback: 10.0.0.1 }\nlinks: []\n", "m.yaml")).toThrow(
    /ttl-mode must be uniform or pipe.*m\.yaml:1:11/,
  );
  expect(() => parseTopology("routers:\n  R1: { loopback: 10.0.0.300 }\nlinks: []\n", "a.yaml")).toThrow(
    /not an IPv4 address.*a\.yaml:2:19/,
  );
});

it(
  "carrier supporting carrier: customer loopbacks live in the backbone's VRF, the VPN label rides through",
  { timeout: 10000 },
  () => {
    const net = labNetwork("csc");
    const pe1 = net.routers.get("PE1")!;
    expect(!pe1.global.has("10.12.0.1/32"), "the backbone's global table has no customer-carrier routes").toBeTruthy();
    expect(pe1.vrfs.get("CC")!.has("10.12.0.1/32")).toBeTruthy();
    expect(!net.routers.get("P")!.global.has("10.12.0.1/32")).toBeTruthy();
    const w = trace(net, { from: "cPE1", to: "192.168.2.0/24" });
    expect(w.outcome).toBe("delivered");
    expect(w.hops.map((h) => h.router)).toStrictEqual(["cPE1", "cCE1", "PE1", "P", "PE2", "cCE2", "cPE2"]);
    const vpn = net.routers.get("cPE2")!.vpnLabels.get("END")!;
    const l = labels(w);
    expect(
      l.every((s) => s[s.length - 1] === vpn),
      "the customer's VPN label is at the bottom on every link",
    ).toBeTruthy();
    expect(l[2]!.length, "three labels across the backbone core: LDP, the backbone's CsC label, the VPN label").toBe(3);
    expect(l[2]![1]).toBe(net.routers.get("PE2")!.bgpLu.get("CC:10.12.0.1/32")!.localLabel);
    expect(() => parseTopology(LAB + "bgp-lu:\n  - { a: PE1, b: PE2, vrf: CC, colour: red }\n", "x.yaml")).toThrow(
      /unknown key "colour"/,
    );
  },
);

it("RSVP head = tail and negative bandwidth are refused; the TED view adds up", { timeout: 10000 }, () => {
  expect(() =>
    parseTopology(LAB.replace("to: PE2\n    bandwidth: 200", "to: PE1\n    bandwidth: 200"), "lab.yaml"),
  ).toThrow(/tail different from its head.*lab\.yaml:\d+:\d+/);
  expect(() => parseTopology(LAB.replace("bandwidth: 200", "bandwidth: -5"), "lab.yaml")).toThrow(
    /bandwidth must be ≥ 0/,
  );
  const rows = tedRows(labNetwork("lab"));
  expect(rows.length).toBe(14);
  expect(
    rows
      .filter((r) => r["reserved Mb/s"] === 200)
      .map((r) => r.link)
      .join(" "),
  ).toBe("PE1→P3 P3→P4 P4→PE2");
});

it("BGP-LU path selection: shortest AS path wins, AS loops are refused", { timeout: 10000 }, () => {
  const text = `ldp: true
routers:
  PE1: { loopback: 10.1.0.1, domain: A }
  X1:  { loopback: 10.1.0.2, domain: A }
  X2:  { loopback: 10.1.0.3, domain: A }
  C1:  { loopback: 10.3.0.1, domain: C }
  B1:  { loopback: 10.2.0.1, domain: B }
links:
  - { a: PE1, b: X1, metric: 50 }
  - { a: PE1, b: X2, metric: 10 }
  - { a: X1, b: B1 }
  - { a: X2, b: C1 }
  - { a: C1, b: B1 }
bgp-lu:
  - { a: PE1, b: X1 }
  - { a: PE1, b: X2 }
  - { a: X1, b: B1 }
  - { a: X2, b: C1 }
  - { a: C1, b: B1 }
`;
  const net = buildNetwork(parseTopology(text, "as.yaml"));
  const r = net.routers.get("PE1")!.bgpLu.get("10.2.0.1/32")!;
  expect(r.from, "AS path [B] via X1 beats [C B] via X2 although X2 is closer in the IGP").toBe("X1");
  expect(r.asPath).toStrictEqual(["B"]);
  // C1 hears B1's loopback directly and through A (X2 ← PE1 ← X1 ← B1 is blocked: no iBGP reflection,
  // and a path back into B would contain B): it picks the direct one.
  expect(net.routers.get("C1")!.bgpLu.get("10.2.0.1/32")!.asPath).toStrictEqual(["B"]);
  // B1 never accepts its own domain back.
  expect([...net.routers.get("B1")!.bgpLu.values()].every((x) => !x.asPath.includes("B"))).toBeTruthy();
  const w = trace(net, { from: "PE1", to: "10.2.0.1" });
  expect(w.hops.map((h) => h.router)).toStrictEqual(["PE1", "X1", "B1"]);
});

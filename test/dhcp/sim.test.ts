import { it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildOptions, fieldsOf, makeDhcp, type DhcpPacket } from "../../src/dhcp/packet";
import { relayRequest, relayReply, parseRelayConfig, defaultRelayConfig, checkRelayFields } from "../../src/dhcp/relay";
import { answer, LeaseDb } from "../../src/dhcp/server";
import { FirewallModel } from "../../src/dhcp/firewall";
import {
  pxeLab,
  relayLab,
  directLab,
  makeLab,
  packetTracer,
  BROKEN_RELAY_CONFIG,
  FIXED_RELAY_CONFIG,
} from "../../src/dhcp/lab";
import { hopTable, dropSummary, firstExchange } from "../../src/dhcp/trace";
import { ladderView, hopView } from "../../src/dhcp/views";
import { ParseError } from "../../src/util/errors";
import { oracle } from "../helpers/oracle";
import { tsharkJson, compareWithTshark } from "./tshark";

const T = { timeout: 20000 };
const MAC = "6c:2b:59:c1:32:73";
const req = (p: Partial<DhcpPacket> = {}, mt: "DISCOVER" | "REQUEST" = "DISCOVER") =>
  makeDhcp({ op: 1, xid: 7, chaddr: MAC, options: buildOptions({ messageType: mt }), ...p });
const rx = { name: "inside", ip: "10.94.240.1" };

it("relay: giaddr set when zero, hops incremented, sent to every server", T, () => {
  const cfg = defaultRelayConfig(["10.20.30.10", "10.20.30.11"], ["inside"]);
  const d = relayRequest(req(), cfg, rx);
  expect(d.action).toBe("forward");
  if (d.action !== "forward") return;
  expect(d.packet.giaddr).toBe("10.94.240.1");
  expect(d.packet.hops).toBe(1);
  expect(d.to).toStrictEqual(["10.20.30.10", "10.20.30.11"]);
  // a second relay keeps the first relay's giaddr
  const d2 = relayRequest(d.packet, { ...cfg, enabled: ["inside"] }, { name: "inside", ip: "10.0.0.1" });
  expect(d2.action === "forward" && d2.packet.giaddr === "10.94.240.1" && d2.packet.hops === 2).toBeTruthy();
});

it("relay: hops cap, disabled interface, option 82 insert and untrusted 82", T, () => {
  const cfg = { ...defaultRelayConfig(["10.20.30.10"], ["inside"]), maxHops: 4 };
  expect((relayRequest(req({ hops: 4 }), cfg, rx) as { reason: string }).reason).toMatch(
    /hops 4 \+ 1 exceeds the limit 4/,
  );
  expect(relayRequest(req({ hops: 3 }), cfg, rx).action).toBe("forward");
  expect((relayRequest(req(), cfg, { name: "dmz", ip: "10.9.9.1" }) as { reason: string }).reason).toMatch(
    /not enabled on dmz/,
  );
  // As ISC dhcrelay -a: circuit-id = the interface name, no remote-id unless one is configured.
  const with82 = relayRequest(req(), { ...cfg, option82: true }, rx);
  expect(with82.action === "forward").toBeTruthy();
  if (with82.action === "forward")
    expect(fieldsOf(with82.packet).relayAgent).toStrictEqual({ circuitId: Buffer.from("inside").toString("hex") });
  const withRid = relayRequest(req(), { ...cfg, option82: true, remoteId: "asa-1" }, rx);
  if (withRid.action === "forward")
    expect(fieldsOf(withRid.packet).relayAgent).toStrictEqual({
      circuitId: Buffer.from("inside").toString("hex"),
      remoteId: Buffer.from("asa-1").toString("hex"),
    });
  else expect.unreachable("forwarded");
  expect((relayRequest(req({ giaddr: "127.0.0.1", hops: 1 }), cfg, rx) as { reason: string }).reason).toMatch(
    /giaddr is not a unicast host address.*127\.0\.0\.1.*byte offset 24/,
  );
  expect((relayRequest(req({ giaddr: "239.1.1.1", hops: 1 }), cfg, rx) as { reason: string }).reason).toMatch(
    /byte offset 24/,
  );
  expect(() => checkRelayFields(req({ hops: 17 }))).toThrow(/hops 17 is above the relay limit 16.*byte offset 3/);
  const spoof = req({ options: buildOptions({ messageType: "DISCOVER", relayAgent: { circuitId: "01" } }) });
  expect((relayRequest(spoof, cfg, rx) as { reason: string }).reason).toMatch(/option 82 present with giaddr 0/);
});

it("relay replies: source check, option 82 stripped, broadcast vs unicast delivery", T, () => {
  const cfg = { ...defaultRelayConfig(["10.20.30.10"], ["inside"]), acceptOnlyFromServers: true };
  const ifaces = [rx, { name: "EGRESS", ip: "10.0.3.1" }];
  const offer = (flags: number) =>
    makeDhcp({
      op: 2,
      xid: 7,
      chaddr: MAC,
      yiaddr: "10.94.240.100",
      giaddr: "10.94.240.1",
      flags,
      options: buildOptions({ messageType: "OFFER", serverId: "10.20.30.11", relayAgent: { circuitId: "01" } }),
    });
  const dropped = relayReply(offer(0), "10.20.30.11", cfg, ifaces);
  expect(dropped.action).toBe("drop");
  expect((dropped as { reason: string }).reason).toMatch(/10\.20\.30\.11, which is not a configured server/);
  const open = { ...cfg, acceptOnlyFromServers: false };
  const uni = relayReply(offer(0), "10.20.30.11", open, ifaces);
  expect(
    uni.action === "deliver" &&
      !uni.broadcast &&
      uni.dstIp === "10.94.240.100" &&
      uni.dstMac === MAC &&
      uni.iface === "inside",
  ).toBeTruthy();
  if (uni.action === "deliver") expect(fieldsOf(uni.packet).relayAgent, "option 82 is stripped").toBe(undefined);
  const bc = relayReply(offer(0x8000), "10.20.30.11", open, ifaces);
  expect(bc.action === "deliver" && bc.broadcast && bc.dstIp === "255.255.255.255").toBeTruthy();
  const wrongGi = relayReply({ ...offer(0), giaddr: "10.1.1.1" }, "10.20.30.10", cfg, ifaces);
  expect((wrongGi as { reason: string }).reason).toMatch(/giaddr 10.1.1.1 is not an address of this relay/);
});

it("relay config parser: every line understood or an error with file:line:column", T, () => {
  const c = parseRelayConfig(FIXED_RELAY_CONFIG + "dhcprelay information insert\ndhcprelay max-hops 4\n");
  expect(c.servers.map((s) => s.ip)).toStrictEqual(["10.20.30.10", "10.20.30.11"]);
  expect(c.enabled).toStrictEqual(["SERVERS-ZONE"]);
  expect(c.timeout).toBe(60);
  expect(c.option82).toBe(true);
  expect(c.maxHops).toBe(4);
  expect(
    thrownBy(() => parseRelayConfig("dhcprelay enable X\ndhcprelay server 10.20.30.300 EGRESS\n", "relay.conf")),
  ).toSatisfy(
    (e: unknown) => e instanceof ParseError && /not an IPv4 address.*relay.conf:2:18/.test((e as Error).message),
  );
  expect(() => parseRelayConfig("  dhcprelay setroute inside\n", "r.conf")).toThrow(
    /unsupported dhcprelay command.*r.conf:1:13/,
  );
  expect(() => parseRelayConfig("ip helper-address 10.0.0.1\n", "r.conf")).toThrow(
    /unknown configuration line.*r.conf:1:1/,
  );
  expect(() => parseRelayConfig("dhcprelay server 10.0.0.1\n")).toThrow(/missing interface name/);
  expect(() => parseRelayConfig("dhcprelay timeout 0\n")).toThrow(/integer 1..3600/);
});

it("server: pool by giaddr, OFFER then ACK, NAK for a wrong address, other server's REQUEST", T, () => {
  const db = new LeaseDb([
    { subnet: "10.94.240.0/24", start: "10.94.240.100", end: "10.94.240.101", routers: ["10.94.240.1"] },
  ]);
  const cfg = { pools: db.pools, leaseTime: 600 };
  const o = answer(req({ giaddr: "10.94.240.1", hops: 1 }), db, cfg, "10.20.30.11", "10.20.30.11", 0)!;
  expect(o.reply!.yiaddr).toBe("10.94.240.100");
  expect(o.dstIp).toBe("10.94.240.1");
  expect(o.dstPort).toBe(67);
  expect(fieldsOf(o.reply!).subnetMask).toBe("255.255.255.0");
  const r = (ip: string, sid = "10.20.30.11") =>
    req(
      { giaddr: "10.94.240.1", options: buildOptions({ messageType: "REQUEST", requestedIp: ip, serverId: sid }) },
      "REQUEST",
    );
  const ack = answer(r("10.94.240.100"), db, cfg, "10.20.30.11", "10.20.30.11", 1)!;
  expect(fieldsOf(ack.reply!).messageType).toBe("ACK");
  expect(db.byMac.get(MAC)!.state).toBe("bound");
  const nak = answer(r("10.94.240.101"), db, cfg, "10.20.30.11", "10.20.30.11", 2)!;
  expect(fieldsOf(nak.reply!).messageType).toBe("NAK");
  expect(nak.reply!.flags & 0x8000, "NAK via a relay sets the broadcast bit").toBe(0x8000);
  expect(answer(r("10.94.240.100", "10.9.9.9"), db, cfg, "10.20.30.11", "10.20.30.11", 3)!.reply).toBe(undefined);
  // direct (no relay): broadcast flag decides
  const db2 = new LeaseDb([{ subnet: "192.168.1.0/24", start: "192.168.1.10", end: "192.168.1.20" }]);
  expect(answer(req(), db2, { pools: db2.pools }, "192.168.1.1", "192.168.1.1", 0)!.dstMac).toBe(MAC);
  expect(
    answer(
      req({ flags: 0x8000, chaddr: "00:00:00:00:00:02" }),
      db2,
      { pools: db2.pools },
      "192.168.1.1",
      "192.168.1.1",
      0,
    )!.dstIp,
  ).toBe("255.255.255.255");
  // pool exhaustion
  const db3 = new LeaseDb([{ subnet: "10.0.0.0/30", start: "10.0.0.2", end: "10.0.0.2" }]);
  answer(req(), db3, { pools: db3.pools }, "10.0.0.1", "10.0.0.1", 0);
  expect(
    answer(req({ chaddr: "00:00:00:00:00:09" }), db3, { pools: db3.pools }, "10.0.0.1", "10.0.0.1", 0)!.note,
  ).toMatch(/exhausted/);
});

it("firewall: offloaded sessions vanish from capture and GUI until they end or are cleared", T, () => {
  const fw = new FirewallModel("palo", { udpTimeout: 60, offload: true, firstSessionId: 135493 });
  const t = { proto: "udp" as const, src: "10.0.3.1", sport: 67, dst: "10.20.30.10", dport: 67 };
  fw.capturing = true;
  expect(fw.inspect(t, "a", "b", 0).path).toBe("slow");
  for (let i = 1; i <= 10; i++) expect(fw.inspect(t, "a", "b", i * 20).path).toBe("fast");
  expect(fw.capture.length, "only the first packet reached the control-plane capture").toBe(1);
  expect(fw.guiView(200), "a live UDP session is never logged").toStrictEqual([]);
  const s = fw.sessionTable(200);
  expect(s.length).toBe(1);
  expect(s[0]!.id).toBe(135493);
  expect(s[0]!.packets.org).toBe(11);
  expect(s[0]!.offloaded).toBeTruthy();
  expect(fw.clearSession(200, 135493)).toBe(1);
  expect(fw.guiView(200).length).toBe(1);
  expect(fw.inspect(t, "a", "b", 201).path, "after clear session the next packet is seen again").toBe("slow");
  expect(fw.capture.length).toBe(2);
  fw.inspect(t, "a", "b", 400);
  expect(fw.guiView(400).at(-1)!.what).toMatch(/aged-out/);
  const deny = new FirewallModel("f", {
    policy: [{ name: "no-bootp", dport: 67, action: "deny" }, { action: "allow" }],
  });
  expect(deny.inspect(t, "a", "b", 0).action).toBe("drop");
  expect(deny.inspect({ ...t, dport: 68 }, "a", "b", 0).action).toBe("allow");
  expect(new FirewallModel("x", { policy: [] }).inspect(t, "a", "b", 0).reason).toBe(
    "denied by policy (implicit deny)",
  );
});

it("client: retransmission back-off 4, 8, 16 … s (±1 s) and restart after maxAttempts", T, () => {
  const lab = pxeLab(); // the broken one: no OFFER ever reaches the client
  lab.run(200);
  const sent = lab
    .frames("pxe-lan")
    .filter((f) => f.from === "pxe")
    .map((f) => f.t);
  const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
  for (const [i, want] of [4, 8, 16].entries())
    expect(Math.abs(gaps[i]! - want) <= 1, `gap ${i}: ${gaps[i]} vs ${want}±1`).toBeTruthy();
  expect(lab.client.history.some((h) => /no answer after 4 transmissions/.test(h.why))).toBeTruthy();
  expect(lab.client.state).toBe("SELECTING");
});

it("the PXE lab: the ASA relay drops every OFFER from the physical address; the fix ends BOUND", T, () => {
  const broken = pxeLab().run(120);
  expect(broken.client.state).not.toBe("BOUND");
  const ds = dropSummary(broken);
  expect(ds.length).toBe(1);
  expect(ds[0]!.device).toBe("asa");
  expect(ds[0]!.msg).toBe("OFFER");
  expect(ds[0]!.reason).toMatch(/10\.20\.30\.11, which is not a configured server/);
  // the server keeps answering
  expect(broken.net.events.filter((e) => e.node === "dhcp1" && /DHCPDISCOVER/.test(e.text)).length >= 5).toBeTruthy();
  // both NGFWs show nothing in their GUI, yet hold the sessions
  expect(broken.gui("palo")).toStrictEqual([]);
  expect(broken.gui("forti")).toStrictEqual([]);
  expect(broken.sessions("palo").every((s) => s.offloaded)).toBeTruthy();
  expect(
    broken.sessions("palo").some((s) => s.tuple.src === "10.20.30.11" && s.tuple.dst === "10.94.240.1"),
  ).toBeTruthy();
  // capture on palo shows nothing until the session is cleared
  broken.startCapture("palo");
  broken.run(40);
  expect(broken.capture("palo").length).toBe(0);
  expect(broken.clear("palo") >= 1).toBeTruthy();
  broken.run(40);
  expect(
    broken.capture("palo").some((c) => /OFFER/.test(c.summary)),
    "after clear session the capture shows the OFFER",
  ).toBeTruthy();

  const fixed = pxeLab({ fix: true }).run(30);
  expect(fixed.client.state).toBe("BOUND");
  expect(fixed.client.binding!.ip).toBe("10.94.240.100");
  expect(fixed.client.binding!.bootfile).toBe("pxelinux.0");
  expect(dropSummary(fixed)).toStrictEqual([]);
  // the Kea-style server (replies from the VIP) works even with the broken relay config
  expect(pxeLab({ serverMode: "targeted" }).run(30).client.state).toBe("BOUND");
});

it("per-hop addresses: relay sends from its upstream address, server replies to giaddr", T, () => {
  const rows = firstExchange(hopTable(pxeLab({ fix: true }).run(2)));
  const d = rows
    .filter((r) => r.msg === "DISCOVER")
    .map((r) => [r.segment, r.srcIp, r.srcPort, r.dstIp, r.dstPort, r.giaddr, r.hops]);
  expect(d.slice(0, 2)).toStrictEqual([
    ["pxe-lan", "0.0.0.0", 68, "255.255.255.255", 67, "0.0.0.0", 0],
    ["asa-forti", "10.0.3.1", 67, "10.20.30.10", 67, "10.94.240.1", 1],
  ]);
  const offer = rows.find((r) => r.msg === "OFFER" && r.segment === "dc")!;
  expect([offer.srcIp, offer.dstIp, offer.dstPort]).toStrictEqual(["10.20.30.11", "10.94.240.1", 67]);
  const last = rows.filter((r) => r.msg === "ACK" && r.segment === "pxe-lan")[0]!;
  expect([last.srcIp, last.srcPort, last.dstIp, last.dstPort]).toStrictEqual([
    "10.94.240.1",
    67,
    "255.255.255.255",
    68,
  ]);
  expect(ladderView(pxeLab().run(1)).text).toMatch(/OFFER \(dropped\)/);
  expect(hopView(pxeLab().run(1)).rows.length > 5).toBeTruthy();
});

it("renew and rebind: unicast at T1, broadcast at T2, new lease each time", T, () => {
  const lab = relayLab().run(10);
  expect(lab.client.state).toBe("BOUND");
  lab.run(300); // T1 = 300 s (lease 600)
  const renew = hopTable(lab).filter((r) => r.msg === "REQUEST" && r.srcIp === "10.0.1.100");
  expect(
    renew.length >= 1 && renew[0]!.dstIp === "10.0.2.10",
    "RENEWING sends to the server identifier, unicast",
  ).toBeTruthy();
  const seq = lab.client.history.map((h) => h.to).join(",");
  expect(seq, "the renewal is ACKed by the server (no NAK, no restart)").toBe(
    "SELECTING,REQUESTING,BOUND,RENEWING,BOUND",
  );
  const big = pxeLab({ fix: true }).run(700);
  expect(big.client.history.map((h) => h.to).join(","), "renewals through three firewalls").toBe(
    "SELECTING,REQUESTING,BOUND,RENEWING,BOUND,RENEWING,BOUND",
  );
  // server down: RENEWING → REBINDING → INIT
  const l2 = directLab().run(5);
  l2.server.receive = () => {};
  l2.run(700);
  const states = l2.client.history.map((h) => h.to);
  expect(
    states.includes("RENEWING") && states.includes("REBINDING") && states.at(-1) === "SELECTING",
    states.join(","),
  ).toBeTruthy();
  expect(() => makeLab("nope")).toThrow(/unknown lab scenario/);
});

const tshark = oracle("tshark", ["tshark", "--version"], "apt-get install tshark");
it(
  "every exported lab pcap decodes in tshark as DHCP with good checksums, field for field",
  { ...T, timeout: 60000 },
  (ctx) => {
    if (tshark) ctx.skip(tshark);
    const dir = mkdtempSync(path.join(tmpdir(), "wldhcp-pcap-"));
    try {
      const labs = [
        pxeLab(),
        pxeLab({ fix: true }),
        directLab(),
        relayLab(),
        relayLab({ serverMode: "targeted" }),
        relayLab({
          relayConfig: "dhcprelay server 10.0.2.100 up0\ndhcprelay enable lan0\ndhcprelay information insert\n",
        }),
      ];
      for (const [i, lab] of labs.entries()) {
        lab.run(40);
        const bytes = lab.pcap();
        const f = path.join(dir, `lab${i}.pcap`);
        writeFileSync(f, bytes);
        const layers = tsharkJson(f);
        expect(
          layers.every((l) => l.dhcp),
          `lab ${i}: every packet is DHCP for tshark`,
        ).toBeTruthy();
        const cmp = compareWithTshark(bytes, layers);
        expect(cmp.mismatches, `lab ${i} (${lab.name})`).toStrictEqual([]);
        expect(cmp.checked > 3).toBeTruthy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

void BROKEN_RELAY_CONFIG;

it("packet-tracer dry run: the asa drops the OFFER from .11 until it is a configured server", T, () => {
  const offer = { input: "EGRESS", src: "10.20.30.11", sport: 67, dst: "10.94.240.1", dport: 67 };
  const broken = packetTracer(pxeLab().run(5), "asa", offer);
  expect(broken.action).toBe("drop");
  expect(broken.phases.at(-1)!.detail).toMatch(/acl-drop.*10\.20\.30\.11 is not a configured dhcprelay server/);
  expect(packetTracer(pxeLab({ fix: true }), "asa", offer).action).toBe("allow");
  expect(packetTracer(pxeLab(), "asa", { ...offer, src: "10.20.30.10" }).action, "the VIP is accepted").toBe("allow");
  const palo = packetTracer(pxeLab().run(5), "palo", { ...offer, input: "ethernet1/1" });
  expect(palo.phases.map((x) => x.type).join(",")).toMatch(/FLOW-LOOKUP/);
  const forti = packetTracer(pxeLab({ fix: true, fortiDeny: true }), "forti", { ...offer, input: "port2" });
  expect([forti.action, forti.phases.at(-1)!.detail]).toStrictEqual(["drop", "rule block-bootp: deny"]);
  expect(packetTracer(pxeLab(), "asa", { ...offer, input: "nope" }).action).toBe("drop");
  expect(() => packetTracer(pxeLab(), "cisco", offer)).toThrow(/no such gateway/);
});

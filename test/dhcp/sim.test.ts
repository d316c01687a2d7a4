import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildOptions, fieldsOf, makeDhcp, type DhcpPacket } from "../../src/dhcp/packet";
import { relayRequest, relayReply, parseRelayConfig, defaultRelayConfig, checkRelayFields } from "../../src/dhcp/relay";
import { answer, LeaseDb } from "../../src/dhcp/server";
import { FirewallModel } from "../../src/dhcp/firewall";
import { pxeLab, relayLab, directLab, makeLab, packetTracer, BROKEN_RELAY_CONFIG, FIXED_RELAY_CONFIG } from "../../src/dhcp/lab";
import { hopTable, dropSummary, firstExchange } from "../../src/dhcp/trace";
import { ladderView, hopView } from "../../src/dhcp/views";
import { ParseError } from "../../src/util/errors";
import { oracle } from "../helpers/oracle";
import { tsharkJson, compareWithTshark } from "./tshark";

const T = { timeout: 20000 };
const MAC = "6c:2b:59:c1:32:73";
const req = (p: Partial<DhcpPacket> = {}, mt: "DISCOVER" | "REQUEST" = "DISCOVER") => makeDhcp({ op: 1, xid: 7, chaddr: MAC, options: buildOptions({ messageType: mt }), ...p });
const rx = { name: "inside", ip: "10.94.240.1" };

test("relay: giaddr set when zero, hops incremented, sent to every server", T, () => {
  const cfg = defaultRelayConfig(["10.20.30.10", "10.20.30.11"], ["inside"]);
  const d = relayRequest(req(), cfg, rx);
  assert.equal(d.action, "forward");
  if (d.action !== "forward") return;
  assert.equal(d.packet.giaddr, "10.94.240.1"); assert.equal(d.packet.hops, 1);
  assert.deepEqual(d.to, ["10.20.30.10", "10.20.30.11"]);
  // a second relay keeps the first relay's giaddr
  const d2 = relayRequest(d.packet, { ...cfg, enabled: ["inside"] }, { name: "inside", ip: "10.0.0.1" });
  assert.ok(d2.action === "forward" && d2.packet.giaddr === "10.94.240.1" && d2.packet.hops === 2);
});

test("relay: hops cap, disabled interface, option 82 insert and untrusted 82", T, () => {
  const cfg = { ...defaultRelayConfig(["10.20.30.10"], ["inside"]), maxHops: 4 };
  assert.match((relayRequest(req({ hops: 4 }), cfg, rx) as { reason: string }).reason, /hops 4 \+ 1 exceeds the limit 4/);
  assert.equal(relayRequest(req({ hops: 3 }), cfg, rx).action, "forward");
  assert.match((relayRequest(req(), cfg, { name: "dmz", ip: "10.9.9.1" }) as { reason: string }).reason, /not enabled on dmz/);
  // As ISC dhcrelay -a: circuit-id = the interface name, no remote-id unless one is configured.
  const with82 = relayRequest(req(), { ...cfg, option82: true }, rx);
  assert.ok(with82.action === "forward");
  if (with82.action === "forward") assert.deepEqual(fieldsOf(with82.packet).relayAgent, { circuitId: Buffer.from("inside").toString("hex") });
  const withRid = relayRequest(req(), { ...cfg, option82: true, remoteId: "asa-1" }, rx);
  if (withRid.action === "forward") assert.deepEqual(fieldsOf(withRid.packet).relayAgent, { circuitId: Buffer.from("inside").toString("hex"), remoteId: Buffer.from("asa-1").toString("hex") });
  else assert.fail("forwarded");
  assert.match((relayRequest(req({ giaddr: "127.0.0.1", hops: 1 }), cfg, rx) as { reason: string }).reason, /giaddr is not a unicast host address.*127\.0\.0\.1.*byte offset 24/);
  assert.match((relayRequest(req({ giaddr: "239.1.1.1", hops: 1 }), cfg, rx) as { reason: string }).reason, /byte offset 24/);
  assert.throws(() => checkRelayFields(req({ hops: 17 })), /hops 17 is above the relay limit 16.*byte offset 3/);
  const spoof = req({ options: buildOptions({ messageType: "DISCOVER", relayAgent: { circuitId: "01" } }) });
  assert.match((relayRequest(spoof, cfg, rx) as { reason: string }).reason, /option 82 present with giaddr 0/);
});

test("relay replies: source check, option 82 stripped, broadcast vs unicast delivery", T, () => {
  const cfg = { ...defaultRelayConfig(["10.20.30.10"], ["inside"]), acceptOnlyFromServers: true };
  const ifaces = [rx, { name: "EGRESS", ip: "10.0.3.1" }];
  const offer = (flags: number) => makeDhcp({ op: 2, xid: 7, chaddr: MAC, yiaddr: "10.94.240.100", giaddr: "10.94.240.1", flags, options: buildOptions({ messageType: "OFFER", serverId: "10.20.30.11", relayAgent: { circuitId: "01" } }) });
  const dropped = relayReply(offer(0), "10.20.30.11", cfg, ifaces);
  assert.equal(dropped.action, "drop");
  assert.match((dropped as { reason: string }).reason, /10\.20\.30\.11, which is not a configured server/);
  const open = { ...cfg, acceptOnlyFromServers: false };
  const uni = relayReply(offer(0), "10.20.30.11", open, ifaces);
  assert.ok(uni.action === "deliver" && !uni.broadcast && uni.dstIp === "10.94.240.100" && uni.dstMac === MAC && uni.iface === "inside");
  if (uni.action === "deliver") assert.equal(fieldsOf(uni.packet).relayAgent, undefined, "option 82 is stripped");
  const bc = relayReply(offer(0x8000), "10.20.30.11", open, ifaces);
  assert.ok(bc.action === "deliver" && bc.broadcast && bc.dstIp === "255.255.255.255");
  const wrongGi = relayReply({ ...offer(0), giaddr: "10.1.1.1" }, "10.20.30.10", cfg, ifaces);
  assert.match((wrongGi as { reason: string }).reason, /giaddr 10.1.1.1 is not an address of this relay/);
});

test("relay config parser: every line understood or an error with file:line:column", T, () => {
  const c = parseRelayConfig(FIXED_RELAY_CONFIG + "dhcprelay information insert\ndhcprelay max-hops 4\n");
  assert.deepEqual(c.servers.map((s) => s.ip), ["10.20.30.10", "10.20.30.11"]);
  assert.deepEqual(c.enabled, ["SERVERS-ZONE"]); assert.equal(c.timeout, 60); assert.equal(c.option82, true); assert.equal(c.maxHops, 4);
  assert.throws(() => parseRelayConfig("dhcprelay enable X\ndhcprelay server 10.20.30.300 EGRESS\n", "relay.conf"), (e: unknown) => e instanceof ParseError && /not an IPv4 address.*relay.conf:2:18/.test((e as Error).message));
  assert.throws(() => parseRelayConfig("  dhcprelay setroute inside\n", "r.conf"), /unsupported dhcprelay command.*r.conf:1:13/);
  assert.throws(() => parseRelayConfig("ip helper-address 10.0.0.1\n", "r.conf"), /unknown configuration line.*r.conf:1:1/);
  assert.throws(() => parseRelayConfig("dhcprelay server 10.0.0.1\n"), /missing interface name/);
  assert.throws(() => parseRelayConfig("dhcprelay timeout 0\n"), /integer 1..3600/);
});

test("server: pool by giaddr, OFFER then ACK, NAK for a wrong address, other server's REQUEST", T, () => {
  const db = new LeaseDb([{ subnet: "10.94.240.0/24", start: "10.94.240.100", end: "10.94.240.101", routers: ["10.94.240.1"] }]);
  const cfg = { pools: db.pools, leaseTime: 600 };
  const o = answer(req({ giaddr: "10.94.240.1", hops: 1 }), db, cfg, "10.20.30.11", "10.20.30.11", 0)!;
  assert.equal(o.reply!.yiaddr, "10.94.240.100"); assert.equal(o.dstIp, "10.94.240.1"); assert.equal(o.dstPort, 67);
  assert.equal(fieldsOf(o.reply!).subnetMask, "255.255.255.0");
  const r = (ip: string, sid = "10.20.30.11") => req({ giaddr: "10.94.240.1", options: buildOptions({ messageType: "REQUEST", requestedIp: ip, serverId: sid }) }, "REQUEST");
  const ack = answer(r("10.94.240.100"), db, cfg, "10.20.30.11", "10.20.30.11", 1)!;
  assert.equal(fieldsOf(ack.reply!).messageType, "ACK"); assert.equal(db.byMac.get(MAC)!.state, "bound");
  const nak = answer(r("10.94.240.101"), db, cfg, "10.20.30.11", "10.20.30.11", 2)!;
  assert.equal(fieldsOf(nak.reply!).messageType, "NAK"); assert.equal(nak.reply!.flags & 0x8000, 0x8000, "NAK via a relay sets the broadcast bit");
  assert.equal(answer(r("10.94.240.100", "10.9.9.9"), db, cfg, "10.20.30.11", "10.20.30.11", 3)!.reply, undefined);
  // direct (no relay): broadcast flag decides
  const db2 = new LeaseDb([{ subnet: "192.168.1.0/24", start: "192.168.1.10", end: "192.168.1.20" }]);
  assert.equal(answer(req(), db2, { pools: db2.pools }, "192.168.1.1", "192.168.1.1", 0)!.dstMac, MAC);
  assert.equal(answer(req({ flags: 0x8000, chaddr: "00:00:00:00:00:02" }), db2, { pools: db2.pools }, "192.168.1.1", "192.168.1.1", 0)!.dstIp, "255.255.255.255");
  // pool exhaustion
  const db3 = new LeaseDb([{ subnet: "10.0.0.0/30", start: "10.0.0.2", end: "10.0.0.2" }]);
  answer(req(), db3, { pools: db3.pools }, "10.0.0.1", "10.0.0.1", 0);
  assert.match(answer(req({ chaddr: "00:00:00:00:00:09" }), db3, { pools: db3.pools }, "10.0.0.1", "10.0.0.1", 0)!.note, /exhausted/);
});

test("firewall: offloaded sessions vanish from capture and GUI until they end or are cleared", T, () => {
  const fw = new FirewallModel("palo", { udpTimeout: 60, offload: true, firstSessionId: 135493 });
  const t = { proto: "udp" as const, src: "10.0.3.1", sport: 67, dst: "10.20.30.10", dport: 67 };
  fw.capturing = true;
  assert.equal(fw.inspect(t, "a", "b", 0).path, "slow");
  for (let i = 1; i <= 10; i++) assert.equal(fw.inspect(t, "a", "b", i * 20).path, "fast");
  assert.equal(fw.capture.length, 1, "only the first packet reached the control-plane capture");
  assert.deepEqual(fw.guiView(200), [], "a live UDP session is never logged");
  const s = fw.sessionTable(200);
  assert.equal(s.length, 1); assert.equal(s[0]!.id, 135493); assert.equal(s[0]!.packets.org, 11); assert.ok(s[0]!.offloaded);
  assert.equal(fw.clearSession(200, 135493), 1);
  assert.equal(fw.guiView(200).length, 1);
  assert.equal(fw.inspect(t, "a", "b", 201).path, "slow", "after clear session the next packet is seen again");
  assert.equal(fw.capture.length, 2);
  fw.inspect(t, "a", "b", 400);
  assert.match(fw.guiView(400).at(-1)!.what, /aged-out/);
  const deny = new FirewallModel("f", { policy: [{ name: "no-bootp", dport: 67, action: "deny" }, { action: "allow" }] });
  assert.equal(deny.inspect(t, "a", "b", 0).action, "drop");
  assert.equal(deny.inspect({ ...t, dport: 68 }, "a", "b", 0).action, "allow");
  assert.equal(new FirewallModel("x", { policy: [] }).inspect(t, "a", "b", 0).reason, "denied by policy (implicit deny)");
});

test("client: retransmission back-off 4, 8, 16 … s (±1 s) and restart after maxAttempts", T, () => {
  const lab = pxeLab(); // the broken one: no OFFER ever reaches the client
  lab.run(200);
  const sent = lab.frames("pxe-lan").filter((f) => f.from === "pxe").map((f) => f.t);
  const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
  for (const [i, want] of [4, 8, 16].entries()) assert.ok(Math.abs(gaps[i]! - want) <= 1, `gap ${i}: ${gaps[i]} vs ${want}±1`);
  assert.ok(lab.client.history.some((h) => /no answer after 4 transmissions/.test(h.why)));
  assert.equal(lab.client.state, "SELECTING");
});

test("the PXE lab: the ASA relay drops every OFFER from the physical address; the fix ends BOUND", T, () => {
  const broken = pxeLab().run(120);
  assert.notEqual(broken.client.state, "BOUND");
  const ds = dropSummary(broken);
  assert.equal(ds.length, 1);
  assert.equal(ds[0]!.device, "asa"); assert.equal(ds[0]!.msg, "OFFER");
  assert.match(ds[0]!.reason, /10\.20\.30\.11, which is not a configured server/);
  // the server keeps answering
  assert.ok(broken.net.events.filter((e) => e.node === "dhcp1" && /DHCPDISCOVER/.test(e.text)).length >= 5);
  // both NGFWs show nothing in their GUI, yet hold the sessions
  assert.deepEqual(broken.gui("palo"), []); assert.deepEqual(broken.gui("forti"), []);
  assert.ok(broken.sessions("palo").every((s) => s.offloaded));
  assert.ok(broken.sessions("palo").some((s) => s.tuple.src === "10.20.30.11" && s.tuple.dst === "10.94.240.1"));
  // capture on palo shows nothing until the session is cleared
  broken.startCapture("palo");
  broken.run(40);
  assert.equal(broken.capture("palo").length, 0);
  assert.ok(broken.clear("palo") >= 1);
  broken.run(40);
  assert.ok(broken.capture("palo").some((c) => /OFFER/.test(c.summary)), "after clear session the capture shows the OFFER");

  const fixed = pxeLab({ fix: true }).run(30);
  assert.equal(fixed.client.state, "BOUND");
  assert.equal(fixed.client.binding!.ip, "10.94.240.100");
  assert.equal(fixed.client.binding!.bootfile, "pxelinux.0");
  assert.deepEqual(dropSummary(fixed), []);
  // the Kea-style server (replies from the VIP) works even with the broken relay config
  assert.equal(pxeLab({ serverMode: "targeted" }).run(30).client.state, "BOUND");
});

test("per-hop addresses: relay sends from its upstream address, server replies to giaddr", T, () => {
  const rows = firstExchange(hopTable(pxeLab({ fix: true }).run(2)));
  const d = rows.filter((r) => r.msg === "DISCOVER").map((r) => [r.segment, r.srcIp, r.srcPort, r.dstIp, r.dstPort, r.giaddr, r.hops]);
  assert.deepEqual(d.slice(0, 2), [["pxe-lan", "0.0.0.0", 68, "255.255.255.255", 67, "0.0.0.0", 0], ["asa-forti", "10.0.3.1", 67, "10.20.30.10", 67, "10.94.240.1", 1]]);
  const offer = rows.find((r) => r.msg === "OFFER" && r.segment === "dc")!;
  assert.deepEqual([offer.srcIp, offer.dstIp, offer.dstPort], ["10.20.30.11", "10.94.240.1", 67]);
  const last = rows.filter((r) => r.msg === "ACK" && r.segment === "pxe-lan")[0]!;
  assert.deepEqual([last.srcIp, last.srcPort, last.dstIp, last.dstPort], ["10.94.240.1", 67, "255.255.255.255", 68]);
  assert.match(ladderView(pxeLab().run(1)).text, /OFFER \(dropped\)/);
  assert.ok(hopView(pxeLab().run(1)).rows.length > 5);
});

test("renew and rebind: unicast at T1, broadcast at T2, new lease each time", T, () => {
  const lab = relayLab().run(10);
  assert.equal(lab.client.state, "BOUND");
  lab.run(300); // T1 = 300 s (lease 600)
  const renew = hopTable(lab).filter((r) => r.msg === "REQUEST" && r.srcIp === "10.0.1.100");
  assert.ok(renew.length >= 1 && renew[0]!.dstIp === "10.0.2.10", "RENEWING sends to the server identifier, unicast");
  const seq = lab.client.history.map((h) => h.to).join(",");
  assert.equal(seq, "SELECTING,REQUESTING,BOUND,RENEWING,BOUND", "the renewal is ACKed by the server (no NAK, no restart)");
  const big = pxeLab({ fix: true }).run(700);
  assert.equal(big.client.history.map((h) => h.to).join(","), "SELECTING,REQUESTING,BOUND,RENEWING,BOUND,RENEWING,BOUND", "renewals through three firewalls");
  // server down: RENEWING → REBINDING → INIT
  const l2 = directLab().run(5);
  l2.server.receive = () => {};
  l2.run(700);
  const states = l2.client.history.map((h) => h.to);
  assert.ok(states.includes("RENEWING") && states.includes("REBINDING") && states.at(-1) === "SELECTING", states.join(","));
  assert.throws(() => makeLab("nope"), /unknown lab scenario/);
});

const tshark = oracle("tshark", ["tshark", "--version"], "apt-get install tshark");
test("every exported lab pcap decodes in tshark as DHCP with good checksums, field for field", { ...T, timeout: 60000, skip: tshark }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "wldhcp-pcap-"));
  try {
    const labs = [pxeLab(), pxeLab({ fix: true }), directLab(), relayLab(), relayLab({ serverMode: "targeted" }),
      relayLab({ relayConfig: "dhcprelay server 10.0.2.100 up0\ndhcprelay enable lan0\ndhcprelay information insert\n" })];
    for (const [i, lab] of labs.entries()) {
      lab.run(40);
      const bytes = lab.pcap();
      const f = path.join(dir, `lab${i}.pcap`);
      writeFileSync(f, bytes);
      const layers = tsharkJson(f);
      assert.ok(layers.every((l) => l.dhcp), `lab ${i}: every packet is DHCP for tshark`);
      const cmp = compareWithTshark(bytes, layers);
      assert.deepEqual(cmp.mismatches, [], `lab ${i} (${lab.name})`);
      assert.ok(cmp.checked > 3);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void BROKEN_RELAY_CONFIG;

test("packet-tracer dry run: the asa drops the OFFER from .11 until it is a configured server", T, () => {
  const offer = { input: "EGRESS", src: "10.20.30.11", sport: 67, dst: "10.94.240.1", dport: 67 };
  const broken = packetTracer(pxeLab().run(5), "asa", offer);
  assert.equal(broken.action, "drop");
  assert.match(broken.phases.at(-1)!.detail, /acl-drop.*10\.20\.30\.11 is not a configured dhcprelay server/);
  assert.equal(packetTracer(pxeLab({ fix: true }), "asa", offer).action, "allow");
  assert.equal(packetTracer(pxeLab(), "asa", { ...offer, src: "10.20.30.10" }).action, "allow", "the VIP is accepted");
  const palo = packetTracer(pxeLab().run(5), "palo", { ...offer, input: "ethernet1/1" });
  assert.match(palo.phases.map((x) => x.type).join(","), /FLOW-LOOKUP/);
  const forti = packetTracer(pxeLab({ fix: true, fortiDeny: true }), "forti", { ...offer, input: "port2" });
  assert.deepEqual([forti.action, forti.phases.at(-1)!.detail], ["drop", "rule block-bootp: deny"]);
  assert.equal(packetTracer(pxeLab(), "asa", { ...offer, input: "nope" }).action, "drop");
  assert.throws(() => packetTracer(pxeLab(), "cisco", offer), /no such gateway/);
});

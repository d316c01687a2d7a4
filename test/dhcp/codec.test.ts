import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildOptions, decodeDhcp, encodeDhcp, fieldsOf, makeDhcp, describe as describeDhcp, type DhcpPacket,
} from "../../src/dhcp/packet";
import { decodeFrame, encodeFrame, onesSum } from "../../src/dhcp/frame";
import { readPcap, writePcap } from "../../src/dhcp/pcap";
import { decodeInput } from "../../src/dhcp/decode";
import { bytesToHex, hexToBytes } from "../../src/dhcp/addr";
import { ParseError, UnsupportedError, InputError } from "../../src/util/errors";

const T = { timeout: 10000 };

function discover(extra: Partial<DhcpPacket> = {}): DhcpPacket {
  return makeDhcp({
    op: 1, xid: 0x2d5c0ff1, flags: 0x8000, chaddr: "6c:2b:59:c1:32:73",
    options: buildOptions({ messageType: "DISCOVER", maxMessageSize: 1260, vendorClassId: "PXEClient:Arch:00000:UNDI:002001", clientId: "016c2b59c13273", paramRequestList: [1, 3, 6, 12, 66, 67], hostName: "pxe1" }),
    ...extra,
  });
}

/** Offset of the first option with `code` in an encoded message (walking the TLVs). */
function optAt(b: Uint8Array, code: number): number {
  for (let i = 240; i < b.length;) {
    if (b[i] === code) return i;
    if (b[i] === 0) { i++; continue; }
    if (b[i] === 255) break;
    i += 2 + b[i + 1]!;
  }
  throw new Error(`no option ${code}`);
}

function offsetOf(fn: () => unknown): number | undefined {
  try { fn(); } catch (e) {
    assert.ok(e instanceof ParseError || e instanceof UnsupportedError, `expected a typed error, got ${e}`);
    return (e as ParseError).details.location?.offset;
  }
  assert.fail("expected an error");
}

test("DISCOVER round-trips through bytes with every field and option", T, () => {
  const p = discover({ secs: 4, hops: 0, ciaddr: "0.0.0.0", siaddr: "10.20.30.20", sname: "boot-server", file: "pxelinux.0" });
  const b = encodeDhcp(p);
  assert.equal(b.length, 240 + 3 + 4 + 34 + 9 + 8 + 6 + 1, "fixed part + cookie + options + end");
  assert.equal(encodeDhcp(makeDhcp({ options: buildOptions({ messageType: "DISCOVER" }) })).length, 300, "small messages are padded to the BOOTP minimum of 300 bytes");
  assert.equal(bytesToHex(b.subarray(236, 240)), "63825363");
  const d = decodeDhcp(b);
  assert.equal(d.xid, 0x2d5c0ff1); assert.equal(d.flags, 0x8000); assert.equal(d.chaddr, "6c:2b:59:c1:32:73");
  assert.equal(d.sname, "boot-server"); assert.equal(d.file, "pxelinux.0"); assert.equal(d.siaddr, "10.20.30.20");
  const f = fieldsOf(d);
  assert.deepEqual(f, {
    messageType: "DISCOVER", maxMessageSize: 1260, vendorClassId: "PXEClient:Arch:00000:UNDI:002001", clientId: "016c2b59c13273",
    paramRequestList: [1, 3, 6, 12, 66, 67], hostName: "pxe1",
  });
  assert.equal(d.options[0]!.offset, 240, "message type is the first option, right after the cookie");
  assert.deepEqual(encodeDhcp(d), b, "re-encoding the decoded packet gives the same bytes");
});

test("server options: 1, 3, 6, 51, 54, 58, 59, 66, 67 and option 82 sub-options 1 and 2", T, () => {
  const opts = buildOptions({ messageType: "OFFER", serverId: "10.20.30.11", leaseTime: 600, renewalTime: 300, rebindingTime: 525, subnetMask: "255.255.255.0", routers: ["10.94.240.1"], dnsServers: ["10.20.30.53", "10.20.30.54"], tftpServer: "10.20.30.20", bootfile: "pxelinux.0", requestedIp: "10.94.240.100", relayAgent: { circuitId: "4547524553", remoteId: "617361" } });
  const d = decodeDhcp(encodeDhcp(makeDhcp({ op: 2, yiaddr: "10.94.240.100", giaddr: "10.94.240.1", hops: 1, chaddr: "6c:2b:59:c1:32:73", options: opts })));
  const f = fieldsOf(d);
  assert.equal(f.serverId, "10.20.30.11"); assert.equal(f.leaseTime, 600); assert.equal(f.renewalTime, 300); assert.equal(f.rebindingTime, 525);
  assert.deepEqual(f.dnsServers, ["10.20.30.53", "10.20.30.54"]); assert.deepEqual(f.routers, ["10.94.240.1"]);
  assert.equal(f.tftpServer, "10.20.30.20"); assert.equal(f.bootfile, "pxelinux.0"); assert.equal(f.requestedIp, "10.94.240.100");
  assert.deepEqual(f.relayAgent, { circuitId: "4547524553", remoteId: "617361" });
  assert.match(describeDhcp(d), /OFFER xid=0x00000000 chaddr=6c:2b:59:c1:32:73 yiaddr=10.94.240.100 giaddr=10.94.240.1 hops=1/);
});

test("overload (option 52): options continue in file, then sname", T, () => {
  const b = new Uint8Array(300);
  b.set(encodeDhcp(makeDhcp({ op: 2, chaddr: "00:11:22:33:44:55" })).subarray(0, 240));
  let i = 240;
  for (const x of [53, 1, 5, 52, 1, 3, 255]) b[i++] = x;
  b.set([67, 4, ...Buffer.from("boot"), 255], 108); // file field
  b.set([12, 2, ...Buffer.from("sv"), 255], 44); // sname field
  const d = decodeDhcp(b);
  assert.equal(d.file, ""); assert.equal(d.sname, "");
  const f = fieldsOf(d);
  assert.equal(f.messageType, "ACK"); assert.equal(f.bootfile, "boot"); assert.equal(f.hostName, "sv");
  assert.equal(d.options.find((o) => o.code === 67)!.offset, 108);
  // overload announced but the file field lacks an end option
  b.fill(0, 108, 236); b[108] = 67; b[109] = 2; b[110] = 65; b[111] = 66;
  assert.equal(offsetOf(() => decodeDhcp(b)), 236);
});

test("RFC 3396: an option split in two is concatenated; long options are split on encode", T, () => {
  const host = "h".repeat(300);
  const b = encodeDhcp(makeDhcp({ options: buildOptions({ messageType: "REQUEST", hostName: host }) }));
  const at = optAt(b, 12);
  assert.equal(b[at + 1], 255, "first fragment carries 255 bytes");
  assert.equal(fieldsOf(decodeDhcp(b)).hostName, host);
});

test("strict validation gives typed errors with byte offsets", T, () => {
  const good = encodeDhcp(discover());
  // truncated
  assert.equal(offsetOf(() => decodeDhcp(good.subarray(0, 100))), 100);
  // op
  const op = good.slice(); op[0] = 3;
  assert.equal(offsetOf(() => decodeDhcp(op)), 0);
  // hlen
  const hl = good.slice(); hl[2] = 17;
  assert.equal(offsetOf(() => decodeDhcp(hl)), 2);
  // magic cookie
  const ck = good.slice(); ck[237] = 0;
  assert.equal(offsetOf(() => decodeDhcp(ck)), 236);
  // option runs past the end: message type option with a huge length, at the very end
  const past = good.slice(0, 245); past[240] = 53; past[241] = 1; past[242] = 1; past[243] = 12; past[244] = 9;
  const e = offsetOf(() => decodeDhcp(past));
  assert.equal(e, 244, "the offset of the bad length byte");
  // missing end option
  const noEnd = good.slice(); const end = noEnd.lastIndexOf(255); noEnd[end] = 0;
  assert.equal(offsetOf(() => decodeDhcp(noEnd)), noEnd.length);
  // known option with a wrong length (server-id of 3 bytes)
  const sid = encodeDhcp(makeDhcp({ options: [{ code: 53, data: new Uint8Array([2]) }, { code: 54, data: new Uint8Array([10, 0, 0, 1]) }] }));
  const at = optAt(sid, 54); sid[at + 1] = 3; sid[at + 5] = 255; // shrink, keep TLV chain valid
  sid.fill(0, at + 6);
  sid[at + 5] = 255;
  assert.equal(offsetOf(() => decodeDhcp(sid)), at + 1);
  // message type out of range
  const mt = good.slice(); mt[242] = 9;
  assert.equal(offsetOf(() => decodeDhcp(mt)), 242);
  // option 82 sub-option running past option 82
  const ra = encodeDhcp(makeDhcp({ options: buildOptions({ messageType: "DISCOVER", relayAgent: { circuitId: "01", remoteId: "0203" } }) }));
  const r = optAt(ra, 82); ra[r + 2 + 1] = 9; // circuit-id length 9 inside an 7-byte option
  assert.equal(offsetOf(() => decodeDhcp(ra)), r + 3);
  // garbage after end
  const tail = good.slice(); tail[tail.length - 1] = 7;
  assert.equal(offsetOf(() => decodeDhcp(tail)), tail.length - 1);
  // the message names the problem
  assert.throws(() => decodeDhcp(ck), /bad magic cookie.*byte offset 236/);
});

test("encoder refuses impossible values with InputError naming the field", T, () => {
  assert.throws(() => encodeDhcp(discover({ hops: 256 })), (e: unknown) => e instanceof InputError && /hops/.test((e as Error).message));
  assert.throws(() => encodeDhcp(discover({ giaddr: "10.0.0.300" })), /giaddr/);
  assert.throws(() => buildOptions({ messageType: "HELLO" as never }), /unknown DHCP message type/);
});

test("Ethernet/IPv4/UDP framing: checksums are right and verified", T, () => {
  const payload = encodeDhcp(discover());
  const fr = encodeFrame({ srcMac: "6c:2b:59:c1:32:73", dstMac: "ff:ff:ff:ff:ff:ff", srcIp: "0.0.0.0", dstIp: "255.255.255.255", srcPort: 68, dstPort: 67, payload });
  assert.equal(fr.length, 14 + 20 + 8 + payload.length);
  assert.equal(onesSum(fr, 14, 20), 0xffff, "IPv4 header sums to 0xffff");
  const d = decodeFrame(fr);
  assert.deepEqual([d.srcIp, d.dstIp, d.srcPort, d.dstPort, d.payloadOffset, d.checksums.udp], ["0.0.0.0", "255.255.255.255", 68, 67, 42, "good"]);
  const bad = fr.slice(); bad[100] ^= 1;
  // A wrong checksum is decoded and marked (checksum offload on the capturing host); strict refuses.
  assert.equal(decodeFrame(bad).checksums.udp, "bad");
  assert.match(decodeFrame(bad).checksumNote!, /UDP checksum 0x[0-9a-f]{4} is wrong \(should be 0x[0-9a-f]{4}, byte offset 40\).*offload.*ethtool -K DEV tx off/);
  assert.throws(() => decodeFrame(bad, 1, { strict: true }), /bad UDP checksum.*byte offset 40/);
  const badIp = fr.slice(); badIp[22] ^= 1; // TTL
  assert.equal(decodeFrame(badIp).checksums.ip, "bad");
  const should = Number(/IPv4 header checksum 0x[0-9a-f]{4} is wrong \(should be (0x[0-9a-f]{4}), byte offset 24\)/.exec(decodeFrame(badIp).checksumNote!)![1]);
  const fixed = badIp.slice(); fixed[24] = should >> 8; fixed[25] = should & 255;
  assert.equal(onesSum(fixed, 14, 20), 0xffff, "the checksum the note suggests is the right one");
  assert.throws(() => decodeFrame(badIp, 1, { strict: true }), /bad IPv4 header checksum/);
  const noCk = fr.slice(); noCk[40] = 0; noCk[41] = 0;
  assert.equal(decodeFrame(noCk).checksums.udp, "none", "UDP checksum 0 means not computed");
  const vlan = fr.slice(); vlan[12] = 0x81; vlan[13] = 0;
  assert.throws(() => decodeFrame(vlan), UnsupportedError);
  assert.throws(() => decodeFrame(fr.subarray(0, 30)), /truncated IPv4 header/);
  // DHCP error offsets are shifted into the frame
  const badDhcp = encodeFrame({ srcMac: "6c:2b:59:c1:32:73", dstMac: "ff:ff:ff:ff:ff:ff", srcIp: "0.0.0.0", dstIp: "255.255.255.255", srcPort: 68, dstPort: 67, payload: payload.map((x, i) => (i === 237 ? 0 : x)) });
  assert.throws(() => decodeInput(badDhcp), /byte offset 278/);
});

test("pcap write/read round trip; damaged files and packets are reported with offsets", T, () => {
  const fr = encodeFrame({ srcMac: "02:00:00:00:00:01", dstMac: "02:00:00:00:00:02", srcIp: "10.0.3.1", dstIp: "10.20.30.10", srcPort: 67, dstPort: 67, payload: encodeDhcp(discover({ giaddr: "10.94.240.1", hops: 1 })) });
  const pc = writePcap([{ time: 1.5, data: fr }, { time: 2.25, data: fr }]);
  const r = readPcap(pc);
  assert.equal(r.linktype, 1); assert.equal(r.packets.length, 2); assert.equal(r.packets[1]!.time, 2.25);
  assert.deepEqual(r.packets[0]!.data, fr);
  const recs = decodeInput(pc).records;
  assert.equal(recs[0]!.dhcp!.giaddr, "10.94.240.1");
  assert.throws(() => readPcap(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, ...new Array(24).fill(0)])), /pcapng section header: bad byte-order magic.*byte offset 8/);
  assert.throws(() => readPcap(pc.subarray(0, pc.length - 3)), /runs past the end of the file/);
  // a broken packet inside a pcap is reported with its number, the rest still decodes
  const broken = fr.slice(); broken[42 + 237] = 0;
  const mixed = decodeInput(writePcap([{ time: 0, data: fr }, { time: 1, data: broken }]));
  assert.equal(mixed.records.length, 2);
  assert.match(mixed.records[1]!.error!, /packet 2 .*bad magic cookie/);
  // ARP and TCP frames are not DHCP: skipped; a VLAN-tagged frame is reported as unsupported
  const arp = fr.slice(); arp[12] = 0x08; arp[13] = 0x06;
  const tcp = fr.slice(); tcp[23] = 6; tcp[24] = 0; tcp[25] = 0;
  const ck = ~onesSum(tcp, 14, 20) & 0xffff; tcp[24] = ck >> 8; tcp[25] = ck & 255;
  const vlan = new Uint8Array(fr.length + 4); vlan.set(fr.subarray(0, 12)); vlan.set([0x81, 0x00, 0x00, 0x0a], 12); vlan.set(fr.subarray(12), 16);
  const frag = fr.slice(); frag[20] = 0x20; // more fragments
  const all = decodeInput(writePcap([{ time: 0, data: arp }, { time: 1, data: tcp }, { time: 2, data: fr }, { time: 3, data: vlan }, { time: 4, data: frag }]));
  assert.equal(all.skipped, 2, "ARP and TCP are counted as skipped");
  assert.deepEqual(all.records.map((r) => [r.number, r.error === undefined]), [[3, true], [4, true], [5, false]]);
  assert.deepEqual(all.records[1]!.eth!.vlans, [10], "802.1Q tag read");
  assert.match(all.records[2]!.error!, /fragments are not reassembled/);
});

test("hex input: a DHCP message or a frame", T, () => {
  const p = encodeDhcp(discover());
  assert.equal(decodeInput(bytesToHex(p)).records[0]!.fields!.messageType, "DISCOVER");
  assert.equal(decodeInput(bytesToHex(p)).kind, "dhcp");
  assert.throws(() => hexToBytes("01 02 0g"), /not a hex digit/);
});

test("Linux cooked captures (tcpdump -i any, link types 113 and 276) decode too", T, () => {
  const fr = encodeFrame({ srcMac: "6c:2b:59:c1:32:73", dstMac: "ff:ff:ff:ff:ff:ff", srcIp: "0.0.0.0", dstIp: "255.255.255.255", srcPort: 68, dstPort: 67, payload: encodeDhcp(discover()) });
  const ipPart = fr.subarray(14);
  const sll = new Uint8Array(16 + ipPart.length);
  sll.set([0, 1, 0, 1, 0, 6, 0x6c, 0x2b, 0x59, 0xc1, 0x32, 0x73, 0, 0, 0x08, 0x00]); sll.set(ipPart, 16);
  const d = decodeFrame(sll, 113);
  assert.equal(d.srcMac, "6c:2b:59:c1:32:73"); assert.equal(d.payloadOffset, 16 + 28);
  const recs = decodeInput(writePcap([{ time: 0, data: sll }], 113)).records;
  assert.equal(recs[0]!.fields!.messageType, "DISCOVER");
  const sll2 = new Uint8Array(20 + ipPart.length);
  sll2.set([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0x6c, 0x2b, 0x59, 0xc1, 0x32, 0x73, 0, 0]); sll2.set(ipPart, 20);
  assert.equal(decodeFrame(sll2, 276).srcIp, "0.0.0.0");
  assert.throws(() => decodeFrame(sll, 105), /link type IEEE 802.11 \(105\) is not supported/);
});

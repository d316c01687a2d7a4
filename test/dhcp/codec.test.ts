import { it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import {
  buildOptions,
  decodeDhcp,
  encodeDhcp,
  fieldsOf,
  makeDhcp,
  describe as describeDhcp,
  type DhcpPacket,
} from "../../src/dhcp/packet";
import { decodeFrame, encodeFrame, onesSum } from "../../src/dhcp/frame";
import { readPcap, writePcap } from "../../src/dhcp/pcap";
import { decodeInput } from "../../src/dhcp/decode";
import { bytesToHex, hexToBytes } from "../../src/dhcp/addr";
import { ParseError, UnsupportedError, InputError } from "../../src/util/errors";

const T = { timeout: 10000 };

function discover(extra: Partial<DhcpPacket> = {}): DhcpPacket {
  return makeDhcp({
    op: 1,
    xid: 0x2d5c0ff1,
    flags: 0x8000,
    chaddr: "6c:2b:59:c1:32:73",
    options: buildOptions({
      messageType: "DISCOVER",
      maxMessageSize: 1260,
      vendorClassId: "PXEClient:Arch:00000:UNDI:002001",
      clientId: "016c2b59c13273",
      paramRequestList: [1, 3, 6, 12, 66, 67],
      hostName: "pxe1",
    }),
    ...extra,
  });
}

/** Offset of the first option with `code` in an encoded message (walking the TLVs). */
function optAt(b: Uint8Array, code: number): number {
  for (let i = 240; i < b.length;) {
    if (b[i] === code) return i;
    if (b[i] === 0) {
      i++;
      continue;
    }
    if (b[i] === 255) break;
    i += 2 + b[i + 1]!;
  }
  throw new Error(`no option ${code}`);
}

function offsetOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    expect(e instanceof ParseError || e instanceof UnsupportedError, `expected a typed error, got ${e}`).toBeTruthy();
    return (e as ParseError).details.location?.offset;
  }
  expect.unreachable("expected an error");
}

it("DISCOVER round-trips through bytes with every field and option", T, () => {
  const p = discover({
    secs: 4,
    hops: 0,
    ciaddr: "0.0.0.0",
    siaddr: "10.20.30.20",
    sname: "boot-server",
    file: "pxelinux.0",
  });
  const b = encodeDhcp(p);
  expect(b.length, "fixed part + cookie + options + end").toBe(240 + 3 + 4 + 34 + 9 + 8 + 6 + 1);
  expect(
    encodeDhcp(makeDhcp({ options: buildOptions({ messageType: "DISCOVER" }) })).length,
    "small messages are padded to the BOOTP minimum of 300 bytes",
  ).toBe(300);
  expect(bytesToHex(b.subarray(236, 240))).toBe("63825363");
  const d = decodeDhcp(b);
  expect(d.xid).toBe(0x2d5c0ff1);
  expect(d.flags).toBe(0x8000);
  expect(d.chaddr).toBe("6c:2b:59:c1:32:73");
  expect(d.sname).toBe("boot-server");
  expect(d.file).toBe("pxelinux.0");
  expect(d.siaddr).toBe("10.20.30.20");
  const f = fieldsOf(d);
  expect(f).toStrictEqual({
    messageType: "DISCOVER",
    maxMessageSize: 1260,
    vendorClassId: "PXEClient:Arch:00000:UNDI:002001",
    clientId: "016c2b59c13273",
    paramRequestList: [1, 3, 6, 12, 66, 67],
    hostName: "pxe1",
  });
  expect(d.options[0]!.offset, "message type is the first option, right after the cookie").toBe(240);
  expect(encodeDhcp(d), "re-encoding the decoded packet gives the same bytes").toStrictEqual(b);
});

it("server options: 1, 3, 6, 51, 54, 58, 59, 66, 67 and option 82 sub-options 1 and 2", T, () => {
  const opts = buildOptions({
    messageType: "OFFER",
    serverId: "10.20.30.11",
    leaseTime: 600,
    renewalTime: 300,
    rebindingTime: 525,
    subnetMask: "255.255.255.0",
    routers: ["10.94.240.1"],
    dnsServers: ["10.20.30.53", "10.20.30.54"],
    tftpServer: "10.20.30.20",
    bootfile: "pxelinux.0",
    requestedIp: "10.94.240.100",
    relayAgent: { circuitId: "4547524553", remoteId: "617361" },
  });
  const d = decodeDhcp(
    encodeDhcp(
      makeDhcp({
        op: 2,
        yiaddr: "10.94.240.100",
        giaddr: "10.94.240.1",
        hops: 1,
        chaddr: "6c:2b:59:c1:32:73",
        options: opts,
      }),
    ),
  );
  const f = fieldsOf(d);
  expect(f.serverId).toBe("10.20.30.11");
  expect(f.leaseTime).toBe(600);
  expect(f.renewalTime).toBe(300);
  expect(f.rebindingTime).toBe(525);
  expect(f.dnsServers).toStrictEqual(["10.20.30.53", "10.20.30.54"]);
  expect(f.routers).toStrictEqual(["10.94.240.1"]);
  expect(f.tftpServer).toBe("10.20.30.20");
  expect(f.bootfile).toBe("pxelinux.0");
  expect(f.requestedIp).toBe("10.94.240.100");
  expect(f.relayAgent).toStrictEqual({ circuitId: "4547524553", remoteId: "617361" });
  expect(describeDhcp(d)).toMatch(
    /OFFER xid=0x00000000 chaddr=6c:2b:59:c1:32:73 yiaddr=10.94.240.100 giaddr=10.94.240.1 hops=1/,
  );
});

it("overload (option 52): options continue in file, then sname", T, () => {
  const b = new Uint8Array(300);
  b.set(encodeDhcp(makeDhcp({ op: 2, chaddr: "00:11:22:33:44:55" })).subarray(0, 240));
  let i = 240;
  for (const x of [53, 1, 5, 52, 1, 3, 255]) b[i++] = x;
  b.set([67, 4, ...Buffer.from("boot"), 255], 108); // file field
  b.set([12, 2, ...Buffer.from("sv"), 255], 44); // sname field
  const d = decodeDhcp(b);
  expect(d.file).toBe("");
  expect(d.sname).toBe("");
  const f = fieldsOf(d);
  expect(f.messageType).toBe("ACK");
  expect(f.bootfile).toBe("boot");
  expect(f.hostName).toBe("sv");
  expect(d.options.find((o) => o.code === 67)!.offset).toBe(108);
  // overload announced but the file field lacks an end option
  b.fill(0, 108, 236);
  b[108] = 67;
  b[109] = 2;
  b[110] = 65;
  b[111] = 66;
  expect(offsetOf(() => decodeDhcp(b))).toBe(236);
});

it("RFC 3396: an option split in two is concatenated; long options are split on encode", T, () => {
  const host = "h".repeat(300);
  const b = encodeDhcp(makeDhcp({ options: buildOptions({ messageType: "REQUEST", hostName: host }) }));
  const at = optAt(b, 12);
  expect(b[at + 1], "first fragment carries 255 bytes").toBe(255);
  expect(fieldsOf(decodeDhcp(b)).hostName).toBe(host);
});

it("strict validation gives typed errors with byte offsets", T, () => {
  const good = encodeDhcp(discover());
  // truncated
  expect(offsetOf(() => decodeDhcp(good.subarray(0, 100)))).toBe(100);
  // op
  const op = good.slice();
  op[0] = 3;
  expect(offsetOf(() => decodeDhcp(op))).toBe(0);
  // hlen
  const hl = good.slice();
  hl[2] = 17;
  expect(offsetOf(() => decodeDhcp(hl))).toBe(2);
  // magic cookie
  const ck = good.slice();
  ck[237] = 0;
  expect(offsetOf(() => decodeDhcp(ck))).toBe(236);
  // option runs past the end: message type option with a huge length, at the very end
  const past = good.slice(0, 245);
  past[240] = 53;
  past[241] = 1;
  past[242] = 1;
  past[243] = 12;
  past[244] = 9;
  const e = offsetOf(() => decodeDhcp(past));
  expect(e, "the offset of the bad length byte").toBe(244);
  // missing end option
  const noEnd = good.slice();
  const end = noEnd.lastIndexOf(255);
  noEnd[end] = 0;
  expect(offsetOf(() => decodeDhcp(noEnd))).toBe(noEnd.length);
  // known option with a wrong length (server-id of 3 bytes)
  const sid = encodeDhcp(
    makeDhcp({
      options: [
        { code: 53, data: new Uint8Array([2]) },
        { code: 54, data: new Uint8Array([10, 0, 0, 1]) },
      ],
    }),
  );
  const at = optAt(sid, 54);
  sid[at + 1] = 3;
  sid[at + 5] = 255; // shrink, keep TLV chain valid
  sid.fill(0, at + 6);
  sid[at + 5] = 255;
  expect(offsetOf(() => decodeDhcp(sid))).toBe(at + 1);
  // message type out of range
  const mt = good.slice();
  mt[242] = 9;
  expect(offsetOf(() => decodeDhcp(mt))).toBe(242);
  // option 82 sub-option running past option 82
  const ra = encodeDhcp(
    makeDhcp({ options: buildOptions({ messageType: "DISCOVER", relayAgent: { circuitId: "01", remoteId: "0203" } }) }),
  );
  const r = optAt(ra, 82);
  ra[r + 2 + 1] = 9; // circuit-id length 9 inside an 7-byte option
  expect(offsetOf(() => decodeDhcp(ra))).toBe(r + 3);
  // garbage after end
  const tail = good.slice();
  tail[tail.length - 1] = 7;
  expect(offsetOf(() => decodeDhcp(tail))).toBe(tail.length - 1);
  // the message names the problem
  expect(() => decodeDhcp(ck)).toThrow(/bad magic cookie.*byte offset 236/);
});

it("encoder refuses impossible values with InputError naming the field", T, () => {
  expect(thrownBy(() => encodeDhcp(discover({ hops: 256 })))).toSatisfy(
    (e: unknown) => e instanceof InputError && /hops/.test((e as Error).message),
  );
  expect(() => encodeDhcp(discover({ giaddr: "10.0.0.300" }))).toThrow(/giaddr/);
  expect(() => buildOptions({ messageType: "HELLO" as never })).toThrow(/unknown DHCP message type/);
});

it("Ethernet/IPv4/UDP framing: checksums are right and verified", T, () => {
  const payload = encodeDhcp(discover());
  const fr = encodeFrame({
    srcMac: "6c:2b:59:c1:32:73",
    dstMac: "ff:ff:ff:ff:ff:ff",
    srcIp: "0.0.0.0",
    dstIp: "255.255.255.255",
    srcPort: 68,
    dstPort: 67,
    payload,
  });
  expect(fr.length).toBe(14 + 20 + 8 + payload.length);
  expect(onesSum(fr, 14, 20), "IPv4 header sums to 0xffff").toBe(0xffff);
  const d = decodeFrame(fr);
  expect([d.srcIp, d.dstIp, d.srcPort, d.dstPort, d.payloadOffset, d.checksums.udp]).toStrictEqual([
    "0.0.0.0",
    "255.255.255.255",
    68,
    67,
    42,
    "good",
  ]);
  const bad = fr.slice();
  bad[100] ^= 1;
  // A wrong checksum is decoded and marked (checksum offload on the capturing host); strict refuses.
  expect(decodeFrame(bad).checksums.udp).toBe("bad");
  expect(decodeFrame(bad).checksumNote!).toMatch(
    /UDP checksum 0x[0-9a-f]{4} is wrong \(should be 0x[0-9a-f]{4}, byte offset 40\).*offload.*ethtool -K DEV tx off/,
  );
  expect(() => decodeFrame(bad, 1, { strict: true })).toThrow(/bad UDP checksum.*byte offset 40/);
  const badIp = fr.slice();
  badIp[22] ^= 1; // TTL
  expect(decodeFrame(badIp).checksums.ip).toBe("bad");
  const should = Number(
    /IPv4 header checksum 0x[0-9a-f]{4} is wrong \(should be (0x[0-9a-f]{4}), byte offset 24\)/.exec(
      decodeFrame(badIp).checksumNote!,
    )![1],
  );
  const fixed = badIp.slice();
  fixed[24] = should >> 8;
  fixed[25] = should & 255;
  expect(onesSum(fixed, 14, 20), "the checksum the note suggests is the right one").toBe(0xffff);
  expect(() => decodeFrame(badIp, 1, { strict: true })).toThrow(/bad IPv4 header checksum/);
  const noCk = fr.slice();
  noCk[40] = 0;
  noCk[41] = 0;
  expect(decodeFrame(noCk).checksums.udp, "UDP checksum 0 means not computed").toBe("none");
  const vlan = fr.slice();
  vlan[12] = 0x81;
  vlan[13] = 0;
  expect(() => decodeFrame(vlan)).toThrow(UnsupportedError);
  expect(() => decodeFrame(fr.subarray(0, 30))).toThrow(/truncated IPv4 header/);
  // DHCP error offsets are shifted into the frame
  const badDhcp = encodeFrame({
    srcMac: "6c:2b:59:c1:32:73",
    dstMac: "ff:ff:ff:ff:ff:ff",
    srcIp: "0.0.0.0",
    dstIp: "255.255.255.255",
    srcPort: 68,
    dstPort: 67,
    payload: payload.map((x, i) => (i === 237 ? 0 : x)),
  });
  expect(() => decodeInput(badDhcp)).toThrow(/byte offset 278/);
});

it("pcap write/read round trip; damaged files and packets are reported with offsets", T, () => {
  const fr = encodeFrame({
    srcMac: "02:00:00:00:00:01",
    dstMac: "02:00:00:00:00:02",
    srcIp: "10.0.3.1",
    dstIp: "10.20.30.10",
    srcPort: 67,
    dstPort: 67,
    payload: encodeDhcp(discover({ giaddr: "10.94.240.1", hops: 1 })),
  });
  const pc = writePcap([
    { time: 1.5, data: fr },
    { time: 2.25, data: fr },
  ]);
  const r = readPcap(pc);
  expect(r.linktype).toBe(1);
  expect(r.packets.length).toBe(2);
  expect(r.packets[1]!.time).toBe(2.25);
  expect(r.packets[0]!.data).toStrictEqual(fr);
  const recs = decodeInput(pc).records;
  expect(recs[0]!.dhcp!.giaddr).toBe("10.94.240.1");
  expect(() => readPcap(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, ...new Array(24).fill(0)]))).toThrow(
    /pcapng section header: bad byte-order magic.*byte offset 8/,
  );
  expect(() => readPcap(pc.subarray(0, pc.length - 3))).toThrow(/runs past the end of the file/);
  // a broken packet inside a pcap is reported with its number, the rest still decodes
  const broken = fr.slice();
  broken[42 + 237] = 0;
  const mixed = decodeInput(
    writePcap([
      { time: 0, data: fr },
      { time: 1, data: broken },
    ]),
  );
  expect(mixed.records.length).toBe(2);
  expect(mixed.records[1]!.error!).toMatch(/packet 2 .*bad magic cookie/);
  // ARP and TCP frames are not DHCP: skipped; a VLAN-tagged frame is reported as unsupported
  const arp = fr.slice();
  arp[12] = 0x08;
  arp[13] = 0x06;
  const tcp = fr.slice();
  tcp[23] = 6;
  tcp[24] = 0;
  tcp[25] = 0;
  const ck = ~onesSum(tcp, 14, 20) & 0xffff;
  tcp[24] = ck >> 8;
  tcp[25] = ck & 255;
  const vlan = new Uint8Array(fr.length + 4);
  vlan.set(fr.subarray(0, 12));
  vlan.set([0x81, 0x00, 0x00, 0x0a], 12);
  vlan.set(fr.subarray(12), 16);
  const frag = fr.slice();
  frag[20] = 0x20; // more fragments
  const all = decodeInput(
    writePcap([
      { time: 0, data: arp },
      { time: 1, data: tcp },
      { time: 2, data: fr },
      { time: 3, data: vlan },
      { time: 4, data: frag },
    ]),
  );
  expect(all.skipped, "ARP and TCP are counted as skipped").toBe(2);
  expect(all.records.map((r) => [r.number, r.error === undefined])).toStrictEqual([
    [3, true],
    [4, true],
    [5, false],
  ]);
  expect(all.records[1]!.eth!.vlans, "802.1Q tag read").toStrictEqual([10]);
  expect(all.records[2]!.error!).toMatch(/fragments are not reassembled/);
});

it("hex input: a DHCP message or a frame", T, () => {
  const p = encodeDhcp(discover());
  expect(decodeInput(bytesToHex(p)).records[0]!.fields!.messageType).toBe("DISCOVER");
  expect(decodeInput(bytesToHex(p)).kind).toBe("dhcp");
  expect(() => hexToBytes("01 02 0g")).toThrow(/not a hex digit/);
});

it("Linux cooked captures (tcpdump -i any, link types 113 and 276) decode too", T, () => {
  const fr = encodeFrame({
    srcMac: "6c:2b:59:c1:32:73",
    dstMac: "ff:ff:ff:ff:ff:ff",
    srcIp: "0.0.0.0",
    dstIp: "255.255.255.255",
    srcPort: 68,
    dstPort: 67,
    payload: encodeDhcp(discover()),
  });
  const ipPart = fr.subarray(14);
  const sll = new Uint8Array(16 + ipPart.length);
  sll.set([0, 1, 0, 1, 0, 6, 0x6c, 0x2b, 0x59, 0xc1, 0x32, 0x73, 0, 0, 0x08, 0x00]);
  sll.set(ipPart, 16);
  const d = decodeFrame(sll, 113);
  expect(d.srcMac).toBe("6c:2b:59:c1:32:73");
  expect(d.payloadOffset).toBe(16 + 28);
  const recs = decodeInput(writePcap([{ time: 0, data: sll }], 113)).records;
  expect(recs[0]!.fields!.messageType).toBe("DISCOVER");
  const sll2 = new Uint8Array(20 + ipPart.length);
  sll2.set([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0x6c, 0x2b, 0x59, 0xc1, 0x32, 0x73, 0, 0]);
  sll2.set(ipPart, 20);
  expect(decodeFrame(sll2, 276).srcIp).toBe("0.0.0.0");
  expect(() => decodeFrame(sll, 105)).toThrow(/link type IEEE 802.11 \(105\) is not supported/);
});

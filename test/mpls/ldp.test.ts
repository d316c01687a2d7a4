/**
 * LDP decoding corners the live FRR capture rarely shows: PDUs split over TCP segments and several
 * PDUs in one segment, a retransmission, a gap, LDP over IPv6, an unknown TLV (kept), typed
 * wildcard FECs, and malformed lengths (named with their byte offsets). Streams built here are
 * also decoded by tshark, whose LDP fields must match the kit's frame by frame.
 */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { oracle } from "../helpers/oracle";
import { decodeLdpPdus } from "../../src/mpls/ldp";
import { decodeMplsCapture } from "../../src/mpls/decode";
import { ethernet } from "../../src/mpls";
import { pcap } from "../capture/build";

const tshark = oracle("tshark", ["tshark", "--version"], "apt-get install tshark");
const be16 = (v: number) => [(v >> 8) & 255, v & 255];
const be32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const ipb = (s: string) => s.split(".").map(Number);
const tlv = (type: number, value: number[]) => [...be16(type), ...be16(value.length), ...value];
const msg = (type: number, id: number, tlvs: number[][]) => {
  const body = [...be32(id), ...tlvs.flat()];
  return [...be16(type), ...be16(body.length), ...body];
};
const pdu = (lsr: string, msgs: number[][]) => {
  const body = [...ipb(lsr), 0, 0, ...msgs.flat()];
  return Uint8Array.from([0, 1, ...be16(body.length), ...body]);
};
const fecPrefix = (p: string, len: number) => [2, 0, 1, len, ...ipb(p).slice(0, Math.ceil(len / 8))];
const mapping = (id: number, p: string, len: number, label: number) =>
  msg(0x0400, id, [tlv(0x0100, fecPrefix(p, len)), tlv(0x0200, be32(label))]);

function sum(b: number[]): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}
function tcpFrame(
  src: string,
  dst: string,
  sport: number,
  dport: number,
  seq: number,
  flags: number,
  payload: Uint8Array,
): Uint8Array {
  const tcp = [
    ...be16(sport),
    ...be16(dport),
    ...be32(seq),
    ...be32(0),
    0x50,
    flags,
    ...be16(65535),
    0,
    0,
    0,
    0,
    ...payload,
  ];
  const pseudo = [...ipb(src), ...ipb(dst), 0, 6, ...be16(tcp.length)];
  const ck = sum([...pseudo, ...tcp]);
  tcp[16] = ck >> 8;
  tcp[17] = ck & 255;
  const ip = [0x45, 0xc0, ...be16(20 + tcp.length), 0, 0, 0x40, 0, 1, 6, 0, 0, ...ipb(src), ...ipb(dst)];
  const ic = sum(ip);
  ip[10] = ic >> 8;
  ip[11] = ic & 255;
  return ethernet(
    Uint8Array.of(2, 0, 0, 0, 0, 2),
    Uint8Array.of(2, 0, 0, 0, 0, 1),
    0x0800,
    Uint8Array.from([...ip, ...tcp]),
  );
}

it(
  "TCP reassembly: split PDUs, two PDUs per segment, retransmission and gap; equal to tshark",
  { timeout: 60000 },
  (ctx) => {
    if (tshark) ctx.skip(tshark);
    const p1 = pdu("10.0.0.1", [mapping(11, "10.0.0.4", 32, 16004), mapping(12, "10.1.0.0", 16, 3)]);
    const p2 = pdu("10.0.0.1", [msg(0x0201, 13, [])]);
    const p3 = pdu("10.0.0.1", [
      msg(0x0402, 14, [tlv(0x0100, fecPrefix("10.0.0.4", 32)), tlv(0x0200, be32(16004))]),
      msg(0x0300, 15, [tlv(0x0101, [0, 1, ...ipb("10.0.0.1"), ...ipb("192.168.7.1")])]),
    ]);
    const stream = Uint8Array.from([...p1, ...p2, ...p3]);
    const cut1 = 20,
      cut2 = p1.length + p2.length + 7;
    const A = "10.0.0.1",
      B = "10.0.0.2",
      ISN = 1000;
    const frames = [
      tcpFrame(A, B, 646, 40000, ISN, 0x02, new Uint8Array(0)), // SYN
      tcpFrame(A, B, 646, 40000, ISN + 1, 0x18, stream.subarray(0, cut1)), // first part of p1
      tcpFrame(A, B, 646, 40000, ISN + 1 + cut1, 0x18, stream.subarray(cut1, cut2)), // rest of p1, p2, start of p3
      tcpFrame(A, B, 646, 40000, ISN + 1 + cut1, 0x18, stream.subarray(cut1, cut2)), // retransmission
      tcpFrame(A, B, 646, 40000, ISN + 1 + cut2, 0x18, stream.subarray(cut2)), // rest of p3
    ];
    const bytes = pcap(frames.map((data, i) => ({ time: 1_700_000_000 + i, data })));
    const r = decodeMplsCapture(bytes, "split.pcap");
    const types = r.frames.map((f) => f.ldp.flatMap((p) => p.messages.map((m) => `${m.type}#${m.id}`)));
    expect(types).toStrictEqual([
      [],
      [],
      ["Label Mapping#11", "Label Mapping#12", "KeepAlive#13"],
      [],
      ["Label Withdraw#14", "Address#15"],
    ]);
    expect(r.frames[3]!.notes.join()).toMatch(/retransmission/);
    const lm = r.frames[2]!.ldp[0]!.messages[1]!;
    expect([lm.fecs[0]!.prefix, lm.labels[0]]).toStrictEqual(["10.1.0.0/16", 3]);
    expect(r.frames[4]!.ldp[0]!.messages[1]!.addresses).toStrictEqual(["10.0.0.1", "192.168.7.1"]);
    const dir = mkdtempSync(join(tmpdir(), "wlmpls-ldp-"));
    try {
      writeFileSync(join(dir, "split.pcap"), bytes);
      const t = spawnSync(
        "tshark",
        [
          "-r",
          join(dir, "split.pcap"),
          "-T",
          "fields",
          "-E",
          "aggregator=,",
          "-e",
          "ldp.msg.id",
          "-e",
          "ldp.msg.tlv.generic.label",
          "-e",
          "ldp.msg.tlv.addrl.addr",
        ],
        { encoding: "utf8" },
      );
      const theirs = t.stdout
        .split("\n")
        .slice(0, 5)
        .map((l) => l.split("\t"));
      r.frames.forEach((f, i) => {
        const ms = f.ldp.flatMap((p) => p.messages);
        expect(ms.map((m) => m.id).join(","), `frame ${i + 1} message ids`).toBe(
          theirs[i]![0]!.split(",").filter(Boolean).map(Number).join(","),
        );
        expect(ms.flatMap((m) => m.labels).join(","), `frame ${i + 1} labels`).toBe(theirs[i]![1] ?? "");
        expect(ms.flatMap((m) => m.addresses).join(","), `frame ${i + 1} addresses`).toBe(theirs[i]![2] ?? "");
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A gap: the middle segment lost; decoding restarts and says so.
    const gap = decodeMplsCapture(pcap([frames[0]!, frames[1]!, frames[4]!].map((data, i) => ({ time: i, data }))));
    expect(gap.frames[2]!.notes.join()).toMatch(/TCP gap: \d+ byte\(s\) .* not captured/);
  },
);

it("TLVs: unknown kept with its bytes, typed wildcard, status, hello; malformed lengths named with offsets", () => {
  const p = pdu("10.9.9.9", [
    msg(0x0100, 1, [tlv(0x0400, [0, 15, 0, 0]), tlv(0x0401, ipb("10.9.9.9"))]),
    msg(0x0001, 2, [tlv(0x0300, [...be32(0x2f), ...be32(0), ...be16(0)]), tlv(0x0100, [5, 0x02, 2, 0, 1])]),
    msg(0x0200, 3, [
      tlv(0x0500, [0, 1, 0, 180, 0, 0, 0x10, 0, ...ipb("10.0.0.2"), 0, 0]),
      tlv((0x8506 & 0xbfff) | 0x8000, [0x80]),
      tlv(0x3eee, [1, 2, 3]),
    ]),
  ]);
  const { pdus, consumed } = decodeLdpPdus(p, 100);
  expect(consumed).toBe(p.length);
  const [hello, notif, init] = pdus[0]!.messages;
  expect([hello!.type, hello!.tlvs[0]!.holdTime, hello!.tlvs[1]!.transportAddress]).toStrictEqual([
    "Hello",
    15,
    "10.9.9.9",
  ]);
  expect([notif!.tlvs[0]!.status!.name, notif!.fecs[0]]).toStrictEqual([
    "End-of-LIB",
    { element: "typed-wildcard", type: 2, af: 1 },
  ]);
  expect(init!.tlvs[0]!.session).toStrictEqual({
    version: 1,
    keepalive: 180,
    a: false,
    d: false,
    pvLim: 0,
    maxPdu: 4096,
    receiverId: "10.0.0.2:0",
  });
  expect([init!.tlvs[1]!.name, init!.tlvs[1]!.u, init!.tlvs[1]!.capability]).toStrictEqual([
    "Dynamic Capability Announcement",
    true,
    { s: true },
  ]);
  expect([init!.tlvs[2]!.name, init!.tlvs[2]!.hex]).toStrictEqual(["unknown TLV 0x3eee", "010203"]);
  // A PDU cut at the end is left for the next segment; malformed ones throw with offsets.
  expect(decodeLdpPdus(p.subarray(0, p.length - 1)).consumed).toBe(0);
  const badVer = p.slice();
  badVer[1] = 2;
  expect(() => decodeLdpPdus(badVer, 100)).toThrow(/version is not 1.*byte offset 100/);
  const badMsg = p.slice();
  badMsg[12] = 0xff; // first message length
  expect(() => decodeLdpPdus(badMsg, 100)).toThrow(/message length does not fit the PDU.*byte offset 112/);
  const badTlv = p.slice();
  badTlv[20] = 0x7f; // first TLV length
  expect(() => decodeLdpPdus(badTlv, 100)).toThrow(/TLV 0x0400 length runs past its message.*byte offset 120/);
});

it("LDP over IPv6 and over a UDP hello in an MPLS-less frame; label 3 on the wire is flagged", () => {
  const hello = pdu("10.9.9.9", [
    msg(0x0100, 1, [tlv(0x0400, [0, 15, 0, 0]), tlv(0x0403, [0x20, 1, 0xd, 0xb8, ...new Array(11).fill(0), 1])]),
  ]);
  const udp = [...be16(646), ...be16(646), ...be16(8 + hello.length), 0, 0, ...hello];
  const ip6 = [
    0x60,
    0,
    0,
    0,
    ...be16(udp.length),
    17,
    1,
    0xfe,
    0x80,
    ...new Array(13).fill(0),
    1,
    0xff,
    0x02,
    ...new Array(13).fill(0),
    2,
  ];
  const f6 = ethernet(
    Uint8Array.of(0x33, 0x33, 0, 0, 0, 2),
    Uint8Array.of(2, 0, 0, 0, 0, 1),
    0x86dd,
    Uint8Array.from([...ip6, ...udp]),
  );
  const l3 = ethernet(
    Uint8Array.of(2, 0, 0, 0, 0, 2),
    Uint8Array.of(2, 0, 0, 0, 0, 1),
    0x8847,
    Uint8Array.of(0, 0, 0x31, 64, 0x45),
  );
  const r = decodeMplsCapture(
    pcap([
      { time: 0, data: f6 },
      { time: 1, data: l3 },
    ]),
  );
  expect(r.frames[0]!.inner).toStrictEqual({ kind: "ipv6", src: "fe80::1", dst: "ff02::2", hopLimit: 1 });
  expect(r.frames[0]!.ldp[0]!.messages[0]!.tlvs[1]!.transportAddress).toBe("2001:db8::1");
  expect(r.frames[1]!.stack).toStrictEqual([{ label: 3, tc: 0, s: true, ttl: 64 }]);
  expect(r.frames[1]!.notes[0]!).toMatch(/label 3 \(implicit null\) on the wire at byte offset \d+/);
  const noBos = ethernet(
    Uint8Array.of(2, 0, 0, 0, 0, 2),
    Uint8Array.of(2, 0, 0, 0, 0, 1),
    0x8847,
    Uint8Array.of(0, 1, 0, 64, 0, 2, 0),
  );
  expect(decodeMplsCapture(pcap([{ time: 0, data: noBos }]), "nobos.pcap").frames[0]!.error!).toMatch(
    /frame 1 \(data at file byte offset 40\): label stack cut short.*byte offset 18/,
  );
});

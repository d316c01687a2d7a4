// The shared capture reader (src/capture): pcap in both byte orders and with nanosecond
// timestamps, pcapng with enhanced/simple/obsolete packet blocks, both byte orders, several
// sections and per-interface link types; cut and damaged files give every complete record and an
// error with the byte offset. Each file is also read by tshark, which must see the same packets.
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readCapture } from "../../src/capture/reader";
import { decodeLink, linktypeName } from "../../src/capture/link";
import { encodeFrame } from "../../src/dhcp/frame";
import { buildOptions, encodeDhcp, makeDhcp } from "../../src/dhcp/packet";
import { oracle } from "../helpers/oracle";
import { pcap, pcapng, type Pkt } from "./build";

const T = { timeout: 60000 };
const tshark = oracle("tshark", ["tshark", "--version"], "apt-get install tshark");

function frame(i: number): Uint8Array {
  return encodeFrame({
    srcMac: `02:00:00:00:00:${(i + 1).toString(16).padStart(2, "0")}`,
    dstMac: "ff:ff:ff:ff:ff:ff",
    srcIp: "0.0.0.0",
    dstIp: "255.255.255.255",
    srcPort: 68,
    dstPort: 67,
    payload: encodeDhcp(
      makeDhcp({
        op: 1,
        xid: 0x100 + i,
        chaddr: "52:54:00:00:00:01",
        options: buildOptions({ messageType: "DISCOVER" }),
      }),
    ),
  });
}
const cooked = (f: Uint8Array, v: 1 | 2) => {
  const ip = f.subarray(14);
  const h =
    v === 1
      ? [0, 4, 0, 1, 0, 6, ...f.subarray(6, 12), 0, 0, 8, 0]
      : [8, 0, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, ...f.subarray(6, 12), 0, 0];
  return Uint8Array.from([...h, ...ip]);
};
const pkts: Pkt[] = [0, 1, 2].map((i) => ({ time: 1_700_000_000 + i + 0.123456, data: frame(i) }));

interface Seen {
  n: number;
  time: number;
  len: number;
  encap: string;
}
function viaTshark(file: string): { seen: Seen[]; status: number; stderr: string } {
  const r = spawnSync(
    "tshark",
    [
      "-r",
      file,
      "-T",
      "fields",
      "-E",
      "separator=/t",
      "-e",
      "frame.number",
      "-e",
      "frame.time_epoch",
      "-e",
      "frame.cap_len",
      "-e",
      "frame.encap_type",
    ],
    { encoding: "utf8", timeout: 30000 },
  );
  const seen = r.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [n, t, len, e] = l.split("\t");
      return { n: Number(n), time: Number(t), len: Number(len), encap: e! };
    });
  return { seen, status: r.status ?? -1, stderr: r.stderr };
}

it(
  "pcap and pcapng variants read the same packets as tshark (byte orders, ns, SPB, PB, sections, link types)",
  { ...T },
  (ctx) => {
    if (tshark) ctx.skip(tshark);
    const dir = mkdtempSync(path.join(tmpdir(), "wlcap-"));
    try {
      const files: Record<string, Uint8Array> = {
        "le.pcap": pcap(pkts),
        "be.pcap": pcap(pkts, { bigEndian: true }),
        "ns-le.pcap": pcap(pkts, { nano: true }),
        "ns-be.pcap": pcap(pkts, { nano: true, bigEndian: true }),
        "sll.pcap": pcap(
          pkts.map((p) => ({ ...p, data: cooked(p.data, 1) })),
          { linktype: 113 },
        ),
        "sll2.pcap": pcap(
          pkts.map((p) => ({ ...p, data: cooked(p.data, 2) })),
          { linktype: 276 },
        ),
        "le.pcapng": pcapng([{ interfaces: [{ linktype: 1 }], packets: pkts }]),
        "be.pcapng": pcapng([{ interfaces: [{ linktype: 1 }], packets: pkts }], { bigEndian: true }),
        "ns-be.pcapng": pcapng([{ interfaces: [{ linktype: 1, tsresol: 9 }], packets: pkts, extra: "isb" }], {
          bigEndian: true,
        }),
        "pow2.pcapng": pcapng([{ interfaces: [{ linktype: 1, tsresol: 0x80 | 20 }], packets: pkts }]),
        "pb-be.pcapng": pcapng([{ interfaces: [{ linktype: 1 }], packets: pkts, block: "pb" }], { bigEndian: true }),
        "spb.pcapng": pcapng([{ interfaces: [{ linktype: 1, snaplen: 300 }], packets: pkts, block: "spb" }]),
        // two interfaces with different link types in one section, then a second big-endian section
        "mixed.pcapng": Uint8Array.from([
          ...pcapng([
            {
              interfaces: [{ linktype: 1 }, { linktype: 113 }, { linktype: 276 }],
              packets: [
                pkts[0]!,
                { ...pkts[1]!, iface: 1, data: cooked(pkts[1]!.data, 1) },
                { ...pkts[2]!, iface: 2, data: cooked(pkts[2]!.data, 2) },
              ],
            },
          ]),
          ...pcapng([{ interfaces: [{ linktype: 1 }], packets: [{ ...pkts[0]!, time: pkts[0]!.time + 10 }] }], {
            bigEndian: true,
          }),
        ]),
      };
      for (const [name, bytes] of Object.entries(files)) {
        const f = path.join(dir, name);
        writeFileSync(f, bytes);
        const cap = readCapture(bytes, name);
        expect(cap.error, `${name}: ${cap.error?.message}`).toBe(undefined);
        const t = viaTshark(f);
        expect(t.status, `${name}: tshark: ${t.stderr}`).toBe(0);
        expect(cap.records.length, `${name}: packet count`).toBe(t.seen.length);
        cap.records.forEach((r, i) => {
          const s = t.seen[i]!;
          expect(r.number).toBe(s.n);
          expect(r.data.length, `${name} #${r.number} length`).toBe(s.len);
          if (name.startsWith("spb"))
            expect(r.data.length, "a simple packet block is cut at the interface's snaplen").toBe(300);
          else
            expect(
              Math.abs(r.time - s.time) < 2e-6,
              `${name} #${r.number} time: kit ${r.time}, tshark ${s.time}`,
            ).toBeTruthy();
          const link = decodeLink(r.data, r.linktype);
          expect(link.etherType, `${name} #${r.number} (${linktypeName(r.linktype)}) carries IPv4`).toBe(0x0800);
          expect(link.src, `${name} #${r.number} link source`).toBe(`02:00:00:00:00:0${(i % 3) + 1}`);
        });
        expect(cap.format).toBe(name.endsWith("pcapng") ? "pcapng" : "pcap");
        expect(cap.littleEndian, `${name} byte order (of the last section)`).toBe(
          !name.includes("be") && name !== "mixed.pcapng",
        );
      }
      expect(
        readCapture(files["mixed.pcapng"]!).records.map((r) => r.linktype),
        "link type per interface",
      ).toStrictEqual([1, 113, 276, 1]);
      expect(readCapture(files["ns-be.pcapng"]!).skipped.map((s) => s.type)).toStrictEqual(["interface statistics"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

it("a cut file gives every complete record and an error at the byte offset where the cut record starts", T, () => {
  const files = {
    pcap: pcap(pkts),
    pcapng: pcapng([{ interfaces: [{ linktype: 1 }], packets: pkts }], { bigEndian: true }),
  };
  for (const [kind, full] of Object.entries(files)) {
    const whole = readCapture(full, kind);
    const starts = whole.records.map((r) => r.offset - (kind === "pcap" ? 16 : 28));
    for (let cut = kind === "pcap" ? 25 : 53; cut < full.length; cut += 7) {
      const cap = readCapture(full.subarray(0, cut), "cut." + kind);
      const complete = whole.records.filter(
        (r, i) => starts[i]! + (kind === "pcap" ? 16 + r.data.length : 32 + ((r.data.length + 3) & ~3)) <= cut,
      ).length;
      expect(cap.records.length, `${kind} cut at ${cut}`).toBe(complete);
      if (starts.includes(cut)) {
        expect(cap.error, `${kind} cut at a record boundary ${cut} is a whole file`).toBe(undefined);
        continue;
      }
      expect(cap.error, `${kind} cut at ${cut}: an error`).toBeTruthy();
      const at = starts[complete]!;
      expect(cap.error!.details.location?.offset, `${kind} cut at ${cut}: ${cap.error!.message}`).toBe(at);
      expect(cap.error!.message).toMatch(new RegExp(`cut\\.${kind}, byte offset ${at}`));
    }
  }
});

it("damaged headers, unknown blocks and non-captures are named with offsets", T, () => {
  const ng = pcapng([{ interfaces: [{ linktype: 1 }], packets: pkts }]);
  const badLen = ng.slice();
  badLen[32] = 13; // the IDB is at 28: its length field → not a multiple of 4
  expect(readCapture(badLen, "x.pcapng").error!.message).toMatch(/multiple of 4.*byte offset 32/);
  const badIf = ng.slice();
  badIf[60] = 5; // the first EPB (at 52) names interface 5
  const e = readCapture(badIf, "x.pcapng");
  expect(e.records.length).toBe(0);
  expect(e.error!.message).toMatch(/names interface 5, but the section describes 1.*byte offset 60/);
  const unk = Uint8Array.from([...ng, 0x44, 0x33, 0x22, 0x11, 12, 0, 0, 0, 12, 0, 0, 0]);
  const u = readCapture(unk);
  expect(u.records.length).toBe(3);
  expect(u.skipped).toStrictEqual([{ type: "unknown block type 0x11223344", offset: ng.length }]);
  expect(() => readCapture(new Uint8Array([1, 2]))).toThrow(/not a capture file: only 2 byte\(s\)/);
  expect(() => readCapture(new TextEncoder().encode("hello world"))).toThrow(
    /no pcap or pcapng magic number.*0x68656c6c/,
  );
  expect(() => readCapture(Uint8Array.from([0xa1, 0xb2, 0xcd, 0x34, 0, 0, 0, 0]))).toThrow(/Kuznetzov/);
  expect(() => decodeLink(frame(0), 105)).toThrow(/link type IEEE 802.11 \(105\) is not supported/);
  expect(() => decodeLink(frame(0), 113)).toThrow(
    /not a Linux cooked capture header: packet type above 7.*0xffff.*look like an Ethernet frame.*editcap -T ether/,
  );
  expect(linktypeName(4242)).toBe("unknown link type (4242)");
  // Ethernet whose destination MAC makes a plausible SLL packet type (00:04…) and address length: still caught.
  const sneaky = frame(0).slice();
  sneaky.set([0x00, 0x04, 0x00, 0x01, 0x00, 0x06], 0);
  expect(() => decodeLink(sneaky, 113)).toThrow(
    /protocol field does not match, and an Ethernet IPv4 header follows.*editcap -T ether/,
  );
  const sneaky2 = frame(0).slice();
  sneaky2[10] = 0x04;
  sneaky2[11] = 0x06; // SLL2: packet type at 10, address length at 11
  expect(() => decodeLink(sneaky2, 276)).toThrow(/protocol field does not match/);
});

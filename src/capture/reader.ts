/**
 * Capture files as Wireshark and tcpdump write them, read into one list of packet records:
 *
 * - classic libpcap (draft-ietf-opsawg-pcap): microsecond and nanosecond variants, either byte
 *   order; the link type is in the file header;
 * - pcapng (draft-ietf-opsawg-pcapng, Wireshark's default "Save"): Section Header, Interface
 *   Description (link type, `if_tsresol`, `if_tsoffset` per interface), Enhanced, Simple and the
 *   obsolete Packet blocks, either byte order, several sections per file. Statistics, name
 *   resolution, decryption-secrets and custom blocks carry no packets and are listed in `skipped`.
 *
 * Nothing is thrown for a file that starts as a capture: a file cut inside a record (or a
 * malformed block) yields every complete record before it and `error`, a ParseError naming the
 * byte offset where the damage starts. Only a file that is not a capture at all throws.
 *
 * @example
 *   const cap = readCapture(readFileSync("dora.pcapng"), "dora.pcapng");
 *   cap.records[0].linktype;   // 1 (Ethernet), per interface in pcapng
 *   cap.error?.message;        // "…runs past the end of the file (…at dora.pcapng, byte offset 1234)"
 */
import { ParseError, UnsupportedError } from "../util/errors";

export interface CaptureRecord {
  /** 1-based, as tshark and Wireshark number frames. */
  number: number;
  /** Seconds since the epoch, fractional. */
  time: number;
  /** LINKTYPE_* of the interface the packet was captured on. */
  linktype: number;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId: number;
  /** Captured bytes (a view into the file). */
  data: Uint8Array;
  /** Length on the wire (≥ data.length when the snapshot length cut the packet). */
  originalLength: number;
  /** Byte offset of `data` in the file, for error messages. */
  offset: number;
  /** Byte offset of the link type field that applies (pcap header or pcapng IDB). */
  linktypeOffset: number;
}

export interface CaptureInterface {
  linktype: number;
  /** Byte offset of the link type field in the file (pcap header or pcapng IDB). */
  linktypeOffset: number;
  snaplen: number;
}

export interface Capture {
  format: "pcap" | "pcapng";
  littleEndian: boolean;
  /** Classic pcap only: nanosecond timestamps (magic 0xa1b23c4d). */
  nanosecond: boolean;
  /** Interfaces of the last section (pcap: exactly one). */
  interfaces: CaptureInterface[];
  records: CaptureRecord[];
  /** pcapng blocks that carry no packets, by type and offset (nothing is dropped unmentioned). */
  skipped: Array<{ type: string; offset: number }>;
  /** Set when the file is damaged or cut short: the records before it are complete. */
  error?: ParseError;
}

/**
 * The first packet whose link type `supported` rejects, or (for a file without packets) the
 * first such interface: what a decoder should refuse by name, with the link type field's offset.
 */
export function firstUnsupportedLinktype(
  cap: Capture,
  supported: (lt: number) => boolean,
): { linktype: number; offset: number; packet?: number } | undefined {
  const r = cap.records.find((x) => !supported(x.linktype));
  if (r) return { linktype: r.linktype, offset: r.linktypeOffset, packet: r.number };
  if (cap.records.length > 0) return undefined;
  const i = cap.interfaces.find((x) => !supported(x.linktype));
  return i ? { linktype: i.linktype, offset: i.linktypeOffset } : undefined;
}

const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** "pcap", "pcapng" or undefined, from the first four bytes. */
export function captureKind(b: Uint8Array): "pcap" | "pcapng" | undefined {
  if (b.length < 4) return undefined;
  const m = new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  if (m === PCAPNG_SHB) return "pcapng";
  if ([0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1].includes(m)) return "pcap";
  return undefined;
}

/** Reads a pcap or pcapng file. Throws only when `b` is not a capture file at all. */
export function readCapture(b: Uint8Array, file = "<capture>"): Capture {
  const kind = captureKind(b);
  if (kind === "pcap") return readPcapFile(b, file);
  if (kind === "pcapng") return readPcapng(b, file);
  const first = b.length >= 4 ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0, false) : undefined;
  if (first === 0xa1b2cd34 || first === 0x34cdb2a1) {
    throw new UnsupportedError("Kuznetzov's modified pcap format is not supported", {
      value: "0x" + first.toString(16),
      location: { file, offset: 0 },
      hint: "convert with: editcap -F pcap in out.pcap",
    });
  }
  throw new ParseError(
    b.length < 4
      ? `not a capture file: only ${b.length} byte(s)`
      : "not a capture file: no pcap or pcapng magic number",
    {
      ...(first !== undefined ? { value: "0x" + first.toString(16).padStart(8, "0") } : {}),
      location: { file, offset: 0 },
    },
  );
}

function readPcapFile(b: Uint8Array, file: string): Capture {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const m = dv.getUint32(0, true);
  const le = m === 0xa1b2c3d4 || m === 0xa1b23c4d;
  const nano = m === 0xa1b23c4d || m === 0x4d3cb2a1;
  const cap: Capture = { format: "pcap", littleEndian: le, nanosecond: nano, interfaces: [], records: [], skipped: [] };
  const err = (msg: string, offset: number, value?: unknown) =>
    new ParseError(msg, { ...(value !== undefined ? { value } : {}), location: { file, offset } });
  if (b.length < 24) {
    cap.error = err(`pcap file header cut short: ${b.length} of 24 bytes`, b.length);
    return cap;
  }
  const major = dv.getUint16(4, le);
  if (major !== 2) {
    cap.error = err("unsupported pcap major version (only 2)", 4, major);
    return cap;
  }
  const snaplen = dv.getUint32(16, le);
  // The top 4 bits of the link type field may carry the FCS length (draft-ietf-opsawg-pcap §4).
  cap.interfaces.push({ linktype: dv.getUint32(20, le) & 0x0fffffff, linktypeOffset: 20, snaplen });
  const linktype = cap.interfaces[0]!.linktype;
  let o = 24;
  while (o < b.length) {
    if (o + 16 > b.length) {
      cap.error = err(
        `pcap record header cut short: ${b.length - o} of 16 bytes (the file ends inside record ` +
          `${cap.records.length + 1})`,
        o,
      );
      break;
    }
    const sec = dv.getUint32(o, le),
      frac = dv.getUint32(o + 4, le),
      incl = dv.getUint32(o + 8, le),
      orig = dv.getUint32(o + 12, le);
    if (incl > 0x40000) {
      cap.error = err(`pcap record ${cap.records.length + 1}: captured length is implausible (> 256 KiB)`, o + 8, incl);
      break;
    }
    if (o + 16 + incl > b.length) {
      cap.error = err(
        `pcap record ${cap.records.length + 1} of ${incl} bytes runs past the end of the file ` +
          `(${b.length - o - 16} bytes left): the file was cut inside a packet`,
        o,
        incl,
      );
      break;
    }
    cap.records.push({
      number: cap.records.length + 1,
      time: sec + frac / (nano ? 1e9 : 1e6),
      linktype,
      interfaceId: 0,
      data: b.subarray(o + 16, o + 16 + incl),
      originalLength: orig,
      offset: o + 16,
      linktypeOffset: 20,
    });
    o += 16 + incl;
  }
  return cap;
}

const BLOCK_NAMES: Record<number, string> = {
  0x00000004: "name resolution",
  0x00000005: "interface statistics",
  0x0000000a: "decryption secrets",
  0x00000bad: "custom",
  0x40000bad: "custom",
  0x00000009: "systemd journal export",
};

interface Iface extends CaptureInterface {
  unitsPerSecond: bigint;
  tsOffset: bigint;
}

/** Reads an Interface Description Block's body; `bad` is the offset of a malformed option. */
function readInterface(
  dv: DataView,
  b: Uint8Array,
  body: number,
  end: number,
  le: boolean,
): { f: Iface; bad: number | undefined } {
  const f: Iface = {
    linktype: dv.getUint16(body, le),
    linktypeOffset: body,
    snaplen: dv.getUint32(body + 4, le),
    unitsPerSecond: 1000000n,
    tsOffset: 0n,
  };
  const bad = readOptions(dv, body + 8, end, le, (code, at, olen) => {
    if (code === 9 && olen >= 1) {
      const r = b[at]!;
      f.unitsPerSecond = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r & 0x7f);
    } else if (code === 14 && olen >= 8) {
      f.tsOffset = (BigInt(dv.getUint32(at + (le ? 4 : 0), le)) << 32n) | BigInt(dv.getUint32(at + (le ? 0 : 4), le));
    }
  });
  return { f, bad };
}

function readPcapng(b: Uint8Array, file: string): Capture {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const cap: Capture = {
    format: "pcapng",
    littleEndian: true,
    nanosecond: false,
    interfaces: [],
    records: [],
    skipped: [],
  };
  const err = (msg: string, offset: number, value?: unknown) =>
    new ParseError(msg, { ...(value !== undefined ? { value } : {}), location: { file, offset } });
  let le = true;
  let ifaces: Iface[] = [];
  let o = 0;
  while (o < b.length) {
    if (o + 12 > b.length) {
      cap.error = err(`pcapng block header cut short: ${b.length - o} bytes (the file ends inside a block)`, o);
      break;
    }
    const type = dv.getUint32(o, le);
    if (type === PCAPNG_SHB || dv.getUint32(o, true) === PCAPNG_SHB) {
      const bom = dv.getUint32(o + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else {
        cap.error = err("pcapng section header: bad byte-order magic", o + 8, "0x" + bom.toString(16));
        break;
      }
      cap.littleEndian = le;
    }
    const len = dv.getUint32(o + 4, le);
    if (len < 12 || len % 4 !== 0) {
      cap.error = err("pcapng block length must be a multiple of 4, at least 12", o + 4, len);
      break;
    }
    if (o + len > b.length) {
      cap.error = err(
        `pcapng block of ${len} bytes runs past the end of the file (${b.length - o} bytes left): the file ` +
          `was cut inside a block`,
        o,
        len,
      );
      break;
    }
    if (dv.getUint32(o + len - 4, le) !== len) {
      cap.error = err(
        "pcapng block: trailing length differs from the leading one",
        o + len - 4,
        dv.getUint32(o + len - 4, le),
      );
      break;
    }
    const body = o + 8,
      end = o + len - 4;
    if (type === PCAPNG_SHB) {
      const major = dv.getUint16(o + 12, le);
      if (major !== 1) {
        cap.error = err("unsupported pcapng major version (only 1)", o + 12, major);
        break;
      }
      ifaces = [];
    } else if (type === 1) {
      if (end - body < 8) {
        cap.error = err("pcapng interface description block too short", o, len);
        break;
      }
      const { f, bad } = readInterface(dv, b, body, end, le);
      if (bad !== undefined) {
        cap.error = err("pcapng interface options run past the block", bad);
        break;
      }
      ifaces.push(f);
      cap.interfaces = ifaces.map(({ linktype, linktypeOffset, snaplen }) => ({ linktype, linktypeOffset, snaplen }));
    } else if (type === 6 || type === 2) {
      // Enhanced Packet Block (6); obsolete Packet Block (2) has a 2-byte interface id and drop count.
      if (end - body < 20) {
        cap.error = err("pcapng packet block too short", o, len);
        break;
      }
      const id = type === 6 ? dv.getUint32(body, le) : dv.getUint16(body, le);
      const f = ifaces[id];
      if (!f) {
        cap.error = err(
          `pcapng packet block names interface ${id}, but the section describes ${ifaces.length}`,
          body,
          id,
        );
        break;
      }
      const ts = (BigInt(dv.getUint32(body + 4, le)) << 32n) | BigInt(dv.getUint32(body + 8, le));
      const caplen = dv.getUint32(body + 12, le),
        orig = dv.getUint32(body + 16, le);
      if (body + 20 + caplen > end) {
        cap.error = err(`pcapng packet block: captured length ${caplen} runs past the block`, body + 12, caplen);
        break;
      }
      cap.records.push({
        number: cap.records.length + 1,
        time: tsSeconds(ts, f),
        linktype: f.linktype,
        interfaceId: id,
        data: b.subarray(body + 20, body + 20 + caplen),
        originalLength: orig,
        offset: body + 20,
        linktypeOffset: f.linktypeOffset,
      });
    } else if (type === 3) {
      // Simple Packet Block: interface 0, no timestamp, captured length = min(original, snaplen, room).
      const f = ifaces[0];
      if (!f) {
        cap.error = err("pcapng simple packet block before any interface description", o);
        break;
      }
      const orig = dv.getUint32(body, le);
      const caplen = Math.min(orig, f.snaplen || orig, end - body - 4);
      cap.records.push({
        number: cap.records.length + 1,
        time: 0,
        linktype: f.linktype,
        interfaceId: 0,
        data: b.subarray(body + 4, body + 4 + caplen),
        originalLength: orig,
        offset: body + 4,
        linktypeOffset: f.linktypeOffset,
      });
    } else {
      cap.skipped.push({
        type: BLOCK_NAMES[type] ?? `unknown block type 0x${type.toString(16).padStart(8, "0")}`,
        offset: o,
      });
    }
    o += len;
  }
  return cap;
}

/** Walks pcapng options; returns the offset of a malformed option, or undefined. */
function readOptions(
  dv: DataView,
  at: number,
  end: number,
  le: boolean,
  fn: (code: number, at: number, len: number) => void,
): number | undefined {
  while (at + 4 <= end) {
    const code = dv.getUint16(at, le),
      len = dv.getUint16(at + 2, le);
    if (code === 0) return undefined;
    if (at + 4 + len > end) return at;
    fn(code, at + 4, len);
    at += 4 + ((len + 3) & ~3);
  }
  return undefined;
}

function tsSeconds(ts: bigint, f: Iface): number {
  const whole = ts / f.unitsPerSecond;
  const frac = ts % f.unitsPerSecond;
  return Number(whole + f.tsOffset) + Number(frac) / Number(f.unitsPerSecond);
}

/**
 * Classic libpcap file format (the `tcpdump -w` format; see the "pcap" IETF draft
 * draft-ietf-opsawg-pcap): writes little-endian microsecond files. Reading (pcap in both byte
 * orders and the nanosecond variant, and pcapng) is `src/capture/reader.ts`; `iteratePcap` and
 * `readPcap` are its strict form: a damaged or cut file throws.
 *
 * @example
 *   const bytes = writePcap([{ time: 0, data: frame }]);
 *   readPcap(bytes).packets[0].data; // frame
 */
import { readCapture } from "../capture/reader";

export interface PcapPacket {
  /** Seconds since the epoch (or since the start of a simulation), fractional. */
  time: number;
  data: Uint8Array;
  /** Byte offset of the packet data in the file (for error messages). */
  offset?: number;
}

export interface PcapFile {
  linktype: number;
  packets: PcapPacket[];
}

/** Writes a pcap file (little-endian, microsecond timestamps). */
export function writePcap(packets: PcapPacket[], linktype = 1, snaplen = 65535): Uint8Array {
  let size = 24;
  for (const p of packets) size += 16 + p.data.length;
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, snaplen, true);
  dv.setUint32(20, linktype, true);
  let o = 24;
  for (const p of packets) {
    const sec = Math.floor(p.time);
    const usec = Math.min(999999, Math.round((p.time - sec) * 1e6));
    dv.setUint32(o, sec, true);
    dv.setUint32(o + 4, usec, true);
    dv.setUint32(o + 8, p.data.length, true);
    dv.setUint32(o + 12, p.data.length, true);
    b.set(p.data, o + 16);
    o += 16 + p.data.length;
  }
  return b;
}

/** Iterates the records of a pcap or pcapng file; throws (with the byte offset) on a damaged file. */
export function* iteratePcap(b: Uint8Array, file = "<pcap>"): Generator<PcapPacket & { linktype: number }> {
  const cap = readCapture(b, file);
  for (const r of cap.records) yield { time: r.time, data: r.data, offset: r.offset, linktype: r.linktype };
  if (cap.error) throw cap.error;
}

/** Reads a whole pcap or pcapng file (the link type of the first interface). */
export function readPcap(b: Uint8Array, file = "<pcap>"): PcapFile {
  const cap = readCapture(b, file);
  if (cap.error) throw cap.error;
  return {
    linktype: cap.interfaces[0]?.linktype ?? 1,
    packets: cap.records.map((r) => ({ time: r.time, data: r.data, offset: r.offset })),
  };
}

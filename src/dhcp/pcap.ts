/**
 * Classic libpcap file format (the `tcpdump -w` format; see the "pcap" IETF draft
 * draft-ietf-opsawg-pcap): reads microsecond and nanosecond files in either byte order, writes
 * little-endian microsecond files. pcapng (tshark's default output) is refused with a hint.
 *
 * @example
 *   const bytes = writePcap([{ time: 0, data: frame }]);
 *   readPcap(bytes).packets[0].data; // frame
 */
import { ParseError, UnsupportedError } from "../util/errors";

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
  dv.setUint16(4, 2, true); dv.setUint16(6, 4, true);
  dv.setUint32(16, snaplen, true); dv.setUint32(20, linktype, true);
  let o = 24;
  for (const p of packets) {
    const sec = Math.floor(p.time);
    const usec = Math.min(999999, Math.round((p.time - sec) * 1e6));
    dv.setUint32(o, sec, true); dv.setUint32(o + 4, usec, true);
    dv.setUint32(o + 8, p.data.length, true); dv.setUint32(o + 12, p.data.length, true);
    b.set(p.data, o + 16);
    o += 16 + p.data.length;
  }
  return b;
}

/** Iterates the records of a pcap file without copying packet data. */
export function* iteratePcap(b: Uint8Array, file = "<pcap>"): Generator<PcapPacket & { linktype: number }> {
  const where = (offset: number) => ({ file, offset });
  if (b.length < 24) throw new ParseError(`truncated pcap header: ${b.length} bytes`, { location: where(b.length) });
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const m = dv.getUint32(0, true);
  let le: boolean, nano: boolean;
  if (m === 0xa1b2c3d4) { le = true; nano = false; }
  else if (m === 0xa1b23c4d) { le = true; nano = true; }
  else if (m === 0xd4c3b2a1) { le = false; nano = false; }
  else if (m === 0x4d3cb2a1) { le = false; nano = true; }
  else if (m === 0x0a0d0d0a) throw new UnsupportedError("pcapng files are not supported", { location: where(0), hint: "convert with: editcap -F pcap in.pcapng out.pcap (or capture with tcpdump -w)" });
  else throw new ParseError("not a pcap file (bad magic number)", { value: "0x" + m.toString(16), location: where(0) });
  const linktype = dv.getUint32(20, le) & 0x0fffffff;
  let o = 24;
  while (o < b.length) {
    if (o + 16 > b.length) throw new ParseError("truncated pcap record header", { value: b.length - o, location: where(o) });
    const sec = dv.getUint32(o, le), frac = dv.getUint32(o + 4, le), incl = dv.getUint32(o + 8, le);
    if (incl > 262144) throw new ParseError("pcap record length is implausible (> 256 KiB)", { value: incl, location: where(o + 8) });
    if (o + 16 + incl > b.length) throw new ParseError(`pcap record of ${incl} bytes runs past the end of the file`, { value: incl, location: where(o + 8) });
    yield { time: sec + frac / (nano ? 1e9 : 1e6), data: b.subarray(o + 16, o + 16 + incl), offset: o + 16, linktype };
    o += 16 + incl;
  }
}

/** Reads a whole pcap file. */
export function readPcap(b: Uint8Array, file = "<pcap>"): PcapFile {
  const packets: PcapPacket[] = [];
  let linktype = 1;
  if (b.length >= 24) {
    for (const p of iteratePcap(b, file)) { linktype = p.linktype; packets.push({ time: p.time, data: p.data, offset: p.offset }); }
    if (packets.length === 0) linktype = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(20, new DataView(b.buffer, b.byteOffset).getUint32(0, true) === 0xa1b2c3d4);
  } else {
    iteratePcap(b, file).next();
  }
  return { linktype, packets };
}

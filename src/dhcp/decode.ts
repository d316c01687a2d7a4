/**
 * Decoding DHCP traffic from a pcap file or from hex text, one record per packet, for the CLI
 * (`wirelab dhcp decode`), notebooks and the benchmark. Hex input may be a whole Ethernet frame
 * or just the DHCP message (the UDP payload). Errors carry the packet number and byte offset.
 *
 * @example
 *   decodeInput(readFileSync("dora.pcap"), "dora.pcap").records[1].fields.messageType; // "OFFER"
 */
import { ParseError, UnsupportedError, WirelabError } from "../util/errors";
import { hexToBytes } from "./addr";
import { decodeFrame, type DecodedFrame } from "./frame";
import { describe, decodeDhcp, fieldsOf, type DhcpFields, type DhcpPacket } from "./packet";
import { iteratePcap } from "./pcap";

export interface DecodedRecord {
  /** 1-based packet number (as tshark counts). */
  number: number;
  time?: number;
  ip?: { src: string; dst: string; sport: number; dport: number; ttl: number };
  dhcp?: DhcpPacket;
  fields?: DhcpFields;
  summary: string;
  /** Set when this packet did not decode: the message names the byte offset. */
  error?: string;
}

export interface DecodeResult {
  kind: "pcap" | "frame" | "dhcp";
  records: DecodedRecord[];
}

function record(n: number, time: number | undefined, f: DecodedFrame | undefined, payload: Uint8Array, base: number): DecodedRecord {
  const p = decodeDhcp(payload, base);
  const ip = f ? { src: f.srcIp, dst: f.dstIp, sport: f.srcPort, dport: f.dstPort, ttl: f.ttl } : undefined;
  return { number: n, ...(time !== undefined ? { time } : {}), ...(ip ? { ip } : {}), dhcp: p, fields: fieldsOf(p), summary: (ip ? `${ip.src}:${ip.sport} → ${ip.dst}:${ip.dport} ` : "") + describe(p) };
}

/** Decodes one frame (linktype 1) or DHCP message; throws a ParseError with a byte offset. */
export function decodeBytes(b: Uint8Array): DecodeResult {
  const looksLikeFrame = b.length >= 42 && b[12] === 0x08 && b[13] === 0x00 && (b[14]! >> 4) === 4;
  if (looksLikeFrame) {
    const f = decodeFrame(b);
    return { kind: "frame", records: [record(1, undefined, f, f.payload, f.payloadOffset)] };
  }
  return { kind: "dhcp", records: [record(1, undefined, undefined, b, 0)] };
}

/**
 * Decodes a pcap (bytes starting with a pcap magic) or hex text. In a pcap, non-DHCP packets
 * are skipped and a broken packet becomes a record with `error` (the others still decode),
 * unless `strict` is set.
 */
export function decodeInput(input: Uint8Array | string, source = "<input>", strict = false): DecodeResult {
  if (typeof input === "string") return decodeBytes(hexToBytes(input, source));
  const m = input.length >= 4 ? new DataView(input.buffer, input.byteOffset, input.byteLength).getUint32(0, true) : 0;
  const isPcap = [0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1, 0x0a0d0d0a].includes(m);
  if (!isPcap) {
    const text = Buffer.from(input).toString("latin1").trim();
    if (/^[0-9a-fA-F\s:x]+$/.test(text)) return decodeBytes(hexToBytes(text, source));
    return decodeBytes(input);
  }
  const records: DecodedRecord[] = [];
  let n = 0;
  for (const pk of iteratePcap(input, source)) {
    n++;
    try {
      const f = decodeFrame(pk.data, pk.linktype);
      if (![67, 68].includes(f.dstPort) && ![67, 68].includes(f.srcPort)) continue;
      records.push(record(n, pk.time, f, f.payload, f.payloadOffset));
    } catch (e) {
      if (!(e instanceof WirelabError)) throw e;
      // ARP, IPv6, TCP…: not DHCP, skipped like other UDP ports (VLAN tags and fragments are reported).
      if (e instanceof UnsupportedError && /only IPv4|only UDP/.test(e.message)) continue;
      const msg = `packet ${n} (file offset ${pk.offset}): ${e.message}`;
      if (strict) throw new ParseError(msg, { location: { file: source, offset: (pk.offset ?? 0) + (e.details.location?.offset ?? 0) } });
      records.push({ number: n, time: pk.time, summary: "(undecodable)", error: msg });
    }
  }
  return { kind: "pcap", records };
}

/** Counts DHCP messages in a pcap as fast as possible (the benchmark's inner loop). */
export function countMessages(b: Uint8Array): { packets: number; byType: Record<string, number> } {
  const byType: Record<string, number> = {};
  let packets = 0;
  for (const pk of iteratePcap(b)) {
    const f = decodeFrame(pk.data, pk.linktype);
    const p = decodeDhcp(f.payload, f.payloadOffset);
    const t = fieldsOf(p).messageType ?? "BOOTP";
    byType[t] = (byType[t] ?? 0) + 1;
    packets++;
  }
  return { packets, byType };
}

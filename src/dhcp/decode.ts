/**
 * Decoding DHCP traffic from a capture file (pcap or pcapng, read by `src/capture/reader.ts`) or
 * from hex text, one record per packet, for the CLI (`wirelab dhcp decode`), notebooks and the
 * benchmark. Hex input may be a whole Ethernet frame or just the DHCP message (the UDP payload).
 *
 * What real captures contain is decoded as tshark does: a wrong IP or UDP checksum is marked (and
 * explained: usually checksum offload), not fatal unless `strict`; a file cut inside a packet
 * gives every complete record and then `error` with the byte offset. Packets that are not DHCP
 * (ARP, IPv6, TCP, other UDP ports) are counted in `skipped`. An unsupported link type is refused
 * by name, and bytes that are neither a capture nor a DHCP message say so.
 *
 * @example
 *   decodeInput(readFileSync("dora.pcapng"), "dora.pcapng").records[1].fields.messageType; // "OFFER"
 */
import { ParseError, UnsupportedError, WirelabError } from "../util/errors";
import { captureKind, firstUnsupportedLinktype, readCapture } from "../capture/reader";
import { isSupportedLinktype, linktypeName } from "../capture/link";
import { bytesToHex, hexToBytes } from "./addr";
import { decodeFrame, type ChecksumState, type DecodedFrame } from "./frame";
import { describe, decodeDhcp, fieldsOf, MAGIC_COOKIE, type DhcpFields, type DhcpPacket } from "./packet";

export interface DecodedRecord {
  /** 1-based packet number (as tshark counts). */
  number: number;
  time?: number;
  /** Link-layer addresses: Ethernet source and destination; Linux cooked captures know only the source. */
  eth?: { src: string | null; dst: string | null; vlans: number[] };
  ip?: { src: string; dst: string; sport: number; dport: number; ttl: number };
  /** Checksum states; a "bad" one comes with `checksumNote`. */
  checksums?: { ip: "good" | "bad"; udp: ChecksumState };
  checksumNote?: string;
  dhcp?: DhcpPacket;
  fields?: DhcpFields;
  summary: string;
  /** Set when this packet did not decode: the message names the byte offset. */
  error?: string;
}

export interface DecodeResult {
  kind: "pcap" | "pcapng" | "frame" | "dhcp";
  records: DecodedRecord[];
  /** Packets of the capture that are not DHCP (other protocols and ports). */
  skipped: number;
  /** The capture is cut short or damaged after the records above (names the byte offset). */
  error?: string;
}

function record(
  n: number,
  time: number | undefined,
  f: DecodedFrame | undefined,
  payload: Uint8Array,
  base: number,
): DecodedRecord {
  const p = decodeDhcp(payload, base);
  const ip = f ? { src: f.srcIp, dst: f.dstIp, sport: f.srcPort, dport: f.dstPort, ttl: f.ttl } : undefined;
  const badLayers = f ? [f.checksums.ip === "bad" ? "IP" : "", f.checksums.udp === "bad" ? "UDP" : ""] : [];
  const bad =
    f && (f.checksums.ip === "bad" || f.checksums.udp === "bad")
      ? ` [bad ${badLayers.filter(Boolean).join("+")} checksum]`
      : "";
  return {
    number: n,
    ...(time !== undefined ? { time } : {}),
    ...(f ? { eth: { src: f.srcMac || null, dst: f.dstMac || null, vlans: f.vlans } } : {}),
    ...(ip ? { ip } : {}),
    ...(f ? { checksums: f.checksums } : {}),
    ...(f?.checksumNote ? { checksumNote: f.checksumNote } : {}),
    dhcp: p,
    fields: fieldsOf(p),
    summary: (ip ? `${ip.src}:${ip.sport} → ${ip.dst}:${ip.dport} ` : "") + describe(p) + bad,
  };
}

const looksLikeFrame = (b: Uint8Array) => b.length >= 42 && b[12] === 0x08 && b[13] === 0x00 && b[14]! >> 4 === 4;
/** A DHCP message: the magic cookie at 236, or (a cut one) op 1/2, htype 1 (Ethernet), hlen 6 up front. */
const looksLikeDhcp = (b: Uint8Array) =>
  (b.length >= 240 && new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(236) === MAGIC_COOKIE) ||
  (b.length >= 4 && (b[0] === 1 || b[0] === 2) && b[1] === 1 && b[2] === 6);

/** Decodes one frame (linktype 1) or DHCP message; throws a ParseError with a byte offset. */
export function decodeBytes(b: Uint8Array, strict = false): DecodeResult {
  if (looksLikeFrame(b)) {
    const f = decodeFrame(b, 1, { strict });
    return { kind: "frame", records: [record(1, undefined, f, f.payload, f.payloadOffset)], skipped: 0 };
  }
  return { kind: "dhcp", records: [record(1, undefined, undefined, b, 0)], skipped: 0 };
}

/** Bytes that are no capture, no hex text, no frame and no DHCP message. */
function neither(b: Uint8Array, source: string): ParseError {
  const head = bytesToHex(b.subarray(0, 4));
  return new ParseError(
    b.length < 4
      ? `neither a capture file nor a DHCP message: only ${b.length} byte(s)`
      : `neither a capture file (no pcap or pcapng magic number) nor a DHCP message (no magic cookie 63 82 ` +
          `53 63 at byte offset 236)`,
    {
      value: b.length < 4 ? head || "(empty)" : `first bytes ${head}`,
      location: { file: source, offset: 0 },
      hint: "give a tcpdump/Wireshark capture (.pcap, .pcapng), or a DHCP message or Ethernet frame as binary or hex",
    },
  );
}

/**
 * Decodes a capture (pcap or pcapng), binary or hex text. In a capture, non-DHCP packets are
 * counted as skipped and a broken packet becomes a record with `error` (the others still decode);
 * `strict` refuses bad checksums, broken packets and damaged files instead.
 */
export function decodeInput(input: Uint8Array | string, source = "<input>", strict = false): DecodeResult {
  if (typeof input === "string") return decodeBytes(hexToBytes(input, source), strict);
  const kind = captureKind(input);
  if (!kind) {
    const text = Buffer.from(input).toString("latin1").trim();
    if (text.length >= 8 && /^[0-9a-fA-F\s:x]+$/.test(text)) return decodeBytes(hexToBytes(text, source), strict);
    if (looksLikeFrame(input) || looksLikeDhcp(input)) return decodeBytes(input, strict);
    throw neither(input, source);
  }
  const cap = readCapture(input, source);
  const bad = firstUnsupportedLinktype(cap, isSupportedLinktype);
  if (bad) {
    throw new UnsupportedError(
      `link type ${linktypeName(bad.linktype)} is not supported for DHCP ` +
        `decoding${bad.packet ? ` (packet ${bad.packet} was captured on it)` : ""}`,
      {
        value: bad.linktype,
        location: { file: source, offset: bad.offset },
        hint: "supported: Ethernet (1), raw IPv4 (101, 228), Linux cooked capture (113, 276)",
      },
    );
  }
  if (strict && cap.error) throw cap.error;
  const res: DecodeResult = { kind, records: [], skipped: 0, ...(cap.error ? { error: cap.error.message } : {}) };
  for (const pk of cap.records) {
    try {
      const f = decodeFrame(pk.data, pk.linktype, { strict });
      if (![67, 68].includes(f.dstPort) && ![67, 68].includes(f.srcPort)) {
        res.skipped++;
        continue;
      }
      res.records.push(record(pk.number, pk.time, f, f.payload, f.payloadOffset));
    } catch (e) {
      if (!(e instanceof WirelabError)) throw e;
      // ARP, IPv6, TCP…: not DHCP, counted like other UDP ports (fragments and broken headers are reported).
      if (e instanceof UnsupportedError && /only IPv4|only UDP/.test(e.message)) {
        res.skipped++;
        continue;
      }
      const at = pk.offset + (e.details.location?.offset ?? 0);
      const snap =
        pk.originalLength > pk.data.length
          ? ` (only ${pk.data.length} of its ${pk.originalLength} bytes were captured: the snapshot length ` +
            `cut it; capture with tcpdump -s 0)`
          : "";
      const msg = `packet ${pk.number} (file offset ${pk.offset}): ${e.message}${snap}`;
      if (strict) throw new ParseError(msg, { location: { file: source, offset: at } });
      res.records.push({ number: pk.number, time: pk.time, summary: "(undecodable)", error: msg });
    }
  }
  return res;
}

/** Counts DHCP messages in a capture as fast as possible (the benchmark's inner loop; strict). */
export function countMessages(b: Uint8Array): { packets: number; byType: Record<string, number> } {
  const byType: Record<string, number> = {};
  let packets = 0;
  const cap = readCapture(b);
  if (cap.error) throw cap.error;
  for (const pk of cap.records) {
    const f = decodeFrame(pk.data, pk.linktype, { strict: true });
    const p = decodeDhcp(f.payload, f.payloadOffset);
    const t = fieldsOf(p).messageType ?? "BOOTP";
    byType[t] = (byType[t] ?? 0) + 1;
    packets++;
  }
  return { packets, byType };
}

/**
 * Ethernet II (IEEE 802.3 type field), IPv4 (RFC 791) and UDP (RFC 768) framing for DHCP
 * messages, with the Internet checksum (RFC 1071) computed on write and verified on read.
 * A UDP checksum of 0 means "not computed" (RFC 768) and is accepted.
 *
 * `decodeFrame` reports byte offsets into the frame: a truncated header, an IPv4 header or total
 * length that does not fit, a UDP length that disagrees with IPv4, fragments and non-UDP protocols
 * (unsupported) all throw. A wrong IPv4 or UDP checksum is decoded and marked "bad" with a hint
 * (captured on the sending host, it is usually checksum offload: the NIC fills the checksum in
 * after the capture point); with `{ strict: true }` it throws instead. The link layer (Ethernet
 * with VLAN tags, Linux cooked capture, raw IP) is read by `src/capture/link.ts`.
 *
 * @example
 *   const bytes = encodeFrame({ srcMac, dstMac: BROADCAST_MAC, srcIp: "0.0.0.0", dstIp: "255.255.255.255",
 *                               srcPort: 68, dstPort: 67, payload: encodeDhcp(p) });
 *   decodeFrame(bytes).udp.dstPort; // 67
 */
import { ParseError, UnsupportedError } from "../util/errors";
import { decodeLink } from "../capture/link";
import { macToBytes, readIp, writeIp } from "./addr";

export interface UdpDatagram {
  srcMac: string;
  dstMac: string;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  ttl?: number;
  ipId?: number;
  /** IPv4 TOS byte (default 0x10, IPTOS_LOWDELAY, as ISC and Kea write it in raw frames). */
  tos?: number;
  /** Don't-fragment flag (default false). */
  df?: boolean;
  payload: Uint8Array;
}

export type ChecksumState = "good" | "bad" | "none";

export interface DecodedFrame extends UdpDatagram {
  ttl: number;
  ipId: number;
  tos: number;
  df: boolean;
  /** 802.1Q VLAN IDs, outermost first. */
  vlans: number[];
  /** Byte offset of the UDP payload in the frame (Ethernet: 42 without IP options). */
  payloadOffset: number;
  /** "bad" only without `strict`; `checksumNote` then says which and why it is usually harmless. */
  checksums: { ip: "good" | "bad"; udp: ChecksumState };
  checksumNote?: string;
}

/** Said of every bad checksum in a capture: the usual cause, and how to capture without it. */
export const OFFLOAD_HINT =
  "often checksum offload on the capturing host (the NIC computes it after the capture point; tshark " +
  "shows the same); capture with: ethtool -K DEV tx off";

/** RFC 1071 one's-complement sum over bytes (optionally continuing `start`). */
export function onesSum(b: Uint8Array, off: number, len: number, start = 0): number {
  let s = start;
  let i = off;
  const end = off + len;
  for (; i + 1 < end; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (i < end) s += b[i]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}
const finish = (s: number) => ~s & 0xffff;

function udpChecksum(b: Uint8Array, ipOff: number, udpOff: number, udpLen: number): number {
  // pseudo-header: src, dst, zero, protocol 17, UDP length
  let s = onesSum(b, ipOff + 12, 8);
  s += 17 + udpLen;
  s = onesSum(b, udpOff, udpLen, s);
  return finish(s);
}

/** Builds an Ethernet + IPv4 + UDP frame with correct checksums. */
export function encodeFrame(d: UdpDatagram): Uint8Array {
  const udpLen = 8 + d.payload.length;
  const ipLen = 20 + udpLen;
  const b = new Uint8Array(14 + ipLen);
  const dv = new DataView(b.buffer);
  b.set(macToBytes(d.dstMac, "destination MAC"), 0);
  b.set(macToBytes(d.srcMac, "source MAC"), 6);
  dv.setUint16(12, 0x0800);
  const ip = 14;
  b[ip] = 0x45;
  b[ip + 1] = d.tos ?? 0x10; // IPTOS_LOWDELAY, as ISC and Kea send in raw frames
  dv.setUint16(ip + 2, ipLen);
  dv.setUint16(ip + 4, (d.ipId ?? 0) & 0xffff);
  dv.setUint16(ip + 6, d.df ? 0x4000 : 0);
  b[ip + 8] = d.ttl ?? 64;
  b[ip + 9] = 17;
  writeIp(b, ip + 12, d.srcIp, "source IP");
  writeIp(b, ip + 16, d.dstIp, "destination IP");
  dv.setUint16(ip + 10, finish(onesSum(b, ip, 20)));
  const u = ip + 20;
  dv.setUint16(u, d.srcPort);
  dv.setUint16(u + 2, d.dstPort);
  dv.setUint16(u + 4, udpLen);
  b.set(d.payload, u + 8);
  const c = udpChecksum(b, ip, u, udpLen);
  dv.setUint16(u + 6, c === 0 ? 0xffff : c);
  return b;
}

const perr = (msg: string, offset: number, value?: unknown, hint?: string) =>
  new ParseError(msg, {
    ...(value !== undefined ? { value } : {}),
    where: "frame",
    location: { offset },
    ...(hint ? { hint } : {}),
  });

/**
 * Parses the link layer (`linktype` 1 = Ethernet, 101/228 = raw IPv4, 113/276 = Linux cooked),
 * IPv4 and UDP, and verifies both checksums: a wrong one is marked "bad" (or throws with `strict`).
 */
export function decodeFrame(b: Uint8Array, linktype = 1, opts: { strict?: boolean } = {}): DecodedFrame {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const link = decodeLink(b, linktype);
  const srcMac = link.src ?? "",
    dstMac = link.dst ?? "";
  if (link.etherType !== 0x0800) {
    const v =
      link.etherType === undefined ? "802.3 length field (LLC)" : "0x" + link.etherType.toString(16).padStart(4, "0");
    throw new UnsupportedError("only IPv4 (EtherType 0x0800) is supported", {
      value: v,
      location: { offset: link.payloadOffset - 2 },
    });
  }
  const ip = link.payloadOffset;
  if (b.length < ip + 20) throw perr(`truncated IPv4 header: ${b.length - ip} bytes`, b.length);
  const vih = b[ip]!;
  if (vih >> 4 !== 4) throw perr("IP version is not 4", ip, vih >> 4);
  const ihl = (vih & 15) * 4;
  if (ihl < 20) throw perr("IPv4 header length below 20", ip, ihl);
  if (b[ip + 9] !== 17)
    throw new UnsupportedError("only UDP (protocol 17) is supported", {
      value: b[ip + 9],
      location: { offset: ip + 9 },
    });
  const frag = dv.getUint16(ip + 6);
  if ((frag & 0x3fff) !== 0)
    throw new UnsupportedError("IPv4 fragments are not reassembled", {
      value: "0x" + frag.toString(16),
      location: { offset: ip + 6 },
    });
  const total = dv.getUint16(ip + 2);
  if (total < ihl + 8 || ip + total > b.length)
    throw perr(`IPv4 total length ${total} does not fit the ${b.length - ip} bytes captured`, ip + 2, total);
  if (b.length < ip + ihl + 8)
    throw perr(`truncated IPv4 options or UDP header: ${b.length - ip} bytes after the link header`, b.length);
  const notes: string[] = [];
  let ipState: "good" | "bad" = "good";
  if (finish(onesSum(b, ip, ihl)) !== 0) {
    const got = dv.getUint16(ip + 10);
    const want = finish(onesSum(b, ip, ihl, ~got & 0xffff));
    if (opts.strict) throw perr("bad IPv4 header checksum", ip + 10, "0x" + got.toString(16), OFFLOAD_HINT);
    ipState = "bad";
    notes.push(
      `IPv4 header checksum 0x${got.toString(16).padStart(4, "0")} is wrong (should be ` +
        `0x${want.toString(16).padStart(4, "0")}, byte offset ${ip + 10})`,
    );
  }
  const u = ip + ihl;
  const udpLen = dv.getUint16(u + 4);
  if (udpLen !== total - ihl)
    throw perr(`UDP length ${udpLen} disagrees with the IPv4 payload length ${total - ihl}`, u + 4, udpLen);
  const ck = dv.getUint16(u + 6);
  let udpState: ChecksumState = "none";
  if (ck !== 0) {
    udpState = "good";
    if (udpChecksum(b, ip, u, udpLen) !== 0) {
      if (opts.strict) throw perr("bad UDP checksum", u + 6, "0x" + ck.toString(16), OFFLOAD_HINT);
      udpState = "bad";
      const c = new Uint8Array(b.subarray(0, u + udpLen));
      c[u + 6] = 0;
      c[u + 7] = 0;
      const want = udpChecksum(c, ip, u, udpLen) || 0xffff;
      notes.push(
        `UDP checksum 0x${ck.toString(16).padStart(4, "0")} is wrong (should be ` +
          `0x${want.toString(16).padStart(4, "0")}, byte offset ${u + 6})`,
      );
    }
  }
  return {
    srcMac,
    dstMac,
    srcIp: readIp(b, ip + 12),
    dstIp: readIp(b, ip + 16),
    srcPort: dv.getUint16(u),
    dstPort: dv.getUint16(u + 2),
    ttl: b[ip + 8]!,
    ipId: dv.getUint16(ip + 4),
    tos: b[ip + 1]!,
    df: (dv.getUint16(ip + 6) & 0x4000) !== 0,
    vlans: link.vlans,
    payload: b.subarray(u + 8, u + udpLen),
    payloadOffset: u + 8,
    checksums: { ip: ipState, udp: udpState },
    ...(notes.length ? { checksumNote: `${notes.join("; ")}: ${OFFLOAD_HINT}` } : {}),
  };
}

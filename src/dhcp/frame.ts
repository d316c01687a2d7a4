/**
 * Ethernet II (IEEE 802.3 type field), IPv4 (RFC 791) and UDP (RFC 768) framing for DHCP
 * messages, with the Internet checksum (RFC 1071) computed on write and verified on read.
 * A UDP checksum of 0 means "not computed" (RFC 768) and is accepted.
 *
 * `decodeFrame` is strict and reports byte offsets into the frame: a truncated header, an IPv4
 * header or total length that does not fit, a bad header checksum, a UDP length that disagrees
 * with IPv4, a bad UDP checksum, fragments and non-UDP protocols (unsupported) all throw.
 *
 * @example
 *   const bytes = encodeFrame({ srcMac, dstMac: BROADCAST_MAC, srcIp: "0.0.0.0", dstIp: "255.255.255.255",
 *                               srcPort: 68, dstPort: 67, payload: encodeDhcp(p) });
 *   decodeFrame(bytes).udp.dstPort; // 67
 */
import { ParseError, UnsupportedError } from "../util/errors";
import { bytesToMac, macToBytes, readIp, writeIp } from "./addr";

export interface UdpDatagram {
  srcMac: string;
  dstMac: string;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  ttl?: number;
  ipId?: number;
  payload: Uint8Array;
}

export interface DecodedFrame extends UdpDatagram {
  ttl: number;
  ipId: number;
  /** Byte offset of the UDP payload in the frame (Ethernet: 42 without IP options). */
  payloadOffset: number;
  checksums: { ip: "good"; udp: "good" | "none" };
}

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
const finish = (s: number) => (~s & 0xffff);

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
  b[ip] = 0x45; b[ip + 1] = 0x10; // IPTOS_LOWDELAY, as ISC and Kea send
  dv.setUint16(ip + 2, ipLen);
  dv.setUint16(ip + 4, (d.ipId ?? 0) & 0xffff);
  dv.setUint16(ip + 6, 0);
  b[ip + 8] = d.ttl ?? 64; b[ip + 9] = 17;
  writeIp(b, ip + 12, d.srcIp, "source IP"); writeIp(b, ip + 16, d.dstIp, "destination IP");
  dv.setUint16(ip + 10, finish(onesSum(b, ip, 20)));
  const u = ip + 20;
  dv.setUint16(u, d.srcPort); dv.setUint16(u + 2, d.dstPort); dv.setUint16(u + 4, udpLen);
  b.set(d.payload, u + 8);
  const c = udpChecksum(b, ip, u, udpLen);
  dv.setUint16(u + 6, c === 0 ? 0xffff : c);
  return b;
}

const perr = (msg: string, offset: number, value?: unknown, hint?: string) =>
  new ParseError(msg, { ...(value !== undefined ? { value } : {}), where: "frame", location: { offset }, ...(hint ? { hint } : {}) });

/** Parses Ethernet II / IPv4 / UDP and verifies both checksums. `linktype` 1 = Ethernet, 101 = raw IPv4, 113/276 = Linux cooked. */
export function decodeFrame(b: Uint8Array, linktype = 1): DecodedFrame {
  let ip = 0, srcMac = "", dstMac = "";
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (linktype === 1) {
    if (b.length < 14) throw perr(`truncated Ethernet header: ${b.length} bytes`, b.length, b.length);
    dstMac = bytesToMac(b.subarray(0, 6)); srcMac = bytesToMac(b.subarray(6, 12));
    const et = dv.getUint16(12);
    if (et === 0x8100) throw new UnsupportedError("802.1Q VLAN tags are not supported", { value: "0x8100", location: { offset: 12 } });
    if (et !== 0x0800) throw new UnsupportedError("only IPv4 (EtherType 0x0800) is supported", { value: "0x" + et.toString(16).padStart(4, "0"), location: { offset: 12 } });
    ip = 14;
  } else if (linktype === 113 || linktype === 276) {
    // Linux cooked capture (tcpdump -i any): SLL has a 16-byte header with the protocol at 14,
    // SLL2 a 20-byte header with the protocol at 0. The link-layer source address is kept.
    const hl = linktype === 113 ? 16 : 20;
    if (b.length < hl) throw perr(`truncated Linux cooked header: ${b.length} bytes`, b.length, b.length);
    const proto = dv.getUint16(linktype === 113 ? 14 : 0);
    if (proto !== 0x0800) throw new UnsupportedError("only IPv4 (protocol 0x0800) is supported", { value: "0x" + proto.toString(16).padStart(4, "0"), location: { offset: linktype === 113 ? 14 : 0 } });
    const alen = Math.min(8, b[linktype === 113 ? 5 : 11]!);
    srcMac = bytesToMac(b.subarray(linktype === 113 ? 6 : 12, (linktype === 113 ? 6 : 12) + alen));
    ip = hl;
  } else if (linktype !== 101) {
    throw new UnsupportedError("only pcap link types 1 (Ethernet), 101 (raw IP), 113 and 276 (Linux cooked, tcpdump -i any) are supported", { value: linktype });
  }
  if (b.length < ip + 20) throw perr(`truncated IPv4 header: ${b.length - ip} bytes`, b.length);
  const vih = b[ip]!;
  if (vih >> 4 !== 4) throw perr("IP version is not 4", ip, vih >> 4);
  const ihl = (vih & 15) * 4;
  if (ihl < 20) throw perr("IPv4 header length below 20", ip, ihl);
  const total = dv.getUint16(ip + 2);
  if (total < ihl + 8 || ip + total > b.length) throw perr(`IPv4 total length ${total} does not fit the ${b.length - ip} bytes captured`, ip + 2, total);
  if (finish(onesSum(b, ip, ihl)) !== 0) throw perr("bad IPv4 header checksum", ip + 10, "0x" + dv.getUint16(ip + 10).toString(16), "on a capture host this is often tx checksum offload: ethtool -K dev tx off");
  const frag = dv.getUint16(ip + 6);
  if ((frag & 0x3fff) !== 0) throw new UnsupportedError("IPv4 fragments are not reassembled", { value: "0x" + frag.toString(16), location: { offset: ip + 6 } });
  if (b[ip + 9] !== 17) throw new UnsupportedError("only UDP (protocol 17) is supported", { value: b[ip + 9], location: { offset: ip + 9 } });
  const u = ip + ihl;
  const udpLen = dv.getUint16(u + 4);
  if (udpLen !== total - ihl) throw perr(`UDP length ${udpLen} disagrees with the IPv4 payload length ${total - ihl}`, u + 4, udpLen);
  const ck = dv.getUint16(u + 6);
  let udpState: "good" | "none" = "none";
  if (ck !== 0) {
    if (udpChecksum(b, ip, u, udpLen) !== 0) throw perr("bad UDP checksum", u + 6, "0x" + ck.toString(16), "on a capture host this is often tx checksum offload: ethtool -K dev tx off");
    udpState = "good";
  }
  return {
    srcMac, dstMac, srcIp: readIp(b, ip + 12), dstIp: readIp(b, ip + 16),
    srcPort: dv.getUint16(u), dstPort: dv.getUint16(u + 2), ttl: b[ip + 8]!, ipId: dv.getUint16(ip + 4),
    payload: b.subarray(u + 8, u + udpLen), payloadOffset: u + 8, checksums: { ip: "good", udp: udpState },
  };
}

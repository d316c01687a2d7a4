/**
 * Real frames for a packet walk: one Ethernet frame per link the packet crosses, carrying the
 * MPLS stack (RFC 3032, EtherType 0x8847), an IPv4 header (RFC 791, header checksum RFC 1071) and
 * an ICMP echo request (RFC 792, checksummed), written as a classic libpcap file (LINKTYPE_ETHERNET).
 * Open the file in Wireshark to see the labels swap hop by hop.
 */
import { encodeStack, type LabelStackEntry } from "./label";
import { macOf, type Link, type Topology } from "./topology";
import type { Walk } from "./walk";

export interface Frame {
  /** "PE1→P1" or "PE2→site" for the delivery. */
  where: string;
  bytes: Uint8Array;
  stack: LabelStackEntry[];
  ipTtl: number;
}

/** RFC 1071 Internet checksum of `data`. */
export function internetChecksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i]! << 8) | (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const ICMP_ID = 0x574c; // "WL"

/** IPv4 + ICMP echo request with correct checksums. */
export function ipv4Icmp(src: number, dst: number, ttl: number, seq = 1, payloadLen = 32): Uint8Array {
  const icmp = new Uint8Array(8 + payloadLen);
  icmp[0] = 8; // echo request
  icmp[4] = ICMP_ID >> 8;
  icmp[5] = ICMP_ID & 0xff;
  icmp[6] = seq >> 8;
  icmp[7] = seq & 0xff;
  for (let i = 0; i < payloadLen; i++) icmp[8 + i] = 0x61 + (i % 26);
  const ic = internetChecksum(icmp);
  icmp[2] = ic >> 8;
  icmp[3] = ic & 0xff;
  const ip = new Uint8Array(20 + icmp.length);
  const dv = new DataView(ip.buffer);
  ip[0] = 0x45;
  dv.setUint16(2, ip.length);
  dv.setUint16(4, 0x1000 + seq); // identification
  dv.setUint16(6, 0x4000); // DF
  ip[8] = ttl;
  ip[9] = 1; // ICMP
  dv.setUint32(12, src >>> 0);
  dv.setUint32(16, dst >>> 0);
  dv.setUint16(10, internetChecksum(ip.subarray(0, 20)));
  ip.set(icmp, 20);
  return ip;
}

export function ethernet(dst: Uint8Array, src: Uint8Array, etherType: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + payload.length);
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = etherType >> 8;
  f[13] = etherType & 0xff;
  f.set(payload, 14);
  return f;
}

/** The frame as it crosses `link` from `from` to `to`. */
export function mplsFrame(
  t: Topology,
  from: string,
  to: string,
  link: Link,
  stack: LabelStackEntry[],
  ip: Uint8Array,
): Uint8Array {
  const payload = stack.length ? concat(encodeStack(stack), ip) : ip;
  return ethernet(macOf(t, to, link), macOf(t, from, link), stack.length ? 0x8847 : 0x0800, payload);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length + b.length);
  o.set(a, 0);
  o.set(b, a.length);
  return o;
}

/**
 * One frame per link crossed, plus the delivery frame towards the attached network (none when the router itself was
 * the destination).
 */
export function walkFrames(t: Topology, w: Walk): Frame[] {
  const frames: Frame[] = [];
  for (const h of w.hops) {
    if (h.next === undefined || h.link === undefined) continue;
    const ip = ipv4Icmp(w.ip.src, w.ip.dst, h.outIpTtl);
    frames.push({
      where: `${h.router}→${h.next}`,
      bytes: mplsFrame(t, h.router, h.next, h.link, h.outStack, ip),
      stack: h.outStack,
      ipTtl: h.outIpTtl,
    });
  }
  const last = w.hops[w.hops.length - 1];
  // A packet for the router itself stops there: no frame towards an attached network.
  if (w.outcome === "delivered" && w.deliveredTo !== "router" && last) {
    const ri = t.routers.get(last.router)!.index;
    const src = Uint8Array.of(0x02, 0x4d, 0x50, (ri >> 8) & 0xff, ri & 0xff, 0xff);
    const dst = Uint8Array.of(0x02, 0x43, 0x45, 0x00, 0x00, 0x01);
    frames.push({
      where: `${last.router}→site`,
      bytes: ethernet(dst, src, 0x0800, ipv4Icmp(w.ip.src, w.ip.dst, last.outIpTtl)),
      stack: [],
      ipTtl: last.outIpTtl,
    });
  }
  return frames;
}

/** A classic pcap file (microsecond timestamps, LINKTYPE_ETHERNET). Timestamps are deterministic. */
export function pcapFile(frames: Uint8Array[], startSeconds = 1_700_000_000): Uint8Array {
  const size = 24 + frames.reduce((s, f) => s + 16 + f.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, 1, true);
  let at = 24;
  frames.forEach((f, i) => {
    dv.setUint32(at, startSeconds, true);
    dv.setUint32(at + 4, i * 1000, true);
    dv.setUint32(at + 8, f.length, true);
    dv.setUint32(at + 12, f.length, true);
    out.set(f, at + 16);
    at += 16 + f.length;
  });
  return out;
}

/** The pcap of a walk. */
export function walkPcap(t: Topology, w: Walk): Uint8Array {
  return pcapFile(walkFrames(t, w).map((f) => f.bytes));
}

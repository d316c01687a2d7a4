/**
 * Test helper: a BGP UPDATE carrying one VPNv4 route (RFC 4364 §4.3.4 NLRI: label, RD, prefix in
 * MP_REACH_NLRI, RFC 4760) and route targets in EXTENDED_COMMUNITIES (RFC 4360), wrapped in
 * Ethernet/IPv4/TCP port 179 and a classic pcap file, so tshark can decode our bytes.
 */
import { encodeRd, encodeRt, parseRd, parseRt } from "../../src/vpn/rd";

function u16(n: number): number[] {
  return [(n >> 8) & 255, n & 255];
}

export function bgpVpnUpdate(
  rd: string,
  prefix: string,
  label: number,
  rts: string[],
  nextHop = "10.0.0.1",
): Uint8Array {
  const [addr, lenText] = prefix.split("/");
  const plen = Number(lenText);
  const pbytes = addr!
    .split(".")
    .map(Number)
    .slice(0, Math.ceil(plen / 8));
  const nlri = [
    24 + 64 + plen,
    (label >> 12) & 255,
    (label >> 4) & 255,
    ((label & 15) << 4) | 1,
    ...encodeRd(parseRd(rd)),
    ...pbytes,
  ];
  const mp = [...u16(1), 128, 12, 0, 0, 0, 0, 0, 0, 0, 0, ...nextHop.split(".").map(Number), 0, ...nlri];
  const ext = rts.flatMap((t) => [...encodeRt(parseRt(t))]);
  const attrs = [
    0x40,
    1,
    1,
    0, // ORIGIN IGP
    0x40,
    2,
    0, // AS_PATH empty (iBGP)
    0x40,
    5,
    4,
    0,
    0,
    0,
    100, // LOCAL_PREF 100
    0x80,
    14,
    mp.length,
    ...mp, // MP_REACH_NLRI
    0xc0,
    16,
    ext.length,
    ...ext, // EXTENDED_COMMUNITIES
  ];
  const body = [...u16(0), ...u16(attrs.length), ...attrs];
  const msg = [...new Array(16).fill(0xff), ...u16(19 + body.length), 2, ...body];
  return Uint8Array.from(msg);
}

/** A pcap file with one TCP segment (a distinct source port each, to port 179) per payload. */
export function pcapOf(payloads: Uint8Array[]): Buffer {
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(1, 20);
  return Buffer.concat([gh, ...payloads.map((p, i) => frameRecord(p, 40000 + i))]);
}

function frameRecord(payload: Uint8Array, sport: number): Buffer {
  const tcp = [...u16(sport), ...u16(179), 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, ...u16(65535), 0, 0, 0, 0];
  const ipLen = 20 + tcp.length + payload.length;
  const ip = [0x45, 0, ...u16(ipLen), 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 7];
  let sum = 0;
  for (let i = 0; i < ip.length; i += 2) sum += (ip[i]! << 8) | ip[i + 1]!;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  const ck = ~sum & 0xffff;
  ip[10] = ck >> 8;
  ip[11] = ck & 255;
  const eth = [2, 0, 0, 0, 0, 7, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
  const frame = Buffer.from([...eth, ...ip, ...tcp, ...payload]);
  const rh = Buffer.alloc(16);
  rh.writeUInt32LE(1795000000, 0);
  rh.writeUInt32LE(frame.length, 8);
  rh.writeUInt32LE(frame.length, 12);
  return Buffer.concat([rh, frame]);
}

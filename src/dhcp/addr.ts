/**
 * IPv4 and MAC address helpers for the DHCP module: dotted-quad ⇄ 32-bit number ⇄ bytes,
 * "aa:bb:cc:dd:ee:ff" ⇄ bytes, prefix matching. Addresses follow RFC 791 (IPv4) and IEEE 802
 * (48-bit MAC) notation. Every parser names the bad value and where it came from.
 *
 * @example
 *   ipToInt("10.0.0.1");          // 167772161
 *   inPrefix("10.20.30.7", "10.20.30.0/24"); // true
 */
import { InputError } from "../util/errors";

/** Dotted quad → unsigned 32-bit number. */
export function ipToInt(ip: string, where = "IPv4 address"): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) throw new InputError("not a dotted-quad IPv4 address", { value: ip, where });
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const b = Number(m[i]);
    if (b > 255) throw new InputError("IPv4 address byte above 255", { value: ip, where });
    n = n * 256 + b;
  }
  return n >>> 0;
}

/** Unsigned 32-bit number → dotted quad. */
export function intToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Reads 4 bytes at `off` as a dotted quad. */
export function readIp(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** Writes a dotted quad at `off`. */
export function writeIp(b: Uint8Array, off: number, ip: string, where?: string): void {
  const n = ipToInt(ip, where);
  b[off] = n >>> 24;
  b[off + 1] = (n >>> 16) & 255;
  b[off + 2] = (n >>> 8) & 255;
  b[off + 3] = n & 255;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Bytes → lower-case hex separated by ":" (MAC style). */
export function bytesToMac(b: Uint8Array): string {
  if (b.length === 0) return "";
  let s = HEX[b[0]!]!;
  for (let i = 1; i < b.length; i++) s += ":" + HEX[b[i]!]!;
  return s;
}

/** "aa:bb:cc:dd:ee:ff" (also "-" or "." separated, or bare hex) → bytes. */
export function macToBytes(mac: string, where = "MAC address"): Uint8Array {
  const hex = mac.replace(/[:\-.]/g, "");
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new InputError("not a hex hardware address", { value: mac, where });
  return hexToBytes(hex, where);
}

/** Hex string (spaces, colons and newlines ignored) → bytes. */
export function hexToBytes(hex: string, where = "hex input"): Uint8Array {
  const h = hex.replace(/[\s:]/g, "").replace(/^0x/i, "");
  if (h.length % 2 !== 0 || /[^0-9a-fA-F]/.test(h)) {
    const bad = h.search(/[^0-9a-fA-F]/);
    throw new InputError(bad >= 0 ? `not a hex digit at character ${bad}` : "odd number of hex digits", {
      value: hex.slice(0, 40),
      where,
    });
  }
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
  return out;
}

/** Bytes → plain lower-case hex. */
export function bytesToHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!]!;
  return s;
}

/** Is `ip` inside `prefix` ("a.b.c.d/len")? */
export function inPrefix(ip: string, prefix: string): boolean {
  const [net, lenS] = prefix.split("/");
  const len = Number(lenS ?? "32");
  if (!Number.isInteger(len) || len < 0 || len > 32)
    throw new InputError("prefix length must be 0..32", { value: prefix });
  if (len === 0) return true;
  const mask = len === 32 ? 0xffffffff : ~((1 << (32 - len)) - 1) >>> 0;
  return (ipToInt(ip) & mask) >>> 0 === (ipToInt(net!, prefix) & mask) >>> 0;
}

export const BROADCAST_IP = "255.255.255.255";
export const ZERO_IP = "0.0.0.0";
export const BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";

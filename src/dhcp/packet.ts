/**
 * DHCP/BOOTP message codec: RFC 2131 §2 (fixed fields, magic cookie), RFC 2132 (options),
 * RFC 3046 (relay agent information, option 82), RFC 3396 (split long options are concatenated)
 * and option 52 "overload" (RFC 2132 §9.3: options continue in `file`, then `sname`).
 *
 * `decodeDhcp(bytes)` is strict: a truncated header, a wrong cookie, an option running past the
 * end, a missing end option, a known option with an impossible length or non-zero bytes after the
 * end option all throw a `ParseError` carrying the byte offset of the problem. Unknown options are
 * kept as raw bytes (real PXE clients send 93, 94, 97; servers send 58, 59): they are data, not
 * errors. `encodeDhcp(packet)` writes the same structure back, padding to the 300-byte BOOTP
 * minimum (RFC 1542 §3.3), so `decodeDhcp(encodeDhcp(p))` round-trips.
 *
 * @example
 *   const p = makeDhcp({ op: 1, xid: 0x1234, chaddr: "6c:2b:59:c1:32:73", flags: 0x8000,
 *                        options: buildOptions({ messageType: "DISCOVER" }) });
 *   fieldsOf(decodeDhcp(encodeDhcp(p))).messageType; // "DISCOVER"
 */
import { ParseError, InputError } from "../util/errors";
import { bytesToHex, bytesToMac, hexToBytes, macToBytes, readIp, writeIp, ZERO_IP } from "./addr";

export const MAGIC_COOKIE = 0x63825363;
export const BOOTP_FIXED = 236; // bytes before the magic cookie
export const BOOTP_MIN = 300; // RFC 1542 §3.3: pad to at least 300 bytes

export const MESSAGE_TYPES = [
  "",
  "DISCOVER",
  "OFFER",
  "REQUEST",
  "DECLINE",
  "ACK",
  "NAK",
  "RELEASE",
  "INFORM",
] as const;
export type MessageType = "DISCOVER" | "OFFER" | "REQUEST" | "DECLINE" | "ACK" | "NAK" | "RELEASE" | "INFORM";

/** One option as it sits in the packet (after RFC 3396 concatenation the first offset is kept). */
export interface DhcpOption {
  code: number;
  data: Uint8Array;
  /** Byte offset of the option's code byte in the message (−1 for options built in code). */
  offset?: number;
}

export interface DhcpPacket {
  /** 1 = BOOTREQUEST, 2 = BOOTREPLY. */
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  /** Bit 15 (0x8000) is the BROADCAST flag. */
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** The first `hlen` bytes of the 16-byte chaddr field, "aa:bb:…". */
  chaddr: string;
  sname: string;
  file: string;
  options: DhcpOption[];
}

/** Option names used in tables and errors. */
export const OPTION_NAMES: Record<number, string> = {
  0: "pad",
  1: "subnet-mask",
  3: "router",
  6: "domain-name-server",
  12: "host-name",
  50: "requested-ip",
  51: "lease-time",
  52: "overload",
  53: "message-type",
  54: "server-id",
  55: "parameter-request-list",
  57: "max-message-size",
  58: "renewal-time",
  59: "rebinding-time",
  60: "vendor-class-id",
  61: "client-id",
  66: "tftp-server-name",
  67: "bootfile-name",
  82: "relay-agent-information",
  255: "end",
};

/** The typed view of the options this kit understands. */
export interface DhcpFields {
  messageType?: MessageType;
  subnetMask?: string;
  routers?: string[];
  dnsServers?: string[];
  hostName?: string;
  requestedIp?: string;
  leaseTime?: number;
  serverId?: string;
  paramRequestList?: number[];
  maxMessageSize?: number;
  renewalTime?: number;
  rebindingTime?: number;
  vendorClassId?: string;
  /** Hex of option 61 (first byte is the type, 1 = Ethernet). */
  clientId?: string;
  tftpServer?: string;
  bootfile?: string;
  /** Option 82: circuit-id (sub-option 1) and remote-id (2) in hex; other sub-options kept. */
  relayAgent?: { circuitId?: string; remoteId?: string; other?: Array<{ code: number; hex: string }> };
}

const latin1 = (b: Uint8Array): string => {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
};

/** A ParseError that remembers its bare message so a caller can shift the offset into a frame. */
export class DhcpParseError extends ParseError {
  constructor(
    readonly bare: string,
    details: ConstructorParameters<typeof ParseError>[1],
  ) {
    super(bare, details);
    this.name = "ParseError";
  }
  /** The same error with its byte offset moved by `delta` (DHCP offset → frame offset). */
  shifted(delta: number): DhcpParseError {
    const d = this.details;
    return new DhcpParseError(this.bare, {
      ...d,
      location: { ...d.location, offset: (d.location?.offset ?? 0) + delta },
    });
  }
}

function perr(msg: string, offset: number, value?: unknown, hint?: string): DhcpParseError {
  return new DhcpParseError(msg, {
    ...(value !== undefined ? { value } : {}),
    where: "DHCP message",
    location: { offset },
    ...(hint ? { hint } : {}),
  });
}

/** Reads a NUL-terminated string from a fixed field. */
function cstr(b: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return latin1(b.subarray(off, end));
}

/** Parses an options area [start, end); returns options and whether END was seen. */
function parseOptionArea(b: Uint8Array, start: number, end: number, area: string, out: DhcpOption[]): void {
  let i = start;
  while (i < end) {
    const code = b[i]!;
    if (code === 0) {
      i++;
      continue;
    }
    if (code === 255) {
      for (let j = i + 1; j < end; j++) {
        if (b[j] !== 0)
          throw perr(
            `non-zero byte after the end option in ${area}`,
            j,
            b[j],
            "only pad bytes (0) may follow option 255",
          );
      }
      return;
    }
    if (i + 1 >= end) throw perr(`option ${code} has no length byte (${area} ends)`, i, code);
    const len = b[i + 1]!;
    if (i + 2 + len > end) {
      throw perr(
        `option ${code} (${OPTION_NAMES[code] ?? "unknown"}) runs past the end of ${area}: length ${len} ` +
          `needs bytes up to ${i + 2 + len}, ${area} ends at ${end}`,
        i + 1,
        len,
      );
    }
    out.push({ code, data: b.subarray(i + 2, i + 2 + len), offset: i }); // a view: no copy
    i += 2 + len;
  }
  throw perr(`missing end option (255) in ${area}`, end, undefined, "every options area must finish with 255");
}

/** RFC 3396: options with the same code are concatenated, in order of appearance. */
function concatenate(opts: DhcpOption[]): DhcpOption[] {
  const seen = new Uint8Array(256);
  let dup = false;
  for (const o of opts) {
    if (seen[o.code]) {
      dup = true;
      break;
    }
    seen[o.code] = 1;
  }
  if (!dup) return opts;
  const byCode = new Map<number, DhcpOption>();
  const out: DhcpOption[] = [];
  for (const o of opts) {
    const prev = byCode.get(o.code);
    if (!prev) {
      const c = { ...o };
      byCode.set(o.code, c);
      out.push(c);
      continue;
    }
    const d = new Uint8Array(prev.data.length + o.data.length);
    d.set(prev.data);
    d.set(o.data, prev.data.length);
    prev.data = d;
  }
  return out;
}

/** Decodes a DHCP message (the UDP payload). Throws ParseError with a byte offset. */
export function decodeDhcp(bytes: Uint8Array, baseOffset = 0): DhcpPacket {
  try {
    return decodeAt(bytes);
  } catch (e) {
    if (baseOffset !== 0 && e instanceof DhcpParseError) throw e.shifted(baseOffset);
    throw e;
  }
}

function decodeAt(bytes: Uint8Array): DhcpPacket {
  const b = bytes;
  const at = (o: number) => o;
  if (b.length < BOOTP_FIXED + 4) {
    throw perr(
      `truncated: a DHCP message needs at least ${BOOTP_FIXED + 4} bytes (236 fixed + 4 cookie), got ${b.length}`,
      at(b.length),
      b.length,
    );
  }
  const op = b[0]!;
  if (op !== 1 && op !== 2) throw perr("op must be 1 (BOOTREQUEST) or 2 (BOOTREPLY)", at(0), op);
  const htype = b[1]!,
    hlen = b[2]!,
    hops = b[3]!;
  if (hlen > 16) throw perr("hlen above 16 does not fit the 16-byte chaddr field", at(2), hlen);
  if (htype === 1 && hlen !== 6) throw perr("Ethernet (htype 1) needs hlen 6", at(2), hlen);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const cookie = dv.getUint32(236);
  if (cookie !== MAGIC_COOKIE) {
    throw perr(
      "bad magic cookie: expected 63 82 53 63",
      at(236),
      bytesToHex(b.subarray(236, 240)),
      "a BOOTP-only message (no options) is not supported",
    );
  }
  const raw: DhcpOption[] = [];
  parseOptionArea(b, 240, b.length, "options", raw);
  let sname = cstr(b, 44, 64),
    file = cstr(b, 108, 128);
  const ov = raw.find((o) => o.code === 52);
  if (ov) {
    if (ov.data.length !== 1 || ov.data[0]! < 1 || ov.data[0]! > 3)
      throw perr("option 52 (overload) must be 1 byte with value 1, 2 or 3", at(ov.offset! + 1), bytesToHex(ov.data));
    const v = ov.data[0]!;
    if (v & 1) {
      parseOptionArea(b, 108, 236, "file field (overloaded)", raw);
      file = "";
    }
    if (v & 2) {
      parseOptionArea(b, 44, 108, "sname field (overloaded)", raw);
      sname = "";
    }
  }
  const options = ov ? concatenate(raw).filter((o) => o.code !== 52) : concatenate(raw);
  for (const o of options) validateOption(o, 0);
  return {
    op,
    htype,
    hlen,
    hops,
    xid: dv.getUint32(4),
    secs: dv.getUint16(8),
    flags: dv.getUint16(10),
    ciaddr: readIp(b, 12),
    yiaddr: readIp(b, 16),
    siaddr: readIp(b, 20),
    giaddr: readIp(b, 24),
    chaddr: bytesToMac(b.subarray(28, 28 + hlen)),
    sname,
    file,
    options,
  };
}

/** Length rules for the known options (RFC 2132 §3–9, RFC 3046). */
function validateOption(o: DhcpOption, base: number): void {
  const n = o.data.length,
    off = (o.offset ?? -1) + base + 1;
  const name = `option ${o.code} (${OPTION_NAMES[o.code] ?? "unknown"})`;
  const need = (ok: boolean, rule: string) => {
    if (!ok) throw perr(`${name} has length ${n}; ${rule}`, off, n);
  };
  switch (o.code) {
    case 1:
    case 50:
    case 54:
      need(n === 4, "it must be 4 (one IPv4 address)");
      break;
    case 3:
    case 6:
      need(n >= 4 && n % 4 === 0, "it must be a non-zero multiple of 4");
      break;
    case 51:
    case 58:
    case 59:
      need(n === 4, "it must be 4 (seconds, 32 bits)");
      break;
    case 53:
      need(n === 1, "it must be 1");
      if (o.data[0]! < 1 || o.data[0]! > 8) throw perr(`${name} value must be 1..8`, off + 1, o.data[0]);
      break;
    case 57:
      need(n === 2, "it must be 2");
      if (((o.data[0]! << 8) | o.data[1]!) < 576)
        throw perr(`${name} must be at least 576`, off + 1, (o.data[0]! << 8) | o.data[1]!);
      break;
    case 12:
    case 60:
    case 66:
    case 67:
    case 55:
      need(n >= 1, "it must be at least 1");
      break;
    case 61:
      need(n >= 2, "it must be at least 2 (type + identifier)");
      break;
    case 82: {
      need(n >= 2, "it must hold at least one sub-option");
      let i = 0;
      while (i < n) {
        if (i + 1 >= n) throw perr(`option 82 sub-option ${o.data[i]} has no length byte`, off + 1 + i, o.data[i]);
        const sl = o.data[i + 1]!;
        if (i + 2 + sl > n)
          throw perr(
            `option 82 sub-option ${o.data[i]} (length ${sl}) runs past the end of option 82`,
            off + 2 + i,
            sl,
          );
        if ((o.data[i] === 1 || o.data[i] === 2) && sl < 1)
          throw perr(`option 82 sub-option ${o.data[i]} must not be empty`, off + 2 + i, sl);
        i += 2 + sl;
      }
      break;
    }
  }
}

function ipList(d: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i + 4 <= d.length; i += 4) out.push(readIp(d, i));
  return out;
}
const u32 = (d: Uint8Array) => ((d[0]! << 24) >>> 0) + (d[1]! << 16) + (d[2]! << 8) + d[3]!;

/** The typed view of a (validated) option list. */
export function fieldsOf(p: { options: DhcpOption[] }): DhcpFields {
  const f: DhcpFields = {};
  for (const o of p.options) {
    const d = o.data;
    switch (o.code) {
      case 53:
        f.messageType = MESSAGE_TYPES[d[0]!] as MessageType;
        break;
      case 1:
        f.subnetMask = readIp(d, 0);
        break;
      case 3:
        f.routers = ipList(d);
        break;
      case 6:
        f.dnsServers = ipList(d);
        break;
      case 12:
        f.hostName = latin1(d);
        break;
      case 50:
        f.requestedIp = readIp(d, 0);
        break;
      case 51:
        f.leaseTime = u32(d);
        break;
      case 54:
        f.serverId = readIp(d, 0);
        break;
      case 55:
        f.paramRequestList = Array.from(d);
        break;
      case 57:
        f.maxMessageSize = (d[0]! << 8) | d[1]!;
        break;
      case 58:
        f.renewalTime = u32(d);
        break;
      case 59:
        f.rebindingTime = u32(d);
        break;
      case 60:
        f.vendorClassId = latin1(d);
        break;
      case 61:
        f.clientId = bytesToHex(d);
        break;
      case 66:
        f.tftpServer = latin1(d);
        break;
      case 67:
        f.bootfile = latin1(d);
        break;
      case 82: {
        const ra: NonNullable<DhcpFields["relayAgent"]> = {};
        for (let i = 0; i + 1 < d.length; i += 2 + d[i + 1]!) {
          const sub = d.subarray(i + 2, i + 2 + d[i + 1]!);
          if (d[i] === 1) ra.circuitId = bytesToHex(sub);
          else if (d[i] === 2) ra.remoteId = bytesToHex(sub);
          else (ra.other ??= []).push({ code: d[i]!, hex: bytesToHex(sub) });
        }
        f.relayAgent = ra;
        break;
      }
    }
  }
  return f;
}

const ipBytes = (ips: string[], where: string) => {
  const out = new Uint8Array(ips.length * 4);
  ips.forEach((ip, i) => writeIp(out, i * 4, ip, where));
  return out;
};
const u32Bytes = (n: number, where: string) => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new InputError("must be a 32-bit unsigned integer", { value: n, where });
  return new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
};
const text = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

/** Encodes option 82 from circuit-id / remote-id hex strings. */
export function relayAgentOption(ra: NonNullable<DhcpFields["relayAgent"]>): DhcpOption {
  const parts: number[] = [];
  const add = (code: number, bytes: Uint8Array) => {
    if (bytes.length === 0 || bytes.length > 255)
      throw new InputError("option 82 sub-option must be 1..255 bytes", {
        value: bytes.length,
        where: `sub-option ${code}`,
      });
    parts.push(code, bytes.length, ...bytes);
  };
  if (ra.circuitId !== undefined) add(1, hexToBytes(ra.circuitId, "option 82 circuit-id"));
  if (ra.remoteId !== undefined) add(2, hexToBytes(ra.remoteId, "option 82 remote-id"));
  for (const o of ra.other ?? []) add(o.code, hexToBytes(o.hex, `option 82 sub-option ${o.code}`));
  return { code: 82, data: new Uint8Array(parts) };
}

/** Builds an option list (message type first, as clients and servers do) from a typed view. */
export function buildOptions(f: DhcpFields): DhcpOption[] {
  const o: DhcpOption[] = [];
  const mt = f.messageType;
  if (mt !== undefined) {
    const n = MESSAGE_TYPES.indexOf(mt);
    if (n < 1) throw new InputError("unknown DHCP message type", { value: mt, where: "buildOptions" });
    o.push({ code: 53, data: new Uint8Array([n]) });
  }
  if (f.serverId !== undefined) o.push({ code: 54, data: ipBytes([f.serverId], "server-id") });
  if (f.leaseTime !== undefined) o.push({ code: 51, data: u32Bytes(f.leaseTime, "lease-time") });
  if (f.renewalTime !== undefined) o.push({ code: 58, data: u32Bytes(f.renewalTime, "renewal-time") });
  if (f.rebindingTime !== undefined) o.push({ code: 59, data: u32Bytes(f.rebindingTime, "rebinding-time") });
  if (f.subnetMask !== undefined) o.push({ code: 1, data: ipBytes([f.subnetMask], "subnet-mask") });
  if (f.routers?.length) o.push({ code: 3, data: ipBytes(f.routers, "router") });
  if (f.dnsServers?.length) o.push({ code: 6, data: ipBytes(f.dnsServers, "dns") });
  if (f.requestedIp !== undefined) o.push({ code: 50, data: ipBytes([f.requestedIp], "requested-ip") });
  if (f.hostName !== undefined) o.push({ code: 12, data: text(f.hostName) });
  if (f.maxMessageSize !== undefined)
    o.push({ code: 57, data: new Uint8Array([f.maxMessageSize >> 8, f.maxMessageSize & 255]) });
  if (f.vendorClassId !== undefined) o.push({ code: 60, data: text(f.vendorClassId) });
  if (f.clientId !== undefined) o.push({ code: 61, data: hexToBytes(f.clientId, "client-id") });
  if (f.paramRequestList?.length) o.push({ code: 55, data: new Uint8Array(f.paramRequestList) });
  if (f.tftpServer !== undefined) o.push({ code: 66, data: text(f.tftpServer) });
  if (f.bootfile !== undefined) o.push({ code: 67, data: text(f.bootfile) });
  if (f.relayAgent) o.push(relayAgentOption(f.relayAgent));
  for (const x of o) validateOption(x, 0);
  return o;
}

/** A packet with defaults for every field not given. */
export function makeDhcp(p: Partial<DhcpPacket> & { options?: DhcpOption[] }): DhcpPacket {
  return {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 0,
    secs: 0,
    flags: 0,
    ciaddr: ZERO_IP,
    yiaddr: ZERO_IP,
    siaddr: ZERO_IP,
    giaddr: ZERO_IP,
    chaddr: "00:00:00:00:00:00",
    sname: "",
    file: "",
    options: [],
    ...p,
  };
}

function checkInt(v: number, max: number, where: string): number {
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw new InputError(`must be an integer 0..${max}`, { value: v, where });
  return v;
}

/** Encodes a DHCP message; options end with 255 and the message is padded to 300 bytes. */
export function encodeDhcp(p: DhcpPacket): Uint8Array {
  let optLen = 1;
  for (const o of p.options) {
    if (o.code === 0 || o.code === 255) continue;
    optLen += 2 * Math.ceil(Math.max(1, o.data.length) / 255) + o.data.length;
  }
  const total = Math.max(BOOTP_MIN, 240 + optLen);
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  b[0] = checkInt(p.op, 255, "op");
  b[1] = checkInt(p.htype, 255, "htype");
  b[2] = checkInt(p.hlen, 16, "hlen");
  b[3] = checkInt(p.hops, 255, "hops");
  dv.setUint32(4, checkInt(p.xid, 0xffffffff, "xid"));
  dv.setUint16(8, checkInt(p.secs, 0xffff, "secs"));
  dv.setUint16(10, checkInt(p.flags, 0xffff, "flags"));
  writeIp(b, 12, p.ciaddr, "ciaddr");
  writeIp(b, 16, p.yiaddr, "yiaddr");
  writeIp(b, 20, p.siaddr, "siaddr");
  writeIp(b, 24, p.giaddr, "giaddr");
  const ch = macToBytes(p.chaddr, "chaddr");
  if (ch.length > 16) throw new InputError("chaddr is longer than 16 bytes", { value: p.chaddr, where: "chaddr" });
  b.set(ch, 28);
  const sn = text(p.sname),
    fl = text(p.file);
  if (sn.length > 63) throw new InputError("sname is longer than 63 bytes", { value: p.sname, where: "sname" });
  if (fl.length > 127) throw new InputError("file is longer than 127 bytes", { value: p.file, where: "file" });
  b.set(sn, 44);
  b.set(fl, 108);
  dv.setUint32(236, MAGIC_COOKIE);
  let i = 240;
  for (const o of p.options) {
    if (o.code === 0 || o.code === 255) continue;
    checkInt(o.code, 254, "option code");
    let rest = o.data;
    do {
      // RFC 3396: split options longer than 255 bytes
      const chunk = rest.subarray(0, 255);
      b[i++] = o.code;
      b[i++] = chunk.length;
      b.set(chunk, i);
      i += chunk.length;
      rest = rest.subarray(chunk.length);
    } while (rest.length > 0);
  }
  b[i] = 255;
  return b;
}

/** Is the BROADCAST flag set? */
export const isBroadcast = (p: DhcpPacket) => (p.flags & 0x8000) !== 0;

/** A one-line description: "DISCOVER xid=0x1234 chaddr=… giaddr=… hops=1". */
export function describe(p: DhcpPacket): string {
  const f = fieldsOf(p);
  const bits = [
    f.messageType ?? (p.op === 1 ? "BOOTREQUEST" : "BOOTREPLY"),
    `xid=0x${p.xid.toString(16).padStart(8, "0")}`,
    `chaddr=${p.chaddr}`,
  ];
  if (p.yiaddr !== ZERO_IP) bits.push(`yiaddr=${p.yiaddr}`);
  if (p.giaddr !== ZERO_IP) bits.push(`giaddr=${p.giaddr}`);
  if (p.hops) bits.push(`hops=${p.hops}`);
  if (isBroadcast(p)) bits.push("flags=B");
  return bits.join(" ");
}

/** Option table rows for notebooks and the CLI. */
export function optionRows(
  p: DhcpPacket,
): Array<{ code: number; name: string; offset: number | null; length: number; value: string }> {
  const f = fieldsOf(p) as Record<string, unknown>;
  const key: Record<number, string> = {
    53: "messageType",
    1: "subnetMask",
    3: "routers",
    6: "dnsServers",
    12: "hostName",
    50: "requestedIp",
    51: "leaseTime",
    54: "serverId",
    55: "paramRequestList",
    57: "maxMessageSize",
    58: "renewalTime",
    59: "rebindingTime",
    60: "vendorClassId",
    61: "clientId",
    66: "tftpServer",
    67: "bootfile",
    82: "relayAgent",
  };
  return p.options.map((o) => ({
    code: o.code,
    name: OPTION_NAMES[o.code] ?? "unknown",
    offset: o.offset ?? null,
    length: o.data.length,
    value: key[o.code] ? JSON.stringify(f[key[o.code]!]) : bytesToHex(o.data),
  }));
}

/**
 * LDP PDUs and messages (RFC 5036 §3.1–§3.5), as FRR's ldpd and other LSRs send them: Hello (UDP
 * 646), Initialization, KeepAlive, Address / Address Withdraw, Label Mapping / Request / Withdraw /
 * Release / Abort, Notification and Capability (RFC 5561), with their TLVs: FEC (wildcard, prefix,
 * typed wildcard of RFC 5918), Generic Label, Address List, Common Hello / Session Parameters,
 * transport addresses, configuration sequence number, Status, Hop Count, Path Vector, Label
 * Request Message ID and the capability TLVs (RFC 5561, 5918, 5919, 7552). A TLV the decoder does
 * not know is kept with its type, U/F bits and raw bytes (never dropped silently).
 *
 * Offsets in errors and in the result are byte offsets in the bytes given plus `base` (so a caller
 * can make them file offsets).
 *
 * @example
 *   const { pdus } = decodeLdpPdus(tcpPayload);
 *   pdus[0].messages[0].type;            // "Label Mapping"
 *   pdus[0].messages[0].fecs[0].prefix;  // "10.0.0.4/32"
 */
import { ParseError } from "../util/errors";

export const LDP_PORT = 646;

const MSG: Record<number, string> = {
  0x0001: "Notification",
  0x0100: "Hello",
  0x0200: "Initialization",
  0x0201: "KeepAlive",
  0x0202: "Capability",
  0x0300: "Address",
  0x0301: "Address Withdraw",
  0x0400: "Label Mapping",
  0x0401: "Label Request",
  0x0402: "Label Withdraw",
  0x0403: "Label Release",
  0x0404: "Label Abort Request",
};

const TLV: Record<number, string> = {
  0x0100: "FEC",
  0x0101: "Address List",
  0x0103: "Hop Count",
  0x0104: "Path Vector",
  0x0200: "Generic Label",
  0x0201: "ATM Label",
  0x0202: "Frame Relay Label",
  0x0300: "Status",
  0x0301: "Extended Status",
  0x0302: "Returned PDU",
  0x0303: "Returned Message",
  0x0400: "Common Hello Parameters",
  0x0401: "IPv4 Transport Address",
  0x0402: "Configuration Sequence Number",
  0x0403: "IPv6 Transport Address",
  0x0500: "Common Session Parameters",
  0x0501: "ATM Session Parameters",
  0x0502: "Frame Relay Session Parameters",
  0x0600: "Label Request Message ID",
  0x0506: "Dynamic Capability Announcement",
  0x050b: "Typed Wildcard FEC Capability",
  0x0603: "Unrecognized Notification Capability",
  0x0701: "Dual-Stack Capability",
};

const STATUS: Record<number, string> = {
  0: "Success",
  1: "Bad LDP Identifier",
  2: "Bad Protocol Version",
  3: "Bad PDU Length",
  4: "Unknown Message Type",
  5: "Bad Message Length",
  6: "Unknown TLV",
  7: "Bad TLV Length",
  8: "Malformed TLV Value",
  9: "Hold Timer Expired",
  10: "Shutdown",
  11: "Loop Detected",
  12: "Unknown FEC",
  13: "No Route",
  14: "No Label Resources",
  15: "Label Resources Available",
  16: "Session Rejected/No Hello",
  17: "Session Rejected/Parameters Advertisement Mode",
  18: "Session Rejected/Parameters Max PDU Length",
  19: "Session Rejected/Parameters Label Range",
  20: "KeepAlive Timer Expired",
  21: "Label Request Aborted",
  22: "Missing Message Parameters",
  23: "Unsupported Address Family",
  24: "Session Rejected/Bad KeepAlive Time",
  25: "Internal Error",
  0x2f: "End-of-LIB",
};

export interface LdpFec {
  element: "wildcard" | "prefix" | "host" | "typed-wildcard" | "other";
  /** "10.0.0.4/32" for a prefix (IPv4 or IPv6). */
  prefix?: string;
  /** Address family (1 IPv4, 2 IPv6) of a prefix or typed wildcard. */
  af?: number;
  /** Raw element type when `element` is "other" or for the typed wildcard's FEC type. */
  type?: number;
}

export interface LdpTlv {
  type: number;
  name: string;
  u: boolean;
  f: boolean;
  offset: number;
  length: number;
  /** Decoded content, by TLV type. */
  fecs?: LdpFec[];
  label?: number;
  addressFamily?: number;
  addresses?: string[];
  holdTime?: number;
  targeted?: boolean;
  requestTargeted?: boolean;
  transportAddress?: string;
  sequence?: number;
  session?: {
    version: number;
    keepalive: number;
    a: boolean;
    d: boolean;
    pvLim: number;
    maxPdu: number;
    receiverId: string;
  };
  status?: { e: boolean; f: boolean; code: number; name: string; messageId: number; messageType: number };
  hopCount?: number;
  pathVector?: string[];
  messageId?: number;
  capability?: { s: boolean };
  /** Raw value (hex) for TLVs without a decoded form. */
  hex?: string;
}

export interface LdpMessage {
  typeCode: number;
  /** "Label Mapping", or "unknown message 0x…". */
  type: string;
  u: boolean;
  id: number;
  offset: number;
  length: number;
  tlvs: LdpTlv[];
  /** Shortcuts to the FECs, labels and addresses of all TLVs, in order. */
  fecs: LdpFec[];
  labels: number[];
  addresses: string[];
}

export interface LdpPdu {
  version: number;
  /** PDU length field (bytes after the length field). */
  length: number;
  /** "10.0.0.1:0": LSR id and label space. */
  lsrId: string;
  offset: number;
  messages: LdpMessage[];
}

const ip4 = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
function ip6(b: Uint8Array, at: number, n = 16): string {
  const full = new Uint8Array(16);
  full.set(b.subarray(at, at + n));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((full[i]! << 8) | full[i + 1]!).toString(16));
  return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** The name of a message type code. */
export function ldpMessageName(code: number): string {
  return MSG[code] ?? `unknown message 0x${code.toString(16).padStart(4, "0")}`;
}

/**
 * Decodes the complete PDUs at the start of `b` (a TCP stream or a UDP payload). Returns them and
 * the number of bytes they take: a PDU cut at the end is left for the next segment.
 * Throws a ParseError (offset = base + position) on a malformed PDU.
 */
export function decodeLdpPdus(b: Uint8Array, base = 0): { pdus: LdpPdu[]; consumed: number } {
  const pdus: LdpPdu[] = [];
  let at = 0;
  while (at + 4 <= b.length) {
    const version = u16(b, at),
      len = u16(b, at + 2);
    if (version !== 1)
      throw new ParseError("LDP PDU version is not 1 (is this LDP, or is the stream out of step?)", {
        value: version,
        location: { offset: base + at },
      });
    if (len < 6)
      throw new ParseError("LDP PDU length below 6 (the LDP identifier alone is 6 bytes)", {
        value: len,
        location: { offset: base + at + 2 },
      });
    if (at + 4 + len > b.length) break;
    pdus.push(decodePdu(b.subarray(at, at + 4 + len), base + at));
    at += 4 + len;
  }
  return { pdus, consumed: at };
}

function decodePdu(b: Uint8Array, base: number): LdpPdu {
  const pdu: LdpPdu = {
    version: u16(b, 0),
    length: u16(b, 2),
    lsrId: `${ip4(b, 4)}:${u16(b, 8)}`,
    offset: base,
    messages: [],
  };
  let at = 10;
  while (at < b.length) {
    if (at + 8 > b.length)
      throw new ParseError(`LDP message header cut short: ${b.length - at} of 8 bytes left in the PDU`, {
        location: { offset: base + at },
      });
    const tw = u16(b, at),
      mlen = u16(b, at + 2);
    if (mlen < 4 || at + 4 + mlen > b.length)
      throw new ParseError("LDP message length does not fit the PDU", {
        value: mlen,
        location: { offset: base + at + 2 },
      });
    const code = tw & 0x7fff;
    const m: LdpMessage = {
      typeCode: code,
      type: ldpMessageName(code),
      u: (tw & 0x8000) !== 0,
      id: u32(b, at + 4),
      offset: base + at,
      length: mlen,
      tlvs: [],
      fecs: [],
      labels: [],
      addresses: [],
    };
    let t = at + 8;
    const end = at + 4 + mlen;
    while (t < end) {
      if (t + 4 > end)
        throw new ParseError(`LDP TLV header cut short: ${end - t} of 4 bytes left in the message`, {
          location: { offset: base + t },
        });
      const tt = u16(b, t),
        tl = u16(b, t + 2);
      if (t + 4 + tl > end)
        throw new ParseError(`LDP TLV 0x${(tt & 0x3fff).toString(16).padStart(4, "0")} length runs past its message`, {
          value: tl,
          location: { offset: base + t + 2 },
        });
      const tlv = decodeTlv(tt, b.subarray(t + 4, t + 4 + tl), base + t);
      m.tlvs.push(tlv);
      if (tlv.fecs) m.fecs.push(...tlv.fecs);
      if (tlv.label !== undefined) m.labels.push(tlv.label);
      if (tlv.addresses) m.addresses.push(...tlv.addresses);
      t += 4 + tl;
    }
    pdu.messages.push(m);
    at = end;
  }
  return pdu;
}

function decodeTlv(tw: number, v: Uint8Array, base: number): LdpTlv {
  const type = tw & 0x3fff;
  const tlv: LdpTlv = {
    type,
    name: TLV[type] ?? `unknown TLV 0x${type.toString(16).padStart(4, "0")}`,
    u: (tw & 0x8000) !== 0,
    f: (tw & 0x4000) !== 0,
    offset: base,
    length: v.length,
  };
  const need = (n: number) => {
    if (v.length < n)
      throw new ParseError(`LDP ${tlv.name} TLV too short: ${v.length} of ${n} bytes`, {
        location: { offset: base + 2 },
      });
  };
  switch (type) {
    case 0x0100:
      tlv.fecs = decodeFecs(v, base + 4);
      break;
    case 0x0200:
      need(4);
      tlv.label = u32(v, 0) & 0xfffff;
      break;
    case 0x0101: {
      need(2);
      tlv.addressFamily = u16(v, 0);
      const size = tlv.addressFamily === 1 ? 4 : tlv.addressFamily === 2 ? 16 : 0;
      if (size === 0) {
        tlv.hex = hex(v.subarray(2));
        break;
      }
      if ((v.length - 2) % size !== 0)
        throw new ParseError(
          `LDP Address List: ${v.length - 2} bytes is not a whole number of ${size}-byte addresses`,
          { location: { offset: base + 2 } },
        );
      tlv.addresses = [];
      for (let i = 2; i < v.length; i += size) tlv.addresses.push(size === 4 ? ip4(v, i) : ip6(v, i));
      break;
    }
    case 0x0400:
      need(4);
      tlv.holdTime = u16(v, 0);
      tlv.targeted = (v[2]! & 0x80) !== 0;
      tlv.requestTargeted = (v[2]! & 0x40) !== 0;
      break;
    case 0x0401:
      need(4);
      tlv.transportAddress = ip4(v, 0);
      break;
    case 0x0403:
      need(16);
      tlv.transportAddress = ip6(v, 0);
      break;
    case 0x0402:
      need(4);
      tlv.sequence = u32(v, 0);
      break;
    case 0x0500:
      need(14);
      tlv.session = {
        version: u16(v, 0),
        keepalive: u16(v, 2),
        a: (v[4]! & 0x80) !== 0,
        d: (v[4]! & 0x40) !== 0,
        pvLim: v[5]!,
        maxPdu: u16(v, 6),
        receiverId: `${ip4(v, 8)}:${u16(v, 12)}`,
      };
      break;
    case 0x0300: {
      need(10);
      const w = u32(v, 0);
      const code = w & 0x3fffffff;
      tlv.status = {
        e: (w & 0x80000000) !== 0,
        f: (w & 0x40000000) !== 0,
        code,
        name: STATUS[code] ?? `status 0x${code.toString(16).padStart(8, "0")}`,
        messageId: u32(v, 4),
        messageType: u16(v, 8),
      };
      break;
    }
    case 0x0103:
      need(1);
      tlv.hopCount = v[0]!;
      break;
    case 0x0104:
      tlv.pathVector = [];
      for (let i = 0; i + 4 <= v.length; i += 4) tlv.pathVector.push(ip4(v, i));
      break;
    case 0x0600:
      need(4);
      tlv.messageId = u32(v, 0);
      break;
    case 0x0506:
    case 0x050b:
    case 0x0603:
    case 0x0701:
      need(1);
      tlv.capability = { s: (v[0]! & 0x80) !== 0 };
      if (v.length > 1) tlv.hex = hex(v.subarray(1));
      break;
    default:
      tlv.hex = hex(v);
  }
  return tlv;
}

function decodeFecs(v: Uint8Array, base: number): LdpFec[] {
  const out: LdpFec[] = [];
  let at = 0;
  while (at < v.length) {
    const t = v[at]!;
    if (t === 0x01) {
      out.push({ element: "wildcard" });
      at += 1;
      continue;
    }
    if (t === 0x02 || t === 0x03) {
      if (at + 4 > v.length) throw new ParseError("FEC element cut short", { location: { offset: base + at } });
      const af = u16(v, at + 1),
        len = v[at + 3]!;
      const bytes = t === 0x02 ? Math.ceil(len / 8) : len;
      if (at + 4 + bytes > v.length)
        throw new ParseError("FEC prefix runs past the FEC TLV", { value: len, location: { offset: base + at + 3 } });
      const a = v.subarray(at + 4, at + 4 + bytes);
      let addr: string;
      if (af === 1) {
        const f = new Uint8Array(4);
        f.set(a.subarray(0, 4));
        addr = ip4(f, 0);
      } else if (af === 2) addr = ip6(a, 0, Math.min(16, a.length));
      else
        throw new ParseError("FEC address family is neither IPv4 (1) nor IPv6 (2)", {
          value: af,
          location: { offset: base + at + 1 },
        });
      out.push(
        t === 0x02
          ? { element: "prefix", af, prefix: `${addr}/${len}` }
          : { element: "host", af, prefix: `${addr}/${af === 1 ? 32 : 128}` },
      );
      at += 4 + bytes;
      continue;
    }
    if (t === 0x05) {
      if (at + 3 > v.length)
        throw new ParseError("typed wildcard FEC element cut short", { location: { offset: base + at } });
      const fecType = v[at + 1]!,
        len = v[at + 2]!;
      if (at + 3 + len > v.length)
        throw new ParseError("typed wildcard FEC element runs past the FEC TLV", {
          value: len,
          location: { offset: base + at + 2 },
        });
      out.push({ element: "typed-wildcard", type: fecType, ...(len >= 2 ? { af: u16(v, at + 3) } : {}) });
      at += 3 + len;
      continue;
    }
    // PWid (0x80), Generalized PWid (0x81) and others: named, not decoded; the rest of the TLV is theirs.
    out.push({ element: "other", type: t });
    break;
  }
  return out;
}

/** One line per message: "Label Mapping id=12 FEC 10.0.0.4/32 label 3". */
export function describeLdpMessage(m: LdpMessage): string {
  const bits: string[] = [`${m.type} id=${m.id}`];
  if (m.fecs.length)
    bits.push(
      "FEC " +
        m.fecs
          .map(
            (f) =>
              f.prefix ??
              (f.element === "typed-wildcard"
                ? `typed-wildcard(type 0x${(f.type ?? 0).toString(16)}${f.af ? `, af ${f.af}` : ""})`
                : f.element === "other"
                  ? `element 0x${(f.type ?? 0).toString(16)}`
                  : f.element),
          )
          .join(", "),
    );
  if (m.labels.length) bits.push("label " + m.labels.join(", "));
  if (m.addresses.length) bits.push("addresses " + m.addresses.join(", "));
  for (const t of m.tlvs) {
    if (t.holdTime !== undefined) bits.push(`hold ${t.holdTime}s${t.targeted ? " targeted" : ""}`);
    if (t.transportAddress) bits.push(`transport ${t.transportAddress}`);
    if (t.session)
      bits.push(
        `keepalive ${t.session.keepalive}s, max PDU ${t.session.maxPdu}, to ` +
          `${t.session.receiverId}${t.session.a ? ", downstream on demand" : ""}`,
      );
    if (t.status) bits.push(`status ${t.status.name}${t.status.e ? " (fatal)" : ""}`);
    if (t.capability) bits.push(`${t.name}`);
    if (t.hex !== undefined && t.name.startsWith("unknown")) bits.push(`${t.name} ${t.hex}`);
  }
  return bits.join("  ");
}

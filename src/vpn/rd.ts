/**
 * Route distinguishers and route-target extended communities: parse, format, encode, decode.
 *
 * A route distinguisher (RD, RFC 4364 §4.2) is 8 bytes: a 2-byte type field and a 6-byte value.
 *   type 0: 2-byte ASN administrator  + 4-byte assigned number   ("65000:100")
 *   type 1: IPv4 address administrator + 2-byte assigned number  ("192.0.2.1:7")
 *   type 2: 4-byte ASN administrator  + 2-byte assigned number   ("4200000000:7", Junos "65536L:7")
 * A route target (RFC 4360 §4 and RFC 4364 §4.3.1; 4-octet AS form from RFC 5668) is an extended
 * community whose high type byte says the layout (0x00 2-octet AS, 0x01 IPv4, 0x02 4-octet AS,
 * all transitive) and whose sub-type is 0x02. The 6-byte value has the same three layouts as an
 * RD. Text form: "target:65000:100".
 *
 * The type rules are enforced: the assigned number must fit its field, `65536:1` is not a type-0
 * value (the administrator needs 4 bytes, so it is type 2 and its assigned number must be < 65536).
 *
 * @example
 *   parseRd("65000:100")                  // { type: 0, admin: 65000, assigned: 100 }
 *   formatRd(decodeRd(encodeRd(parseRd("192.0.2.1:7"))))   // "192.0.2.1:7"
 *   parseRt("target:65000:100")           // { type: 0, admin: 65000, assigned: 100 }
 *   encodeRt(parseRt("target:65000:100")) // 00 02 fd e8 00 00 00 64
 */
import { InputError, ParseError, type SourceLocation } from "../util/errors";

/** The 6-byte value shared by RDs and RTs. `admin` is a number (ASN) or a dotted-quad string. */
export interface AdminValue {
  /** 0: 2-byte ASN + 4-byte number; 1: IPv4 + 2-byte number; 2: 4-byte ASN + 2-byte number. */
  type: 0 | 1 | 2;
  admin: number | string;
  assigned: number;
}

export type RouteDistinguisher = AdminValue;
export type RouteTarget = AdminValue;

const U16 = 0xffff;
const U32 = 0xffffffff;

/** Optional context for error messages. */
export interface ParseContext {
  where?: string;
  location?: SourceLocation;
  /** Require this type (e.g. an exercise asking for a type-0 value). */
  type?: 0 | 1 | 2;
}

function isIpv4(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return !!m && m.slice(1).every((o) => Number(o) <= 255 && String(Number(o)) === o);
}

/** Parses a dotted-quad IPv4 address to an unsigned 32-bit number. */
export function ipv4ToNumber(s: string, ctx: ParseContext = {}): number {
  if (!isIpv4(s)) throw new ParseError("not an IPv4 address", { value: s, where: ctx.where, location: ctx.location });
  return s.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function numberToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function parseUint(s: string, max: number, what: string, text: string, ctx: ParseContext): number {
  if (!/^\d+$/.test(s)) {
    throw new ParseError(`${what} must be a decimal number`, { value: text, where: ctx.where, location: ctx.location });
  }
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n > max) {
    throw new ParseError(
      `${what} ${s} does not fit in ${max === U16 ? "2 bytes (max 65535)" : "4 bytes (max 4294967295)"}`,
      {
        value: text,
        where: ctx.where,
        location: ctx.location,
      },
    );
  }
  return n;
}

/**
 * Parses "ADMIN:NUMBER" into an RD/RT value, choosing the type from the administrator:
 * dotted quad → type 1; ASN ≤ 65535 → type 0; larger ASN (or a Junos "L" suffix) → type 2.
 */
export function parseAdminValue(text: string, ctx: ParseContext = {}): AdminValue {
  const where = ctx.where ?? "route distinguisher";
  const c = { ...ctx, where };
  const colon = text.lastIndexOf(":");
  if (colon <= 0 || colon === text.length - 1) {
    throw new ParseError("expected ADMINISTRATOR:NUMBER, e.g. 65000:100 or 192.0.2.1:7", {
      value: text,
      where,
      location: ctx.location,
    });
  }
  const adminText = text.slice(0, colon);
  const numText = text.slice(colon + 1);
  let v: AdminValue;
  if (adminText.includes(".")) {
    if (!isIpv4(adminText))
      throw new ParseError("the administrator is not a valid IPv4 address", {
        value: text,
        where,
        location: ctx.location,
      });
    v = { type: 1, admin: adminText, assigned: parseUint(numText, U16, "a type-1 (IPv4) assigned number", text, c) };
  } else {
    const long = /[lL]$/.test(adminText);
    const asn = parseUint(long ? adminText.slice(0, -1) : adminText, U32, "the AS number", text, c);
    if (long || asn > U16 || ctx.type === 2) {
      v = { type: 2, admin: asn, assigned: parseUint(numText, U16, "a type-2 (4-byte AS) assigned number", text, c) };
    } else {
      v = { type: 0, admin: asn, assigned: parseUint(numText, U32, "a type-0 assigned number", text, c) };
    }
  }
  if (ctx.type !== undefined && v.type !== ctx.type) {
    const why =
      ctx.type === 0 && v.type === 2
        ? "a type-0 administrator is a 2-byte AS number (at most 65535)"
        : `this value is type ${v.type}`;
    throw new InputError(`not a valid type-${ctx.type} value: ${why}`, { value: text, where, location: ctx.location });
  }
  return v;
}

/** Canonical text: "65000:100", "192.0.2.1:7", "4200000000:7" (type 2 with a small ASN gets "L"). */
export function formatAdminValue(v: AdminValue): string {
  if (v.type === 1) return `${v.admin}:${v.assigned}`;
  if (v.type === 2 && typeof v.admin === "number" && v.admin <= U16) return `${v.admin}L:${v.assigned}`;
  return `${v.admin}:${v.assigned}`;
}

function checkAdminValue(v: AdminValue, where: string): void {
  const bad = (msg: string) => new InputError(msg, { value: v, where });
  if (v.type === 1) {
    if (typeof v.admin !== "string" || !isIpv4(v.admin)) throw bad("a type-1 administrator is an IPv4 address string");
    if (!Number.isInteger(v.assigned) || v.assigned < 0 || v.assigned > U16)
      throw bad("a type-1 assigned number is 0..65535");
  } else if (v.type === 0) {
    if (typeof v.admin !== "number" || !Number.isInteger(v.admin) || v.admin < 0 || v.admin > U16)
      throw bad("a type-0 administrator is an AS number 0..65535");
    if (!Number.isInteger(v.assigned) || v.assigned < 0 || v.assigned > U32)
      throw bad("a type-0 assigned number is 0..4294967295");
  } else if (v.type === 2) {
    if (typeof v.admin !== "number" || !Number.isInteger(v.admin) || v.admin < 0 || v.admin > U32)
      throw bad("a type-2 administrator is an AS number 0..4294967295");
    if (!Number.isInteger(v.assigned) || v.assigned < 0 || v.assigned > U16)
      throw bad("a type-2 assigned number is 0..65535");
  } else {
    throw bad("type must be 0, 1 or 2");
  }
}

/** Writes the 6-byte value part at `out[off..off+6)`. */
function writeValue(v: AdminValue, out: Uint8Array, off: number): void {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (v.type === 0) {
    dv.setUint16(off, v.admin as number);
    dv.setUint32(off + 2, v.assigned);
  } else if (v.type === 1) {
    dv.setUint32(off, ipv4ToNumber(v.admin as string));
    dv.setUint16(off + 4, v.assigned);
  } else {
    dv.setUint32(off, v.admin as number);
    dv.setUint16(off + 4, v.assigned);
  }
}

function readValue(type: 0 | 1 | 2, bytes: Uint8Array, off: number): AdminValue {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 0) return { type, admin: dv.getUint16(off), assigned: dv.getUint32(off + 2) };
  if (type === 1) return { type, admin: numberToIpv4(dv.getUint32(off)), assigned: dv.getUint16(off + 4) };
  return { type, admin: dv.getUint32(off), assigned: dv.getUint16(off + 4) };
}

// ------------------------------------------------------------------ route distinguishers

/** Parses an RD ("65000:100", "192.0.2.1:7", "4200000000:7", "65001L:7"). */
export function parseRd(text: string, ctx: ParseContext = {}): RouteDistinguisher {
  return parseAdminValue(text.trim(), { ...ctx, where: ctx.where ?? "route distinguisher" });
}

export function formatRd(rd: RouteDistinguisher): string {
  return formatAdminValue(rd);
}

/** The 8-byte wire form: 2-byte type, then the 6-byte value (RFC 4364 §4.2). */
export function encodeRd(rd: RouteDistinguisher): Uint8Array {
  checkAdminValue(rd, "encodeRd");
  const out = new Uint8Array(8);
  out[1] = rd.type;
  writeValue(rd, out, 2);
  return out;
}

/** Decodes 8 bytes; an unknown type (3 and up) is an error naming the byte offset. */
export function decodeRd(bytes: Uint8Array, offset = 0): RouteDistinguisher {
  if (bytes.length - offset < 8) {
    throw new ParseError("a route distinguisher is 8 bytes", { value: bytes.length - offset, location: { offset } });
  }
  const type = (bytes[offset]! << 8) | bytes[offset + 1]!;
  if (type > 2)
    throw new ParseError("unknown route distinguisher type (RFC 4364 defines 0, 1 and 2)", {
      value: type,
      location: { offset },
    });
  return readValue(type as 0 | 1 | 2, bytes, offset + 2);
}

// ------------------------------------------------------------------ route targets

/** Extended community high type byte per RT layout (transitive). */
const RT_TYPE_BYTE: Record<0 | 1 | 2, number> = { 0: 0x00, 1: 0x01, 2: 0x02 };
/** Sub-type of a route target (RFC 4360 §4). Route origin is 0x03. */
export const RT_SUBTYPE = 0x02;

/** Parses "target:65000:100" (the "target:" prefix is required unless `bare` is set). */
export function parseRt(text: string, ctx: ParseContext & { bare?: boolean } = {}): RouteTarget {
  const where = ctx.where ?? "route target";
  let t = text.trim();
  if (t.toLowerCase().startsWith("target:")) t = t.slice(7);
  else if (!ctx.bare) {
    if (/^origin:/i.test(t))
      throw new InputError("this is a route-origin community (site of origin), not a route target", {
        value: text,
        where,
        location: ctx.location,
      });
    throw new ParseError('a route target is written "target:ADMIN:NUMBER", e.g. target:65000:100', {
      value: text,
      where,
      location: ctx.location,
    });
  }
  return parseAdminValue(t, { ...ctx, where });
}

/** "target:65000:100" */
export function formatRt(rt: RouteTarget): string {
  return `target:${formatAdminValue(rt)}`;
}

/** The 8-byte extended community (RFC 4360 §4): type, sub-type 0x02, 6-byte value. */
export function encodeRt(rt: RouteTarget): Uint8Array {
  checkAdminValue(rt, "encodeRt");
  const out = new Uint8Array(8);
  out[0] = RT_TYPE_BYTE[rt.type];
  out[1] = RT_SUBTYPE;
  writeValue(rt, out, 2);
  return out;
}

/** Decodes an 8-byte extended community that must be a route target. */
export function decodeRt(bytes: Uint8Array, offset = 0): RouteTarget {
  if (bytes.length - offset < 8) {
    throw new ParseError("an extended community is 8 bytes", { value: bytes.length - offset, location: { offset } });
  }
  const hi = bytes[offset]!;
  const sub = bytes[offset + 1]!;
  if (hi & 0x40)
    throw new ParseError("non-transitive extended community: route targets are transitive (bit 0x40 clear)", {
      value: hi,
      location: { offset },
    });
  const layout = hi & 0x3f;
  if (layout > 2)
    throw new ParseError("extended community type is not an AS/IPv4 layout (0x00, 0x01, 0x02)", {
      value: hi,
      location: { offset },
    });
  if (sub !== RT_SUBTYPE) {
    throw new ParseError(
      `sub-type 0x${sub.toString(16).padStart(2, "0")} is not a route target ` +
        `(0x02)${sub === 3 ? "; 0x03 is route origin" : ""}`,
      {
        value: sub,
        location: { offset: offset + 1 },
      },
    );
  }
  return readValue(layout as 0 | 1 | 2, bytes, offset + 2);
}

/** Canonicalises any accepted RT spelling ("target:65000:100", "65000:100" with bare) to its text. */
export function canonicalRt(text: string, ctx: ParseContext & { bare?: boolean } = {}): string {
  return formatRt(parseRt(text, ctx));
}

/** Canonicalises an RD spelling. */
export function canonicalRd(text: string, ctx: ParseContext = {}): string {
  return formatRd(parseRd(text, ctx));
}

/** Hex "00 02 fd e8 00 00 00 64" for display. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** Parses "00 02 fd e8 …" or "0002fde8…" back to bytes (for exercises and the CLI). */
export function fromHex(text: string, where = "hex bytes"): Uint8Array {
  const clean = text.replace(/[\s:]/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new ParseError("expected pairs of hex digits", { value: text, where });
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A one-line human explanation of an RD or RT, e.g. for the notebook's "by hand" exercise. */
export function explainValue(v: AdminValue, kind: "rd" | "rt"): string {
  const layout =
    v.type === 0
      ? "2-byte AS number + 4-byte assigned number"
      : v.type === 1
        ? "IPv4 address + 2-byte assigned number"
        : "4-byte AS number + 2-byte assigned number";
  const bytes = kind === "rd" ? encodeRd(v) : encodeRt(v);
  const head = kind === "rd" ? `RD type ${v.type}` : `route target (ext. community type 0x0${v.type}, sub-type 0x02)`;
  return `${head}: ${layout}; administrator ${v.admin}, assigned number ${v.assigned}; wire ${hex(bytes)}`;
}

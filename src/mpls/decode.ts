/**
 * `wirelab mpls decode`: every frame of a capture (pcap or pcapng, via `src/capture`) with its
 * MPLS label stack (RFC 3032: label, TC, S, TTL of each entry, EtherTypes 0x8847 and 0x8848),
 * what is under the stack (IPv4, IPv6 or other), and the LDP PDUs it carries (RFC 5036: Hellos on
 * UDP 646, session messages on TCP 646, reassembled per TCP direction so a PDU that spans segments
 * is reported in the frame that completes it, as tshark does).
 *
 * Frames are never dropped: a frame without MPLS or LDP is listed with its link and IP summary; a
 * malformed one carries `error` (with the byte offset in the file); a cut file gives every
 * complete frame, then `error`.
 *
 * @example
 *   const r = decodeMplsCapture(readFileSync("ldp.pcapng"), "ldp.pcapng");
 *   r.frames.filter((f) => f.stack.length).map((f) => f.stack[0].label);
 *   r.frames.flatMap((f) => f.ldp.flatMap((p) => p.messages.map((m) => m.type)));
 */
import { ParseError, UnsupportedError, WirelabError } from "../util/errors";
import { firstUnsupportedLinktype, readCapture } from "../capture/reader";
import { decodeLink, isSupportedLinktype, linktypeName } from "../capture/link";
import { decodeLdpPdus, describeLdpMessage, LDP_PORT, type LdpPdu } from "./ldp";
import { reservedLabelName, type LabelStackEntry } from "./label";

export interface MplsFrameRecord {
  number: number;
  time: number;
  linktype: number;
  src?: string;
  dst?: string;
  vlans: number[];
  etherType?: number;
  /** Label stack, top first; empty for a frame without MPLS. */
  stack: LabelStackEntry[];
  /** What follows the bottom of the stack (or the link header). */
  inner?:
    | { kind: "ipv4"; src: string; dst: string; ttl: number; protocol: number }
    | { kind: "ipv6"; src: string; dst: string; hopLimit: number }
    | { kind: "other"; firstByte?: number };
  /** LDP PDUs completed in this frame. */
  ldp: LdpPdu[];
  /** Remarks: reserved labels, TCP retransmissions, gaps. */
  notes: string[];
  error?: string;
}

export interface MplsDecodeResult {
  format: "pcap" | "pcapng";
  frames: MplsFrameRecord[];
  /** The capture is cut short or damaged after the frames above. */
  error?: string;
}

const ip4 = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
function ip6(b: Uint8Array, at: number): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[at + i]! << 8) | b[at + i + 1]!).toString(16));
  return g.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}
const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

interface Stream {
  next?: number;
  buf: Uint8Array;
}

/** Decodes every frame of a pcap/pcapng file. Throws only for a non-capture or an unsupported link type. */
export function decodeMplsCapture(bytes: Uint8Array, file = "<capture>"): MplsDecodeResult {
  const cap = readCapture(bytes, file);
  const bad = firstUnsupportedLinktype(cap, isSupportedLinktype);
  if (bad) {
    throw new UnsupportedError(
      `link type ${linktypeName(bad.linktype)} is not ` +
        `supported${bad.packet ? ` (frame ${bad.packet} was captured on it)` : ""}`,
      {
        value: bad.linktype,
        location: { file, offset: bad.offset },
        hint: "supported: Ethernet (1), raw IP (101, 228), Linux cooked capture (113, 276)",
      },
    );
  }
  const streams = new Map<string, Stream>();
  const frames: MplsFrameRecord[] = [];
  for (const r of cap.records) {
    const f: MplsFrameRecord = {
      number: r.number,
      time: r.time,
      linktype: r.linktype,
      vlans: [],
      stack: [],
      ldp: [],
      notes: [],
    };
    frames.push(f);
    try {
      decodeOne(r.data, r.linktype, r.offset, f, streams);
    } catch (e) {
      if (!(e instanceof WirelabError)) throw e;
      // The inner offset is within the frame; the frame's data starts at file offset r.offset.
      f.error = `frame ${r.number} (data at file byte offset ${r.offset}): ${e.message}`;
    }
  }
  return { format: cap.format, frames, ...(cap.error ? { error: cap.error.message } : {}) };
}

function decodeOne(
  d: Uint8Array,
  linktype: number,
  fileOffset: number,
  f: MplsFrameRecord,
  streams: Map<string, Stream>,
): void {
  const link = decodeLink(d, linktype);
  f.src = link.src;
  f.dst = link.dst;
  f.vlans = link.vlans;
  f.etherType = link.etherType;
  let at = link.payloadOffset;
  let proto = link.etherType;
  if (proto === 0x8847 || proto === 0x8848) {
    for (;;) {
      if (at + 4 > d.length)
        throw new ParseError(
          `label stack cut short: ${d.length - at} of 4 bytes, and no entry so far had the bottom-of-stack bit`,
          { location: { offset: at } },
        );
      const w = u32(d, at);
      const e: LabelStackEntry = { label: w >>> 12, tc: (w >>> 9) & 7, s: ((w >>> 8) & 1) === 1, ttl: w & 0xff };
      f.stack.push(e);
      const rn = reservedLabelName(e.label);
      if (e.label === 3)
        f.notes.push(
          `label 3 (implicit null) on the wire at byte offset ${fileOffset + at}: it is only ever signalled ` +
            `(RFC 3032 §2.1)`,
        );
      else if (rn) f.notes.push(`label ${e.label}: ${rn}`);
      at += 4;
      if (e.s) break;
      if (f.stack.length >= 32)
        throw new ParseError("more than 32 label stack entries without a bottom-of-stack bit", {
          location: { offset: at },
        });
    }
    const nib = at < d.length ? d[at]! >> 4 : undefined;
    proto = nib === 4 ? 0x0800 : nib === 6 ? 0x86dd : undefined;
    if (proto === undefined) {
      f.inner = { kind: "other", ...(at < d.length ? { firstByte: d[at]! } : {}) };
      return;
    }
  }
  if (proto === 0x86dd) {
    if (at + 40 > d.length)
      throw new ParseError(`truncated IPv6 header: ${d.length - at} of 40 bytes`, { location: { offset: at } });
    const src = ip6(d, at + 8),
      dst = ip6(d, at + 24),
      next = d[at + 6]!;
    f.inner = { kind: "ipv6", src, dst, hopLimit: d[at + 7]! };
    // LDP over IPv6 (RFC 7552) with no extension headers in between; others are listed, not decoded.
    transport(d, at + 40, Math.min(d.length, at + 40 + u16(d, at + 4)), next, src, dst, f, streams);
    return;
  }
  if (proto !== 0x0800) {
    if (f.stack.length) f.inner = { kind: "other" };
    return;
  }
  if (at + 20 > d.length)
    throw new ParseError(`truncated IPv4 header: ${d.length - at} of 20 bytes`, { location: { offset: at } });
  if (d[at]! >> 4 !== 4) throw new ParseError("IP version is not 4", { value: d[at]! >> 4, location: { offset: at } });
  const ihl = (d[at]! & 15) * 4,
    total = u16(d, at + 2),
    protocol = d[at + 9]!;
  const src = ip4(d, at + 12),
    dst = ip4(d, at + 16);
  f.inner = { kind: "ipv4", src, dst, ttl: d[at + 8]!, protocol };
  if ((u16(d, at + 6) & 0x3fff) !== 0) {
    f.notes.push("IPv4 fragment: not reassembled");
    return;
  }
  transport(d, at + ihl, Math.min(d.length, at + total), protocol, src, dst, f, streams);
}

/** UDP or TCP on port 646: LDP Hellos, or the session stream (reassembled per direction). */
function transport(
  d: Uint8Array,
  l4: number,
  end: number,
  protocol: number,
  src: string,
  dst: string,
  f: MplsFrameRecord,
  streams: Map<string, Stream>,
): void {
  if (protocol === 17 && l4 + 8 <= end) {
    const sport = u16(d, l4),
      dport = u16(d, l4 + 2);
    if (sport !== LDP_PORT && dport !== LDP_PORT) return;
    const payload = d.subarray(l4 + 8, end);
    const { pdus, consumed } = decodeLdpPdus(payload, l4 + 8);
    f.ldp.push(...pdus);
    if (consumed !== payload.length)
      throw new ParseError(`LDP over UDP: ${payload.length - consumed} byte(s) after the last whole PDU`, {
        location: { offset: l4 + 8 + consumed },
      });
    return;
  }
  if (protocol === 6 && l4 + 20 <= end) {
    const sport = u16(d, l4),
      dport = u16(d, l4 + 2);
    if (sport !== LDP_PORT && dport !== LDP_PORT) return;
    const seq = u32(d, l4 + 4),
      doff = (d[l4 + 12]! >> 4) * 4,
      flags = d[l4 + 13]!;
    if (doff < 20 || l4 + doff > end)
      throw new ParseError("TCP header length does not fit", { value: doff, location: { offset: l4 + 12 } });
    const key = `[${src}]:${sport}>[${dst}]:${dport}`;
    let st = streams.get(key);
    if (!st) {
      st = { buf: new Uint8Array(0) };
      streams.set(key, st);
    }
    if (flags & 0x02) {
      st.next = (seq + 1) >>> 0;
      st.buf = new Uint8Array(0);
    } // SYN
    if (flags & 0x04) {
      streams.delete(key);
      return;
    } // RST
    let payload = d.subarray(l4 + doff, end);
    if (payload.length === 0) return;
    if (st.next === undefined) st.next = seq;
    const delta = (seq - st.next) | 0; // signed difference, modulo 2^32
    if (delta < 0) {
      if (delta + payload.length <= 0) {
        f.notes.push("TCP retransmission (already seen): not decoded again");
        return;
      }
      payload = payload.subarray(-delta);
    } else if (delta > 0) {
      f.notes.push(`TCP gap: ${delta} byte(s) of this LDP stream were not captured; decoding restarts here`);
      st.buf = new Uint8Array(0);
    }
    st.next = (seq + (delta < 0 ? -delta : 0) + payload.length) >>> 0;
    const buf = new Uint8Array(st.buf.length + payload.length);
    buf.set(st.buf);
    buf.set(payload, st.buf.length);
    const base = end - payload.length - st.buf.length; // frame offset where the buffered bytes would start
    try {
      const { pdus, consumed } = decodeLdpPdus(buf, base);
      f.ldp.push(...pdus);
      st.buf = buf.slice(consumed);
    } catch (e) {
      st.buf = new Uint8Array(0);
      throw e;
    }
  }
}

/** "16001/0/0/63" = label/TC/S/TTL. */
export function formatStack(stack: LabelStackEntry[]): string {
  return stack.map((e) => `${e.label}/${e.tc}/${e.s ? 1 : 0}/${e.ttl}`).join(" ");
}

/** Text lines for one frame (the CLI's output). */
export function describeMplsFrame(f: MplsFrameRecord): string[] {
  const head = `#${f.number} t=${f.time.toFixed(6)}`;
  if (f.error) return [`${head}  ERROR ${f.error}`];
  const bits: string[] = [head];
  if (f.src || f.dst)
    bits.push(
      `${f.src ?? "?"} → ${f.dst ?? "(cooked: no destination)"}${f.vlans.length ? ` vlan ${f.vlans.join(".")}` : ""}`,
    );
  bits.push(
    f.stack.length
      ? `MPLS [label/TC/S/TTL] ${formatStack(f.stack)}`
      : f.etherType === undefined
        ? "802.3 (LLC)"
        : f.etherType === 0x0800 || f.etherType === 0x86dd
          ? "no label stack"
          : `EtherType 0x${f.etherType.toString(16).padStart(4, "0")}`,
  );
  const i = f.inner;
  if (i?.kind === "ipv4") bits.push(`IPv4 ${i.src} → ${i.dst} ttl ${i.ttl} proto ${i.protocol}`);
  else if (i?.kind === "ipv6") bits.push(`IPv6 ${i.src} → ${i.dst} hop limit ${i.hopLimit}`);
  else if (i?.kind === "other" && f.stack.length)
    bits.push(
      `payload not IP` +
        `${i.firstByte !== undefined ? ` (first byte 0x${i.firstByte.toString(16).padStart(2, "0")})` : ""}`,
    );
  const lines = [bits.join("  ")];
  for (const p of f.ldp) {
    for (const m of p.messages) lines.push(`    LDP ${p.lsrId}  ${describeLdpMessage(m)}`);
  }
  for (const n of f.notes) lines.push(`    note: ${n}`);
  return lines;
}

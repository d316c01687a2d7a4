/**
 * MPLS label stack entries (RFC 3032 §2.1) and the reserved label values (RFC 3032 §2.1,
 * RFC 7274 for the registry, RFC 6790 for the entropy label indicator, RFC 5586 for GAL,
 * RFC 3429 for OAM alert, RFC 7274 for the extension label).
 *
 * A label stack entry is 32 bits on the wire:
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    |                Label                  | TC  |S|       TTL     |
 *
 * Labels 0–15 are reserved. wirelab refuses them wherever an ordinary label is expected
 * (`checkOrdinaryLabel`), and knows what each one means (`reservedLabelName`).
 *
 * @example
 *   encodeStack([{ label: 16001, tc: 0, s: false, ttl: 63 }, { label: 3000, tc: 0, s: true, ttl: 63 }]);
 *   decodeStack(bytes) // → the same entries
 */
import { InputError, ParseError, type SourceLocation } from "../util/errors";

export const MAX_LABEL = 0xfffff; // 1048575
export const IPV4_EXPLICIT_NULL = 0;
export const ROUTER_ALERT = 1;
export const IPV6_EXPLICIT_NULL = 2;
export const IMPLICIT_NULL = 3;
export const ENTROPY_LABEL_INDICATOR = 7;
export const GAL = 13;
export const OAM_ALERT = 14;
export const EXTENSION_LABEL = 15;

/** One label stack entry. `s` is the bottom-of-stack bit. */
export interface LabelStackEntry {
  label: number;
  /** Traffic class (3 bits, formerly EXP). */
  tc: number;
  /** Bottom of stack. */
  s: boolean;
  ttl: number;
}

const RESERVED: Record<number, string> = {
  0: "IPv4 explicit null",
  1: "router alert",
  2: "IPv6 explicit null",
  3: "implicit null",
  7: "entropy label indicator",
  13: "GAL (generic associated channel label)",
  14: "OAM alert",
  15: "extension label",
};

/** True for labels 0–15. */
export function isReserved(label: number): boolean {
  return Number.isInteger(label) && label >= 0 && label <= 15;
}

/** The meaning of a reserved label ("unassigned reserved" for 4–6 and 8–12); undefined for 16+. */
export function reservedLabelName(label: number): string | undefined {
  if (!isReserved(label)) return undefined;
  return RESERVED[label] ?? "unassigned reserved label";
}

/** Throws unless `label` is an integer in 0..1048575. */
export function checkLabelRange(label: unknown, where: string, location?: SourceLocation): number {
  if (typeof label !== "number" || !Number.isInteger(label) || label < 0 || label > MAX_LABEL) {
    throw new InputError("an MPLS label is a 20-bit number, 0 to 1048575", { value: label, where, location });
  }
  return label;
}

/** Throws unless `label` is an ordinary (non-reserved) label 16..1048575. */
export function checkOrdinaryLabel(label: unknown, where: string, location?: SourceLocation): number {
  const l = checkLabelRange(label, where, location);
  if (isReserved(l)) {
    throw new InputError(`label ${l} is reserved (${reservedLabelName(l)}) and cannot be used as an ordinary label`, {
      value: l,
      where,
      location,
      hint: "use a label from 16 to 1048575, or write pop / explicit-null where that is what you mean",
    });
  }
  return l;
}

function checkBits(name: string, v: number, max: number, where: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw new InputError(`${name} must be an integer 0..${max}`, { value: v, where });
}

/** Encodes one entry into 4 bytes (network order). */
export function encodeEntry(e: LabelStackEntry): Uint8Array {
  checkLabelRange(e.label, "label stack entry");
  checkBits("TC", e.tc, 7, "label stack entry");
  checkBits("TTL", e.ttl, 255, "label stack entry");
  const word = ((e.label << 12) | (e.tc << 9) | ((e.s ? 1 : 0) << 8) | e.ttl) >>> 0;
  return Uint8Array.of(word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
}

/** Decodes 4 bytes at `offset`. */
export function decodeEntry(bytes: Uint8Array, offset = 0): LabelStackEntry {
  if (offset + 4 > bytes.length) {
    throw new ParseError("truncated label stack entry: 4 bytes needed", {
      value: bytes.length - offset,
      location: { offset },
    });
  }
  const word =
    ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
  return { label: word >>> 12, tc: (word >>> 9) & 7, s: ((word >>> 8) & 1) === 1, ttl: word & 0xff };
}

/**
 * Encodes a stack, top (outermost) first. The S bit is checked: exactly the last entry has it.
 * Implicit null (3) never appears on the wire (RFC 3032 §2.1): encoding it is an error.
 */
export function encodeStack(stack: LabelStackEntry[]): Uint8Array {
  const out = new Uint8Array(stack.length * 4);
  stack.forEach((e, i) => {
    const last = i === stack.length - 1;
    if (e.s !== last) {
      throw new InputError(
        `the bottom-of-stack bit must be set on the last entry only (entry ${i} has S=${e.s ? 1 : 0})`,
        { value: e, where: "encodeStack" },
      );
    }
    if (e.label === IMPLICIT_NULL) {
      throw new InputError("implicit null (label 3) is only signalled, never sent in a packet", {
        value: e,
        where: `encodeStack entry ${i}`,
      });
    }
    out.set(encodeEntry(e), i * 4);
  });
  return out;
}

/** Decodes entries until one with S=1; returns the stack and the number of bytes read. */
export function decodeStack(bytes: Uint8Array, offset = 0): { stack: LabelStackEntry[]; length: number } {
  const stack: LabelStackEntry[] = [];
  let at = offset;
  for (;;) {
    const e = decodeEntry(bytes, at);
    if (e.label === IMPLICIT_NULL) {
      throw new ParseError("label 3 (implicit null) must not appear in a packet", {
        value: e.label,
        location: { offset: at },
      });
    }
    stack.push(e);
    at += 4;
    if (e.s) break;
    if (at >= bytes.length)
      throw new ParseError("label stack ends without a bottom-of-stack bit", { location: { offset: at } });
  }
  return { stack, length: at - offset };
}

/** Sets the S bits of a stack (top first) so only the last entry has it. Returns a new array. */
export function withBottomBits(stack: LabelStackEntry[]): LabelStackEntry[] {
  return stack.map((e, i) => ({ ...e, s: i === stack.length - 1 }));
}

/** "16001 (ttl 63)" or "0 explicit-null" style, for tables. */
export function formatLabel(label: number): string {
  if (label === IPV4_EXPLICIT_NULL) return "0 (explicit null)";
  if (label === IMPLICIT_NULL) return "3 (implicit null)";
  return String(label);
}

import { it, expect } from "vitest";
import fc from "fast-check";
import {
  decodeEntry,
  decodeStack,
  encodeEntry,
  encodeStack,
  checkOrdinaryLabel,
  reservedLabelName,
  withBottomBits,
  MAX_LABEL,
} from "../../src/mpls/label";

it("RFC 3032 layout: label 16, TC 5, S, TTL 64", { timeout: 5000 }, () => {
  expect([...encodeEntry({ label: 16, tc: 5, s: true, ttl: 64 })]).toStrictEqual([0x00, 0x01, 0x0b, 0x40]);
  expect([...encodeEntry({ label: MAX_LABEL, tc: 7, s: false, ttl: 255 })]).toStrictEqual([0xff, 0xff, 0xfe, 0xff]);
  expect(decodeEntry(Uint8Array.of(0x00, 0x01, 0x0b, 0x40))).toStrictEqual({ label: 16, tc: 5, s: true, ttl: 64 });
});

it("stacks round-trip (property)", { timeout: 20000 }, () => {
  const entry = fc.record({
    label: fc.integer({ min: 16, max: MAX_LABEL }),
    tc: fc.integer({ min: 0, max: 7 }),
    s: fc.constant(false),
    ttl: fc.integer({ min: 0, max: 255 }),
  });
  fc.assert(
    fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (es) => {
      const stack = withBottomBits(es);
      const { stack: back, length } = decodeStack(encodeStack(stack));
      expect(length).toBe(stack.length * 4);
      expect(back).toStrictEqual(stack);
    }),
    { seed: 42, numRuns: 300 },
  );
});

it("reserved labels are named and refused as ordinary labels", { timeout: 5000 }, () => {
  expect(reservedLabelName(0)).toBe("IPv4 explicit null");
  expect(reservedLabelName(3)).toBe("implicit null");
  expect(reservedLabelName(7)).toBe("entropy label indicator");
  expect(reservedLabelName(13)).toBe("GAL (generic associated channel label)");
  expect(reservedLabelName(14)).toBe("OAM alert");
  expect(reservedLabelName(15)).toBe("extension label");
  expect(reservedLabelName(16)).toBe(undefined);
  for (const l of [0, 1, 2, 3, 7, 13, 14, 15, 9]) expect(() => checkOrdinaryLabel(l, "test")).toThrow(/reserved/);
  expect(() => checkOrdinaryLabel(MAX_LABEL + 1, "test")).toThrow(/20-bit/);
  expect(() => checkOrdinaryLabel(-1, "test")).toThrow(/20-bit/);
  expect(checkOrdinaryLabel(16, "t")).toBe(16);
});

it("S bit and implicit null are enforced on the wire", { timeout: 5000 }, () => {
  expect(() => encodeStack([{ label: 20, tc: 0, s: false, ttl: 1 }])).toThrow(/bottom-of-stack/);
  expect(() => encodeStack([{ label: 3, tc: 0, s: true, ttl: 1 }])).toThrow(/implicit null/);
  expect(() => decodeStack(Uint8Array.of(0, 0x10, 0, 1))).toThrow(/bottom-of-stack|truncated/);
  expect(() => decodeStack(Uint8Array.of(0, 0x00, 0x31, 1))).toThrow(/implicit null/);
  expect(() => decodeEntry(Uint8Array.of(0, 1))).toThrow(/byte offset 0/);
});

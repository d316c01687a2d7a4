import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeEntry, decodeStack, encodeEntry, encodeStack, checkOrdinaryLabel, reservedLabelName, withBottomBits, MAX_LABEL } from "../../src/mpls/label";

test("RFC 3032 layout: label 16, TC 5, S, TTL 64", { timeout: 5000 }, () => {
  assert.deepEqual([...encodeEntry({ label: 16, tc: 5, s: true, ttl: 64 })], [0x00, 0x01, 0x0b, 0x40]);
  assert.deepEqual([...encodeEntry({ label: MAX_LABEL, tc: 7, s: false, ttl: 255 })], [0xff, 0xff, 0xfe, 0xff]);
  assert.deepEqual(decodeEntry(Uint8Array.of(0x00, 0x01, 0x0b, 0x40)), { label: 16, tc: 5, s: true, ttl: 64 });
});

test("stacks round-trip (property)", { timeout: 20000 }, () => {
  const entry = fc.record({ label: fc.integer({ min: 16, max: MAX_LABEL }), tc: fc.integer({ min: 0, max: 7 }), s: fc.constant(false), ttl: fc.integer({ min: 0, max: 255 }) });
  fc.assert(
    fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (es) => {
      const stack = withBottomBits(es);
      const { stack: back, length } = decodeStack(encodeStack(stack));
      assert.equal(length, stack.length * 4);
      assert.deepEqual(back, stack);
    }),
    { seed: 42, numRuns: 300 },
  );
});

test("reserved labels are named and refused as ordinary labels", { timeout: 5000 }, () => {
  assert.equal(reservedLabelName(0), "IPv4 explicit null");
  assert.equal(reservedLabelName(3), "implicit null");
  assert.equal(reservedLabelName(7), "entropy label indicator");
  assert.equal(reservedLabelName(13), "GAL (generic associated channel label)");
  assert.equal(reservedLabelName(14), "OAM alert");
  assert.equal(reservedLabelName(15), "extension label");
  assert.equal(reservedLabelName(16), undefined);
  for (const l of [0, 1, 2, 3, 7, 13, 14, 15, 9]) assert.throws(() => checkOrdinaryLabel(l, "test"), /reserved/);
  assert.throws(() => checkOrdinaryLabel(MAX_LABEL + 1, "test"), /20-bit/);
  assert.throws(() => checkOrdinaryLabel(-1, "test"), /20-bit/);
  assert.equal(checkOrdinaryLabel(16, "t"), 16);
});

test("S bit and implicit null are enforced on the wire", { timeout: 5000 }, () => {
  assert.throws(() => encodeStack([{ label: 20, tc: 0, s: false, ttl: 1 }]), /bottom-of-stack/);
  assert.throws(() => encodeStack([{ label: 3, tc: 0, s: true, ttl: 1 }]), /implicit null/);
  assert.throws(() => decodeStack(Uint8Array.of(0, 0x10, 0, 1)), /bottom-of-stack|truncated/);
  assert.throws(() => decodeStack(Uint8Array.of(0, 0x00, 0x31, 1)), /implicit null/);
  assert.throws(() => decodeEntry(Uint8Array.of(0, 1)), /byte offset 0/);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { canonicalRt, decodeRd, decodeRt, encodeRd, encodeRt, explainValue, formatRd, formatRt, fromHex, hex, parseRd, parseRt } from "../../src/vpn/rd";
import { InputError, ParseError } from "../../src/util/errors";

const T = { timeout: 10000 };

test("RD types are chosen from the administrator (RFC 4364 §4.2)", T, () => {
  assert.deepEqual(parseRd("65000:100"), { type: 0, admin: 65000, assigned: 100 });
  assert.deepEqual(parseRd("192.0.2.1:7"), { type: 1, admin: "192.0.2.1", assigned: 7 });
  assert.deepEqual(parseRd("4200000000:7"), { type: 2, admin: 4200000000, assigned: 7 });
  assert.deepEqual(parseRd("65001L:7"), { type: 2, admin: 65001, assigned: 7 });
  assert.equal(formatRd(parseRd("65001L:7")), "65001L:7");
  assert.equal(formatRd(parseRd("65000:4294967295")), "65000:4294967295");
});

test("type rules: 65536:1 is not type 0, field overflows are refused with the value named", T, () => {
  assert.throws(() => parseRd("65536:1", { type: 0 }), (e: Error) => e instanceof InputError && /type-0/.test(e.message) && /65536:1/.test(e.message));
  assert.equal(parseRd("65536:1").type, 2);
  assert.throws(() => parseRd("65536:70000"), (e: Error) => e instanceof ParseError && /2 bytes/.test(e.message) && /65536:70000/.test(e.message));
  assert.throws(() => parseRd("192.0.2.1:65536"), /2 bytes/);
  assert.throws(() => parseRd("65000:4294967296"), /4 bytes/);
  assert.throws(() => parseRd("300.0.0.1:1"), /IPv4/);
  assert.throws(() => parseRd("65000"), /ADMINISTRATOR:NUMBER/);
  assert.throws(() => parseRd("a:b"), /decimal/);
  assert.throws(() => parseRd("4294967296:1"), /4 bytes/);
});

test("RD wire form: 2-byte type then 6-byte value", T, () => {
  assert.equal(hex(encodeRd(parseRd("65000:100"))), "00 00 fd e8 00 00 00 64");
  assert.equal(hex(encodeRd(parseRd("192.0.2.1:7"))), "00 01 c0 00 02 01 00 07");
  assert.equal(hex(encodeRd(parseRd("4200000000:7"))), "00 02 fa 56 ea 00 00 07");
  assert.throws(() => decodeRd(fromHex("00 03 00 00 00 00 00 00")), (e: Error) => /unknown route distinguisher type/.test(e.message) && /byte offset 0/.test(e.message));
  assert.throws(() => decodeRd(new Uint8Array(5)), /8 bytes/);
  assert.throws(() => encodeRd({ type: 0, admin: 70000, assigned: 1 }), InputError);
});

test("RT extended community (RFC 4360): type byte per layout, sub-type 0x02", T, () => {
  assert.equal(hex(encodeRt(parseRt("target:65000:100"))), "00 02 fd e8 00 00 00 64");
  assert.equal(hex(encodeRt(parseRt("target:192.0.2.1:7"))), "01 02 c0 00 02 01 00 07");
  assert.equal(hex(encodeRt(parseRt("target:4200000000:7"))), "02 02 fa 56 ea 00 00 07");
  assert.equal(formatRt(decodeRt(fromHex("00 02 fd e8 00 00 00 64"))), "target:65000:100");
  assert.throws(() => decodeRt(fromHex("00 03 fd e8 00 00 00 64")), (e: Error) => /route origin/.test(e.message) && /byte offset 1/.test(e.message));
  assert.throws(() => decodeRt(fromHex("40 02 fd e8 00 00 00 64")), /non-transitive/);
  assert.throws(() => parseRt("65000:100"), /target:ADMIN:NUMBER/);
  assert.throws(() => parseRt("origin:65000:100"), /route-origin/);
  assert.equal(canonicalRt("65000:100", { bare: true }), "target:65000:100");
  assert.match(explainValue(parseRd("192.0.2.1:7"), "rd"), /IPv4 address \+ 2-byte/);
});

test("encode/decode round-trips for every type (property)", T, () => {
  const value = fc.oneof(
    fc.record({ type: fc.constant(0 as const), admin: fc.integer({ min: 0, max: 0xffff }), assigned: fc.integer({ min: 0, max: 0xffffffff }) }),
    fc.record({ type: fc.constant(1 as const), admin: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join(".")), assigned: fc.integer({ min: 0, max: 0xffff }) }),
    fc.record({ type: fc.constant(2 as const), admin: fc.integer({ min: 0, max: 0xffffffff }), assigned: fc.integer({ min: 0, max: 0xffff }) }),
  );
  fc.assert(
    fc.property(value, (raw) => {
      const v = { ...raw };
      assert.deepEqual(decodeRd(encodeRd(v)), v);
      assert.deepEqual(decodeRt(encodeRt(v)), v);
      assert.deepEqual(parseRd(formatRd(v)), v);
      assert.deepEqual(parseRt(formatRt(v)), v);
    }),
    { seed: 42, numRuns: 500 },
  );
});

import { it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import fc from "fast-check";
import {
  canonicalRt,
  decodeRd,
  decodeRt,
  encodeRd,
  encodeRt,
  explainValue,
  formatRd,
  formatRt,
  fromHex,
  hex,
  parseRd,
  parseRt,
} from "../../src/vpn/rd";
import { InputError, ParseError } from "../../src/util/errors";

const T = { timeout: 10000 };

it("RD types are chosen from the administrator (RFC 4364 §4.2)", T, () => {
  expect(parseRd("65000:100")).toStrictEqual({ type: 0, admin: 65000, assigned: 100 });
  expect(parseRd("192.0.2.1:7")).toStrictEqual({ type: 1, admin: "192.0.2.1", assigned: 7 });
  expect(parseRd("4200000000:7")).toStrictEqual({ type: 2, admin: 4200000000, assigned: 7 });
  expect(parseRd("65001L:7")).toStrictEqual({ type: 2, admin: 65001, assigned: 7 });
  expect(formatRd(parseRd("65001L:7"))).toBe("65001L:7");
  expect(formatRd(parseRd("65000:4294967295"))).toBe("65000:4294967295");
});

it("type rules: 65536:1 is not type 0, field overflows are refused with the value named", T, () => {
  expect(thrownBy(() => parseRd("65536:1", { type: 0 }))).toSatisfy(
    (e: Error) => e instanceof InputError && /type-0/.test(e.message) && /65536:1/.test(e.message),
  );
  expect(parseRd("65536:1").type).toBe(2);
  expect(thrownBy(() => parseRd("65536:70000"))).toSatisfy(
    (e: Error) => e instanceof ParseError && /2 bytes/.test(e.message) && /65536:70000/.test(e.message),
  );
  expect(() => parseRd("192.0.2.1:65536")).toThrow(/2 bytes/);
  expect(() => parseRd("65000:4294967296")).toThrow(/4 bytes/);
  expect(() => parseRd("300.0.0.1:1")).toThrow(/IPv4/);
  expect(() => parseRd("65000")).toThrow(/ADMINISTRATOR:NUMBER/);
  expect(() => parseRd("a:b")).toThrow(/decimal/);
  expect(() => parseRd("4294967296:1")).toThrow(/4 bytes/);
});

it("RD wire form: 2-byte type then 6-byte value", T, () => {
  expect(hex(encodeRd(parseRd("65000:100")))).toBe("00 00 fd e8 00 00 00 64");
  expect(hex(encodeRd(parseRd("192.0.2.1:7")))).toBe("00 01 c0 00 02 01 00 07");
  expect(hex(encodeRd(parseRd("4200000000:7")))).toBe("00 02 fa 56 ea 00 00 07");
  expect(thrownBy(() => decodeRd(fromHex("00 03 00 00 00 00 00 00")))).toSatisfy(
    (e: Error) => /unknown route distinguisher type/.test(e.message) && /byte offset 0/.test(e.message),
  );
  expect(() => decodeRd(new Uint8Array(5))).toThrow(/8 bytes/);
  expect(() => encodeRd({ type: 0, admin: 70000, assigned: 1 })).toThrow(InputError);
});

it("RT extended community (RFC 4360): type byte per layout, sub-type 0x02", T, () => {
  expect(hex(encodeRt(parseRt("target:65000:100")))).toBe("00 02 fd e8 00 00 00 64");
  expect(hex(encodeRt(parseRt("target:192.0.2.1:7")))).toBe("01 02 c0 00 02 01 00 07");
  expect(hex(encodeRt(parseRt("target:4200000000:7")))).toBe("02 02 fa 56 ea 00 00 07");
  expect(formatRt(decodeRt(fromHex("00 02 fd e8 00 00 00 64")))).toBe("target:65000:100");
  expect(thrownBy(() => decodeRt(fromHex("00 03 fd e8 00 00 00 64")))).toSatisfy(
    (e: Error) => /route origin/.test(e.message) && /byte offset 1/.test(e.message),
  );
  expect(() => decodeRt(fromHex("40 02 fd e8 00 00 00 64"))).toThrow(/non-transitive/);
  expect(() => parseRt("65000:100")).toThrow(/target:ADMIN:NUMBER/);
  expect(() => parseRt("origin:65000:100")).toThrow(/route-origin/);
  expect(canonicalRt("65000:100", { bare: true })).toBe("target:65000:100");
  expect(explainValue(parseRd("192.0.2.1:7"), "rd")).toMatch(/IPv4 address \+ 2-byte/);
});

it("encode/decode round-trips for every type (property)", T, () => {
  const value = fc.oneof(
    fc.record({
      type: fc.constant(0 as const),
      admin: fc.integer({ min: 0, max: 0xffff }),
      assigned: fc.integer({ min: 0, max: 0xffffffff }),
    }),
    fc.record({
      type: fc.constant(1 as const),
      admin: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join(".")),
      assigned: fc.integer({ min: 0, max: 0xffff }),
    }),
    fc.record({
      type: fc.constant(2 as const),
      admin: fc.integer({ min: 0, max: 0xffffffff }),
      assigned: fc.integer({ min: 0, max: 0xffff }),
    }),
  );
  fc.assert(
    fc.property(value, (raw) => {
      const v = { ...raw };
      expect(decodeRd(encodeRd(v))).toStrictEqual(v);
      expect(decodeRt(encodeRt(v))).toStrictEqual(v);
      expect(parseRd(formatRd(v))).toStrictEqual(v);
      expect(parseRt(formatRt(v))).toStrictEqual(v);
    }),
    { seed: 42, numRuns: 500 },
  );
});

// Fuzz tests (fast-check, fixed seed, bounded runs): random and mutated packets, frames and pcap
// files either decode or give a typed error whose byte offset lies inside the input; never a crash.
import { it, expect } from "vitest";
import fc from "fast-check";
import { buildOptions, decodeDhcp, encodeDhcp, fieldsOf, makeDhcp, type DhcpFields } from "../../src/dhcp/packet";
import { decodeFrame, encodeFrame } from "../../src/dhcp/frame";
import { writePcap } from "../../src/dhcp/pcap";
import { decodeInput } from "../../src/dhcp/decode";
import { WirelabError } from "../../src/util/errors";
import { intToIp } from "../../src/dhcp/addr";
import { relayRequest, relayReply, defaultRelayConfig } from "../../src/dhcp/relay";

const SEED = 20261121;
const T = { timeout: 60000 };

function typedOrOk(fn: () => unknown, len: number): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof WirelabError)) throw new Error(`untyped error: ${(e as Error)?.stack ?? e}`);
    const off = e.details.location?.offset;
    if (off !== undefined && (off < 0 || off > len + 24))
      throw new Error(`offset ${off} outside the input of ${len} bytes: ${e.message}`);
  }
}

const ip = fc.integer({ min: 0, max: 0xffffffff }).map(intToIp);
const mac = fc
  .uint8Array({ minLength: 6, maxLength: 6 })
  .map((b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(":"));
const fields: fc.Arbitrary<DhcpFields> = fc.record(
  {
    messageType: fc.constantFrom("DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM" as const),
    serverId: fc.option(ip, { nil: undefined }),
    requestedIp: fc.option(ip, { nil: undefined }),
    leaseTime: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
    routers: fc.option(fc.array(ip, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    hostName: fc.option(
      fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "x")),
      { nil: undefined },
    ),
    paramRequestList: fc.option(fc.array(fc.integer({ min: 1, max: 254 }), { minLength: 1, maxLength: 12 }), {
      nil: undefined,
    }),
    relayAgent: fc.option(
      fc.record({
        circuitId: fc.uint8Array({ minLength: 1, maxLength: 20 }).map((b) => Buffer.from(b).toString("hex")),
        remoteId: fc.uint8Array({ minLength: 1, maxLength: 20 }).map((b) => Buffer.from(b).toString("hex")),
      }),
      { nil: undefined },
    ),
  },
  { requiredKeys: ["messageType"] },
);
const packet = fc
  .record({
    op: fc.constantFrom(1, 2),
    hops: fc.integer({ min: 0, max: 255 }),
    xid: fc.integer({ min: 0, max: 0xffffffff }),
    secs: fc.integer({ min: 0, max: 0xffff }),
    flags: fc.constantFrom(0, 0x8000),
    ciaddr: ip,
    yiaddr: ip,
    giaddr: ip,
    chaddr: mac,
    f: fields,
  })
  .map(({ f, ...p }) => makeDhcp({ ...p, options: buildOptions(f) }));

it("valid random packets round-trip (decode ∘ encode = id)", T, () => {
  fc.assert(
    fc.property(packet, (p) => {
      const d = decodeDhcp(encodeDhcp(p));
      expect({ ...d, options: fieldsOf(d) }).toStrictEqual({ ...p, options: fieldsOf(p) });
      expect(encodeDhcp(d)).toStrictEqual(encodeDhcp(p));
    }),
    { seed: SEED, numRuns: 400 },
  );
});

it("random bytes never crash the DHCP decoder", T, () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (b) => typedOrOk(() => decodeDhcp(b), b.length)),
    { seed: SEED, numRuns: 2000 },
  );
});

it("random bytes after a valid header and cookie never crash (options area fuzz)", T, () => {
  const head = encodeDhcp(makeDhcp({ options: [] })).subarray(0, 240);
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 120 }), (tail) => {
      const b = new Uint8Array(240 + tail.length);
      b.set(head);
      b.set(tail, 240);
      typedOrOk(() => {
        const d = decodeDhcp(b);
        fieldsOf(d);
      }, b.length);
    }),
    { seed: SEED, numRuns: 3000 },
  );
});

const mutation = fc.record({
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
});
function mutate(b: Uint8Array, m: { flips: Array<[number, number]>; cut?: number }): Uint8Array {
  let out = b.slice();
  for (const [i, v] of m.flips) out[i % out.length] = v;
  if (m.cut !== undefined) out = out.subarray(0, m.cut % (out.length + 1));
  return out;
}

it("mutated packets give typed errors with in-range offsets, never crashes", T, () => {
  fc.assert(
    fc.property(packet, mutation, (p, m) => {
      const b = mutate(encodeDhcp(p), m);
      typedOrOk(() => fieldsOf(decodeDhcp(b)), b.length);
    }),
    { seed: SEED, numRuns: 1500 },
  );
});

it("mutated frames and pcap files never crash decodeFrame / decodeInput", T, () => {
  fc.assert(
    fc.property(packet, mutation, (p, m) => {
      const fr = encodeFrame({
        srcMac: "02:00:00:00:00:01",
        dstMac: "ff:ff:ff:ff:ff:ff",
        srcIp: "0.0.0.0",
        dstIp: "255.255.255.255",
        srcPort: 68,
        dstPort: 67,
        payload: encodeDhcp(p),
      });
      const b = mutate(fr, m);
      typedOrOk(() => decodeFrame(b), b.length);
      const pc = mutate(writePcap([{ time: 1, data: fr }]), m);
      typedOrOk(() => decodeInput(pc, "fuzz.pcap", true), pc.length);
    }),
    { seed: SEED, numRuns: 800 },
  );
});

it("random packets through the relay never throw: forward, deliver or drop with a reason", T, () => {
  const cfg = { ...defaultRelayConfig(["10.20.30.10"], ["inside"]), acceptOnlyFromServers: true, option82: true };
  fc.assert(
    fc.property(packet, ip, (p, src) => {
      const a = relayRequest(p, cfg, { name: "inside", ip: "10.94.240.1" });
      const b = relayReply(p, src, cfg, [{ name: "inside", ip: "10.94.240.1" }]);
      for (const d of [a, b]) {
        if (d.action === "drop") expect(d.reason.length > 0).toBeTruthy();
        else {
          const bytes = encodeDhcp(d.packet);
          decodeDhcp(bytes);
        }
        if (d.action === "forward") expect(d.packet.hops <= cfg.maxHops && d.packet.giaddr !== "0.0.0.0").toBeTruthy();
      }
    }),
    { seed: SEED, numRuns: 1000 },
  );
});

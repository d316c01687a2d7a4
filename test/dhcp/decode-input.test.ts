// decodeInput on inputs that are not what they claim: a cut DHCP message (blamed on DHCP), bytes
// that are nothing (blamed on nothing), a pcapng whose unused interface has an unsupported link
// type (fine) or whose packets are on one (refused by name, at the IDB's link type field).
import { it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { decodeInput } from "../../src/dhcp/decode";
import { encodeFrame } from "../../src/dhcp/frame";
import { buildOptions, encodeDhcp, makeDhcp } from "../../src/dhcp/packet";
import { pcapng } from "../capture/build";

const msg = encodeDhcp(
  makeDhcp({ op: 1, xid: 7, chaddr: "52:54:00:00:00:01", options: buildOptions({ messageType: "DISCOVER" }) }),
);
const frame = encodeFrame({
  srcMac: "52:54:00:00:00:01",
  dstMac: "ff:ff:ff:ff:ff:ff",
  srcIp: "0.0.0.0",
  dstIp: "255.255.255.255",
  srcPort: 68,
  dstPort: 67,
  payload: msg,
});

it("a cut DHCP message is a DHCP error; random bytes are 'neither'", () => {
  expect(() => decodeInput(msg.subarray(0, 100), "m.bin")).toThrow(
    /truncated: a DHCP message needs at least 240 bytes/,
  );
  expect(decodeInput(msg, "m.bin").records[0]!.fields!.messageType).toBe("DISCOVER");
  expect(() => decodeInput(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10), "img.png")).toThrow(
    /neither a capture file \(no pcap or pcapng magic number\) nor a DHCP message .*first bytes 89504e47.*img\.png, byte offset 0/,
  );
  expect(() => decodeInput(new Uint8Array(0), "empty")).toThrow(
    /neither a capture file nor a DHCP message: only 0 byte/,
  );
});

it("a packet cut by the snapshot length says so", () => {
  const r = decodeInput(
    pcapng([
      {
        interfaces: [{ linktype: 1, snaplen: 96 }],
        packets: [{ time: 1, data: frame.subarray(0, 96), origLen: frame.length }],
      },
    ]),
    "snap.pcapng",
  );
  expect(r.records[0]!.error!).toMatch(
    /packet 1 .*IPv4 total length \d+ does not fit.*only 96 of its \d+ bytes were captured.*tcpdump -s 0/,
  );
});

it("pcapng link types: an unused unsupported interface is fine, packets on one are refused by name", () => {
  const ok = pcapng([{ interfaces: [{ linktype: 1 }, { linktype: 105 }], packets: [{ time: 1, data: frame }] }]);
  expect(decodeInput(ok, "two.pcapng").records.length).toBe(1);
  const bad = pcapng([
    {
      interfaces: [{ linktype: 1 }, { linktype: 105 }],
      packets: [
        { time: 1, data: frame },
        { time: 2, data: frame, iface: 1 },
      ],
    },
  ]);
  expect(thrownBy(() => decodeInput(bad, "wifi.pcapng"))).toSatisfy((e: Error) => {
    const m =
      /link type IEEE 802.11 \(105\) is not supported for DHCP decoding \(packet 2 was captured on it\).*wifi\.pcapng, byte offset (\d+)/.exec(
        e.message,
      );
    expect(m, e.message).toBeTruthy();
    expect(bad[Number(m[1])]).toBe(105);
    return true;
  });
  const empty = pcapng([{ interfaces: [{ linktype: 4242 }], packets: [] }]);
  expect(() => decodeInput(empty, "e.pcapng")).toThrow(/unknown link type \(4242\) is not supported/);
});

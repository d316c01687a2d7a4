/**
 * The link layer of a captured packet, by LINKTYPE (tcpdump.org "Link-layer header types"):
 *
 * - 1 Ethernet II (IEEE 802.3 type field), with any number of 802.1Q / 802.1ad VLAN tags
 *   (TPIDs 0x8100, 0x88a8, 0x9100); 802.3 length frames (LLC) have no EtherType;
 * - 113 Linux cooked capture v1 (SLL, `tcpdump -i any`) and 276 v2 (SLL2): the sender's link
 *   address and the protocol; the header is checked (packet type, address length) so a file that
 *   claims SLL but holds Ethernet frames is caught instead of read as garbage;
 * - 101 and 228 raw IPv4 (no link header).
 *
 * Every other link type is refused by name (`linktypeName`). Offsets are relative to the packet.
 *
 * @example
 *   decodeLink(frame, 1); // { src: "02:00:…", dst: "ff:ff:…", vlans: [], etherType: 0x0800, payloadOffset: 14 }
 */
import { ParseError, UnsupportedError } from "../util/errors";

export interface LinkFrame {
  linktype: number;
  /** Source link address (Ethernet source; SLL/SLL2: the sender's address) or undefined. */
  src?: string;
  /** Destination link address (Ethernet only). */
  dst?: string;
  /** VLAN IDs, outermost first. */
  vlans: number[];
  /** EtherType / protocol of the payload; undefined for 802.3 length (LLC) frames. */
  etherType?: number;
  /** SLL packet type: 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us. */
  packetType?: number;
  payloadOffset: number;
}

const NAMES: Record<number, string> = {
  0: "BSD loopback (NULL)",
  1: "Ethernet",
  6: "IEEE 802.5 Token Ring",
  9: "PPP",
  10: "FDDI",
  12: "raw IP (OpenBSD)",
  50: "PPP in HDLC",
  51: "PPPoE",
  101: "raw IP",
  104: "Cisco HDLC",
  105: "IEEE 802.11",
  108: "OpenBSD loopback",
  113: "Linux cooked capture (SLL)",
  127: "IEEE 802.11 radiotap",
  147: "user-defined (147)",
  149: "Apple IP over IEEE 1394",
  192: "PPI",
  195: "IEEE 802.15.4",
  201: "Bluetooth HCI",
  220: "USB (Linux mmapped)",
  228: "raw IPv4",
  229: "raw IPv6",
  239: "Netlink",
  249: "USBPcap",
  252: "Wireshark upper PDU",
  263: "DOCSIS",
  276: "Linux cooked capture v2 (SLL2)",
};

/** "Ethernet (1)", "IEEE 802.11 (105)", "unknown link type (12345)". */
export function linktypeName(lt: number): string {
  return `${NAMES[lt] ?? "unknown link type"} (${lt})`;
}

export const SUPPORTED_LINKTYPES = [1, 101, 113, 228, 276];

export function isSupportedLinktype(lt: number): boolean {
  return SUPPORTED_LINKTYPES.includes(lt);
}

const mac = (b: Uint8Array, at: number, n: number) =>
  Array.from(b.subarray(at, at + n), (x) => x.toString(16).padStart(2, "0")).join(":");
const hex4 = (v: number) => "0x" + v.toString(16).padStart(4, "0");
const ETHERTYPES_SEEN_AT_12 = [0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x8847, 0x8848];

/** Parses the link header of `b` captured with link type `linktype`. */
export function decodeLink(b: Uint8Array, linktype: number): LinkFrame {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const cut = (what: string, need: number) =>
    new ParseError(`truncated ${what}: ${b.length} of ${need} bytes`, { location: { offset: b.length } });
  if (linktype === 1) {
    if (b.length < 14) throw cut("Ethernet header", 14);
    const f: LinkFrame = { linktype, dst: mac(b, 0, 6), src: mac(b, 6, 6), vlans: [], payloadOffset: 14 };
    let at = 12;
    let t = dv.getUint16(at);
    while (t === 0x8100 || t === 0x88a8 || t === 0x9100) {
      if (b.length < at + 6)
        throw new ParseError(`truncated 802.1Q tag: ${b.length - at} of 6 bytes`, { location: { offset: at } });
      f.vlans.push(dv.getUint16(at + 2) & 0x0fff);
      at += 4;
      t = dv.getUint16(at);
    }
    f.payloadOffset = at + 2;
    if (t >= 0x0600) f.etherType = t;
    return f;
  }
  if (linktype === 113) {
    if (b.length < 16) throw cut("Linux cooked (SLL) header", 16);
    const ptype = dv.getUint16(0),
      alen = dv.getUint16(4);
    checkCooked(b, ptype, alen, 0, 4, dv.getUint16(14), 14);
    return {
      linktype,
      src: mac(b, 6, Math.min(alen, 8)),
      vlans: [],
      etherType: dv.getUint16(14),
      packetType: ptype,
      payloadOffset: 16,
    };
  }
  if (linktype === 276) {
    if (b.length < 20) throw cut("Linux cooked v2 (SLL2) header", 20);
    const ptype = b[10]!,
      alen = b[11]!;
    checkCooked(b, ptype, alen, 10, 11, dv.getUint16(0), 0);
    return {
      linktype,
      src: mac(b, 12, Math.min(alen, 8)),
      vlans: [],
      etherType: dv.getUint16(0),
      packetType: ptype,
      payloadOffset: 20,
    };
  }
  if (linktype === 101 || linktype === 228) {
    if (b.length >= 1 && b[0]! >> 4 === 6 && linktype === 101)
      return { linktype, vlans: [], etherType: 0x86dd, payloadOffset: 0 };
    return { linktype, vlans: [], etherType: 0x0800, payloadOffset: 0 };
  }
  throw new UnsupportedError(`link type ${linktypeName(linktype)} is not supported`, {
    value: linktype,
    hint: "supported: Ethernet (1), raw IP (101, 228), Linux cooked capture (113, 276)",
  });
}

function checkCooked(
  b: Uint8Array,
  ptype: number,
  alen: number,
  ptypeAt: number,
  alenAt: number,
  proto: number,
  protoAt: number,
): void {
  const looksEthernet = b.length >= 14 && ETHERTYPES_SEEN_AT_12.includes((b[12]! << 8) | b[13]!);
  const hint = looksEthernet
    ? `the bytes look like an Ethernet frame (EtherType ${hex4((b[12]! << 8) | b[13]!)} at byte 12): the ` +
      `file's link type is probably wrong; fix it with: editcap -T ether in out`
    : undefined;
  if (ptype > 7)
    throw new ParseError("not a Linux cooked capture header: packet type above 7", {
      value: hex4(ptype),
      location: { offset: ptypeAt },
      ...(hint ? { hint } : {}),
    });
  if (alen > 8)
    throw new ParseError("not a Linux cooked capture header: link address length above 8", {
      value: alen,
      location: { offset: alenAt },
      ...(hint ? { hint } : {}),
    });
  // An Ethernet frame carrying IPv4 (0x0800 at 12, an IPv4 header at 14) whose cooked "protocol" is not IPv4:
  // the header fields above happened to look plausible, but this is Ethernet with the wrong link type.
  if (proto !== 0x0800 && b.length >= 15 && b[12] === 0x08 && b[13] === 0x00 && b[14]! >> 4 === 4) {
    throw new ParseError(
      "not a Linux cooked capture header: the protocol field does not match, and an Ethernet IPv4 header " +
        "follows at byte 14",
      { value: hex4(proto), location: { offset: protoAt }, ...(hint ? { hint } : {}) },
    );
  }
}

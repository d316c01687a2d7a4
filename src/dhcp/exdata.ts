/**
 * The data the DHCP exercises are about, computed by the library (never typed in): the bytes of
 * an OFFER to decode, the per-hop rows of the PXE lab, and the device that drops the OFFER.
 * Notebook cells show these; the exercise tests compare learners' answers with them.
 *
 * @example
 *   bytesToHex(offerBytes()); // the DHCP message the learner decodes by hand
 */
import { bytesToHex } from "./addr";
import { decodeFrame } from "./frame";
import { decodeDhcp, fieldsOf } from "./packet";
import { pxeLab, type LabOptions } from "./lab";
import { hopTable, firstExchange, dropSummary, type HopRow } from "./trace";

/** The DHCPOFFER as it leaves the server in the fixed PXE lab (the UDP payload). */
export function offerBytes(): Uint8Array {
  const lab = pxeLab({ fix: true }).run(1);
  const w = lab.frames("dc").find((f) => f.from === "dhcp1")!;
  return decodeFrame(w.bytes).payload.slice();
}

/** Hex dump, 16 bytes per line with offsets, for the decode exercise. */
export function hexDump(b: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += 16) {
    const hex = bytesToHex(b.subarray(i, i + 16)).replace(/(..)/g, "$1 ").trim();
    lines.push(`${i.toString().padStart(4, "0")}  ${hex}`);
  }
  return lines.join("\n");
}

export interface DecodeAnswer {
  messageType: string;
  xid: string;
  yiaddr: string;
  giaddr: string;
  hops: number;
  broadcastFlag: boolean;
  serverId: string;
  leaseTime: number;
  bootfile: string;
}

/** The reference decode of offerBytes(), in the exercise's shape. */
export function expectedDecode(): DecodeAnswer {
  const p = decodeDhcp(offerBytes());
  const f = fieldsOf(p);
  return {
    messageType: f.messageType!, xid: "0x" + p.xid.toString(16).padStart(8, "0"), yiaddr: p.yiaddr, giaddr: p.giaddr, hops: p.hops,
    broadcastFlag: (p.flags & 0x8000) !== 0, serverId: f.serverId!, leaseTime: f.leaseTime!, bootfile: f.bootfile!,
  };
}

/** The columns of the hop table the learner predicts (the rest of a HopRow is given). */
export type HopAnswerRow = Pick<HopRow, "msg" | "segment" | "srcIp" | "srcPort" | "dstIp" | "dstPort" | "giaddr" | "hops">;

/** The first DISCOVER's journey and the OFFER coming back, in the broken PXE lab. */
export function expectedHops(o: LabOptions = {}): HopAnswerRow[] {
  return firstExchange(hopTable(pxeLab(o).run(1))).map((r) => ({ msg: r.msg, segment: r.segment, srcIp: r.srcIp, srcPort: r.srcPort, dstIp: r.dstIp, dstPort: r.dstPort, giaddr: r.giaddr, hops: r.hops }));
}

export const DROPPER_CHOICES = [
  "A: palo — the firewall next to the server drops the OFFER",
  "B: forti — the middle firewall drops the OFFER",
  "C: asa — the relay accepts replies only from its configured servers",
  "D: the server never sends an OFFER",
  "E: the PXE client ignores the OFFER",
];

/** The letter of the device that drops the OFFER in a lab variant, from the simulation. */
export function dropperLetter(o: LabOptions = {}): string {
  const lab = pxeLab(o).run(60);
  const d = dropSummary(lab).find((x) => x.msg === "OFFER");
  const sent = lab.net.events.some((e) => e.node === "dhcp1" && /offer/.test(e.text));
  if (!sent) return "D";
  if (!d) return "E";
  return ({ palo: "A", forti: "B", asa: "C" } as Record<string, string>)[d.device] ?? "E";
}

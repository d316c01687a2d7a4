/**
 * The data the DHCP exercises are about, computed by the library (never typed in): the bytes of
 * an OFFER to decode and the choices of the dropper questions. The answer keys (the reference
 * decode, the per-hop rows of the PXE lab, the device that drops the OFFER, what option 82 adds)
 * sit inside hidden-test markers: only the instructor's copy has them; the student copy checks
 * answers against their seals (src/grading/sealed.ts).
 *
 * @example
 *   bytesToHex(offerBytes()); // the DHCP message the learner decodes by hand
 */
import { bytesToHex } from "./addr";
import { decodeFrame } from "./frame";
import { decodeDhcp, fieldsOf } from "./packet";
import { pxeLab, relayLab, type LabOptions } from "./lab";
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
    const hex = bytesToHex(b.subarray(i, i + 16))
      .replace(/(..)/g, "$1 ")
      .trim();
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

// wirelab:hidden-begin
/** The reference decode of offerBytes(), in the exercise's shape. */
export function expectedDecode(): DecodeAnswer {
  const p = decodeDhcp(offerBytes());
  const f = fieldsOf(p);
  return {
    messageType: f.messageType!,
    xid: "0x" + p.xid.toString(16).padStart(8, "0"),
    yiaddr: p.yiaddr,
    giaddr: p.giaddr,
    hops: p.hops,
    broadcastFlag: (p.flags & 0x8000) !== 0,
    serverId: f.serverId!,
    leaseTime: f.leaseTime!,
    bootfile: f.bootfile!,
  };
}

// wirelab:hidden-end

/** The columns of the hop table the learner predicts (the rest of a HopRow is given). */
export type HopAnswerRow = Pick<
  HopRow,
  "msg" | "segment" | "srcIp" | "srcPort" | "dstIp" | "dstPort" | "giaddr" | "hops"
>;

// wirelab:hidden-begin

/** The first DISCOVER's journey and the OFFER coming back, in the broken PXE lab. */
export function expectedHops(o: LabOptions = {}): HopAnswerRow[] {
  return firstExchange(hopTable(pxeLab(o).run(1))).map((r) => ({
    msg: r.msg,
    segment: r.segment,
    srcIp: r.srcIp,
    srcPort: r.srcPort,
    dstIp: r.dstIp,
    dstPort: r.dstPort,
    giaddr: r.giaddr,
    hops: r.hops,
  }));
}

// wirelab:hidden-end

/** Neutral wording: each choice names a place, none states a diagnosis. */
export const DROPPER_CHOICES = [
  "A: palo — the firewall next to the server",
  "B: forti — the middle firewall",
  "C: asa — the firewall next to the PXE client (it also relays DHCP)",
  "D: no device: the server never sends an OFFER",
  "E: no device: the PXE client receives the OFFER and ignores it",
];

// wirelab:hidden-begin
/** The letter of the device that drops the OFFER in a lab variant, from the simulation. */
export function dropperLetter(o: LabOptions = {}): string {
  const lab = pxeLab(o).run(60);
  const d = dropSummary(lab).find((x) => x.msg === "OFFER");
  const sent = lab.net.events.some((e) => e.node === "dhcp1" && /offer/.test(e.text));
  if (!sent) return "D";
  if (!d) return "E";
  return ({ palo: "A", forti: "B", asa: "C" } as Record<string, string>)[d.device] ?? "E";
}

// wirelab:hidden-end

export interface Option82Answer {
  /** circuit-id the relay inserts, as text. */
  circuitId: string;
  /** remote-id the relay inserts, as text. */
  remoteId: string;
  /** Does the DISCOVER, as the server receives it, carry option 82? */
  serverReceives82: boolean;
  /** Does the OFFER, as the server sends it, carry option 82? */
  serverEchoes82: boolean;
  /** Does the OFFER, as the client receives it, carry option 82? */
  clientReceives82: boolean;
}

// wirelab:hidden-begin
const hexText = (h: string | undefined) => (h === undefined ? "" : Buffer.from(h, "hex").toString("latin1"));

/** What the option 82 exercise asks, read from the frames of a run of the one-relay lab. */
export function expectedOption82(serverMode: "interface" | "targeted" = "interface"): Option82Answer {
  const lab = relayLabWith82(serverMode);
  const dhcpOn = (seg: string, from: string, type: string) => {
    for (const w of lab.frames(seg)) {
      if (w.from !== from) continue;
      const p = decodeDhcp(decodeFrame(w.bytes).payload);
      if (fieldsOf(p).messageType === type) return fieldsOf(p);
    }
    throw new Error(`no ${type} from ${from} on ${seg}`);
  };
  const atServer = dhcpOn("srv", "relay", "DISCOVER");
  const fromServer = dhcpOn("srv", "server", "OFFER");
  const atClient = dhcpOn("lan", "relay", "OFFER");
  return {
    circuitId: hexText(atServer.relayAgent?.circuitId),
    remoteId: hexText(atServer.relayAgent?.remoteId),
    serverReceives82: atServer.relayAgent !== undefined,
    serverEchoes82: fromServer.relayAgent !== undefined,
    clientReceives82: atClient.relayAgent !== undefined,
  };
}

function relayLabWith82(serverMode: "interface" | "targeted") {
  return relayLab({ option82: true, serverMode }).run(5);
}
// wirelab:hidden-end

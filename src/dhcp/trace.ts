/**
 * The explain layer: turns a simulation run into plain data (rows per hop, drop reasons,
 * client state history). Nothing here prints; views.ts renders these rows.
 *
 * @example
 *   hopTable(pxeLab({ fix: true }).run(5)).map((r) => `${r.segment} ${r.msg} giaddr=${r.giaddr}`);
 */
import { decodeFrame } from "./frame";
import { decodeDhcp, fieldsOf, isBroadcast } from "./packet";
import type { Lab } from "./lab";
import type { WireFrame } from "./sim";

export interface HopRow {
  n: number;
  t: number;
  segment: string;
  from: string;
  to: string;
  msg: string;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  giaddr: string;
  hops: number;
  broadcastFlag: boolean;
  /** Why the receiver dropped it, if it did. */
  dropped?: string;
}

/**
 * The columns a hop table shows after its row number (and, in the CLI, the time): the hop, the
 * message, its addresses and ports, giaddr, hops, and why it was dropped.
 */
export const HOP_COLUMNS: ReadonlyArray<keyof HopRow> = [
  "segment",
  "from",
  "to",
  "msg",
  "srcIp",
  "srcPort",
  "dstIp",
  "dstPort",
  "giaddr",
  "hops",
  "dropped",
];

/** One row per DHCP frame on the wire, in time order, with the drop reason of its receiver. */
export function hopTable(lab: Lab | { net: Lab["net"] }, opts: { limit?: number; segments?: string[] } = {}): HopRow[] {
  const net = lab.net;
  const drops = new Map<number, string>();
  for (const e of net.events)
    if (e.kind === "drop" && e.frame !== undefined) drops.set(e.frame, `${e.node}: ${e.text}`);
  const rows: HopRow[] = [];
  net.frames.forEach((w: WireFrame, i: number) => {
    if (opts.segments && !opts.segments.includes(w.segment)) return;
    const f = decodeFrame(w.bytes);
    let msg: string,
      giaddr = "",
      hops = 0,
      bc = false;
    try {
      const p = decodeDhcp(f.payload);
      msg = fieldsOf(p).messageType ?? "BOOTP";
      giaddr = p.giaddr;
      hops = p.hops;
      bc = isBroadcast(p);
    } catch {
      msg = "(not DHCP)";
    }
    rows.push({
      n: i + 1,
      t: Math.round(w.t * 1000) / 1000,
      segment: w.segment,
      from: w.from,
      to: w.to.join(","),
      msg,
      srcIp: f.srcIp,
      srcPort: f.srcPort,
      dstIp: f.dstIp,
      dstPort: f.dstPort,
      giaddr,
      hops,
      broadcastFlag: bc,
      ...(drops.has(i) ? { dropped: drops.get(i)! } : {}),
    });
  });
  return opts.limit ? rows.slice(0, opts.limit) : rows;
}

/** The first exchange (one DISCOVER's journey and what came back), to keep ladders short. */
export function firstExchange(rows: HopRow[]): HopRow[] {
  const out: HopRow[] = [];
  let discovers = 0;
  for (const r of rows) {
    if (r.msg === "DISCOVER" && r.giaddr === "0.0.0.0") discovers++;
    if (discovers > 1) break;
    out.push(r);
  }
  return out;
}

/** Which device dropped DHCP traffic, by message type: [{device, msg, count, reason}]. */
export function dropSummary(lab: Lab): Array<{ device: string; msg: string; count: number; reason: string }> {
  const m = new Map<string, { device: string; msg: string; count: number; reason: string }>();
  for (const r of hopTable(lab)) {
    if (!r.dropped) continue;
    const device = r.dropped.split(":")[0]!;
    const reason = r.dropped.slice(device.length + 2);
    const k = `${device}|${r.msg}|${reason}`;
    const e = m.get(k) ?? { device, msg: r.msg, count: 0, reason };
    e.count++;
    m.set(k, e);
  }
  return [...m.values()];
}

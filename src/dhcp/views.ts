/**
 * Notebook views for the DHCP module: ladder diagrams per hop, packet field tables, firewall
 * session tables. They turn data from trace.ts / packet.ts into `src/notebook` tables and
 * diagrams; they never print.
 *
 * @example
 *   show(ladderView(pxeLab().run(1)));
 */
import { ladder, renderTable, type ChartSpec, type Diagram, type TableView, type LadderMessage } from "../notebook";
import { hopTable, firstExchange, HOP_COLUMNS, type HopRow } from "./trace";
import type { Lab } from "./lab";
import { optionRows, type DhcpPacket } from "./packet";
import type { Session } from "./firewall";

/** A ladder diagram with one arrow per frame per hop (addresses, ports, giaddr, hops). */
export function ladderView(lab: Lab, opts: { rows?: HopRow[]; title?: string; all?: boolean } = {}): Diagram {
  const rows = opts.rows ?? (opts.all ? hopTable(lab) : firstExchange(hopTable(lab)));
  const msgs: LadderMessage[] = rows.map((r) => {
    const to = r.to.split(",")[0] || r.from;
    return {
      from: r.from,
      to,
      label: `${r.msg}${r.dropped ? " (dropped)" : ""}`,
      detail:
        `${r.srcIp}:${r.srcPort} → ` +
        `${r.dstIp}:${r.dstPort}${r.giaddr !== "0.0.0.0" ? ` giaddr ${r.giaddr}` : ""} hops ${r.hops}`,
      dashed: r.dstIp === "255.255.255.255",
      dropped: !!r.dropped,
    };
  });
  return ladder(lab.path, msgs, { title: opts.title ?? `${lab.name}: DHCP per hop`, width: 190 * lab.path.length });
}

/** The hop table as a notebook table. */
export function hopView(lab: Lab, opts: { rows?: HopRow[]; caption?: string } = {}): TableView {
  const rows = opts.rows ?? firstExchange(hopTable(lab));
  return renderTable(
    rows.map((r) => ({ ...r, dropped: r.dropped ?? "" })),
    {
      caption: opts.caption ?? "every DHCP frame on every hop",
      columns: ["n", ...HOP_COLUMNS],
      highlight: rows.map((r, i) => (r.dropped ? i : -1)).filter((i) => i >= 0),
    },
  );
}

/** Fixed fields and options of one DHCP message. */
export function packetView(p: DhcpPacket, caption = "DHCP message"): TableView {
  const fixed = [
    ["op", p.op],
    ["htype", p.htype],
    ["hlen", p.hlen],
    ["hops", p.hops],
    ["xid", "0x" + p.xid.toString(16).padStart(8, "0")],
    ["secs", p.secs],
    ["flags", "0x" + p.flags.toString(16).padStart(4, "0")],
    ["ciaddr", p.ciaddr],
    ["yiaddr", p.yiaddr],
    ["siaddr", p.siaddr],
    ["giaddr", p.giaddr],
    ["chaddr", p.chaddr],
    ["sname", p.sname],
    ["file", p.file],
  ].map(([field, value]) => ({ field: String(field), value: String(value) }));
  const opts = optionRows(p).map((o) => ({ field: `option ${o.code} ${o.name} @${o.offset ?? "-"}`, value: o.value }));
  return renderTable([...fixed, ...opts], { caption });
}

/** "show session all" as a table. */
export function sessionsView(sessions: Session[], caption = "firewall sessions"): TableView {
  return renderTable(
    sessions.map((s) => ({
      id: s.id,
      src: `${s.tuple.src}:${s.tuple.sport}`,
      dst: `${s.tuple.dst}:${s.tuple.dport}`,
      zones: `${s.fromZone}→${s.toZone}`,
      packets: s.packets.org + s.packets.reply,
      age: Math.round(s.lastSeen - s.created),
      offloaded: s.offloaded,
    })),
    { caption },
  );
}

/**
 * A vega-lite chart of when each DHCP message type is seen on each segment: the client's
 * retransmission back-off and restarts, and where the messages stop.
 */
export function timelineChart(lab: Lab, opts: { title?: string; segments?: string[] } = {}): ChartSpec {
  const rows = hopTable(lab, opts.segments ? { segments: opts.segments } : {}).map((r) => ({
    t: r.t,
    segment: r.segment,
    msg: r.msg,
    dropped: r.dropped ? "dropped here" : "delivered",
  }));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: opts.title ?? `${lab.name}: DHCP messages over time`,
    data: { values: rows },
    mark: { type: "point", filled: true, size: 70, tooltip: true },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (s)" },
      y: { field: "segment", type: "nominal", sort: [...new Set(rows.map((r) => r.segment))], title: null },
      yOffset: { field: "msg", type: "nominal" },
      color: { field: "msg", type: "nominal", title: "message" },
      shape: { field: "dropped", type: "nominal", title: null },
    },
    width: 520,
    height: 160,
  };
  return spec as unknown as ChartSpec;
}

/**
 * Views for the RT/RD notebook and the `wirelab vpn` CLI: VRF tables, a route reflector's VPNv4
 * table, explanations, the topology diagram and RD/RT byte layouts. Nothing here prints; callers
 * pass the result to `show()` (or print `.text`).
 */
import { renderTable, topology, type ChartSpec, type Diagram, type Row, type TableView } from "../notebook";
import type { Decision, EngineResult } from "./engine";
import type { Network } from "./model";
import { encodeRd, encodeRt, hex, parseRd, parseRt } from "./rd";

/** Rows of the VRF tables (optionally one router / one VRF). */
export function vrfRows(result: EngineResult, filter: { router?: string; vrf?: string } = {}): Row[] {
  return result.vrfTables
    .filter((t) => (!filter.router || t.router === filter.router) && (!filter.vrf || t.vrf === filter.vrf))
    .flatMap((t) =>
      t.routes.map((r) => ({
        router: r.router,
        vrf: r.vrf,
        prefix: r.prefix,
        "next hop": r.nextHop,
        rd: r.source === "local" ? "" : r.rd,
        label: r.source === "local" ? "" : r.label,
        rts: r.rts.join(" "),
        from: r.source === "local" ? "local" : `${r.originPe}/${r.originVrf}`,
        best: r.best,
        multipath: r.multipath,
      })),
    );
}

/** The VRF tables as one table view; best paths highlighted. */
export function vrfTable(
  result: EngineResult,
  filter: { router?: string; vrf?: string } = {},
  caption?: string,
): TableView {
  const rows = vrfRows(result, filter);
  return renderTable(rows, {
    caption:
      caption ??
      `VRF tables${filter.router ? " on " + filter.router : ""}${filter.vrf ? ", VRF " + filter.vrf : ""} ` +
        `(✓ best: the path in use)`,
    highlight: rows.map((r, i) => (r.best ? i : -1)).filter((i) => i >= 0),
  });
}

/** One router's BGP VPNv4 table: every path it holds per RD:prefix, best marked. */
export function ribTable(result: EngineResult, router: string): TableView {
  const rows: Row[] = (result.ribs[router] ?? []).map((p) => ({
    "RD:prefix": p.key,
    "next hop": p.route.nextHop,
    label: p.route.label,
    rts: p.route.rts.join(" "),
    "learned from": p.from || "(own export)",
    originator: p.route.originatorId ?? "",
    best: p.best,
  }));
  return renderTable(rows, {
    caption: `BGP VPNv4 table of ${router}: one best path per RD:prefix (✓) is what it advertises`,
    highlight: rows.map((r, i) => (r.best ? i : -1)).filter((i) => i >= 0),
  });
}

/** Decisions as a Markdown bullet list. */
export function explainMarkdown(decisions: Decision[], title = "Why"): string {
  if (!decisions.length) return `**${title}**: nothing to explain.`;
  return `**${title}**\n\n` + decisions.map((d) => `- *${d.stage}* — ${d.text}`).join("\n");
}

/** The lab's topology: PEs with their VRFs, route reflectors, and the VPNv4 sessions. */
export function topologyDiagram(net: Network, result: EngineResult, title = "VPNv4 sessions"): Diagram {
  const reflectors = new Set(net.routers.filter((r) => r.neighbors.some((n) => n.rrClient)).map((r) => r.name));
  const nodes = net.routers.map((r) => ({
    id: r.name,
    role: reflectors.has(r.name) ? "rr" : "pe",
    label: r.vrfs.length ? `${r.name} [${r.vrfs.map((v) => `${v.name} ${v.rd}`).join(", ")}]` : `${r.name} (RR)`,
  }));
  // Put reflectors first so the layered layout centres them.
  nodes.sort((a, b) => Number(b.role === "rr") - Number(a.role === "rr"));
  const links = result.sessions.map((s) => ({
    a: s.a,
    b: s.b,
    label: s.up ? (s.rrClient ? "RR client" : "iBGP") : "down",
    dashed: !s.up,
  }));
  return topology(nodes, links, { title });
}

/** An RD or RT, parsed, with its type and wire bytes. */
export function valueTable(texts: string[]): TableView {
  const rows: Row[] = texts.map((t) => {
    const isRt = t.trim().toLowerCase().startsWith("target:");
    const v = isRt ? parseRt(t) : parseRd(t);
    return {
      text: t,
      kind: isRt ? "route target" : "route distinguisher",
      type: v.type,
      administrator: String(v.admin),
      "assigned number": v.assigned,
      "wire bytes": hex(isRt ? encodeRt(v) : encodeRd(v)),
    };
  });
  return renderTable(rows, { caption: "RD and RT layouts (RFC 4364 §4.2, RFC 4360)" });
}

/** One row per VRF: where it lives, its RD, what it imports and exports (RTs or policy terms). */
export function vrfSummary(net: Network, caption = "VRFs: RD, import and export"): TableView {
  const rows: Row[] = net.routers.flatMap((r) =>
    r.vrfs.map((v) => ({
      router: r.name,
      vrf: v.name,
      rd: v.rd,
      import: v.importPolicy
        ? `policy ${v.importPolicy.name}: accepts ${v.importPolicy.terms
            .filter((t) => t.action === "accept")
            .map((t) => (t.fromCommunities ?? []).map((c) => c.join("+")).join(" or ") || "all")
            .join(" or ")}`
        : v.importRts.join(" ") + (v.importFilter ? ` (then import map ${v.importFilter.name})` : ""),
      export: v.exportPolicy
        ? `policy ${v.exportPolicy.name}: adds ${v.exportPolicy.terms.flatMap((t) => t.addRts ?? []).join(" ")}`
        : v.exportRts.join(" "),
      routes: v.routes.map((c) => c.prefix).join(" "),
    })),
  );
  return renderTable(rows, { caption });
}

/** A histogram of how many routes each VRF imported (vega-lite 5). */
export function importHistogram(perVrf: ArrayLike<number>, title: string): ChartSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    width: 420,
    height: 180,
    data: { values: Array.from(perVrf, (n, vrf) => ({ vrf, imported: n })) },
    mark: "bar",
    encoding: {
      x: { field: "imported", type: "quantitative", bin: { maxbins: 30 }, title: "routes imported by one VRF" },
      y: { aggregate: "count", type: "quantitative", title: "number of VRFs" },
    },
  } as ChartSpec;
}

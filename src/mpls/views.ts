/**
 * Notebook and CLI views of the MPLS simulator: label stacks per hop (`stacks` diagram), paths on
 * the topology (`topology` diagram), LFIB and walk tables, LDP and RSVP ladders. Every function
 * RETURNS a view; `show()` from src/notebook displays it.
 */
import { ladder, renderTable, stacks, topology, type Diagram, type Row, type TableView } from "../notebook";
import { actionOf, type Network, type RsvpLsp } from "./network";
import { formatIPv4 } from "./topology";
import type { Walk } from "./walk";

/** "1001/63" style: label and TTL of each entry, top first. */
export function stackText(stack: Array<{ label: number; ttl: number }>): string {
  return stack.length ? stack.map((e) => `${e.label}/${e.ttl}`).join(" ") : "(none)";
}

/** One row per hop: router, what arrived, actions, what left. */
export function walkRows(w: Walk): Row[] {
  return w.hops.map((h, i) => ({
    hop: i + 1,
    router: h.router,
    "in stack (label/ttl)": stackText(h.inStack),
    "in IP ttl": h.inIpTtl,
    action: h.actions.join("; "),
    "out stack (label/ttl)": h.next ? stackText(h.outStack) : "",
    "out IP ttl": h.outIpTtl,
    next: h.next ?? "",
  }));
}

export function walkTable(w: Walk): TableView {
  const cap =
    `${w.from} → ${w.to}${w.vrf ? ` (vrf ${w.vrf})` : ""}, TTL ${w.ttlMode}: ${w.outcome} — ` +
    `${w.reason}${w.loopAt !== undefined ? ` — LOOP: state repeats at hop ${w.loopAt + 1}` : ""}`;
  return renderTable(walkRows(w), { caption: cap, ...(w.loopAt !== undefined ? { highlight: [w.loopAt] } : {}) });
}

/** The stack on each link the packet crossed, as columns of boxes. */
export function walkStacks(w: Walk, title?: string): Diagram {
  const cols = w.hops
    .filter((h) => h.next)
    .map((h) => ({
      title: `${h.router}→${h.next}`,
      boxes: [...h.outStack.map((e) => `L ${e.label} ttl ${e.ttl}`), `IPv4 ttl ${h.outIpTtl}`],
      caption: h.actions[h.actions.length - 1]!.replace(/ \[.*\]$/, "")
        .replace(/^IP lookup .*: (\S+) via \S+, /, "")
        .slice(0, 22),
    }));
  return stacks(cols, { title: title ?? `${w.from} → ${w.to}: ${w.outcome}` });
}

/** The LFIB of one router (or all) as rows. */
export function lfibRows(net: Network, router?: string): Row[] {
  const rows: Row[] = [];
  for (const st of net.routers.values()) {
    if (router !== undefined && st.name !== router) continue;
    for (const e of [...st.lfib.values()].sort((a, b) => a.in - b.in)) {
      rows.push({
        router: st.name,
        "in label": e.in,
        action: actionOf(e),
        "out labels": e.out.join(" "),
        next: e.next?.peer ?? "",
        fec: e.fec,
        owner: e.owner,
      });
    }
  }
  return rows;
}

export function lfibTable(net: Network, router?: string): TableView {
  return renderTable(lfibRows(net, router), { caption: router ? `LFIB of ${router}` : "LFIBs" });
}

/** The FTN / global table (or a VRF) of a router. */
export function ftnRows(net: Network, router: string, vrf?: string): Row[] {
  const st = net.routers.get(router)!;
  const tbl = vrf ? st.vrfs.get(vrf) : st.global;
  return [...(tbl?.values() ?? [])].map((r) => ({
    prefix: r.prefix.text,
    push: r.local ? "(local)" : r.push.join(" ") || "(none)",
    next: r.next?.peer ?? "",
    via: r.via,
  }));
}

/** LDP label bindings for one FEC: each router's local label and the label its next hop gave it. */
export function ldpRows(net: Network, fec: string): Row[] {
  const rows: Row[] = [];
  for (const st of net.routers.values()) {
    const local = st.ldpLocal.get(fec);
    if (local === undefined) continue;
    const remote = st.ldpRemote.get(fec);
    rows.push({
      router: st.name,
      "local label": local,
      "remote bindings (liberal retention)": [...(remote ?? new Map()).entries()]
        .map(([p, l]) => `${p}:${l}`)
        .join(" "),
    });
  }
  return rows;
}

/** The TE database: one row per link direction with bandwidth, reserved, unreserved and colours. */
export function tedRows(net: Network): Row[] {
  const rows: Row[] = [];
  for (const l of net.topology.links) {
    for (const [from, to] of [
      [l.a, l.b],
      [l.b, l.a],
    ] as const) {
      const free = net.ted.available({ from, to, link: l });
      rows.push({
        link: `${from}→${to}`,
        metric: l.metric,
        "bandwidth Mb/s": l.bandwidth,
        "reserved Mb/s": l.bandwidth - free,
        "unreserved Mb/s": free,
        colours: l.colors.join(","),
      });
    }
  }
  return rows;
}

export function tedTable(net: Network): TableView {
  return renderTable(tedRows(net), { caption: "TE database (per direction)" });
}

/** The topology with a walk's path or an LSP highlighted. */
export function pathDiagram(net: Network, path: string[], title?: string): Diagram {
  const t = net.topology;
  const onPath = (a: string, b: string) =>
    path.some((n, i) => i + 1 < path.length && ((n === a && path[i + 1] === b) || (n === b && path[i + 1] === a)));
  const nodes = [...t.routers.values()].map((r) => ({
    id: r.name,
    role: r.role,
    label: `${r.name} ${formatIPv4(r.loopback)}`,
  }));
  const links = t.links.map((l) => {
    const rsv = [...net.ted.reserved.entries()]
      .filter(([k]) => k.startsWith(`${l.index}:`))
      .reduce((s, [, v]) => s + v, 0);
    return {
      a: l.a,
      b: l.b,
      label:
        `m${l.metric} ${l.bandwidth}M${rsv ? ` (${rsv} rsvd)` : ""}` +
        `${l.colors.length ? " " + l.colors.join(",") : ""}`,
      highlight: onPath(l.a, l.b),
    };
  });
  return topology(nodes, links, { title: title ?? path.join(" → ") });
}

export function walkPath(w: Walk): string[] {
  return w.hops.map((h) => h.router);
}

/** PATH downstream, RESV with labels upstream. */
export function rsvpLadder(lsp: RsvpLsp): Diagram {
  return ladder(
    lsp.path,
    lsp.messages.map((m) => ({ from: m.from, to: m.to, label: m.type, detail: m.detail, dashed: m.type === "RESV" })),
    { title: `RSVP-TE LSP ${lsp.spec.name}` },
  );
}

/** LDP label mappings for one FEC. */
export function ldpLadder(net: Network, fec: string): Diagram {
  const ms = net.ldpMappings.filter((m) => m.fec === fec);
  const nodes = [...net.topology.routers.keys()].filter((r) => ms.some((m) => m.from === r || m.to === r));
  return ladder(
    nodes,
    ms.map((m) => ({ from: m.from, to: m.to, label: `${fec} → ${m.label}` })),
    { title: `LDP label mappings for ${fec}` },
  );
}

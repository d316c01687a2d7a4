/**
 * SVG diagrams drawn by hand-written, dependency-free code, so they render identically in
 * JupyterLab, nbconvert HTML and offline slides:
 *
 * - `ladder`: a sequence (ladder) diagram of messages between nodes, for packet flows (DHCP DORA
 *   through a relay, DH messages between Alice, Bob and Eve);
 * - `stacks`: columns of stacked boxes, for MPLS label stacks at each hop;
 * - `topology`: a small graph of nodes and links with labels, for PE/P/RR topologies and paths.
 *
 * Each returns a `Diagram` (SVG + text fallback); `showDiagram()` displays it.
 */
import { emit, escapeHtml as esc, type MimeBundle } from "./display";

export interface Diagram {
  kind: "diagram";
  svg: string;
  text: string;
}

const FONT = `font-family="Helvetica, Arial, sans-serif"`;
const PALETTE = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

export function diagramBundle(d: Diagram): MimeBundle {
  return { "image/svg+xml": d.svg, "text/plain": d.text };
}

export function showDiagram(d: Diagram): void {
  emit(diagramBundle(d));
}

// ---------------------------------------------------------------- ladder

export interface LadderMessage {
  from: string;
  to: string;
  /** Main label above the arrow, e.g. "DHCPDISCOVER". */
  label: string;
  /** Smaller detail under the arrow, e.g. "10.1.1.1:67 → 10.9.9.9:67, giaddr 10.1.1.1". */
  detail?: string;
  /** Dashed arrow (e.g. a broadcast or an optional message). */
  dashed?: boolean;
  /** The message is dropped: a cross at `dropAt` (default: the arrow's end). */
  dropped?: boolean;
  /** A colour (CSS). */
  color?: string;
}

export interface LadderOptions {
  title?: string;
  /** Notes shown on a lifeline at a message row: {at: message index, node, text}. */
  notes?: Array<{ at: number; node: string; text: string }>;
  width?: number;
}

/** A sequence/ladder diagram: one vertical lifeline per node, one arrow per message. */
export function ladder(nodes: string[], messages: LadderMessage[], opts: LadderOptions = {}): Diagram {
  const colW = Math.max(140, Math.floor((opts.width ?? 160 * nodes.length) / Math.max(1, nodes.length)));
  const top = opts.title ? 56 : 36;
  const rowH = 52;
  const width = colW * nodes.length;
  const height = top + 20 + rowH * messages.length + 20;
  const x = (n: string) => {
    const i = nodes.indexOf(n);
    if (i < 0) throw new Error(`ladder: message names unknown node ${JSON.stringify(n)} (nodes: ${nodes.join(", ")})`);
    return colW * i + colW / 2;
  };
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ` +
      `${height}" ${FONT} font-size="12">`,
  );
  parts.push(
    `<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" ` +
      `orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>`,
  );
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  if (opts.title)
    parts.push(
      `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(opts.title)}</text>`,
    );
  nodes.forEach((n) => {
    const cx = x(n);
    parts.push(
      `<rect x="${cx - colW / 2 + 10}" y="${top - 24}" width="${colW - 20}" height="22" rx="4" ` +
        `fill="#eef2ff" stroke="#6366f1"/>`,
    );
    parts.push(`<text x="${cx}" y="${top - 9}" text-anchor="middle" font-weight="bold">${esc(n)}</text>`);
    parts.push(`<line x1="${cx}" y1="${top}" x2="${cx}" y2="${height - 10}" stroke="#9ca3af" stroke-dasharray="4 3"/>`);
  });
  messages.forEach((m, i) => {
    const y = top + 30 + i * rowH;
    const x1 = x(m.from);
    const x2 = x(m.to);
    const color = m.color ?? (m.dropped ? "#dc2626" : "#111827");
    const mid = (x1 + x2) / 2;
    if (x1 === x2) {
      parts.push(`<path d="M${x1},${y} h30 v14 h-30" fill="none" stroke="${color}" marker-end="url(#arr)"/>`);
    } else {
      const end = m.dropped ? x1 + (x2 - x1) * 0.8 : x2;
      parts.push(
        `<line x1="${x1}" y1="${y}" x2="${end}" y2="${y}" stroke="${color}" ` +
          `stroke-width="1.6"${m.dashed ? ' stroke-dasharray="6 4"' : ""}` +
          `${m.dropped ? "" : ' marker-end="url(#arr)"'}/>`,
      );
      if (m.dropped)
        parts.push(
          `<text x="${end}" y="${y + 5}" text-anchor="middle" font-size="16" fill="#dc2626" ` +
            `font-weight="bold">✕</text>`,
        );
    }
    parts.push(
      `<text x="${mid}" y="${y - 6}" text-anchor="middle" fill="${color}" font-weight="bold">${esc(m.label)}</text>`,
    );
    if (m.detail)
      parts.push(
        `<text x="${mid}" y="${y + 15}" text-anchor="middle" fill="#4b5563" font-size="10">${esc(m.detail)}</text>`,
      );
  });
  for (const note of opts.notes ?? []) {
    const y = top + 30 + note.at * rowH;
    parts.push(
      `<text x="${x(note.node) + 6}" y="${y + 28}" fill="#7c3aed" font-size="10" ` +
        `font-style="italic">${esc(note.text)}</text>`,
    );
  }
  parts.push("</svg>");
  const text = [
    ...(opts.title ? [opts.title] : []),
    ...messages.map(
      (m, i) =>
        `${String(i + 1).padStart(2)}. ${m.from} → ${m.to}: ` +
        `${m.label}${m.detail ? ` (${m.detail})` : ""}${m.dropped ? "  ✕ DROPPED" : ""}`,
    ),
  ].join("\n");
  return { kind: "diagram", svg: parts.join(""), text };
}

// ---------------------------------------------------------------- stacks

export interface StackColumn {
  /** Column heading, e.g. the router or the link "PE1→P1". */
  title: string;
  /** Boxes from the top of the stack (outermost) down, e.g. ["L 16003", "L 299776 (VPN)", "IPv4"]. */
  boxes: string[];
  /** Caption under the column, e.g. "swap 16003→16004". */
  caption?: string;
}

/** Columns of stacked boxes: the packet's header stack at each hop. */
export function stacks(
  columns: StackColumn[],
  opts: { title?: string; boxColors?: Record<string, string> } = {},
): Diagram {
  const colW = 130;
  const boxH = 26;
  const maxBoxes = Math.max(1, ...columns.map((c) => c.boxes.length));
  const top = opts.title ? 50 : 28;
  const width = colW * Math.max(1, columns.length) + 10;
  const height = top + maxBoxes * (boxH + 4) + 44;
  const color = (b: string, depth: number) => {
    for (const [k, v] of Object.entries(opts.boxColors ?? {})) if (b.includes(k)) return v;
    if (/^(ipv4|ipv6|ip|payload|icmp|udp|tcp)/i.test(b)) return "#e5e7eb";
    return ["#bfdbfe", "#bbf7d0", "#fde68a", "#fbcfe8", "#ddd6fe"][depth % 5]!;
  };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ` +
      `${height}" ${FONT} font-size="12"><rect width="100%" height="100%" fill="white"/>`,
  ];
  if (opts.title)
    parts.push(
      `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(opts.title)}</text>`,
    );
  columns.forEach((c, i) => {
    const x0 = 10 + i * colW;
    parts.push(
      `<text x="${x0 + (colW - 14) / 2}" y="${top - 8}" text-anchor="middle" font-weight="bold">${esc(c.title)}</text>`,
    );
    // Align stacks at the bottom so the payload lines up across hops.
    const offset = maxBoxes - c.boxes.length;
    c.boxes.forEach((b, j) => {
      const y = top + (offset + j) * (boxH + 4);
      parts.push(
        `<rect x="${x0}" y="${y}" width="${colW - 14}" height="${boxH}" rx="3" fill="${color(b, j)}" ` +
          `stroke="#374151"/>`,
      );
      parts.push(`<text x="${x0 + (colW - 14) / 2}" y="${y + 17}" text-anchor="middle">${esc(b)}</text>`);
    });
    if (c.caption)
      parts.push(
        `<text x="${x0 + (colW - 14) / 2}" y="${top + maxBoxes * (boxH + 4) + 18}" text-anchor="middle" ` +
          `fill="#4b5563" font-size="11">${esc(c.caption)}</text>`,
      );
    if (i < columns.length - 1) {
      const y = top + maxBoxes * (boxH + 4) - boxH / 2;
      parts.push(`<text x="${x0 + colW - 9}" y="${y}" text-anchor="middle" fill="#6b7280">›</text>`);
    }
  });
  parts.push("</svg>");
  const text = [
    ...(opts.title ? [opts.title] : []),
    ...columns.map((c) => `${c.title.padEnd(14)} [${c.boxes.join(" | ")}]${c.caption ? "  " + c.caption : ""}`),
  ].join("\n");
  return { kind: "diagram", svg: parts.join(""), text };
}

// ---------------------------------------------------------------- topology

export interface TopoNode {
  id: string;
  /** Role changes the colour: "pe", "p", "ce", "rr", "server", "client", "relay", "firewall", … */
  role?: string;
  /** Optional fixed position in [0,1]×[0,1]; otherwise nodes are laid out in layers. */
  x?: number;
  y?: number;
  label?: string;
}

export interface TopoLink {
  a: string;
  b: string;
  label?: string;
  /** Highlighted links form a path (an LSP, a packet's route). */
  highlight?: boolean;
  dashed?: boolean;
}

const ROLE_COLORS: Record<string, string> = {
  pe: "#bfdbfe",
  p: "#e5e7eb",
  ce: "#bbf7d0",
  rr: "#fde68a",
  server: "#fbcfe8",
  client: "#bbf7d0",
  relay: "#ddd6fe",
  firewall: "#fecaca",
};

/** A small topology graph. Without positions, nodes go left to right by BFS layer from the first node. */
export function topology(
  nodes: TopoNode[],
  links: TopoLink[],
  opts: { title?: string; width?: number; height?: number } = {},
): Diagram {
  const W = opts.width ?? 640;
  const H = opts.height ?? 320;
  const ids = nodes.map((n) => n.id);
  for (const l of links) {
    for (const end of [l.a, l.b])
      if (!ids.includes(end)) throw new Error(`topology: link names unknown node ${JSON.stringify(end)}`);
  }
  // Layer by BFS distance from the first node.
  const layer = new Map<string, number>();
  if (nodes.length) {
    layer.set(nodes[0]!.id, 0);
    const queue = [nodes[0]!.id];
    while (queue.length) {
      const cur = queue.shift()!;
      for (const l of links) {
        const nb = l.a === cur ? l.b : l.b === cur ? l.a : null;
        if (nb && !layer.has(nb)) {
          layer.set(nb, layer.get(cur)! + 1);
          queue.push(nb);
        }
      }
    }
  }
  const maxLayer = Math.max(0, ...layer.values());
  for (const n of nodes) if (!layer.has(n.id)) layer.set(n.id, maxLayer + 1);
  const layers = Math.max(...layer.values()) + 1;
  const perLayer = new Map<number, string[]>();
  for (const n of nodes) {
    const l = layer.get(n.id)!;
    perLayer.set(l, [...(perLayer.get(l) ?? []), n.id]);
  }
  const top = opts.title ? 40 : 20;
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    if (n.x !== undefined && n.y !== undefined) {
      pos.set(n.id, { x: 50 + n.x * (W - 100), y: top + 20 + n.y * (H - top - 50) });
      continue;
    }
    const l = layer.get(n.id)!;
    const group = perLayer.get(l)!;
    const k = group.indexOf(n.id);
    pos.set(n.id, {
      x: 50 + (layers === 1 ? 0.5 : l / (layers - 1)) * (W - 100),
      y: top + 20 + ((k + 1) / (group.length + 1)) * (H - top - 50),
    });
  }
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT} ` +
      `font-size="12"><rect width="100%" height="100%" fill="white"/>`,
  ];
  if (opts.title)
    parts.push(
      `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(opts.title)}</text>`,
    );
  for (const l of links) {
    const a = pos.get(l.a)!;
    const b = pos.get(l.b)!;
    parts.push(
      `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" ` +
        `stroke="${l.highlight ? PALETTE[0] : "#6b7280"}" ` +
        `stroke-width="${l.highlight ? 4 : 1.5}"${l.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
    if (l.label)
      parts.push(
        `<text x="${(a.x + b.x) / 2}" y="${(a.y + b.y) / 2 - 5}" text-anchor="middle" fill="#374151" ` +
          `font-size="10" paint-order="stroke" stroke="white" stroke-width="3">${esc(l.label)}</text>`,
      );
  }
  for (const n of nodes) {
    const p = pos.get(n.id)!;
    const label = n.label ?? n.id;
    const w = Math.max(44, 8 * label.length + 12);
    parts.push(
      `<rect x="${p.x - w / 2}" y="${p.y - 14}" width="${w}" height="28" rx="8" ` +
        `fill="${ROLE_COLORS[n.role ?? ""] ?? "#f3f4f6"}" stroke="#374151"/>`,
    );
    parts.push(`<text x="${p.x}" y="${p.y + 4}" text-anchor="middle" font-weight="bold">${esc(label)}</text>`);
  }
  parts.push("</svg>");
  const text = [
    ...(opts.title ? [opts.title] : []),
    `nodes: ${nodes.map((n) => (n.role ? `${n.id} (${n.role})` : n.id)).join(", ")}`,
    ...links.map((l) => `  ${l.a} — ${l.b}${l.label ? ` [${l.label}]` : ""}${l.highlight ? "  *" : ""}`),
  ].join("\n");
  return { kind: "diagram", svg: parts.join(""), text };
}

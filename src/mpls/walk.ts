/**
 * The data plane: walks one IPv4 packet through the routers' FTN and LFIB, recording at every hop
 * the label stack and TTLs that arrived, the actions taken and what left (RFC 3031 forwarding,
 * RFC 3032 TTL processing, RFC 3443 uniform and pipe TTL models).
 *
 * TTL rules, one decrement per router:
 * - a labelled packet: the top entry's TTL is checked (≤ 1 → expired here) and decremented; a
 *   swap writes it into the new top; pushed entries get it (uniform) or 255 (pipe); a pop copies
 *   it into the exposed entry or IP header (uniform) or leaves that header alone (pipe);
 * - an IP packet (at the ingress, after PHP, or after an egress pop in pipe mode): the IP TTL is
 *   checked and decremented; pushed labels get it (uniform) or 255 (pipe).
 * - a packet addressed to the router itself (its loopback) is received, not forwarded: no
 *   decrement, no expiry (RFC 1812 §5.3.1 decrements only what is forwarded; Linux answers a TTL-1
 *   ping to its own address), and no frame leaves the router.
 * Equal-cost paths: one is used (spf.ts tie-break); the hop that chose says which alternatives
 * existed and why this one won. Loops are not hidden: the walk goes on until the TTL runs out and
 * flags the first repeat.
 */
import { InputError } from "../util/errors";
import { IPV4_EXPLICIT_NULL, type LabelStackEntry } from "./label";
import { actionOf, lookup, type Network, type NextHop, type Route, type RouterState } from "./network";
import { firstHost, formatIPv4, parseIPv4, parsePrefix, type Link } from "./topology";

export interface IpHeader {
  src: number;
  dst: number;
  ttl: number;
}

export interface Hop {
  router: string;
  /** Stack that arrived (top first); empty for an IP packet. */
  inStack: LabelStackEntry[];
  inIpTtl: number;
  /** What the router did, in order, e.g. ["swap 2001 → 3001"]. */
  actions: string[];
  outStack: LabelStackEntry[];
  outIpTtl: number;
  next?: string;
  link?: Link;
}

export type Outcome = "delivered" | "ttl-expired" | "dropped";

export interface Walk {
  from: string;
  to: string;
  vrf?: string;
  ttlMode: "uniform" | "pipe";
  hops: Hop[];
  outcome: Outcome;
  reason: string;
  /** Index of the hop where a (router, stack) state repeated: an LSP loop. */
  loopAt?: number;
  /**
   * For a delivered packet: received by the last router itself (its own address), or sent on to an attached
   * network.
   */
  deliveredTo?: "router" | "network";
  ip: IpHeader;
}

export interface TraceOptions {
  from: string;
  /** An address or a prefix (its first host is used). */
  to: string;
  /** Use this VRF on the ingress; default: a VRF of `from` that has a route, else the global table. */
  vrf?: string;
  /** Initial IP TTL (default 64). */
  ttl?: number;
  /** Hard limit on hops (default 600). */
  maxHops?: number;
}

const PIPE_TTL = 255;

/** A walk in progress: the packet (where it is, its stack and IP header) and the hops so far. */
interface Walker {
  opts: TraceOptions;
  /** The VRF chosen at the ingress. */
  vrf: string | undefined;
  mode: "uniform" | "pipe";
  ip: IpHeader;
  hops: Hop[];
  seen: Set<string>;
  loopAt: number | undefined;
  at: string;
  stack: LabelStackEntry[];
  curVrf: string | undefined;
}

function finishWalk(w: Walker, outcome: Outcome, reason: string, deliveredTo?: "router" | "network"): Walk {
  return {
    from: w.opts.from,
    to: w.opts.to,
    ...(w.vrf ? { vrf: w.vrf } : {}),
    ttlMode: w.mode,
    hops: w.hops,
    outcome,
    reason,
    ...(w.loopAt !== undefined ? { loopAt: w.loopAt } : {}),
    ...(deliveredTo ? { deliveredTo } : {}),
    ip: { ...w.ip },
  };
}

/** Checks the trace options against the network and picks the ingress VRF and the packet's IP header. */
function startWalk(net: Network, opts: TraceOptions): { vrf: string | undefined; ip: IpHeader } {
  const t = net.topology;
  const ingress = t.routers.get(opts.from);
  if (!ingress)
    throw new InputError(`undefined router ${JSON.stringify(opts.from)}`, {
      value: opts.from,
      where: "trace --from",
      hint: `routers: ${[...t.routers.keys()].join(", ")}`,
    });
  const dstText = opts.to.includes("/") ? opts.to : `${opts.to}/32`;
  const dstPrefix = parsePrefix(dstText, "trace --to");
  const dst = firstHost(dstPrefix);
  const st0 = net.routers.get(opts.from)!;
  let vrf = opts.vrf;
  if (vrf !== undefined && !st0.vrfs.has(vrf))
    throw new InputError(`${opts.from} has no VRF ${JSON.stringify(vrf)}`, {
      value: vrf,
      where: "trace --vrf",
      hint: `VRFs on ${opts.from}: ${[...st0.vrfs.keys()].join(", ") || "none"}`,
    });
  if (vrf === undefined && !lookup(st0.global, dst)) {
    for (const [name, table] of st0.vrfs)
      if (lookup(table, dst)) {
        vrf = name;
        break;
      }
  }
  const table = vrf === undefined ? st0.global : st0.vrfs.get(vrf)!;
  if (!lookup(table, dst)) {
    throw new InputError(`no route to ${opts.to} from ${opts.from}: unreachable FEC`, {
      value: opts.to,
      where: vrf ? `vrf ${vrf} on ${opts.from}` : `global table of ${opts.from}`,
      location: ingress.loc,
      hint:
        "check that the destination is a loopback, an attached prefix or a VPN site, and that an LSP " +
        "reaches its router",
    });
  }
  let src = ingress.loopback;
  if (vrf !== undefined) {
    const site = t.vpns.find((v) => v.name === vrf)!.sites.find((s) => s.pe === opts.from);
    if (site) src = firstHost(site.prefix);
  }
  const ttl0 = opts.ttl ?? 64;
  if (!Number.isInteger(ttl0) || ttl0 < 1 || ttl0 > 255)
    throw new InputError("TTL must be 1..255", { value: ttl0, where: "trace --ttl" });
  return { vrf, ip: { src, dst, ttl: ttl0 } };
}

/** Where the label processing left the packet: sent on (`next`), or at an IP lookup in `ipTable`. */
interface LabelResult {
  next: NextHop | undefined;
  /** null: no IP lookup; undefined: the global table; a string: that VRF. */
  ipTable: string | undefined | null;
  /** The top label had expired, but it was popped for a local lookup that decides. */
  labelExpired: string | undefined;
}

/** A labelled packet at `w.at`: checks the top TTL, then pops and swaps until it is sent on or reaches IP. */
function processLabels(w: Walker, st: RouterState, hop: Hop): Walk | LabelResult {
  const { ip, mode } = w;
  let labelExpired: string | undefined;
  let next: NextHop | undefined;
  let ipTable: string | undefined | null = null;
  const top = w.stack[0]!;
  if (top.ttl <= 1) {
    // Only a packet that would be forwarded expires; one popped for a local lookup may be for
    // this router itself (decided at the IP lookup below).
    const e0 = st.lfib.get(top.label);
    const localPop = top.label === IPV4_EXPLICIT_NULL || (e0 !== undefined && e0.out.length === 0 && !e0.next);
    if (!localPop) {
      hop.actions.push(`label ${top.label} arrives with TTL ${top.ttl}: expired (would send ICMP time exceeded)`);
      hop.outStack = w.stack;
      return finishWalk(w, "ttl-expired", `MPLS TTL expired at ${w.at}`);
    }
    labelExpired = `label ${top.label} arrives with TTL ${top.ttl}: expired (would send ICMP time exceeded)`;
  }
  const newTtl = top.ttl - 1;
  // Process labels at this router until one sends the packet on or we reach IP.
  for (;;) {
    const cur = w.stack[0]!;
    if (cur.label === IPV4_EXPLICIT_NULL) {
      w.stack = w.stack.slice(1);
      hop.actions.push("pop explicit null (0)");
      copyDown(w.stack, ip, newTtl, mode);
      if (w.stack.length) continue;
      ipTable = w.curVrf;
      break;
    }
    const e = st.lfib.get(cur.label);
    if (!e) {
      hop.actions.push(`no LFIB entry for label ${cur.label}: drop`);
      hop.outStack = w.stack;
      return finishWalk(w, "dropped", `${w.at} has no LFIB entry for label ${cur.label}`);
    }
    const rest = w.stack.slice(1);
    if (e.out.length === 0) {
      w.stack = rest;
      copyDown(w.stack, ip, newTtl, mode);
      const why = e.next
        ? e.owner.startsWith("ldp (")
          ? " (no label from next hop)"
          : " (PHP)"
        : e.vrf
          ? ` (VPN label, vrf ${e.vrf})`
          : "";
      hop.actions.push(`pop ${cur.label}${why} [${e.owner}]`);
      if (e.next) {
        next = e.next;
        break;
      }
      if (e.vrf !== undefined) w.curVrf = e.vrf;
      if (w.stack.length) continue;
      ipTable = w.curVrf;
      break;
    }
    const swapped: LabelStackEntry = { label: e.out[e.out.length - 1]!, tc: cur.tc, s: false, ttl: newTtl };
    const pushed = e.out
      .slice(0, -1)
      .map((l) => ({ label: l, tc: cur.tc, s: false, ttl: mode === "uniform" ? newTtl : PIPE_TTL }));
    w.stack = fixS([...pushed, swapped, ...rest]);
    hop.actions.push(`${actionOf(e)} ${cur.label} → ${e.out.join(" ")} [${e.owner}]`);
    next = e.next;
    break;
  }
  return { next, ipTable, labelExpired };
}

/** How the packet arrived at this router, for the TTL rules of the IP lookup. */
interface Arrival {
  /** A label TTL was already decremented here. */
  decremented: boolean;
  ipTtl: number;
  labelTtl: number | undefined;
  labelExpired: string | undefined;
}

/** IP lookup at `w.at` in `ipTable`: received, delivered, dropped, expired, or sent on (with pushed labels). */
function ipLookup(
  w: Walker,
  st: RouterState,
  hop: Hop,
  ipTable: string | undefined,
  arrival: Arrival,
): Walk | { next: NextHop | undefined } {
  const { ip, mode, at } = w;
  const { decremented } = arrival;
  const tbl = ipTable === undefined ? st.global : st.vrfs.get(ipTable);
  const route: Route | undefined = tbl ? lookup(tbl, ip.dst) : undefined;
  const tname = ipTable === undefined ? "global" : `vrf ${ipTable}`;
  if (route?.local && route.self) {
    // Addressed to this router: received, not forwarded. In the uniform model the popped label's
    // TTL is what arrived; undo the forwarding decrement the pop applied.
    if (decremented && mode === "uniform" && arrival.labelTtl !== undefined) ip.ttl = arrival.labelTtl;
    if (!decremented) ip.ttl = arrival.ipTtl;
    hop.actions.push(
      `IP lookup ${formatIPv4(ip.dst)} in ${tname}: ${route.prefix.text} is ${at}'s own address, received ` +
        `here (TTL ${ip.ttl}, not decremented: only forwarded packets are)`,
    );
    hop.outIpTtl = ip.ttl;
    return finishWalk(w, "delivered", `received by ${at} itself (${route.prefix.text})`, "router");
  }
  if (arrival.labelExpired) {
    hop.actions.push(arrival.labelExpired);
    return finishWalk(w, "ttl-expired", `MPLS TTL expired at ${at}`);
  }
  if (!decremented || mode === "pipe") {
    if (ip.ttl <= 1) {
      hop.actions.push(`IP TTL ${ip.ttl}: expired`);
      return finishWalk(w, "ttl-expired", `IP TTL expired at ${at}`);
    }
    ip.ttl -= 1;
  }
  if (!route) {
    hop.actions.push(`IP lookup ${formatIPv4(ip.dst)} in ${tname}: no route, drop`);
    hop.outIpTtl = ip.ttl;
    return finishWalk(w, "dropped", `${at} has no route to ${formatIPv4(ip.dst)} in ${tname}`);
  }
  if (route.local) {
    hop.actions.push(`IP lookup ${formatIPv4(ip.dst)} in ${tname}: ${route.prefix.text} is attached, deliver`);
    hop.outIpTtl = ip.ttl;
    return finishWalk(
      w,
      "delivered",
      `delivered by ${at} (${route.prefix.text}${ipTable ? `, vrf ${ipTable}` : ""})`,
      "network",
    );
  }
  const pushTtl = mode === "uniform" ? ip.ttl : PIPE_TTL;
  w.stack = fixS(route.push.map((l) => ({ label: l, tc: 0, s: false, ttl: pushTtl })));
  hop.actions.push(
    `IP lookup ${formatIPv4(ip.dst)} in ${tname}: ${route.prefix.text} via ` +
      `${route.next!.peer}${route.push.length ? `, push ${route.push.join(" ")}` : ""} [${route.via}]`,
  );
  return { next: route.next };
}

/** One router: records the hop, processes the packet; the walk if it ends here, else moves `w` on. */
function walkHop(net: Network, w: Walker): Walk | undefined {
  const key = `${w.at}|${w.stack.map((e) => e.label).join(",")}|${w.curVrf ?? ""}`;
  if (w.seen.has(key) && w.loopAt === undefined) w.loopAt = w.hops.length;
  w.seen.add(key);
  const hop: Hop = {
    router: w.at,
    inStack: w.stack.map((e) => ({ ...e })),
    inIpTtl: w.ip.ttl,
    actions: [],
    outStack: [],
    outIpTtl: w.ip.ttl,
  };
  w.hops.push(hop);
  const st = net.routers.get(w.at)!;
  const arrival: Arrival = {
    decremented: w.stack.length > 0,
    ipTtl: w.ip.ttl,
    labelTtl: w.stack.length ? w.stack[0]!.ttl : undefined,
    labelExpired: undefined,
  };
  let next: NextHop | undefined;
  let ipTable: string | undefined | null = w.curVrf;
  if (w.stack.length) {
    const r = processLabels(w, st, hop);
    if ("outcome" in r) return r;
    ({ next, ipTable } = r);
    arrival.labelExpired = r.labelExpired;
  }
  if (ipTable !== null) {
    const r = ipLookup(w, st, hop, ipTable, arrival);
    if ("outcome" in r) return r;
    next = r.next;
  }
  if (next?.tie) hop.actions.push(next.tie);
  hop.outStack = w.stack.map((e) => ({ ...e }));
  hop.outIpTtl = w.ip.ttl;
  hop.next = next!.peer;
  hop.link = next!.link;
  if (w.stack.length === 0) w.curVrf = undefined; // an unlabelled packet between routers is in the global table
  w.at = next!.peer;
  return undefined;
}

/** Walks a packet from `from` to `to`. Throws InputError for unknown routers or unreachable FECs. */
export function trace(net: Network, opts: TraceOptions): Walk {
  const { vrf, ip } = startWalk(net, opts);
  const w: Walker = {
    opts,
    vrf,
    mode: net.topology.ttlMode,
    ip,
    hops: [],
    seen: new Set<string>(),
    loopAt: undefined,
    at: opts.from,
    stack: [],
    curVrf: vrf,
  };
  const maxHops = opts.maxHops ?? 600;
  for (let n = 0; n < maxHops; n++) {
    const done = walkHop(net, w);
    if (done) return done;
  }
  return finishWalk(w, "dropped", `gave up after ${maxHops} hops`);
}

function copyDown(stack: LabelStackEntry[], ip: IpHeader, ttl: number, mode: "uniform" | "pipe"): void {
  if (mode === "pipe") return;
  if (stack.length) stack[0] = { ...stack[0]!, ttl };
  else ip.ttl = ttl;
}

function fixS(stack: LabelStackEntry[]): LabelStackEntry[] {
  return stack.map((e, i) => ({ ...e, s: i === stack.length - 1 }));
}

/** Parses "10.0.0.1" into a number (re-exported for CLI convenience). */
export function addr(s: string): number {
  return parseIPv4(s, "address");
}

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
import { actionOf, lookup, type Network, type NextHop, type Route } from "./network";
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
  /** For a delivered packet: received by the last router itself (its own address), or sent on to an attached network. */
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

/** Walks a packet from `from` to `to`. Throws InputError for unknown routers or unreachable FECs. */
export function trace(net: Network, opts: TraceOptions): Walk {
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
  const ip: IpHeader = { src, dst, ttl: ttl0 };
  const mode = t.ttlMode;

  const hops: Hop[] = [];
  const seen = new Set<string>();
  let loopAt: number | undefined;
  let at = opts.from;
  let stack: LabelStackEntry[] = [];
  let curVrf = vrf;
  const maxHops = opts.maxHops ?? 600;
  const finish = (outcome: Outcome, reason: string, deliveredTo?: "router" | "network"): Walk => ({
    from: opts.from,
    to: opts.to,
    ...(vrf ? { vrf } : {}),
    ttlMode: mode,
    hops,
    outcome,
    reason,
    ...(loopAt !== undefined ? { loopAt } : {}),
    ...(deliveredTo ? { deliveredTo } : {}),
    ip: { ...ip },
  });

  for (let n = 0; n < maxHops; n++) {
    const key = `${at}|${stack.map((e) => e.label).join(",")}|${curVrf ?? ""}`;
    if (seen.has(key) && loopAt === undefined) loopAt = hops.length;
    seen.add(key);
    const hop: Hop = {
      router: at,
      inStack: stack.map((e) => ({ ...e })),
      inIpTtl: ip.ttl,
      actions: [],
      outStack: [],
      outIpTtl: ip.ttl,
    };
    hops.push(hop);
    const st = net.routers.get(at)!;
    let decremented = false;
    let labelExpired: string | undefined;
    const arrivalIpTtl = ip.ttl;
    const arrivalLabelTtl = stack.length ? stack[0]!.ttl : undefined;
    let next: NextHop | undefined;
    let ipTable: string | undefined | null = null; // null: no IP lookup; undefined: global; string: VRF
    if (stack.length) {
      const top = stack[0]!;
      if (top.ttl <= 1) {
        // Only a packet that would be forwarded expires; one popped for a local lookup may be for
        // this router itself (decided at the IP lookup below).
        const e0 = st.lfib.get(top.label);
        const localPop = top.label === IPV4_EXPLICIT_NULL || (e0 !== undefined && e0.out.length === 0 && !e0.next);
        if (!localPop) {
          hop.actions.push(`label ${top.label} arrives with TTL ${top.ttl}: expired (would send ICMP time exceeded)`);
          hop.outStack = stack;
          return finish("ttl-expired", `MPLS TTL expired at ${at}`);
        }
        labelExpired = `label ${top.label} arrives with TTL ${top.ttl}: expired (would send ICMP time exceeded)`;
      }
      const newTtl = top.ttl - 1;
      decremented = true;
      // Process labels at this router until one sends the packet on or we reach IP.
      for (;;) {
        const cur = stack[0]!;
        if (cur.label === IPV4_EXPLICIT_NULL) {
          stack = stack.slice(1);
          hop.actions.push("pop explicit null (0)");
          copyDown(stack, ip, newTtl, mode);
          if (stack.length) continue;
          ipTable = curVrf;
          break;
        }
        const e = st.lfib.get(cur.label);
        if (!e) {
          hop.actions.push(`no LFIB entry for label ${cur.label}: drop`);
          hop.outStack = stack;
          return finish("dropped", `${at} has no LFIB entry for label ${cur.label}`);
        }
        const rest = stack.slice(1);
        if (e.out.length === 0) {
          stack = rest;
          copyDown(stack, ip, newTtl, mode);
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
          if (e.vrf !== undefined) curVrf = e.vrf;
          if (stack.length) continue;
          ipTable = curVrf;
          break;
        }
        const swapped: LabelStackEntry = { label: e.out[e.out.length - 1]!, tc: cur.tc, s: false, ttl: newTtl };
        const pushed = e.out
          .slice(0, -1)
          .map((l) => ({ label: l, tc: cur.tc, s: false, ttl: mode === "uniform" ? newTtl : PIPE_TTL }));
        stack = fixS([...pushed, swapped, ...rest]);
        hop.actions.push(`${actionOf(e)} ${cur.label} → ${e.out.join(" ")} [${e.owner}]`);
        next = e.next;
        break;
      }
    } else {
      ipTable = curVrf;
    }
    if (ipTable !== null) {
      // IP lookup at this router.
      const tbl = ipTable === undefined ? st.global : st.vrfs.get(ipTable);
      const route: Route | undefined = tbl ? lookup(tbl, ip.dst) : undefined;
      const tname = ipTable === undefined ? "global" : `vrf ${ipTable}`;
      if (route?.local && route.self) {
        // Addressed to this router: received, not forwarded. In the uniform model the popped label's
        // TTL is what arrived; undo the forwarding decrement the pop applied.
        if (decremented && mode === "uniform" && arrivalLabelTtl !== undefined) ip.ttl = arrivalLabelTtl;
        if (!decremented) ip.ttl = arrivalIpTtl;
        hop.actions.push(
          `IP lookup ${formatIPv4(ip.dst)} in ${tname}: ${route.prefix.text} is ${at}'s own address, received ` +
            `here (TTL ${ip.ttl}, not decremented: only forwarded packets are)`,
        );
        hop.outIpTtl = ip.ttl;
        return finish("delivered", `received by ${at} itself (${route.prefix.text})`, "router");
      }
      if (labelExpired) {
        hop.actions.push(labelExpired);
        return finish("ttl-expired", `MPLS TTL expired at ${at}`);
      }
      if (!decremented || mode === "pipe") {
        if (ip.ttl <= 1) {
          hop.actions.push(`IP TTL ${ip.ttl}: expired`);
          return finish("ttl-expired", `IP TTL expired at ${at}`);
        }
        ip.ttl -= 1;
      }
      if (!route) {
        hop.actions.push(`IP lookup ${formatIPv4(ip.dst)} in ${tname}: no route, drop`);
        hop.outIpTtl = ip.ttl;
        return finish("dropped", `${at} has no route to ${formatIPv4(ip.dst)} in ${tname}`);
      }
      if (route.local) {
        hop.actions.push(`IP lookup ${formatIPv4(ip.dst)} in ${tname}: ${route.prefix.text} is attached, deliver`);
        hop.outIpTtl = ip.ttl;
        return finish(
          "delivered",
          `delivered by ${at} (${route.prefix.text}${ipTable ? `, vrf ${ipTable}` : ""})`,
          "network",
        );
      }
      const pushTtl = mode === "uniform" ? ip.ttl : PIPE_TTL;
      stack = fixS(route.push.map((l) => ({ label: l, tc: 0, s: false, ttl: pushTtl })));
      hop.actions.push(
        `IP lookup ${formatIPv4(ip.dst)} in ${tname}: ${route.prefix.text} via ` +
          `${route.next!.peer}${route.push.length ? `, push ${route.push.join(" ")}` : ""} [${route.via}]`,
      );
      next = route.next;
    }
    if (next?.tie) hop.actions.push(next.tie);
    hop.outStack = stack.map((e) => ({ ...e }));
    hop.outIpTtl = ip.ttl;
    hop.next = next!.peer;
    hop.link = next!.link;
    if (stack.length === 0) curVrf = undefined; // an unlabelled packet between routers is in the global table
    at = next!.peer;
  }
  return finish("dropped", `gave up after ${maxHops} hops`);
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

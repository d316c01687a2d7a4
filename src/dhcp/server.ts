/**
 * A DHCP server (RFC 2131 §4.3): address pools chosen by giaddr (or the receiving interface),
 * leases per client hardware address, DHCPOFFER on DISCOVER, DHCPACK / DHCPNAK on REQUEST,
 * RELEASE, and the reply addressing rules of §4.1 (to giaddr:67 when relayed; else to ciaddr,
 * or broadcast when the BROADCAST flag is set, or unicast to yiaddr at chaddr).
 *
 * `replySource` chooses the IPv4 source address of replies: "interface" uses the primary address
 * of the outgoing interface (ISC dhcpd does this, so a request sent to a VIP is answered from the
 * physical address), "targeted" uses the address the request was sent to (Kea does this).
 * Option 82 in a request is echoed in the reply (RFC 3046 §2.2).
 * The decision logic `answer()` is pure; `DhcpServer` puts it on a simulated host.
 *
 * @example
 *   const s = new DhcpServer(
 *     "dhcp1",
 *     [{ name: "eth0", ip: "10.20.30.11/24", secondary: ["10.20.30.10"], segment: "dc" }],
 *     [{ prefix: "0.0.0.0/0", via: "10.20.30.1" }],
 *     { pools: [{ subnet: "10.94.240.0/24", start: "10.94.240.100", end: "10.94.240.199" }] },
 *   );
 */
import { InputError } from "../util/errors";
import { BROADCAST_IP, inPrefix, intToIp, ipToInt, ZERO_IP } from "./addr";
import type { DecodedFrame } from "./frame";
import { buildOptions, encodeDhcp, fieldsOf, isBroadcast, makeDhcp, type DhcpPacket, type DhcpFields } from "./packet";
import { KEA_RAW, Node, dhcpOf, type Iface, type IfaceConfig, type Route } from "./sim";

export interface Pool {
  subnet: string;
  start: string;
  end: string;
  routers?: string[];
  dns?: string[];
}

export interface ServerConfig {
  pools: Pool[];
  leaseTime?: number;
  replySource?: "interface" | "targeted";
  /** Options 66/67 given to clients whose vendor class starts with "PXEClient". */
  pxe?: { tftpServer: string; bootfile: string };
  /**
   * Copy the request's hops into replies (default true: both ISC dhcpd 4.4 and Kea 2.2 do, as
   * measured by the interop test) instead of the 0 that RFC 2131 table 3 lists.
   */
  echoHops?: boolean;
  /** Seconds an offered address is held for the client. */
  offerHold?: number;
}

export interface Lease {
  chaddr: string;
  ip: string;
  state: "offered" | "bound";
  expires: number;
}

export class LeaseDb {
  readonly byMac = new Map<string, Lease>();
  constructor(readonly pools: Pool[]) {
    for (const p of pools) {
      if (!inPrefix(p.start, p.subnet) || !inPrefix(p.end, p.subnet) || ipToInt(p.start) > ipToInt(p.end)) {
        throw new InputError("pool range must lie inside its subnet, start ≤ end", {
          value: p,
          where: "server pools",
        });
      }
    }
  }
  poolFor(ip: string): Pool | undefined {
    return this.pools.find((p) => inPrefix(ip, p.subnet));
  }
  /** The client's current lease in `pool`, or the lowest free address. */
  pick(chaddr: string, pool: Pool, now: number): string | undefined {
    const l = this.byMac.get(chaddr);
    if (l && inPrefix(l.ip, pool.subnet)) return l.ip;
    const used = new Set([...this.byMac.values()].filter((x) => x.expires > now).map((x) => x.ip));
    for (let n = ipToInt(pool.start); n <= ipToInt(pool.end); n++) if (!used.has(intToIp(n))) return intToIp(n);
    return undefined;
  }
}

export interface ServerAnswer {
  reply?: DhcpPacket;
  /** Where to send it. */
  dstIp: string;
  dstPort: number;
  /** Set when the reply goes on the wire to a client without an address (unicast to chaddr). */
  dstMac?: string;
  note: string;
}

const maskOf = (subnet: string) =>
  intToIp(Number(subnet.split("/")[1]) === 0 ? 0 : (0xffffffff << (32 - Number(subnet.split("/")[1]))) >>> 0);

/**
 * The server's decision for one request. `rxIp` is the address of the receiving interface (used
 * when giaddr is 0), `serverId` the address this server puts in option 54.
 */
export function answer(
  p: DhcpPacket,
  db: LeaseDb,
  cfg: ServerConfig,
  rxIp: string,
  serverId: string,
  now: number,
): ServerAnswer | undefined {
  if (p.op !== 1) return undefined;
  const f = fieldsOf(p);
  // The client's network: giaddr when relayed, else ciaddr (a unicast renewal), else the receiving interface.
  const pool = db.poolFor(p.giaddr !== ZERO_IP ? p.giaddr : p.ciaddr !== ZERO_IP ? p.ciaddr : rxIp);
  const lease = cfg.leaseTime ?? 3600;
  const base = {
    op: 2,
    htype: p.htype,
    hlen: p.hlen,
    hops: (cfg.echoHops ?? true) ? p.hops : 0,
    xid: p.xid,
    secs: 0,
    flags: p.flags,
    giaddr: p.giaddr,
    chaddr: p.chaddr,
  };
  const common = (): DhcpFields => ({
    serverId,
    leaseTime: lease,
    renewalTime: Math.floor(lease / 2),
    rebindingTime: Math.floor((lease * 7) / 8),
    subnetMask: pool ? maskOf(pool.subnet) : undefined,
    routers: pool?.routers,
    dnsServers: pool?.dns,
    ...(cfg.pxe && f.vendorClassId?.startsWith("PXEClient")
      ? { tftpServer: cfg.pxe.tftpServer, bootfile: cfg.pxe.bootfile }
      : {}),
  });
  // RFC 3046 §2.2: a server echoes the relay agent information option verbatim in its reply
  // (ISC dhcpd and Kea both do); the relay removes it before the client sees the reply.
  const echo82 = p.options.filter((o) => o.code === 82);
  const route = (r: DhcpPacket, note: string): ServerAnswer => {
    if (p.giaddr !== ZERO_IP) return { reply: r, dstIp: p.giaddr, dstPort: 67, note };
    if (p.ciaddr !== ZERO_IP && f.messageType !== "DISCOVER") return { reply: r, dstIp: p.ciaddr, dstPort: 68, note };
    if (isBroadcast(p) || fieldsOf(r).messageType === "NAK")
      return { reply: r, dstIp: BROADCAST_IP, dstPort: 68, note };
    return { reply: r, dstIp: r.yiaddr, dstPort: 68, dstMac: p.chaddr, note };
  };
  switch (f.messageType) {
    case "DISCOVER": {
      if (!pool)
        return {
          dstIp: "",
          dstPort: 0,
          note: `no pool for ${p.giaddr !== ZERO_IP ? "giaddr " + p.giaddr : "interface " + rxIp}`,
        };
      const ip = db.pick(p.chaddr, pool, now);
      if (!ip) return { dstIp: "", dstPort: 0, note: "pool exhausted" };
      const prev = db.byMac.get(p.chaddr);
      if (!prev || prev.state !== "bound" || prev.ip !== ip)
        db.byMac.set(p.chaddr, { chaddr: p.chaddr, ip, state: "offered", expires: now + (cfg.offerHold ?? 120) });
      const r = makeDhcp({
        ...base,
        yiaddr: ip,
        options: [...buildOptions({ messageType: "OFFER", ...common() }), ...echo82],
      });
      return route(r, `offer ${ip}`);
    }
    case "REQUEST": {
      const nak = (why: string) =>
        route(
          makeDhcp({
            ...base,
            flags: p.giaddr !== ZERO_IP ? p.flags | 0x8000 : p.flags,
            options: [...buildOptions({ messageType: "NAK", serverId }), ...echo82],
          }),
          `NAK: ${why}`,
        );
      if (f.serverId !== undefined && f.serverId !== serverId) {
        // The client chose another server: release our offer (RFC 2131 §4.3.2).
        const l = db.byMac.get(p.chaddr);
        if (l?.state === "offered") db.byMac.delete(p.chaddr);
        return { dstIp: "", dstPort: 0, note: `client selected server ${f.serverId}` };
      }
      const want = f.requestedIp ?? (p.ciaddr !== ZERO_IP ? p.ciaddr : undefined);
      const l = db.byMac.get(p.chaddr);
      if (!want) return nak("no requested address");
      if (!pool || !inPrefix(want, pool.subnet)) return nak(`${want} is on the wrong network`);
      if (!l || l.ip !== want) return nak(`no lease for ${p.chaddr} on ${want}`);
      l.state = "bound";
      l.expires = now + lease;
      const r = makeDhcp({
        ...base,
        ciaddr: p.ciaddr,
        yiaddr: want,
        options: [...buildOptions({ messageType: "ACK", ...common() }), ...echo82],
      });
      return route(r, `ack ${want}`);
    }
    case "RELEASE": {
      const l = db.byMac.get(p.chaddr);
      if (l && l.ip === p.ciaddr) db.byMac.delete(p.chaddr);
      return { dstIp: "", dstPort: 0, note: `released ${p.ciaddr}` };
    }
    default:
      return { dstIp: "", dstPort: 0, note: `ignored ${f.messageType ?? "BOOTP"}` };
  }
}

export class DhcpServer extends Node {
  readonly db: LeaseDb;
  readonly log2: string[] = [];
  constructor(
    name: string,
    ifaces: IfaceConfig[],
    routes: Route[],
    readonly cfg: ServerConfig,
  ) {
    super(name, ifaces, routes);
    this.db = new LeaseDb(cfg.pools);
    if (cfg.replySource === "targeted") this.rawIp = KEA_RAW; // Kea sets DF in its raw frames; ISC does not
  }

  receive(f: DecodedFrame, iface: Iface, fi: number): void {
    if (f.dstPort !== 67 || !(this.owns(f.dstIp) || f.dstIp === BROADCAST_IP)) return;
    if (f.dstMac !== iface.mac && f.dstMac !== "ff:ff:ff:ff:ff:ff") return;
    const p = dhcpOf(f);
    if (!p) {
      this.log("drop", "invalid DHCP message", fi);
      return;
    }
    const targeted = f.dstIp === BROADCAST_IP ? iface.ip! : f.dstIp;
    const mode = this.cfg.replySource ?? "interface";
    const a = answer(p, this.db, this.cfg, iface.ip!, mode === "interface" ? iface.ip! : targeted, this.net.now);
    const via = p.giaddr !== ZERO_IP ? ` via ${p.giaddr}` : ` via ${iface.name}`;
    this.log("log", `DHCP${fieldsOf(p).messageType ?? "?"} from ${p.chaddr}${via}: ${a?.note ?? "ignored"}`, fi);
    if (!a?.reply) return;
    // ISC: the interface's primary address. Kea: the address the request was sent to.
    let srcIp = mode === "interface" ? iface.ip! : targeted;
    if (a.dstIp !== BROADCAST_IP && !a.dstMac) {
      const r = this.lookup(a.dstIp);
      if (mode === "interface" && r) srcIp = r.iface.ip!;
    }
    this.sendUdp(
      { srcIp, dstIp: a.dstIp, srcPort: 67, dstPort: a.dstPort, payload: encodeDhcp(a.reply) },
      a.dstIp === BROADCAST_IP || a.dstMac ? { out: iface, dstMac: a.dstMac } : {},
    );
  }
}

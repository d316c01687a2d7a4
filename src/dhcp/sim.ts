/**
 * A small event-driven network simulator that moves real bytes: every message is an Ethernet +
 * IPv4 + UDP frame built by `encodeFrame`, delivered on a named segment (a broadcast domain),
 * parsed again by the receiver with `decodeFrame`, and recorded, so any run can be exported as a
 * pcap file that tshark reads. Time is virtual (seconds); events run in time order, ties in the
 * order they were scheduled; the run is bounded by a time limit and an event cap.
 *
 * IPv4 headers look as the real programs write them (measured in network namespaces, see
 * docs/dhcp.md "IP TTLs"): what a node sends through a packet socket (ISC's LPF frames, Kea's raw
 * filter: broadcasts and frames to a client without an address) uses its `rawIp` profile, what
 * it sends through an ordinary UDP socket (a relay to its servers, a server to giaddr, a renewing
 * client) uses the Linux kernel's defaults, `KERNEL_UDP`.
 *
 * Address resolution is modelled as a lookup of which interface on the segment owns an IPv4
 * address (the result ARP would give, without the ARP frames). Forwarding follows RFC 1812 in
 * miniature: longest-prefix match over connected subnets and static routes, TTL decrement.
 *
 * @example
 *   const net = new Network();
 *   const r = net.add(new Router("r1", [{ name: "eth0", ip: "10.0.0.1/24", segment: "lan" }]));
 *   net.run(10);            // seconds of virtual time
 *   net.pcap();             // Uint8Array, every frame on every segment
 */
import { InputError } from "../util/errors";
import { BROADCAST_IP, BROADCAST_MAC, inPrefix, ipToInt } from "./addr";
import { decodeFrame, encodeFrame, type DecodedFrame, type UdpDatagram } from "./frame";
import { writePcap } from "./pcap";
import { decodeDhcp, describe, type DhcpPacket } from "./packet";

/** TTL, TOS byte and don't-fragment flag of the IPv4 header a sender writes. */
export interface IpProfile {
  ttl: number;
  tos: number;
  df: boolean;
}

/** ISC dhclient, dhcpd and dhcrelay frames built in user space (common/packet.c): TTL 128, TOS 0x10, no DF. */
export const ISC_RAW: IpProfile = { ttl: 128, tos: 0x10, df: false };
/** Kea's raw frames to clients (dhcp/protocol_util.cc): TTL 128, TOS 0x10, DF set. */
export const KEA_RAW: IpProfile = { ttl: 128, tos: 0x10, df: true };
/** A UDP socket on Linux: net.ipv4.ip_default_ttl 64, TOS 0, DF set (path MTU discovery). */
export const KERNEL_UDP: IpProfile = { ttl: 64, tos: 0, df: true };

export interface IfaceConfig {
  name: string;
  /** "a.b.c.d/len", or undefined for an interface without an address (a DHCP client). */
  ip?: string;
  /** Extra addresses on the same interface (a VIP). */
  secondary?: string[];
  segment: string;
  mac?: string;
  /** Firewall zone name (defaults to the interface name). */
  zone?: string;
}

export interface Iface {
  node: Node;
  name: string;
  ip?: string;
  prefixLen: number;
  secondary: string[];
  segment: string;
  mac: string;
  zone: string;
}

export interface Route {
  prefix: string;
  via: string;
}

/** One frame on one segment, as a capture on that segment would see it. */
export interface WireFrame {
  t: number;
  segment: string;
  from: string;
  /** Nodes the frame was delivered to (all others on the segment for a broadcast). */
  to: string[];
  bytes: Uint8Array;
  /** One-line summary: "10.0.3.1:67 → 10.20.30.10:67 DISCOVER … giaddr=… hops=1". */
  summary: string;
}

export type EventKind = "tx" | "drop" | "state" | "log";

export interface SimEvent {
  t: number;
  node: string;
  kind: EventKind;
  text: string;
  /** Index into `network.frames` for tx events and for drops of a received frame. */
  frame?: number;
}

export abstract class Node {
  net!: Network;
  readonly ifaces: Iface[] = [];
  readonly routes: Route[] = [];
  /** IPv4 header of frames this node writes itself (link-layer sends); ISC's by default. */
  rawIp: IpProfile = ISC_RAW;
  /** IPv4 header of datagrams sent through a UDP socket (routed sends). */
  socketIp: IpProfile = KERNEL_UDP;
  constructor(
    readonly name: string,
    ifaces: IfaceConfig[],
    routes: Route[] = [],
  ) {
    for (const c of ifaces) this.addIface(c);
    this.routes.push(...routes);
  }

  addIface(c: IfaceConfig): Iface {
    let ip: string | undefined,
      len = 32;
    if (c.ip) {
      const [a, l] = c.ip.split("/");
      ipToInt(a!, `${this.name} ${c.name} address`);
      len = Number(l ?? "32");
      if (!Number.isInteger(len) || len < 0 || len > 32)
        throw new InputError("prefix length must be 0..32", { value: c.ip, where: `${this.name} ${c.name}` });
      ip = a;
    }
    const i: Iface = {
      node: this,
      name: c.name,
      ip,
      prefixLen: len,
      secondary: c.secondary ?? [],
      segment: c.segment,
      mac: c.mac ?? "",
      zone: c.zone ?? c.name,
    };
    this.ifaces.push(i);
    return i;
  }

  iface(name: string): Iface {
    const i = this.ifaces.find((x) => x.name === name);
    if (!i) throw new InputError(`${this.name} has no interface named ${name}`, { value: name, where: this.name });
    return i;
  }

  owns(ip: string): boolean {
    return this.ifaces.some((i) => i.ip === ip || i.secondary.includes(ip));
  }

  log(kind: EventKind, text: string, frame?: number): void {
    this.net.events.push({ t: this.net.now, node: this.name, kind, text, ...(frame !== undefined ? { frame } : {}) });
  }

  /** Next hop for `dst`: the interface and the IP to resolve (dst itself when connected). */
  lookup(dst: string): { iface: Iface; nextHop: string } | undefined {
    let best: { iface: Iface; nextHop: string; len: number } | undefined;
    for (const i of this.ifaces) {
      if (i.ip && inPrefix(dst, `${i.ip}/${i.prefixLen}`) && (!best || i.prefixLen > best.len))
        best = { iface: i, nextHop: dst, len: i.prefixLen };
    }
    if (best) return best;
    for (const r of this.routes) {
      const len = Number(r.prefix.split("/")[1] ?? 32);
      if (inPrefix(dst, r.prefix) && (!best || len > best.len)) {
        const i = this.ifaces.find((x) => x.ip && inPrefix(r.via, `${x.ip}/${x.prefixLen}`));
        if (i) best = { iface: i, nextHop: r.via, len };
      }
    }
    return best;
  }

  /**
   * Sends a UDP datagram. Broadcasts need `out`; unicast is routed unless `dstMac` is given
   * (a relay or server answering a client that has no address yet). Sends with `out` are
   * link-layer sends (the `rawIp` header), the others go through a UDP socket (`socketIp`).
   */
  sendUdp(d: Omit<UdpDatagram, "srcMac" | "dstMac">, opts: { out?: Iface; dstMac?: string } = {}): boolean {
    let out = opts.out,
      dstMac = opts.dstMac;
    if (d.dstIp === BROADCAST_IP) {
      if (!out) throw new InputError("a broadcast needs an outgoing interface", { where: this.name });
      dstMac = BROADCAST_MAC;
    } else if (!dstMac) {
      const r = this.lookup(d.dstIp);
      if (!r) {
        this.log("drop", `no route to ${d.dstIp}`);
        return false;
      }
      out = r.iface;
      dstMac = this.net.resolve(out.segment, r.nextHop);
      if (!dstMac) {
        this.log("drop", `no ARP answer for ${r.nextHop} on ${out.segment}`);
        return false;
      }
    }
    if (!out) {
      const r = this.lookup(d.dstIp);
      if (!r) {
        this.log("drop", `no route to ${d.dstIp}`);
        return false;
      }
      out = r.iface;
    }
    const prof = opts.out ? this.rawIp : this.socketIp;
    this.net.transmit(
      this,
      out,
      encodeFrame({ ttl: prof.ttl, tos: prof.tos, df: prof.df, ...d, srcMac: out.mac, dstMac: dstMac! }),
    );
    return true;
  }

  /** Called for every frame delivered to this node's interface. */
  abstract receive(f: DecodedFrame, iface: Iface, frameIndex: number): void;

  /** Node-specific timers start here (called once by Network.add). */
  start(): void {}
}

/** A plain IPv4 router: forwards what is not for itself, decrementing TTL. */
export class Router extends Node {
  receive(f: DecodedFrame, iface: Iface, fi: number): void {
    if (this.owns(f.dstIp) || f.dstIp === BROADCAST_IP) {
      this.local(f, iface, fi);
      return;
    }
    if (f.dstMac !== iface.mac) return; // not addressed to us at layer 2
    this.forward(f, iface, fi);
  }

  /** Traffic addressed to the router itself. Default: ignored. */
  protected local(_f: DecodedFrame, _iface: Iface, _fi: number): void {}

  protected forward(f: DecodedFrame, _in: Iface, fi: number): void {
    if (f.ttl <= 1) {
      this.log("drop", `TTL expired for ${f.srcIp} → ${f.dstIp}`, fi);
      return;
    }
    this.sendRaw(f, fi);
  }

  protected sendRaw(f: DecodedFrame, fi: number): void {
    const r = this.lookup(f.dstIp);
    if (!r) {
      this.log("drop", `no route to ${f.dstIp}`, fi);
      return;
    }
    const mac = this.net.resolve(r.iface.segment, r.nextHop);
    if (!mac) {
      this.log("drop", `no ARP answer for ${r.nextHop}`, fi);
      return;
    }
    this.net.transmit(this, r.iface, encodeFrame({ ...f, srcMac: r.iface.mac, dstMac: mac, ttl: f.ttl - 1 }));
  }
}

interface Timer {
  t: number;
  seq: number;
  fn: () => void;
}

export class Network {
  now = 0;
  readonly nodes: Node[] = [];
  readonly frames: WireFrame[] = [];
  readonly events: SimEvent[] = [];
  /** Seconds a frame takes on a segment. */
  linkDelay = 0.001;
  /** Safety cap on events per run() call. */
  maxEvents = 200000;
  private queue: Timer[] = [];
  private seq = 0;
  private macSeq = 0;

  add<T extends Node>(n: T): T {
    if (this.nodes.some((x) => x.name === n.name)) throw new InputError("duplicate node name", { value: n.name });
    n.net = this;
    for (const i of n.ifaces) {
      if (!i.mac) {
        this.macSeq++;
        i.mac =
          `02:00:00:00:${(this.macSeq >> 8).toString(16).padStart(2, "0")}:` +
          `${(this.macSeq & 255).toString(16).padStart(2, "0")}`;
      }
    }
    this.nodes.push(n);
    n.start();
    return n;
  }

  node<T extends Node = Node>(name: string): T {
    const n = this.nodes.find((x) => x.name === name);
    if (!n)
      throw new InputError("no such node", {
        value: name,
        where: `nodes: ${this.nodes.map((x) => x.name).join(", ")}`,
      });
    return n as T;
  }

  /** Schedules `fn` at now + delay. */
  after(delay: number, fn: () => void): void {
    this.queue.push({ t: this.now + Math.max(0, delay), seq: this.seq++, fn });
  }

  /** Which MAC owns `ip` on `segment` (what ARP would answer), or undefined. */
  resolve(segment: string, ip: string): string | undefined {
    for (const n of this.nodes)
      for (const i of n.ifaces) {
        if (i.segment === segment && (i.ip === ip || i.secondary.includes(ip))) return i.mac;
      }
    return undefined;
  }

  /** Puts a frame on the wire of `out.segment`; receivers get it after linkDelay. */
  transmit(from: Node, out: Iface, bytes: Uint8Array): number {
    const f = decodeFrame(bytes);
    const receivers: Iface[] = [];
    for (const n of this.nodes)
      for (const i of n.ifaces) {
        if (i === out || i.segment !== out.segment) continue;
        if (f.dstMac === BROADCAST_MAC || f.dstMac === i.mac) receivers.push(i);
      }
    const idx = this.frames.length;
    this.frames.push({
      t: this.now,
      segment: out.segment,
      from: from.name,
      to: receivers.map((r) => r.node.name),
      bytes,
      summary: summarize(f),
    });
    this.events.push({
      t: this.now,
      node: from.name,
      kind: "tx",
      text: `${out.name} → ${out.segment}: ${summarize(f)}`,
      frame: idx,
    });
    for (const r of receivers) this.after(this.linkDelay, () => r.node.receive(decodeFrame(bytes), r, idx));
    return idx;
  }

  /** Runs events until virtual time `until` (absolute seconds) or the queue is empty. */
  runUntil(until: number): void {
    let n = 0;
    for (;;) {
      if (this.queue.length === 0) break;
      let bi = 0;
      for (let i = 1; i < this.queue.length; i++) {
        const a = this.queue[i]!,
          b = this.queue[bi]!;
        if (a.t < b.t || (a.t === b.t && a.seq < b.seq)) bi = i;
      }
      const next = this.queue[bi]!;
      if (next.t > until) break;
      this.queue.splice(bi, 1);
      this.now = next.t;
      next.fn();
      if (++n >= this.maxEvents)
        throw new InputError("simulation event cap reached (a loop?)", { value: n, where: "Network.run" });
    }
    this.now = Math.max(this.now, until);
  }

  /** Runs for `seconds` more of virtual time. */
  run(seconds: number): void {
    this.runUntil(this.now + seconds);
  }

  /** The frames seen on the given segments (all segments by default) as a pcap file. */
  pcap(segments?: string[], epoch = 1_700_000_000): Uint8Array {
    const fr = this.frames.filter((f) => !segments || segments.includes(f.segment));
    return writePcap(fr.map((f) => ({ time: epoch + f.t, data: f.bytes })));
  }

  segments(): string[] {
    return [...new Set(this.nodes.flatMap((n) => n.ifaces.map((i) => i.segment)))];
  }
}

/** "src:sport → dst:dport" plus the DHCP summary when the payload is DHCP. */
export function summarize(f: DecodedFrame): string {
  let s = `${f.srcIp}:${f.srcPort} → ${f.dstIp}:${f.dstPort}`;
  if (f.srcPort === 67 || f.srcPort === 68 || f.dstPort === 67 || f.dstPort === 68) {
    try {
      s += " " + describe(decodeDhcp(f.payload));
    } catch {
      s += " (not DHCP)";
    }
  }
  return s;
}

/** Decodes the DHCP message of a frame, or undefined. */
export function dhcpOf(f: DecodedFrame): DhcpPacket | undefined {
  if (!(f.dstPort === 67 || f.dstPort === 68)) return undefined;
  try {
    return decodeDhcp(f.payload, f.payloadOffset);
  } catch {
    return undefined;
  }
}

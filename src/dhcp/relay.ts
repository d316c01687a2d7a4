/**
 * DHCP relay agent: RFC 2131 §4.1 and RFC 1542 §4 (BOOTP relay), RFC 3046 (option 82).
 *
 * Requests (op 1) arriving on an interface where relaying is enabled are forwarded, unicast, to
 * every configured server: giaddr is set to the receiving interface's address when it is zero,
 * hops is incremented and the request is discarded above `maxHops`; option 82 is inserted when
 * configured, as ISC `dhcrelay -a` does: the circuit-id sub-option is the name of the interface
 * the request arrived on, and a remote-id sub-option is added only when one is configured
 * (dhcrelay sends none by default); a request that arrives with option 82 but giaddr 0 is
 * discarded (RFC 3046 §2.1).
 * Replies (op 2) addressed to the relay are checked against the server list when
 * `acceptOnlyFromServers` is on (a Cisco ASA `dhcprelay server` list behaves so), option 82 is
 * stripped, and the reply is delivered on the giaddr interface: broadcast when the BROADCAST flag
 * is set, else unicast to yiaddr at chaddr (RFC 2131 §4.1, RFC 1542 §5.4).
 *
 * `relayRequest` / `relayReply` are pure and return data; `Gateway` is the simulated router that
 * uses them (optionally with a `FirewallModel`). `parseRelayConfig` reads a small ASA-like syntax.
 *
 * @example
 *   relayRequest(discover, cfg, { name: "inside", ip: "10.94.240.1" }).packet.giaddr; // "10.94.240.1"
 */
import { ParseError } from "../util/errors";
import { BROADCAST_IP, ipToInt, ZERO_IP } from "./addr";
import { encodeDhcp, isBroadcast, type DhcpPacket, relayAgentOption, fieldsOf } from "./packet";
import type { DecodedFrame } from "./frame";
import { Router, type Iface, type IfaceConfig, type Route, dhcpOf } from "./sim";
import { FirewallModel, type FirewallOptions } from "./firewall";

export interface RelayServer {
  ip: string;
  /** Interface the server is reached through (informational, as in the ASA syntax). */
  iface?: string;
}

export interface RelayConfig {
  servers: RelayServer[];
  /** Interfaces where client requests are relayed. */
  enabled: string[];
  /** Discard requests whose hops would exceed this (RFC 1542 §4.1.1; ISC dhcrelay -c default 10). */
  maxHops: number;
  /** Accept replies only from addresses in `servers`. */
  acceptOnlyFromServers: boolean;
  /** Insert option 82 with circuit-id = the receiving interface's name (ISC `dhcrelay -a`). */
  option82: boolean;
  /** Remote-id sub-option text, added to option 82 only when set (ISC sends none by default). */
  remoteId?: string;
  /** Seconds a relay binding is kept (informational; ASA `dhcprelay timeout`). */
  timeout: number;
}

export const defaultRelayConfig = (servers: string[], enabled: string[]): RelayConfig => ({
  servers: servers.map((ip) => ({ ip })),
  enabled,
  maxHops: 10,
  acceptOnlyFromServers: false,
  option82: false,
  timeout: 60,
});

export type RelayDecision =
  | { action: "forward"; packet: DhcpPacket; to: string[] }
  | { action: "deliver"; packet: DhcpPacket; dstIp: string; dstMac: string; broadcast: boolean; iface: string }
  | { action: "drop"; reason: string };

const hex = (s: string) => Buffer.from(s, "latin1").toString("hex");

/**
 * Checks the relay-related fields of a message and throws a ParseError naming the byte offset
 * (hops at 3, giaddr at 24) when they are abusive: hops above `maxHops`, or a giaddr that is not a
 * unicast host address (0.x.x.x other than 0.0.0.0, 127/8 loopback, 224/4 multicast and above).
 */
export function checkRelayFields(p: DhcpPacket, maxHops = 16): void {
  if (p.hops > maxHops)
    throw new ParseError(`hops ${p.hops} is above the relay limit ${maxHops}`, {
      value: p.hops,
      where: "DHCP hops",
      location: { offset: 3 },
      hint: "RFC 1542 §4.1.1: a relay discards such requests (a relay loop?)",
    });
  if (p.giaddr === ZERO_IP) return;
  const first = Number(p.giaddr.split(".")[0]);
  if (first === 0 || first === 127 || first >= 224) {
    throw new ParseError("giaddr is not a unicast host address", {
      value: p.giaddr,
      where: "DHCP giaddr",
      location: { offset: 24 },
      hint: "replies would be sent to it: a spoofed or corrupted giaddr",
    });
  }
}

/** What a relay does with a client request that arrived on interface `rx`. */
export function relayRequest(p: DhcpPacket, cfg: RelayConfig, rx: { name: string; ip: string }): RelayDecision {
  if (p.op !== 1) return { action: "drop", reason: `op ${p.op} is not a request` };
  if (!cfg.enabled.includes(rx.name)) return { action: "drop", reason: `relaying is not enabled on ${rx.name}` };
  if (cfg.servers.length === 0) return { action: "drop", reason: "no DHCP server configured" };
  if (p.hops + 1 > cfg.maxHops)
    return {
      action: "drop",
      reason: `hops ${p.hops} + 1 exceeds the limit ${cfg.maxHops} (RFC 1542 §4.1.1, byte offset 3)`,
    };
  try {
    checkRelayFields(p, 255);
  } catch (e) {
    return { action: "drop", reason: (e as Error).message };
  }
  const has82 = p.options.some((o) => o.code === 82);
  if (has82 && p.giaddr === ZERO_IP)
    return { action: "drop", reason: "option 82 present with giaddr 0 (RFC 3046 §2.1: untrusted)" };
  const out: DhcpPacket = { ...p, hops: p.hops + 1, options: [...p.options] };
  if (p.giaddr === ZERO_IP) {
    out.giaddr = rx.ip;
    if (cfg.option82 && !has82)
      out.options.push(
        relayAgentOption({
          circuitId: hex(rx.name),
          ...(cfg.remoteId !== undefined ? { remoteId: hex(cfg.remoteId) } : {}),
        }),
      );
  }
  return { action: "forward", packet: out, to: cfg.servers.map((s) => s.ip) };
}

/**
 * What a relay does with a server reply from `srcIp`. `ifaces` are the relay's interfaces,
 * to find the one whose address equals giaddr.
 */
export function relayReply(
  p: DhcpPacket,
  srcIp: string,
  cfg: RelayConfig,
  ifaces: Array<{ name: string; ip?: string }>,
): RelayDecision {
  if (p.op !== 2) return { action: "drop", reason: `op ${p.op} is not a reply` };
  try {
    checkRelayFields(p, 255);
  } catch (e) {
    return { action: "drop", reason: (e as Error).message };
  }
  if (cfg.acceptOnlyFromServers && !cfg.servers.some((s) => s.ip === srcIp)) {
    return {
      action: "drop",
      reason: `reply from ${srcIp}, which is not a configured server (${cfg.servers.map((s) => s.ip).join(", ")})`,
    };
  }
  const rx = ifaces.find((i) => i.ip === p.giaddr);
  if (!rx) return { action: "drop", reason: `giaddr ${p.giaddr} is not an address of this relay` };
  const options = p.options.filter((o) => o.code !== 82);
  const out: DhcpPacket = { ...p, options };
  const f = fieldsOf(p);
  const bcast = isBroadcast(p) || f.messageType === "NAK" || p.yiaddr === ZERO_IP;
  if (bcast)
    return {
      action: "deliver",
      packet: out,
      dstIp: BROADCAST_IP,
      dstMac: "ff:ff:ff:ff:ff:ff",
      broadcast: true,
      iface: rx.name,
    };
  return { action: "deliver", packet: out, dstIp: p.yiaddr, dstMac: p.chaddr, broadcast: false, iface: rx.name };
}

/**
 * Parses the relay configuration text (an ASA-like syntax):
 *
 *     ! comment (also #)
 *     dhcprelay server 10.20.30.10 EGRESS
 *     dhcprelay enable SERVERS-ZONE
 *     dhcprelay timeout 60
 *     dhcprelay max-hops 10
 *     dhcprelay information insert        (option 82: circuit-id = interface name)
 *     dhcprelay information remote-id TEXT (adds a remote-id sub-option; implies insert)
 *
 * Every other line is an error with file:line:column: nothing is silently ignored.
 */
export function parseRelayConfig(text: string, file = "<relay config>"): RelayConfig {
  const cfg: RelayConfig = {
    servers: [],
    enabled: [],
    maxHops: 10,
    acceptOnlyFromServers: true,
    option82: false,
    timeout: 60,
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/[!#].*$/, "").trimEnd();
    if (!line.trim()) return;
    const col = (word: number) => {
      const m = [...line.matchAll(/\S+/g)][word];
      return (m?.index ?? line.length) + 1;
    };
    const err = (msg: string, word: number, value: unknown, hint?: string) =>
      new ParseError(msg, { value, location: { file, line: i + 1, column: col(word) }, ...(hint ? { hint } : {}) });
    const w = line.trim().split(/\s+/);
    if (w[0] !== "dhcprelay")
      throw err(
        "unknown configuration line",
        0,
        line.trim(),
        'lines start with "dhcprelay" (server, enable, timeout, max-hops, information insert)',
      );
    const ipArg = (k: number) => {
      const v = w[k];
      if (v === undefined) throw err("missing IPv4 address", k, line.trim());
      try {
        ipToInt(v);
      } catch {
        throw err("not an IPv4 address", k, v);
      }
      return v;
    };
    const intArg = (k: number, lo: number, hi: number) => {
      const v = w[k];
      if (v === undefined || !/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi)
        throw err(`expected an integer ${lo}..${hi}`, k, v ?? "(nothing)");
      return Number(v);
    };
    const noMore = (k: number) => {
      if (w.length > k) throw err("unexpected extra word", k, w[k]);
    };
    switch (w[1]) {
      case "server": {
        const ip = ipArg(2);
        if (w[3] === undefined)
          throw err(
            "missing interface name after the server address",
            3,
            line.trim(),
            "e.g. dhcprelay server 10.20.30.10 EGRESS",
          );
        noMore(4);
        if (!cfg.servers.some((s) => s.ip === ip)) cfg.servers.push({ ip, iface: w[3] });
        break;
      }
      case "enable":
        if (w[2] === undefined) throw err("missing interface name", 2, line.trim());
        noMore(3);
        if (!cfg.enabled.includes(w[2])) cfg.enabled.push(w[2]);
        break;
      case "timeout":
        cfg.timeout = intArg(2, 1, 3600);
        noMore(3);
        break;
      case "max-hops":
        cfg.maxHops = intArg(2, 1, 255);
        noMore(3);
        break;
      case "information":
        if (w[2] === "insert") {
          noMore(3);
          cfg.option82 = true;
          break;
        }
        if (w[2] === "remote-id") {
          const v = w[3];
          if (v === undefined)
            throw err("missing remote-id text", 3, line.trim(), "e.g. dhcprelay information remote-id asa-1");
          if (v.length > 255) throw err("a remote-id is at most 255 bytes (RFC 3046 §2.0)", 3, v.length);
          noMore(4);
          cfg.option82 = true;
          cfg.remoteId = v;
          break;
        }
        throw err(
          'only "dhcprelay information insert" and "dhcprelay information remote-id TEXT" are supported',
          2,
          w[2] ?? "(nothing)",
        );
      default:
        throw err(
          "unsupported dhcprelay command",
          1,
          w[1] ?? "(nothing)",
          "supported: server, enable, timeout, max-hops, information insert, information remote-id",
        );
    }
  });
  return cfg;
}

/** A router that can relay DHCP and/or enforce a stateful firewall policy. */
export class Gateway extends Router {
  relay?: RelayConfig;
  firewall?: FirewallModel;

  constructor(
    name: string,
    ifaces: IfaceConfig[],
    routes: Route[] = [],
    opts: { relay?: RelayConfig; firewall?: FirewallOptions } = {},
  ) {
    super(name, ifaces, routes);
    this.relay = opts.relay;
    if (opts.firewall) this.firewall = new FirewallModel(name, opts.firewall);
  }

  protected override local(f: DecodedFrame, iface: Iface, fi: number): void {
    if (!this.relay || f.dstPort !== 67) return;
    const p = dhcpOf(f);
    if (!p) {
      this.log("drop", "port 67 datagram is not a valid DHCP message", fi);
      return;
    }
    if (p.op === 1) {
      if (!iface.ip) return;
      const d = relayRequest(p, this.relay, { name: iface.name, ip: iface.ip });
      if (d.action === "drop") {
        this.log("drop", `relay: ${d.reason}`, fi);
        return;
      }
      if (d.action !== "forward") return;
      for (const to of d.to) {
        const r = this.lookup(to);
        this.sendUdp({
          srcIp: r?.iface.ip ?? iface.ip,
          dstIp: to,
          srcPort: 67,
          dstPort: 67,
          payload: encodeDhcp(d.packet),
        });
      }
    } else {
      const d = relayReply(p, f.srcIp, this.relay, this.ifaces);
      if (d.action === "drop") {
        this.log("drop", `relay: ${d.reason}`, fi);
        return;
      }
      if (d.action !== "deliver") return;
      const out = this.iface(d.iface);
      this.sendUdp(
        { srcIp: out.ip!, dstIp: d.dstIp, srcPort: 67, dstPort: 68, payload: encodeDhcp(d.packet) },
        { out, dstMac: d.dstMac },
      );
    }
  }

  protected override forward(f: DecodedFrame, inIf: Iface, fi: number): void {
    if (this.firewall) {
      const r = this.lookup(f.dstIp);
      const toZone = r?.iface.zone ?? "?";
      const bytes = this.net.frames[fi]?.bytes;
      const res = this.firewall.inspect(
        { proto: "udp", src: f.srcIp, sport: f.srcPort, dst: f.dstIp, dport: f.dstPort },
        inIf.zone,
        toZone,
        this.net.now,
        bytes,
      );
      if (res.action === "drop") {
        this.log("drop", `firewall: ${res.reason}`, fi);
        return;
      }
      this.log("log", `firewall: ${res.path} path, ${res.reason}`, fi);
    }
    super.forward(f, inIf, fi);
  }
}

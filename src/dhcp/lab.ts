/**
 * Lab scenarios built from the simulator parts. The main one, "pxe", follows the field story
 * of a PXE client that never got an address:
 *
 *   pxe ── pxe-lan ── asa (relay, "last firewall") ── forti (NGFW) ── palo (NGFW) ── dhcp1
 *
 * The ASA relays to the server VIP (10.20.30.10); the server answers from its physical address
 * (10.20.30.11, ISC-style reply source); both next-generation firewalls hold the UDP exchange
 * as a single offloaded session that their GUIs never show; the ASA's relay accepts replies only
 * from its configured servers, so it drops every OFFER until the physical address is added.
 *
 * Other scenarios: "direct" (client and server on one LAN), "relay" (one relay, no firewalls),
 * "relay-kea" (same, with a Kea-style server answering from the targeted VIP).
 *
 * @example
 *   const lab = pxeLab({ fix: true }); lab.run(60); lab.client.state; // "BOUND"
 */
import { InputError } from "../util/errors";
import { inPrefix } from "./addr";
import { DhcpClient } from "./client";
import { Gateway, parseRelayConfig, defaultRelayConfig, type RelayConfig } from "./relay";
import { DhcpServer } from "./server";
import { Network, type IfaceConfig, type Route, type SimEvent, type WireFrame } from "./sim";
import { decodeFrame } from "./frame";
import { decodeDhcp, fieldsOf } from "./packet";
import type { PolicyRule, Session } from "./firewall";

export const PXE_MAC = "6c:2b:59:c1:32:73";
export const SERVER_VIP = "10.20.30.10";
export const SERVER_PHYSICAL = "10.20.30.11";

/** The relay configuration of the broken lab (the ASA knows only the VIP). */
export const BROKEN_RELAY_CONFIG = `! ASA-style DHCP relay configuration (the last firewall before the PXE client)
dhcprelay server ${SERVER_VIP} EGRESS
dhcprelay enable SERVERS-ZONE
dhcprelay timeout 60
`;

/** The fixed configuration: the physical server address is also a configured server. */
export const FIXED_RELAY_CONFIG = BROKEN_RELAY_CONFIG + `dhcprelay server ${SERVER_PHYSICAL} EGRESS\n`;

export interface LabOptions {
  /** Relay configuration text for the ASA (default: the broken one). */
  relayConfig?: string;
  /** Use the fixed configuration. */
  fix?: boolean;
  /** "interface" (ISC dhcpd, default) or "targeted" (Kea). */
  serverMode?: "interface" | "targeted";
  /** Firewall policy override for the Fortigate (to build "which device drops" variants). */
  fortiDeny?: boolean;
  /** Client sets the BROADCAST flag (default true: PXE ROMs do). */
  broadcastFlag?: boolean;
  seed?: number;
  /** File name used in relay-config parse errors. */
  configFile?: string;
  /** relayLab: the relay inserts option 82 as ISC dhcrelay -a does (circuit-id = interface name, no remote-id). */
  option82?: boolean;
}

export interface Lab {
  name: string;
  net: Network;
  client: DhcpClient;
  server: DhcpServer;
  gateways: Record<string, Gateway>;
  /** Order of the nodes from client to server, for ladders. */
  path: string[];
  run(seconds: number): Lab;
  sessions(fw: string): Session[];
  gui(fw: string): Array<{ t: number; what: string }>;
  clear(fw: string, id?: number): number;
  startCapture(fw: string): void;
  capture(fw: string): Array<{ t: number; summary: string }>;
  drops(): SimEvent[];
  frames(segment?: string): WireFrame[];
  pcap(segments?: string[]): Uint8Array;
}

function wrap(
  name: string,
  net: Network,
  client: DhcpClient,
  server: DhcpServer,
  gateways: Record<string, Gateway>,
  path: string[],
): Lab {
  const fw = (n: string) => {
    const g = gateways[n];
    if (!g?.firewall)
      throw new InputError("no firewall with that name in this lab", {
        value: n,
        where: `lab ${name}: firewalls ${Object.keys(gateways)
          .filter((k) => gateways[k]!.firewall)
          .join(", ")}`,
      });
    return g.firewall;
  };
  const lab: Lab = {
    name,
    net,
    client,
    server,
    gateways,
    path,
    run(seconds) {
      net.run(seconds);
      return lab;
    },
    sessions: (n) => fw(n).sessionTable(net.now),
    gui: (n) => fw(n).guiView(net.now),
    clear: (n, id) => fw(n).clearSession(net.now, id),
    startCapture: (n) => {
      fw(n).capturing = true;
    },
    capture: (n) =>
      fw(n).capture.map((c) => {
        let s = `${c.tuple.src}:${c.tuple.sport} → ${c.tuple.dst}:${c.tuple.dport}`;
        try {
          const f = decodeFrame(c.bytes);
          s += " " + (fieldsOf(decodeDhcp(f.payload)).messageType ?? "");
        } catch {
          /* not DHCP */
        }
        return { t: c.t, summary: s };
      }),
    drops: () => net.events.filter((e) => e.kind === "drop"),
    frames: (seg) => net.frames.filter((f) => !seg || f.segment === seg),
    pcap: (segs) => net.pcap(segs),
  };
  return lab;
}

/**
 * A next-generation firewall of the PXE path: it routes between its zones and, like both NGFWs of
 * the story, offloads each UDP exchange to the fast path as one session.
 */
function offloadingFirewall(
  name: string,
  ifaces: IfaceConfig[],
  routes: Route[],
  fw: { udpTimeout: number; firstSessionId: number; policy: PolicyRule[] },
): Gateway {
  return new Gateway(name, ifaces, routes, {
    firewall: { udpTimeout: fw.udpTimeout, offload: true, firstSessionId: fw.firstSessionId, policy: fw.policy },
  });
}

/** The client of the direct and relay labs: one NIC on segment "lan"; only the transaction id differs. */
function lanClient(o: LabOptions, xid: number): DhcpClient {
  return new DhcpClient(
    "client",
    { name: "eth0", segment: "lan", mac: "52:54:00:12:34:56" },
    { broadcastFlag: o.broadcastFlag ?? false, seed: o.seed ?? 3, xid },
  );
}

/** The PXE / three-firewall scenario. */
export function pxeLab(o: LabOptions = {}): Lab {
  const relay: RelayConfig = parseRelayConfig(
    o.relayConfig ?? (o.fix ? FIXED_RELAY_CONFIG : BROKEN_RELAY_CONFIG),
    o.configFile ?? "relay.conf",
  );
  const net = new Network();
  const client = net.add(
    new DhcpClient(
      "pxe",
      { name: "nic0", segment: "pxe-lan", mac: PXE_MAC },
      { pxe: true, broadcastFlag: o.broadcastFlag ?? true, seed: o.seed ?? 7, maxAttempts: 4, xid: 0x2d5c0ff0 },
    ),
  );
  const asa = net.add(
    new Gateway(
      "asa",
      [
        { name: "SERVERS-ZONE", ip: "10.94.240.1/24", segment: "pxe-lan" },
        { name: "EGRESS", ip: "10.0.3.1/30", segment: "asa-forti" },
      ],
      [{ prefix: "0.0.0.0/0", via: "10.0.3.2" }],
      { relay },
    ),
  );
  const forti = net.add(
    offloadingFirewall(
      "forti",
      [
        { name: "port3", ip: "10.0.3.2/30", segment: "asa-forti", zone: "Zone3" },
        { name: "port2", ip: "10.0.2.1/30", segment: "forti-palo", zone: "Zone2" },
      ],
      [
        { prefix: "10.94.240.0/24", via: "10.0.3.1" },
        { prefix: "0.0.0.0/0", via: "10.0.2.2" },
      ],
      {
        udpTimeout: 180,
        firstSessionId: 4100,
        policy: o.fortiDeny
          ? [
              { name: "block-bootp", dport: 67, src: "10.20.30.0/24", action: "deny" },
              { name: "intra", action: "allow" },
            ]
          : [{ name: "intra-zone", action: "allow" }],
      },
    ),
  );
  const palo = net.add(
    offloadingFirewall(
      "palo",
      [
        { name: "ethernet1/2", ip: "10.0.2.2/30", segment: "forti-palo", zone: "ZONE1" },
        { name: "ethernet1/1", ip: "10.20.30.1/24", segment: "dc", zone: "ZONE2" },
      ],
      [
        { prefix: "10.94.240.0/24", via: "10.0.2.1" },
        { prefix: "10.0.3.0/30", via: "10.0.2.1" },
      ],
      {
        udpTimeout: 90,
        firstSessionId: 135493,
        policy: [
          { name: "dhcp", dport: 67, action: "allow" },
          { name: "dhcp-client", dport: 68, action: "allow" },
        ],
      },
    ),
  );
  const server = net.add(
    new DhcpServer(
      "dhcp1",
      [{ name: "eth0", ip: `${SERVER_PHYSICAL}/24`, secondary: [SERVER_VIP], segment: "dc" }],
      [{ prefix: "0.0.0.0/0", via: "10.20.30.1" }],
      {
        replySource: o.serverMode ?? "interface",
        leaseTime: 600,
        pools: [
          {
            subnet: "10.94.240.0/24",
            start: "10.94.240.100",
            end: "10.94.240.199",
            routers: ["10.94.240.1"],
            dns: ["10.20.30.53"],
          },
        ],
        pxe: { tftpServer: "10.20.30.20", bootfile: "pxelinux.0" },
      },
    ),
  );
  return wrap("pxe", net, client, server, { asa, forti, palo }, ["pxe", "asa", "forti", "palo", "dhcp1"]);
}

/** Client and server on one LAN, no relay. */
export function directLab(o: LabOptions = {}): Lab {
  const net = new Network();
  const client = net.add(lanClient(o, 0x1000));
  const server = net.add(
    new DhcpServer("server", [{ name: "eth0", ip: "192.168.1.1/24", segment: "lan" }], [], {
      replySource: o.serverMode ?? "interface",
      leaseTime: 600,
      pools: [{ subnet: "192.168.1.0/24", start: "192.168.1.100", end: "192.168.1.150", routers: ["192.168.1.1"] }],
    }),
  );
  return wrap("direct", net, client, server, {}, ["client", "server"]);
}

/** One relay between the client LAN and the server LAN; the server has a VIP. */
export function relayLab(o: LabOptions = {}): Lab {
  const net = new Network();
  const client = net.add(lanClient(o, 0x2000));
  const relayCfg = o.relayConfig
    ? parseRelayConfig(o.relayConfig, o.configFile ?? "relay.conf")
    : { ...defaultRelayConfig(["10.0.2.100"], ["lan0"]) };
  if (o.option82) relayCfg.option82 = true;
  const relay = net.add(
    new Gateway(
      "relay",
      [
        { name: "lan0", ip: "10.0.1.1/24", segment: "lan" },
        { name: "up0", ip: "10.0.2.1/24", segment: "srv" },
      ],
      [],
      { relay: relayCfg },
    ),
  );
  const server = net.add(
    new DhcpServer(
      "server",
      [{ name: "eth0", ip: "10.0.2.10/24", secondary: ["10.0.2.100"], segment: "srv" }],
      [{ prefix: "0.0.0.0/0", via: "10.0.2.1" }],
      {
        replySource: o.serverMode ?? "interface",
        leaseTime: 600,
        pools: [{ subnet: "10.0.1.0/24", start: "10.0.1.100", end: "10.0.1.150", routers: ["10.0.1.1"] }],
      },
    ),
  );
  return wrap(o.serverMode === "targeted" ? "relay-kea" : "relay", net, client, server, { relay }, [
    "client",
    "relay",
    "server",
  ]);
}

export const SCENARIOS: Record<string, (o?: LabOptions) => Lab> = {
  pxe: pxeLab,
  direct: directLab,
  relay: relayLab,
  "relay-kea": (o = {}) => relayLab({ ...o, serverMode: "targeted" }),
};

/** Builds a scenario by name (error lists the known names). */
export function makeLab(name: string, o: LabOptions = {}): Lab {
  const f = SCENARIOS[name];
  if (!f)
    throw new InputError("unknown lab scenario", { value: name, where: `known: ${Object.keys(SCENARIOS).join(", ")}` });
  return f(o);
}

/** One phase of a packet-tracer run (a type alias, so notebook tables accept it as a row). */
export type TracePhase = {
  phase: number;
  type: string;
  result: "ALLOW" | "DROP";
  detail: string;
};

/**
 * A `packet-tracer`-style dry run: what would `device` do with a UDP packet src:sport → dst:dport
 * arriving on interface `input`? Nothing is sent and no session is created; the answer lists the
 * phases (input interface, route lookup, firewall policy/session, DHCP relay) like the ASA command.
 */
export function packetTracer(
  lab: Lab,
  device: string,
  p: { input: string; src: string; sport: number; dst: string; dport: number },
): { phases: TracePhase[]; action: "allow" | "drop" } {
  const g = lab.gateways[device];
  if (!g)
    throw new InputError("no such gateway in this lab", {
      value: device,
      where: `gateways: ${Object.keys(lab.gateways).join(", ")}`,
    });
  const phases: TracePhase[] = [];
  const add = (type: string, ok: boolean, detail: string) => {
    phases.push({ phase: phases.length + 1, type, result: ok ? "ALLOW" : "DROP", detail });
    return ok;
  };
  const inIf = g.ifaces.find((i) => i.name === p.input);
  if (
    !add(
      "INPUT-INTERFACE",
      !!inIf,
      inIf ? `${inIf.name} (${inIf.ip}/${inIf.prefixLen}), zone ${inIf.zone}` : `no interface ${p.input}`,
    )
  )
    return { phases, action: "drop" };
  const toBox = g.owns(p.dst);
  const r = toBox ? undefined : g.lookup(p.dst);
  if (
    !add(
      "ROUTE-LOOKUP",
      toBox || !!r,
      toBox
        ? `${p.dst} is an address of ${device} (to the box)`
        : r
          ? `egress ${r.iface.name} via ${r.nextHop}`
          : `no route to ${p.dst}`,
    )
  )
    return { phases, action: "drop" };
  if (!toBox && g.firewall) {
    const sess = g.firewall
      .sessionTable(lab.net.now)
      .find(
        (s) =>
          (s.tuple.src === p.src && s.tuple.sport === p.sport && s.tuple.dst === p.dst && s.tuple.dport === p.dport) ||
          (s.tuple.src === p.dst && s.tuple.sport === p.dport && s.tuple.dst === p.src && s.tuple.dport === p.sport),
      );
    if (sess) add("FLOW-LOOKUP", true, `existing session ${sess.id}${sess.offloaded ? " (offloaded)" : ""}`);
    else {
      const rule = g.firewall.policy.find(
        (x) =>
          (x.fromZone === undefined || x.fromZone === inIf!.zone) &&
          (x.toZone === undefined || x.toZone === r!.iface.zone) &&
          (x.src === undefined || inPrefix(p.src, x.src)) &&
          (x.dst === undefined || inPrefix(p.dst, x.dst)) &&
          (x.dport === undefined || x.dport === p.dport),
      );
      if (
        !add(
          "ACCESS-LIST",
          !!rule && rule.action === "allow",
          rule ? `rule ${rule.name ?? "unnamed"}: ${rule.action}` : "implicit deny",
        )
      )
        return { phases, action: "drop" };
      add("FLOW-CREATION", true, "new flow created");
    }
  }
  if (toBox) {
    if (!g.relay || p.dport !== 67) {
      add("TO-THE-BOX", false, `no service for UDP ${p.dport} on ${device}`);
      return { phases, action: "drop" };
    }
    if (
      g.relay.acceptOnlyFromServers &&
      inIf!.name &&
      !g.relay.enabled.includes(inIf!.name) &&
      !g.relay.servers.some((s) => s.ip === p.src)
    ) {
      add(
        "DHCPRELAY",
        false,
        `(acl-drop) ${p.src} is not a configured dhcprelay server (${g.relay.servers.map((s) => s.ip).join(", ")})`,
      );
      return { phases, action: "drop" };
    }
    add(
      "DHCPRELAY",
      true,
      g.relay.enabled.includes(inIf!.name)
        ? "client request on a relay-enabled interface"
        : `reply from configured server ${p.src}`,
    );
  }
  return { phases, action: "allow" };
}

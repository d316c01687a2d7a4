/**
 * The kit's relay agent on real UDP sockets (node:dgram), for use inside a network namespace:
 * the same `relayRequest` / `relayReply` decisions as the simulator, on live packets.
 *
 * It binds 0.0.0.0:67 (so it hears client broadcasts), forwards requests unicast to the servers
 * (the kernel picks the upstream source address), and delivers replies on the client LAN:
 * broadcast to 255.255.255.255:68 when the BROADCAST flag is set, else unicast to yiaddr. A
 * client without an address cannot answer ARP, so before a unicast delivery the relay calls
 * `learnNeighbor(yiaddr, chaddr)` (Linux: `ip neigh replace … lladdr …`), as relays that use
 * plain sockets do. One client-side interface is supported. Needs root (port 67).
 *
 * @example
 *   const r = await startUdpRelay({ lan: { name: "r0", ip: "10.0.1.1" }, servers: ["10.0.2.100"] });
 *   …; await r.close();
 */
import dgram from "node:dgram";
import { spawnSync } from "node:child_process";
import { relayRequest, relayReply, defaultRelayConfig, type RelayConfig } from "./relay";
import { decodeDhcp, describe, encodeDhcp } from "./packet";

export interface UdpRelayOptions {
  lan: { name: string; ip: string };
  servers: string[];
  config?: Partial<RelayConfig>;
  /** Called before a unicast delivery to a client that has no address yet. */
  learnNeighbor?: (ip: string, mac: string) => void;
  log?: (line: string) => void;
}

export interface UdpRelay {
  close(): Promise<void>;
  readonly log: string[];
}

/** `ip neigh replace IP lladdr MAC dev DEV` (what the relay needs for unicast delivery). */
export function ipNeighbor(dev: string): (ip: string, mac: string) => void {
  return (ip, mac) => {
    spawnSync("ip", ["neigh", "replace", ip, "lladdr", mac, "dev", dev, "nud", "stale"], { timeout: 5000 });
  };
}

export function startUdpRelay(o: UdpRelayOptions): Promise<UdpRelay> {
  const cfg: RelayConfig = { ...defaultRelayConfig(o.servers, [o.lan.name]), ...o.config };
  const log: string[] = [];
  const say = (s: string) => {
    log.push(s);
    o.log?.(s);
  };
  const sock = dgram.createSocket({ type: "udp4", reuseAddr: true });
  sock.on("message", (msg, rinfo) => {
    let p;
    try {
      p = decodeDhcp(new Uint8Array(msg));
    } catch (e) {
      say(`drop from ${rinfo.address}: ${(e as Error).message}`);
      return;
    }
    if (p.op === 1) {
      const d = relayRequest(p, cfg, o.lan);
      if (d.action !== "forward") {
        say(`drop request: ${d.action === "drop" ? d.reason : "?"}`);
        return;
      }
      for (const s of d.to) sock.send(encodeDhcp(d.packet), 67, s);
      say(`forwarded ${describe(d.packet)} to ${d.to.join(", ")}`);
    } else {
      const d = relayReply(p, rinfo.address, cfg, [o.lan]);
      if (d.action !== "deliver") {
        say(`drop reply from ${rinfo.address}: ${d.action === "drop" ? d.reason : "?"}`);
        return;
      }
      if (!d.broadcast) o.learnNeighbor?.(d.dstIp, d.dstMac);
      sock.send(encodeDhcp(d.packet), 68, d.dstIp);
      say(`delivered ${describe(d.packet)} from ${rinfo.address} to ${d.dstIp}`);
    }
  });
  return new Promise((resolve, reject) => {
    sock.once("error", reject);
    sock.bind(67, "0.0.0.0", () => {
      sock.setBroadcast(true);
      resolve({ log, close: () => new Promise((r) => sock.close(() => r())) });
    });
  });
}

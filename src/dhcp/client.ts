/**
 * A DHCP client state machine (RFC 2131 §4.4, figure 5): INIT → SELECTING → REQUESTING → BOUND,
 * then RENEWING at T1 (unicast to the server), REBINDING at T2 (broadcast), back to INIT when the
 * lease expires or on DHCPNAK. Retransmission follows §4.1: 4 s, doubling up to 64 s, each
 * randomised by ±1 s (seeded `Rng`), and after `maxAttempts` the client starts over from INIT,
 * as PXE ROMs do. The client can present itself as a PXE client (option 60 "PXEClient…").
 *
 * @example
 *   const c = net.add(
 *     new DhcpClient("pxe", { name: "eth0", segment: "lan", mac: "6c:2b:59:c1:32:73" }, { pxe: true }),
 *   );
 *   net.run(30); c.state; // "BOUND"
 */
import { Rng } from "../util/rng";
import { BROADCAST_IP, ZERO_IP } from "./addr";
import type { DecodedFrame } from "./frame";
import { buildOptions, encodeDhcp, fieldsOf, makeDhcp, type DhcpFields } from "./packet";
import { Node, dhcpOf, type Iface, type IfaceConfig } from "./sim";

export type ClientState = "INIT" | "SELECTING" | "REQUESTING" | "BOUND" | "RENEWING" | "REBINDING";

export interface ClientOptions {
  /** Set the BROADCAST flag (PXE ROMs and many embedded clients do). */
  broadcastFlag?: boolean;
  /** Present as a PXE client (option 60, 66/67 requested). */
  pxe?: boolean;
  hostName?: string;
  /** Transmissions per state before starting over. */
  maxAttempts?: number;
  seed?: number;
  /** First xid (then incremented per new exchange). */
  xid?: number;
  /** Seconds before the first DISCOVER. */
  startDelay?: number;
}

export interface Binding {
  ip: string;
  serverId: string;
  lease: number;
  t1: number;
  t2: number;
  router?: string;
  bootfile?: string;
  tftpServer?: string;
  since: number;
}

export class DhcpClient extends Node {
  state: ClientState = "INIT";
  binding?: Binding;
  readonly history: Array<{ t: number; from: ClientState; to: ClientState; why: string }> = [];
  private rng: Rng;
  private xid: number;
  private attempts = 0;
  private offer?: { ip: string; serverId: string };
  private epoch = 0; // invalidates timers of an older state
  private started = 0;

  constructor(
    name: string,
    iface: IfaceConfig,
    readonly opts: ClientOptions = {},
  ) {
    super(name, [iface]);
    this.rng = new Rng(opts.seed ?? 7);
    this.xid = opts.xid ?? this.rng.u32();
  }

  get nic(): Iface {
    return this.ifaces[0]!;
  }

  override start(): void {
    this.net.after(this.opts.startDelay ?? 0, () => this.enterInit("power on"));
  }

  private go(to: ClientState, why: string): void {
    this.history.push({ t: this.net.now, from: this.state, to, why });
    this.log("state", `${this.state} → ${to}: ${why}`);
    this.state = to;
    this.epoch++;
    this.attempts = 0;
  }

  private enterInit(why: string): void {
    this.nic.ip = undefined;
    this.routes.length = 0;
    this.binding = undefined;
    this.offer = undefined;
    this.xid = (this.xid + 1) >>> 0;
    this.started = this.net.now;
    this.go("SELECTING", why);
    this.sendDiscover();
  }

  private baseOptions(): DhcpFields {
    const o: DhcpFields = { maxMessageSize: 1260, clientId: "01" + this.nic.mac.replace(/:/g, "") };
    if (this.opts.hostName) o.hostName = this.opts.hostName;
    if (this.opts.pxe) {
      o.vendorClassId = "PXEClient:Arch:00000:UNDI:002001";
      o.paramRequestList = [1, 3, 6, 12, 43, 60, 66, 67];
    } else o.paramRequestList = [1, 3, 6, 12, 51, 54, 58, 59];
    return o;
  }

  /** Retransmission delay for attempt n (0-based): 4, 8, 16, 32, 64 s ± 1 s. */
  backoff(n: number): number {
    return Math.min(64, 4 * 2 ** n) + (this.rng.float() * 2 - 1);
  }

  private schedule(resend: () => void): void {
    const ep = this.epoch;
    const max = this.opts.maxAttempts ?? 4;
    const delay = this.backoff(this.attempts);
    this.net.after(delay, () => {
      if (ep !== this.epoch) return;
      this.attempts++;
      if (this.attempts >= max) {
        this.enterInit(`no answer after ${max} transmissions`);
        return;
      }
      resend();
    });
  }

  private secs(): number {
    return Math.min(0xffff, Math.floor(this.net.now - this.started));
  }

  private sendDiscover(): void {
    const p = makeDhcp({
      op: 1,
      xid: this.xid,
      secs: this.secs(),
      flags: this.opts.broadcastFlag ? 0x8000 : 0,
      chaddr: this.nic.mac,
      options: buildOptions({ messageType: "DISCOVER", ...this.baseOptions() }),
    });
    this.sendUdp(
      { srcIp: ZERO_IP, dstIp: BROADCAST_IP, srcPort: 68, dstPort: 67, payload: encodeDhcp(p) },
      { out: this.nic },
    );
    this.schedule(() => this.sendDiscover());
  }

  private sendRequest(): void {
    const o = this.offer!;
    const renewing = this.state === "RENEWING",
      rebinding = this.state === "REBINDING";
    const f: DhcpFields = { messageType: "REQUEST", ...this.baseOptions() };
    if (!renewing && !rebinding) {
      f.requestedIp = o.ip;
      f.serverId = o.serverId;
    }
    const p = makeDhcp({
      op: 1,
      xid: this.xid,
      secs: this.secs(),
      flags: this.opts.broadcastFlag && !renewing ? 0x8000 : 0,
      chaddr: this.nic.mac,
      ciaddr: renewing || rebinding ? this.binding!.ip : ZERO_IP,
      options: buildOptions(f),
    });
    if (renewing)
      this.sendUdp({
        srcIp: this.binding!.ip,
        dstIp: this.binding!.serverId,
        srcPort: 68,
        dstPort: 67,
        payload: encodeDhcp(p),
      });
    else
      this.sendUdp(
        {
          srcIp: rebinding ? this.binding!.ip : ZERO_IP,
          dstIp: BROADCAST_IP,
          srcPort: 68,
          dstPort: 67,
          payload: encodeDhcp(p),
        },
        { out: this.nic },
      );
    if (renewing || rebinding) return; // T2 / expiry timers take over
    this.schedule(() => this.sendRequest());
  }

  receive(f: DecodedFrame, _iface: Iface, fi: number): void {
    if (f.dstPort !== 68) return;
    const p = dhcpOf(f);
    if (!p || p.op !== 2 || p.xid !== this.xid || p.chaddr !== this.nic.mac) return;
    const m = fieldsOf(p);
    if (this.state === "SELECTING" && m.messageType === "OFFER") {
      if (!m.serverId) {
        this.log("drop", "OFFER without server identifier", fi);
        return;
      }
      this.offer = { ip: p.yiaddr, serverId: m.serverId };
      this.go("REQUESTING", `offer of ${p.yiaddr} from ${m.serverId}`);
      this.sendRequest();
    } else if (["REQUESTING", "RENEWING", "REBINDING"].includes(this.state) && m.messageType === "ACK") {
      this.bind(p.yiaddr, m);
    } else if (["REQUESTING", "RENEWING", "REBINDING"].includes(this.state) && m.messageType === "NAK") {
      this.enterInit(`NAK from ${m.serverId ?? f.srcIp}`);
    }
  }

  private bind(ip: string, m: DhcpFields): void {
    const lease = m.leaseTime ?? 3600;
    const mask = m.subnetMask ?? "255.255.255.0";
    const len = mask.split(".").reduce((s, x) => s + ((Number(x) >>> 0).toString(2).split("1").length - 1), 0);
    this.nic.ip = ip;
    this.nic.prefixLen = len;
    this.routes.length = 0;
    if (m.routers?.[0]) this.routes.push({ prefix: "0.0.0.0/0", via: m.routers[0] });
    this.binding = {
      ip,
      serverId: m.serverId ?? this.offer?.serverId ?? ZERO_IP,
      lease,
      t1: m.renewalTime ?? lease / 2,
      t2: m.rebindingTime ?? (lease * 7) / 8,
      router: m.routers?.[0],
      bootfile: m.bootfile,
      tftpServer: m.tftpServer,
      since: this.net.now,
    };
    this.offer = { ip, serverId: this.binding.serverId };
    this.go("BOUND", `ACK for ${ip}, lease ${lease} s`);
    const ep = this.epoch,
      b = this.binding;
    this.net.after(b.t1, () => {
      if (ep === this.epoch) {
        this.xid = (this.xid + 1) >>> 0;
        this.go("RENEWING", "T1 expired");
        this.sendRequest();
        this.renewTimers(b);
      }
    });
  }

  private renewTimers(b: Binding): void {
    const ep = this.epoch;
    this.net.after(b.t2 - b.t1, () => {
      if (ep === this.epoch) {
        this.go("REBINDING", "T2 expired");
        this.sendRequest();
        this.expireTimer(b);
      }
    });
  }

  private expireTimer(b: Binding): void {
    const ep = this.epoch;
    this.net.after(b.lease - b.t2, () => {
      if (ep === this.epoch) this.enterInit("lease expired");
    });
  }
}

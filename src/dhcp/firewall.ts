/**
 * A stateful firewall model in the style of next-generation firewalls: UDP "sessions" keyed by
 * the 5-tuple (protocol, source, source port, destination, destination port), created by the
 * first packet after the policy allowed it, matched in both directions, refreshed by every packet
 * and removed after an idle timeout or by "clear session".
 *
 * Two behaviours from the field are modelled because they hide traffic from an operator:
 *  - hardware offload: once a session is offloaded, its packets take the fast path and no longer
 *    reach the control plane, so the firewall's own packet capture does not see them;
 *  - the traffic log (what the GUI shows) gets one line when a session ENDS. A UDP flow that is
 *    refreshed faster than its timeout never ends, so it never appears in the GUI.
 * There is no RFC for this; the behaviour follows vendor documentation of session offload.
 *
 * @example
 *   const fw = new FirewallModel("palo", { udpTimeout: 30, offload: true, policy: [{ action: "allow" }] });
 *   fw.inspect(tuple, "inside", "outside", 0); // { action: "allow", path: "slow", session: 1 }
 */
import { inPrefix } from "./addr";

export interface FiveTuple {
  proto: "udp";
  src: string;
  sport: number;
  dst: string;
  dport: number;
}

export interface PolicyRule {
  name?: string;
  fromZone?: string;
  toZone?: string;
  src?: string;
  dst?: string;
  dport?: number;
  action: "allow" | "deny";
}

export interface Session {
  id: number;
  tuple: FiveTuple;
  fromZone: string;
  toZone: string;
  created: number;
  lastSeen: number;
  packets: { org: number; reply: number };
  bytes: { org: number; reply: number };
  offloaded: boolean;
}

export interface TrafficLogEntry {
  t: number;
  session: number;
  tuple: FiveTuple;
  packets: number;
  bytes: number;
  duration: number;
  reason: "aged-out" | "cleared";
}

export interface CaptureEntry {
  t: number;
  tuple: FiveTuple;
  bytes: Uint8Array;
  session: number | null;
}

export interface FirewallOptions {
  /** Idle timeout of a UDP session in seconds. */
  udpTimeout?: number;
  /** Offload sessions to the fast path after their first packet. */
  offload?: boolean;
  /** First matching rule wins; no match → deny. */
  policy?: PolicyRule[];
  /** Log denied packets in the traffic log view. */
  logDenies?: boolean;
  /** First session id (vendors show large ids). */
  firstSessionId?: number;
}

export interface InspectResult {
  action: "allow" | "drop";
  path: "slow" | "fast";
  session: number | null;
  reason: string;
}

const key = (t: FiveTuple) => `${t.proto}|${t.src}|${t.sport}|${t.dst}|${t.dport}`;
const rev = (t: FiveTuple): FiveTuple => ({ proto: t.proto, src: t.dst, sport: t.dport, dst: t.src, dport: t.sport });

export class FirewallModel {
  readonly udpTimeout: number;
  readonly offload: boolean;
  policy: PolicyRule[];
  readonly logDenies: boolean;
  private sessions = new Map<string, Session>();
  private nextId: number;
  /** Traffic log: what the GUI shows. */
  readonly trafficLog: TrafficLogEntry[] = [];
  /** Denied packets (shown in the GUI only when logDenies). */
  readonly denies: Array<{ t: number; tuple: FiveTuple; rule: string }> = [];
  /** The control-plane packet capture (only slow-path packets), when capturing. */
  readonly capture: CaptureEntry[] = [];
  capturing = false;

  constructor(
    readonly name: string,
    o: FirewallOptions = {},
  ) {
    this.udpTimeout = o.udpTimeout ?? 30;
    this.offload = o.offload ?? true;
    this.policy = o.policy ?? [{ name: "allow-all", action: "allow" }];
    this.logDenies = o.logDenies ?? true;
    this.nextId = o.firstSessionId ?? 135000;
  }

  /** Removes sessions idle for longer than the timeout; each one writes a traffic-log line. */
  age(now: number): void {
    for (const [k, s] of this.sessions) {
      if (now - s.lastSeen > this.udpTimeout) this.end(k, s, now, "aged-out");
    }
  }

  private end(k: string, s: Session, now: number, reason: TrafficLogEntry["reason"]): void {
    this.sessions.delete(k);
    this.trafficLog.push({
      t: now,
      session: s.id,
      tuple: s.tuple,
      packets: s.packets.org + s.packets.reply,
      bytes: s.bytes.org + s.bytes.reply,
      duration: Math.round((s.lastSeen - s.created) * 1000) / 1000,
      reason,
    });
  }

  private matchRule(t: FiveTuple, fromZone: string, toZone: string): PolicyRule | undefined {
    return this.policy.find(
      (r) =>
        (r.fromZone === undefined || r.fromZone === fromZone) &&
        (r.toZone === undefined || r.toZone === toZone) &&
        (r.src === undefined || inPrefix(t.src, r.src)) &&
        (r.dst === undefined || inPrefix(t.dst, r.dst)) &&
        (r.dport === undefined || r.dport === t.dport),
    );
  }

  /** Decides what happens to one packet. `size` counts bytes for the session statistics. */
  inspect(t: FiveTuple, fromZone: string, toZone: string, now: number, frame?: Uint8Array): InspectResult {
    this.age(now);
    const size = frame?.length ?? 0;
    let s = this.sessions.get(key(t));
    let dir: "org" | "reply" = "org";
    if (!s) {
      s = this.sessions.get(key(rev(t)));
      dir = "reply";
    }
    if (s) {
      s.lastSeen = now;
      s.packets[dir]++;
      s.bytes[dir] += size;
      const path = s.offloaded ? "fast" : "slow";
      if (path === "slow" && this.capturing)
        this.capture.push({ t: now, tuple: t, bytes: frame ?? new Uint8Array(0), session: s.id });
      if (this.offload) s.offloaded = true;
      return {
        action: "allow",
        path,
        session: s.id,
        reason: `session ${s.id} (${dir}${path === "fast" ? ", offloaded" : ""})`,
      };
    }
    const rule = this.matchRule(t, fromZone, toZone);
    if (this.capturing) this.capture.push({ t: now, tuple: t, bytes: frame ?? new Uint8Array(0), session: null });
    if (!rule || rule.action === "deny") {
      const name = rule?.name ?? "implicit deny";
      this.denies.push({ t: now, tuple: t, rule: name });
      return { action: "drop", path: "slow", session: null, reason: `denied by policy (${name})` };
    }
    const id = this.nextId++;
    s = {
      id,
      tuple: t,
      fromZone,
      toZone,
      created: now,
      lastSeen: now,
      packets: { org: 1, reply: 0 },
      bytes: { org: size, reply: 0 },
      offloaded: this.offload,
    };
    this.sessions.set(key(t), s);
    return { action: "allow", path: "slow", session: id, reason: `new session ${id} (rule ${rule.name ?? "unnamed"})` };
  }

  /** "show session all": the live session table (the CLI view, offloaded sessions included). */
  sessionTable(now?: number): Session[] {
    if (now !== undefined) this.age(now);
    return [...this.sessions.values()].map((s) => ({ ...s, packets: { ...s.packets }, bytes: { ...s.bytes } }));
  }

  /** What the GUI's traffic monitor shows: ended sessions, plus denies when logged. */
  guiView(now?: number): Array<{ t: number; what: string }> {
    if (now !== undefined) this.age(now);
    const rows = this.trafficLog.map((e) => ({
      t: e.t,
      what:
        `session ${e.session} ${e.tuple.src}:${e.tuple.sport} → ${e.tuple.dst}:${e.tuple.dport} ended ` +
        `(${e.reason}), ${e.packets} packets`,
    }));
    if (this.logDenies)
      rows.push(
        ...this.denies.map((d) => ({
          t: d.t,
          what: `deny ${d.tuple.src}:${d.tuple.sport} → ${d.tuple.dst}:${d.tuple.dport} (${d.rule})`,
        })),
      );
    return rows.sort((a, b) => a.t - b.t);
  }

  /** "clear session id N" (or every session when id is omitted). Returns how many were cleared. */
  clearSession(now: number, id?: number): number {
    let n = 0;
    for (const [k, s] of this.sessions) {
      if (id === undefined || s.id === id) {
        this.end(k, s, now, "cleared");
        n++;
      }
    }
    return n;
  }
}

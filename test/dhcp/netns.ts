/**
 * Test helper: a client – relay – server chain in three network namespaces joined by veth pairs,
 * with checksum offload off, daemons started in the foreground with private config/lease/pid
 * files under a mkdtemp folder (each start resolves once the daemon serves), tcpdump captures,
 * and a cleanup that kills what it started and deletes the namespaces even after a failure.
 * `chainSkip` names what a learner's machine lacks to run it.
 *
 *   client ns: c0 (no address)            relay ns: r0 10.0.1.1/24, r1 10.0.2.1/24
 *   server ns: s0 10.0.2.10/24 + VIP 10.0.2.100/24, default via 10.0.2.1
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { canUseNetns, inCI, oracle } from "../helpers/oracle";

export const RELAY_LAN = "10.0.1.1";
export const RELAY_UP = "10.0.2.1";
export const SERVER_IP = "10.0.2.10";
export const SERVER_VIP = "10.0.2.100";

/** The programs a Chain test runs, as `oracle` takes them: name, probe, install command. */
const CHAIN_ORACLES: Array<[string, string[], string]> = [
  ["ISC dhcpd", ["dhcpd", "--version"], "apt-get install isc-dhcp-server"],
  ["ISC dhcrelay", ["dhcrelay", "--version"], "apt-get install isc-dhcp-relay"],
  ["ISC dhclient", ["dhclient", "--version"], "apt-get install isc-dhcp-client"],
  ["Kea", ["kea-dhcp4", "-v"], "apt-get install kea-dhcp4-server"],
  ["tshark", ["tshark", "--version"], "apt-get install tshark"],
  ["tcpdump", ["tcpdump", "--version"], "apt-get install tcpdump"],
  ["ethtool", ["ethtool", "--version"], "apt-get install ethtool"],
];

/**
 * Undefined when a Chain test can run: the daemons, tshark, tcpdump, ethtool, the `extra`
 * programs, and network namespaces (root + ip netns). Otherwise the reason to skip (learner's
 * machine); under CI=true a missing piece throws.
 */
export function chainSkip(extra: Array<[string, string[], string]> = []): string | undefined {
  for (const [name, probe, install] of [...CHAIN_ORACLES, ...extra]) {
    const why = oracle(name, probe, install);
    if (why) return why;
  }
  if (canUseNetns()) return undefined;
  const msg = "network-namespace tests need root and iproute2 (ip netns)";
  if (inCI) throw new Error(`CI=true: ${msg}`);
  return msg;
}

function sh(argv: string[]): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", timeout: 20000 });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export class Chain {
  readonly id = `${process.pid % 100000}${Math.floor(Math.random() * 1000)}`;
  readonly ns = { c: `wldhcp-c${this.id}`, r: `wldhcp-r${this.id}`, s: `wldhcp-s${this.id}` };
  readonly dir = mkdtempSync(path.join(tmpdir(), "wldhcp-"));
  private procs: Array<{ name: string; p: ChildProcess; out: string[] }> = [];
  private stopped: Array<{ name: string; out: string[] }> = [];

  /** `checksumOffload: true` leaves tx checksum offload on (captures then show bad UDP checksums). */
  up(opts: { checksumOffload?: boolean } = {}): void {
    for (const n of Object.values(this.ns)) sh(["ip", "netns", "add", n]);
    sh(["ip", "link", "add", "c0", "netns", this.ns.c, "type", "veth", "peer", "name", "r0", "netns", this.ns.r]);
    sh(["ip", "link", "add", "r1", "netns", this.ns.r, "type", "veth", "peer", "name", "s0", "netns", this.ns.s]);
    const x = (ns: string, ...a: string[]) => sh(["ip", "netns", "exec", ns, ...a]);
    for (const [ns, dev] of [
      [this.ns.c, "c0"],
      [this.ns.r, "r0"],
      [this.ns.r, "r1"],
      [this.ns.s, "s0"],
    ] as const) {
      if (!opts.checksumOffload) x(ns, "ethtool", "-K", dev, "tx", "off");
      x(ns, "ip", "link", "set", dev, "up");
      x(ns, "ip", "link", "set", "lo", "up");
    }
    x(this.ns.r, "ip", "addr", "add", `${RELAY_LAN}/24`, "dev", "r0");
    x(this.ns.r, "ip", "addr", "add", `${RELAY_UP}/24`, "dev", "r1");
    x(this.ns.r, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    x(this.ns.s, "ip", "addr", "add", `${SERVER_IP}/24`, "dev", "s0");
    x(this.ns.s, "ip", "addr", "add", `${SERVER_VIP}/24`, "dev", "s0");
    x(this.ns.s, "ip", "route", "add", "default", "via", RELAY_UP);
  }

  /** Starts a process inside a namespace; its output is kept for diagnostics. */
  start(name: string, ns: string, argv: string[], env: Record<string, string> = {}, cwd?: string): ChildProcess {
    const p = spawn("ip", ["netns", "exec", ns, ...argv], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
      ...(cwd ? { cwd } : {}),
    });
    const out: string[] = [];
    p.stdout!.on("data", (d) => out.push(String(d)));
    p.stderr!.on("data", (d) => out.push(String(d)));
    this.procs.push({ name, p, out });
    return p;
  }

  output(name: string): string {
    return [...this.stopped, ...this.procs]
      .filter((x) => x.name === name)
      .map((x) => x.out.join(""))
      .join("\n");
  }

  /** Starts tcpdump on `dev` in `ns`, writing `file`; resolves when it listens. */
  async capture(name: string, ns: string, dev: string, file: string): Promise<void> {
    const p = this.start(name, ns, ["tcpdump", "-U", "-n", "-i", dev, "-w", file, "udp port 67 or udp port 68"]);
    await waitFor(() => this.output(name).includes("listening on"), 8000, `tcpdump on ${dev}`);
    void p;
  }

  file(name: string, text?: string): string {
    const f = path.join(this.dir, name);
    if (text !== undefined) writeFileSync(f, text);
    return f;
  }

  /** Stops one named process (SIGTERM, then SIGKILL) and waits for it. */
  async stop(name: string): Promise<void> {
    for (const x of this.procs.filter((q) => q.name === name)) {
      await kill(x.p);
      this.stopped.push(x);
    }
    this.procs = this.procs.filter((q) => q.name !== name);
  }

  async down(): Promise<void> {
    for (const x of this.procs) await kill(x.p);
    this.procs = [];
    for (const n of Object.values(this.ns)) spawnSync("ip", ["netns", "del", n], { timeout: 10000 });
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- daemons
  // A server runs on the server LAN behind the relay (s0), or with `direct` on the client LAN
  // itself: in the relay namespace on r0, where the relay's LAN address serves.

  /** ISC dhcpd (process "dhcpd"); resolves once it serves. */
  async iscServer(opts: { direct?: boolean } = {}): Promise<void> {
    const conf = this.file(
      "dhcpd.conf",
      `authoritative;
default-lease-time 600;
max-lease-time 7200;
subnet 10.0.2.0 netmask 255.255.255.0 { }
subnet 10.0.1.0 netmask 255.255.255.0 {
  range 10.0.1.100 10.0.1.150;
  option routers 10.0.1.1;
  option domain-name-servers 10.0.2.53;
}
`,
    );
    const leases = this.file("dhcpd.leases", "");
    const [ns, dev] = opts.direct ? [this.ns.r, "r0"] : [this.ns.s, "s0"];
    this.start("dhcpd", ns, [
      "dhcpd",
      "-4",
      "-f",
      "-d",
      "-cf",
      conf,
      "-lf",
      leases,
      "-pf",
      this.file("dhcpd.pid"),
      dev,
    ]);
    await waitFor(() => this.output("dhcpd").includes("Server starting service"), 10000, "dhcpd to start");
  }

  /** Kea kea-dhcp4 (process "kea"): UDP sockets behind the relay, raw sockets on the client LAN. */
  async keaServer(opts: { direct?: boolean } = {}): Promise<void> {
    const conf = this.file(
      "kea.json",
      JSON.stringify({
        Dhcp4: {
          "interfaces-config": opts.direct ? { interfaces: ["r0"] } : { interfaces: ["s0"], "dhcp-socket-type": "udp" },
          "lease-database": { type: "memfile", persist: true, name: this.file("kea-leases4.csv") },
          "valid-lifetime": 600,
          subnet4: [
            {
              id: 1,
              subnet: "10.0.1.0/24",
              pools: [{ pool: "10.0.1.100 - 10.0.1.150" }],
              "option-data": [
                { name: "routers", data: "10.0.1.1" },
                { name: "domain-name-servers", data: "10.0.2.53" },
              ],
            },
          ],
          loggers: [{ name: "kea-dhcp4", output_options: [{ output: "stdout" }], severity: "INFO" }],
        },
      }),
    );
    const ns = opts.direct ? this.ns.r : this.ns.s;
    this.start("kea", ns, ["kea-dhcp4", "-c", conf], { KEA_PIDFILE_DIR: this.dir, KEA_LOCKFILE_DIR: this.dir });
    await waitFor(() => this.output("kea").includes("DHCP4_STARTED"), 10000, "kea-dhcp4 to start");
  }

  /** ISC dhcrelay (process "dhcrelay"); `agentInfo` adds option 82 (-a: circuit-id = the interface name). */
  async iscRelay(target = SERVER_VIP, agentInfo = false): Promise<void> {
    this.start("dhcrelay", this.ns.r, [
      "dhcrelay",
      "-4",
      "-d",
      ...(agentInfo ? ["-a"] : []),
      "-pf",
      this.file("dhcrelay.pid"),
      "-id",
      "r0",
      "-iu",
      "r1",
      target,
    ]);
    await waitFor(() => this.output("dhcrelay").includes("Socket/fallback"), 10000, "dhcrelay to start");
  }

  /**
   * ISC dhclient on c0 as process `name`; resolves once it is bound. If it is not bound in 25 s,
   * the error shows the output of every process still running (the client, relays, servers).
   */
  async dhclient(name = "dhclient"): Promise<void> {
    this.start(name, this.ns.c, [
      "dhclient",
      "-4",
      "-d",
      "-1",
      "-v",
      "-sf",
      "/bin/true",
      "-lf",
      this.file("dhclient.leases", ""),
      "-pf",
      this.file("dhclient.pid"),
      "c0",
    ]);
    try {
      await waitFor(() => /bound to 10\.0\.1\./.test(this.output(name)), 25000, "dhclient to be bound");
    } catch (e) {
      const running = [...new Set(this.procs.map((x) => x.name))];
      throw new Error([(e as Error).message, ...running.map((n) => `--- ${n}:\n${this.output(n)}`)].join("\n"));
    }
  }
}

export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

async function kill(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const done = new Promise<void>((r) => p.once("exit", () => r()));
  p.kill("SIGTERM");
  const t = setTimeout(() => {
    if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  }, 3000);
  await done;
  clearTimeout(t);
}

export function readBytes(f: string): Uint8Array {
  return existsSync(f) ? new Uint8Array(readFileSync(f)) : new Uint8Array(0);
}

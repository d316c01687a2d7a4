/**
 * Test helper: a client – relay – server chain in three network namespaces joined by veth pairs,
 * with checksum offload off, daemons started in the foreground with private config/lease/pid
 * files under a mkdtemp folder, tcpdump captures, and a cleanup that kills what it started and
 * deletes the namespaces even after a failure.
 *
 *   client ns: c0 (no address)            relay ns: r0 10.0.1.1/24, r1 10.0.2.1/24
 *   server ns: s0 10.0.2.10/24 + VIP 10.0.2.100/24, default via 10.0.2.1
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const RELAY_LAN = "10.0.1.1";
export const RELAY_UP = "10.0.2.1";
export const SERVER_IP = "10.0.2.10";
export const SERVER_VIP = "10.0.2.100";

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

  iscServer(): void {
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
    this.start("dhcpd", this.ns.s, [
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
      "s0",
    ]);
  }

  keaServer(): void {
    const conf = this.file(
      "kea.json",
      JSON.stringify({
        Dhcp4: {
          "interfaces-config": { interfaces: ["s0"], "dhcp-socket-type": "udp" },
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
    this.start("kea", this.ns.s, ["kea-dhcp4", "-c", conf], { KEA_PIDFILE_DIR: this.dir, KEA_LOCKFILE_DIR: this.dir });
  }

  /** ISC dhcrelay; `agentInfo` adds option 82 (-a: circuit-id = the interface name). */
  iscRelay(target = SERVER_VIP, agentInfo = false): void {
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
  }

  dhclient(name = "dhclient"): void {
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

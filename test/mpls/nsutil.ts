/**
 * Test helpers for the MPLS oracles: run commands, in network namespaces, and clean up; wire a
 * topology's routers and links as namespaces and veth pairs; start, query and stop FRR daemons
 * with private pid files, sockets and logs. Namespaces are named wl… with the test's pid (and a
 * random part where a test needs one) and removed in `finally`/`after`, even on failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canUseNetns, inCI } from "../helpers/oracle";
import { formatIPv4, ifName, type Topology } from "../../src/mpls";

export function sh(
  argv: string[],
  opts: { ns?: string; env?: Record<string, string>; allowFail?: boolean; timeout?: number } = {},
): string {
  const full = opts.ns ? ["ip", "netns", "exec", opts.ns, ...argv] : argv;
  const r = spawnSync(full[0]!, full.slice(1), {
    encoding: "utf8",
    timeout: opts.timeout ?? 30000,
    env: { ...process.env, ...(opts.env ?? {}) },
  });
  if (!opts.allowFail && r.status !== 0)
    throw new Error(`command failed (${r.status ?? r.signal}): ${full.join(" ")}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * Undefined when this process can create network namespaces (root and `ip netns`); otherwise the
 * reason to skip on a learner's machine. Throws under CI=true, where they are required.
 */
export function netnsWhy(): string | undefined {
  if (canUseNetns()) return undefined;
  if (inCI) throw new Error("CI=true: network namespaces (root + ip netns) are required");
  return "needs root and ip netns";
}

export function netnsAdd(name: string): void {
  sh(["ip", "netns", "del", name], { allowFail: true });
  sh(["ip", "netns", "add", name]);
  sh(["ip", "link", "set", "lo", "up"], { ns: name });
  sh(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"], { ns: name });
}

export function netnsDel(name: string): void {
  sh(["ip", "netns", "del", name], { allowFail: true });
}

/** Starts tcpdump writing `file`; resolves once it is listening. */
export function startCapture(
  ns: string,
  dev: string,
  file: string,
  filter: string,
  count: number,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      "ip",
      ["netns", "exec", ns, "tcpdump", "-i", dev, "-U", "-n", "-c", String(count), "-w", file, filter],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let err = "";
    const timer = setTimeout(() => reject(new Error(`tcpdump on ${dev} did not start: ${err}`)), 10000);
    p.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("listening on")) {
        clearTimeout(timer);
        resolve(p);
      }
    });
    p.on("exit", (code) => {
      if (!err.includes("listening on")) {
        clearTimeout(timer);
        reject(new Error(`tcpdump exited ${code}: ${err}`));
      }
    });
  });
}

/** Waits for a process to exit, killing it (SIGINT, by its own pid) after `ms`. */
export function waitExit(p: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      if (p.pid) p.kill("SIGINT");
    }, ms);
    p.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One namespace per router of `t` (named by `ns`, the router's loopback on lo) and one veth pair
 * per link, renamed to the simulator's interface names, addressed and up. `tag` starts the
 * temporary veth names (unique per test file; the pid is added).
 */
export function wireTopology(t: Topology, ns: (router: string) => string, tag: string): void {
  for (const [r, router] of t.routers) {
    netnsAdd(ns(r));
    sh(["ip", "addr", "add", `${formatIPv4(router.loopback)}/32`, "dev", "lo"], { ns: ns(r) });
  }
  for (const l of t.links) {
    const [da, db] = [ifName(t, l.a, l), ifName(t, l.b, l)];
    const [tmpA, tmpB] = [`${tag}${process.pid % 10000}a${l.index}`, `${tag}${process.pid % 10000}b${l.index}`];
    sh(["ip", "link", "add", tmpA, "netns", ns(l.a), "type", "veth", "peer", "name", tmpB, "netns", ns(l.b)]);
    sh(["ip", "link", "set", tmpA, "name", da], { ns: ns(l.a) });
    sh(["ip", "link", "set", tmpB, "name", db], { ns: ns(l.b) });
    sh(["ip", "addr", "add", `${formatIPv4(l.aAddr)}/${l.subnet.len}`, "dev", da], { ns: ns(l.a) });
    sh(["ip", "addr", "add", `${formatIPv4(l.bAddr)}/${l.subnet.len}`, "dev", db], { ns: ns(l.b) });
    sh(["ip", "link", "set", da, "up"], { ns: ns(l.a) });
    sh(["ip", "link", "set", db, "up"], { ns: ns(l.b) });
  }
}

/** The frr user's uid and gid: FRR daemons drop to them, so their folders must be theirs. */
export function frrIds(): { uid: number; gid: number } {
  return { uid: Number(sh(["id", "-u", "frr"]).trim()), gid: Number(sh(["id", "-g", "frr"]).trim()) };
}

/** A new temporary folder (`prefix` + random) that the frr user owns. */
export function frrTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const { uid, gid } = frrIds();
  chownSync(dir, uid, gid);
  return dir;
}

/** Creates `d`, owned by the frr user: one router's configs, pid files, sockets and log. */
export function frrRouterDir(d: string): string {
  const { uid, gid } = frrIds();
  mkdirSync(d);
  chownSync(d, uid, gid);
  return d;
}

/**
 * Starts `/usr/lib/frr/<daemon>` in namespace `ns`, daemonized as user frr, with everything in
 * the router folder `d`: config `<daemon>.conf`, pid file `<daemon>.pid`, zserv and vty sockets
 * (and ldpd's control socket), log file `log`.
 */
export function startFrrDaemon(ns: string, d: string, daemon: "zebra" | "ldpd" | "ospfd"): void {
  sh(
    [
      `/usr/lib/frr/${daemon}`,
      ...["-d", "-u", "frr", "-g", "frr", "-P", "0", "-z", join(d, "zserv.api"), "--vty_socket", d],
      ...["--log", `file:${join(d, "log")}`, "-i", join(d, `${daemon}.pid`)],
      ...(daemon === "ldpd" ? ["--ctl_socket", d] : []),
      ...["-f", join(d, `${daemon}.conf`)],
    ],
    { ns },
  );
}

/**
 * Tears down what a test set up with frrTempDir, wireTopology (or netnsAdd) and startFrrDaemon:
 * for each router, SIGTERM to each daemon by the pid in `dir/<router>/<daemon>.pid` (if any),
 * then its namespace is removed; last, the folder.
 */
export function stopFrrLab<R extends string>(
  dir: string,
  routers: readonly R[],
  ns: (router: R) => string,
  daemons: string[],
): void {
  for (const r of routers) {
    for (const daemon of daemons) {
      try {
        const pid = Number(readFileSync(join(dir, r, `${daemon}.pid`), "utf8").trim());
        if (pid > 1) process.kill(pid, "SIGTERM");
      } catch {
        /* not running */
      }
    }
  }
  for (const r of routers) netnsDel(ns(r));
  rmSync(dir, { recursive: true, force: true });
}

/** One vtysh command against the daemons of router folder `d` in namespace `ns` ("" if it fails). */
export function vtysh(ns: string, d: string, cmd: string): string {
  return sh(["vtysh", "--vty_socket", d, "-c", cmd], { ns, allowFail: true });
}

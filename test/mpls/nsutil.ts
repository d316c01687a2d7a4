/**
 * Test helpers for the MPLS oracles: run commands, in network namespaces, and clean up.
 * Namespaces are named wlmpls-… and removed in `finally`/`after`, even on failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";

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

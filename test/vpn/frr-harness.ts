/**
 * Runs a lab under FRR 8.4 (zebra -n with namespace VRFs + bgpd per router) inside network
 * namespaces this harness creates and removes, and returns FRR's per-VRF import sets.
 *
 * Layout: one "core" namespace with a bridge; one namespace per router, attached by a veth and
 * addressed with the router's local address /24 (all routers of a scenario share one /24); one
 * namespace per VRF (FRR's VRF = a netns), with the router's local address on lo so FRR deems
 * the exported next hop reachable in the VRF. Each daemon runs in a private mount namespace whose
 * /run/netns holds only that router's VRF namespaces, so zebra never sees (or sweeps) anyone
 * else's namespaces. Pid files, zserv sockets, vty sockets, configs and logs live in a mkdtemp
 * folder. Names start with "wlvpn".
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Network } from "../../src/vpn/model";
import { frrConfigs, frrImportSets, frrVpnTable } from "../../src/vpn/frr";

function sh(argv: string[], allowFail = false): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", timeout: 20000 });
  if (r.status !== 0 && !allowFail) throw new Error(`${argv.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function frrUid(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("frr:"));
  if (!line) throw new Error("no frr user in /etc/passwd (is the frr package installed?)");
  const f = line.split(":");
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

export interface FrrRun {
  importSets: Record<string, Record<string, string[]>>;
  /** Per router: its VPNv4 table as "RD:prefix via next hop" (every path it holds). */
  vpnTables: Record<string, string[]>;
  raw: Record<string, unknown>;
  logs: () => string;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts everything, waits for convergence (bounded), reads the tables, and always cleans up. */
export async function runUnderFrr(net: Network, tag: string, timeoutMs = 60000): Promise<FrrRun> {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "wlvpn-frr-"));
  const { uid, gid } = frrUid();
  const namespaces: string[] = [];
  const procs: ChildProcess[] = [];
  const core = `wlvpn${tag}c`;
  const cfgs = frrConfigs(net, (i, j) => `wlvpn${tag}r${i}v${j}`);
  try {
    const prefix24 = new Set(net.routers.map((r) => r.localAddress.split(".").slice(0, 3).join(".")));
    if (prefix24.size !== 1)
      throw new Error(`the harness needs all local addresses in one /24, got ${[...prefix24].join(", ")}`);
    sh(["ip", "netns", "add", core]);
    namespaces.push(core);
    sh(["ip", "-n", core, "link", "add", "br0", "type", "bridge"]);
    sh(["ip", "-n", core, "link", "set", "br0", "up"]);
    const starters: Array<(daemon: string, extra: string[]) => void> = [];
    cfgs.forEach((c, i) => {
      const ns = `wlvpn${tag}r${i}`;
      sh(["ip", "netns", "add", ns]);
      namespaces.push(ns);
      const peer = `wlvpn${tag}p${i}`;
      sh(["ip", "-n", core, "link", "add", peer, "type", "veth", "peer", "name", "eth0", "netns", ns]);
      sh(["ip", "-n", core, "link", "set", peer, "master", "br0", "up"]);
      sh(["ip", "-n", ns, "addr", "add", `${c.router.localAddress}/24`, "dev", "eth0"]);
      sh(["ip", "-n", ns, "link", "set", "eth0", "up"]);
      sh(["ip", "-n", ns, "link", "set", "lo", "up"]);
      for (const vrfNs of Object.values(c.vrfNames)) {
        sh(["ip", "netns", "add", vrfNs]);
        namespaces.push(vrfNs);
        sh(["ip", "-n", vrfNs, "link", "set", "lo", "up"]);
        sh(["ip", "-n", vrfNs, "addr", "add", `${c.router.localAddress}/32`, "dev", "lo"]);
      }
      const rdir = join(dir, `r${i}`);
      mkdirSync(join(rdir, "netns"), { recursive: true });
      writeFileSync(join(rdir, "bgpd.conf"), c.bgpd);
      writeFileSync(join(rdir, "zebra.conf"), `hostname ${c.router.name}\n`);
      // The wrapper gives the daemon a private /run/netns with only this router's VRFs.
      const binds = Object.values(c.vrfNames)
        .map((v) => `touch ${rdir}/netns/${v} && mount --bind /run/netns/${v} ${rdir}/netns/${v}`)
        .join(" && ");
      writeFileSync(
        join(rdir, "wrap.sh"),
        `#!/bin/sh\nset -e\n${binds ? binds + "\n" : ""}mount --rbind ${rdir}/netns /run/netns\nexec "$@"\n`,
        { mode: 0o755 },
      );
      spawnSync("chown", ["-R", `${uid}:${gid}`, rdir]);
      chownSync(dir, uid, gid);
      const start = (daemon: string, extra: string[]) => {
        const p = spawn(
          "ip",
          [
            "netns",
            "exec",
            ns,
            "unshare",
            "-m",
            "--propagation",
            "private",
            join(rdir, "wrap.sh"),
            `/usr/lib/frr/${daemon}`,
            ...extra,
            "-i",
            join(rdir, `${daemon}.pid`),
            "-z",
            join(rdir, "zserv.api"),
            "-f",
            join(rdir, `${daemon}.conf`),
            "--vty_socket",
            rdir,
            "--log",
            `file:${join(rdir, daemon + ".log")}`,
          ],
          { stdio: ["ignore", "ignore", "ignore"] },
        );
        procs.push(p);
      };
      starters.push(start);
    });

    const vty = (i: number, cmd: string): string => sh(["vtysh", "--vty_socket", join(dir, `r${i}`), "-c", cmd], true);
    // zebra first, and bgpd only once zebra has created every VRF of its router: a bgpd VRF
    // instance that starts before its VRF exists may miss VPN routes that arrive meanwhile.
    starters.forEach((start) => start("zebra", ["-n"]));
    for (let i = 0; i < cfgs.length; i++) {
      const want = Object.values(cfgs[i]!.vrfNames);
      for (;;) {
        if (Date.now() - t0 > timeoutMs)
          throw new Error(`zebra of ${cfgs[i]!.router.name} did not create its VRFs (${want.join(", ")}) in time`);
        const out = vty(i, "show vrf");
        if (want.every((v) => out.includes(`vrf ${v} `))) break;
        await sleep(200);
      }
    }
    starters.forEach((start) => start("bgpd", []));
    const read = () => {
      const sets: Record<string, Record<string, string[]>> = {};
      const raw: Record<string, unknown> = {};
      cfgs.forEach((c, i) => {
        if (c.router.vrfs.length === 0) return;
        const txt = vty(i, "show bgp vrf all ipv4 unicast json");
        let j: unknown;
        try {
          j = JSON.parse(txt);
        } catch {
          j = {};
        }
        raw[c.router.name] = j;
        sets[c.router.name] = frrImportSets(j, c.vrfNames, c.router.localAddress);
      });
      return { sets, raw };
    };
    const established = () =>
      cfgs.every((c, i) => {
        const want = c.router.neighbors.filter((n) => n.vpnv4).length;
        const txt = vty(i, "show bgp ipv4 vpn summary json");
        try {
          const peers = (JSON.parse(txt) as { peers?: Record<string, { state?: string }> }).peers ?? {};
          return Object.values(peers).filter((p) => p.state === "Established").length === want;
        } catch {
          return want === 0;
        }
      });
    let last = "";
    let stable = 0;
    let result = read();
    for (;;) {
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`FRR did not converge within ${timeoutMs} ms; last tables: ${last}`);
      await sleep(1000);
      if (!established()) continue;
      result = read();
      const now = JSON.stringify(result.sets);
      stable = now === last ? stable + 1 : 0;
      last = now;
      if (stable >= 3) break;
    }
    const logs = () =>
      cfgs
        .map((_, i) =>
          ["zebra", "bgpd"]
            .map((d) => {
              try {
                return (
                  `--- r${i} ${d}\n` +
                  readFileSync(join(dir, `r${i}`, `${d}.log`), "utf8")
                    .split("\n")
                    .slice(-15)
                    .join("\n")
                );
              } catch {
                return "";
              }
            })
            .join("\n"),
        )
        .join("\n");
    const logText = logs();
    const vpnTables: Record<string, string[]> = {};
    cfgs.forEach((c, i) => {
      try {
        vpnTables[c.router.name] = frrVpnTable(JSON.parse(vty(i, "show bgp ipv4 vpn json")));
      } catch (e) {
        vpnTables[c.router.name] = [`unreadable: ${(e as Error).message}`];
      }
    });
    return {
      importSets: result.sets,
      vpnTables,
      raw: result.raw,
      logs: () => logText,
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    for (const p of procs) {
      if (p.exitCode === null && p.pid) {
        try {
          process.kill(p.pid, "SIGTERM");
        } catch {
          /* already gone */
        }
      }
    }
    const deadline = Date.now() + 5000;
    while (procs.some((p) => p.exitCode === null && p.signalCode === null) && Date.now() < deadline) await sleep(100);
    for (const p of procs)
      if (p.exitCode === null && p.signalCode === null && p.pid)
        try {
          process.kill(p.pid, "SIGKILL");
        } catch {
          /* gone */
        }
    for (const ns of namespaces.reverse()) sh(["ip", "netns", "del", ns], true);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Oracle: FRR 8 ldpd (RFC 5036) in network namespaces. Four routers with the simulator's IGP
 * routes installed as kernel routes; zebra + ldpd per router with private pid/socket paths. The
 * label bindings FRR advertises (`show mpls ldp binding json`) must match the simulator's LDP:
 * implicit null from the egress (explicit null where configured), one local label per FEC,
 * liberal retention of every neighbour's binding, and the next hop's binding in use.
 * (This kernel cannot forward MPLS; the control plane is what is compared.)
 */
import { it, expect, beforeAll, afterAll } from "vitest";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canUseNetns, inCI, oracle } from "../helpers/oracle";
import { buildNetwork, formatIPv4, ifName, neighbours, parseTopology, type Network } from "../../src/mpls";
import { netnsAdd, netnsDel, sh, sleep } from "./nsutil";

const why =
  oracle("FRR ldpd", ["/usr/lib/frr/ldpd", "--version"], "apt-get install frr") ??
  (canUseNetns()
    ? undefined
    : inCI
      ? (() => {
          throw new Error("CI=true: network namespaces (root + ip netns) are required");
        })()
      : "needs root and ip netns");

const file = join(__dirname, "fixtures/square.yaml");
const net: Network = buildNetwork(parseTopology(readFileSync(file, "utf8"), file));
const t = net.topology;
const ns = (r: string) => `wlmpls-frr${process.pid}-${r}`;
let dir = "";
const routers = [...t.routers.keys()];

function frrIds(): { uid: number; gid: number } {
  const u = sh(["id", "-u", "frr"]).trim();
  const g = sh(["id", "-g", "frr"]).trim();
  return { uid: Number(u), gid: Number(g) };
}

beforeAll(async () => {
  if (why) return;
  dir = mkdtempSync(join(tmpdir(), "wlmpls-frr-"));
  const { uid, gid } = frrIds();
  chownSync(dir, uid, gid);
  for (const r of routers) {
    netnsAdd(ns(r));
    sh(["ip", "addr", "add", `${formatIPv4(t.routers.get(r)!.loopback)}/32`, "dev", "lo"], { ns: ns(r) });
  }
  for (const l of t.links) {
    const da = `${ifName(t, l.a, l)}`;
    const db = `${ifName(t, l.b, l)}`;
    const tmpA = `wlm${process.pid % 10000}a${l.index}`;
    const tmpB = `wlm${process.pid % 10000}b${l.index}`;
    sh(["ip", "link", "add", tmpA, "netns", ns(l.a), "type", "veth", "peer", "name", tmpB, "netns", ns(l.b)]);
    sh(["ip", "link", "set", tmpA, "name", da], { ns: ns(l.a) });
    sh(["ip", "link", "set", tmpB, "name", db], { ns: ns(l.b) });
    sh(["ip", "addr", "add", `${formatIPv4(l.aAddr)}/${l.subnet.len}`, "dev", da], { ns: ns(l.a) });
    sh(["ip", "addr", "add", `${formatIPv4(l.bAddr)}/${l.subnet.len}`, "dev", db], { ns: ns(l.b) });
    sh(["ip", "link", "set", da, "up"], { ns: ns(l.a) });
    sh(["ip", "link", "set", db, "up"], { ns: ns(l.b) });
  }
  // The simulator's IGP next hops become kernel routes.
  for (const r of routers) {
    for (const [fec, route] of net.routers.get(r)!.global) {
      if (route.local || !route.next) continue;
      const nb = neighbours(t, r).find((n) => n.link === route.next!.link)!;
      sh(["ip", "route", "add", fec, "via", formatIPv4(nb.peerAddr)], { ns: ns(r) });
    }
  }
  for (const r of routers) {
    const d = join(dir, r);
    mkdirSync(d);
    chownSync(d, uid, gid);
    const rr = t.routers.get(r)!;
    const lo = formatIPv4(rr.loopback);
    writeFileSync(join(d, "zebra.conf"), `hostname ${r}\n`);
    const ifs = neighbours(t, r)
      .map((n) => `  interface ${ifName(t, r, n.link)}\n`)
      .join("");
    writeFileSync(
      join(d, "ldpd.conf"),
      `hostname ${r}\nmpls ldp\n router-id ${lo}\n address-family ipv4\n  discovery transport-address ${lo}\n${rr.explicitNull ? "  label local advertise explicit-null\n" : ""}${ifs} exit-address-family\n!\n`,
    );
    const common = [
      "-d",
      "-u",
      "frr",
      "-g",
      "frr",
      "-P",
      "0",
      "-z",
      join(d, "zserv.api"),
      "--vty_socket",
      d,
      "--log",
      `file:${join(d, "log")}`,
    ];
    sh(["/usr/lib/frr/zebra", ...common, "-i", join(d, "zebra.pid"), "-f", join(d, "zebra.conf")], { ns: ns(r) });
  }
  for (const r of routers) {
    const d = join(dir, r);
    const common = [
      "-d",
      "-u",
      "frr",
      "-g",
      "frr",
      "-P",
      "0",
      "-z",
      join(d, "zserv.api"),
      "--vty_socket",
      d,
      "--log",
      `file:${join(d, "log")}`,
    ];
    sh(["/usr/lib/frr/ldpd", ...common, "-i", join(d, "ldpd.pid"), "--ctl_socket", d, "-f", join(d, "ldpd.conf")], {
      ns: ns(r),
    });
  }
  await sleep(1000);
});

afterAll(() => {
  if (!dir) return;
  for (const r of routers) {
    for (const daemon of ["ldpd", "zebra"]) {
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
});

interface Binding {
  prefix: string;
  neighborId: string;
  localLabel: string;
  remoteLabel: string;
  inUse: number;
}
const num = (s: string | undefined) =>
  s === "imp-null" ? 3 : s === "exp-null" ? 0 : s === undefined || s === "-" ? undefined : Number(s);
const vtysh = (r: string, cmd: string) =>
  sh(["vtysh", "--vty_socket", join(dir, r), "-c", cmd], { ns: ns(r), allowFail: true });

it("FRR ldpd advertises the bindings the simulator's LDP predicts", { timeout: 90000 }, async (ctx) => {
  if (why) ctx.skip(why);
  const loopFecs = routers.map((r) => `${formatIPv4(t.routers.get(r)!.loopback)}/32`);
  const byId = new Map(routers.map((r) => [formatIPv4(t.routers.get(r)!.loopback), r]));
  // Wait (bounded) until every router holds a remote binding from every neighbour for every loopback.
  let tables = new Map<string, Binding[]>();
  const complete = () =>
    routers.every((r) => {
      const b = tables.get(r) ?? [];
      return neighbours(t, r).every((n) =>
        loopFecs.every((f) =>
          b.some((x) => x.prefix === f && byId.get(x.neighborId) === n.peer && x.remoteLabel !== "-"),
        ),
      );
    });
  for (let i = 0; i < 60 && !complete(); i++) {
    await sleep(1000);
    tables = new Map(
      routers.map((r) => {
        try {
          return [r, (JSON.parse(vtysh(r, "show mpls ldp binding json") || "{}").bindings ?? []) as Binding[]];
        } catch {
          return [r, []];
        }
      }),
    );
  }
  expect(complete(), `LDP did not converge in 60 s: ${JSON.stringify(Object.fromEntries(tables))}`).toBeTruthy();

  let checked = 0;
  for (const r of routers) {
    const st = net.routers.get(r)!;
    for (const f of loopFecs) {
      const mine = tables.get(r)!.filter((b) => b.prefix === f);
      // local label: implicit null / explicit null at the egress, the same ordinary label elsewhere
      for (const b of mine)
        expect(num(b.localLabel), `${r} local label for ${f}: FRR ${b.localLabel}`).toBe(st.ldpLocal.get(f));
      // liberal retention: one remote binding per neighbour, equal to that neighbour's local label
      for (const n of neighbours(t, r)) {
        const b = mine.find((x) => byId.get(x.neighborId) === n.peer)!;
        expect(num(b.remoteLabel), `${r} holds ${n.peer}'s label for ${f}: FRR ${b.remoteLabel}`).toBe(
          st.ldpRemote.get(f)!.get(n.peer),
        );
        const owner = net.fecOwner.get(f)!;
        const usedBySim = owner !== r && st.global.get(f)!.next!.peer === n.peer;
        expect(b.inUse === 1, `${r}: ${n.peer}'s binding for ${f} in use? FRR ${b.inUse}, simulator ${usedBySim}`).toBe(
          usedBySim,
        );
        checked++;
      }
    }
  }
  expect(checked).toBe(4 * 2 * 4);
  // The egress labels themselves, spelled out: R1–R3 implicit null, R4 explicit null.
  expect(tables.get("R1")!.find((b) => b.prefix === "10.0.0.1/32")!.localLabel).toBe("imp-null");
  expect(tables.get("R4")!.find((b) => b.prefix === "10.0.0.4/32")!.localLabel).toBe("exp-null");
});

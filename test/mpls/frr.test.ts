/**
 * Oracle: FRR 8 ldpd (RFC 5036) in network namespaces. Four routers with the simulator's IGP
 * routes installed as kernel routes; zebra + ldpd per router with private pid/socket paths. The
 * label bindings FRR advertises (`show mpls ldp binding json`) must match the simulator's LDP:
 * implicit null from the egress (explicit null where configured), one local label per FEC,
 * liberal retention of every neighbour's binding, and the next hop's binding in use.
 * (This kernel cannot forward MPLS; the control plane is what is compared.)
 */
import { it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { oracle } from "../helpers/oracle";
import { buildNetwork, formatIPv4, ifName, neighbours, parseTopology, type Network } from "../../src/mpls";
import {
  frrRouterDir,
  frrTempDir,
  netnsWhy,
  sh,
  sleep,
  startFrrDaemon,
  stopFrrLab,
  vtysh,
  wireTopology,
} from "./nsutil";

const why = oracle("FRR ldpd", ["/usr/lib/frr/ldpd", "--version"], "apt-get install frr") ?? netnsWhy();

const file = join(__dirname, "fixtures/square.yaml");
const net: Network = buildNetwork(parseTopology(readFileSync(file, "utf8"), file));
const t = net.topology;
const ns = (r: string) => `wlmpls-frr${process.pid}-${r}`;
let dir = "";
const routers = [...t.routers.keys()];

beforeAll(async () => {
  if (why) return;
  dir = frrTempDir("wlmpls-frr-");
  wireTopology(t, ns, "wlm");
  // The simulator's IGP next hops become kernel routes.
  for (const r of routers) {
    for (const [fec, route] of net.routers.get(r)!.global) {
      if (route.local || !route.next) continue;
      const nb = neighbours(t, r).find((n) => n.link === route.next!.link)!;
      sh(["ip", "route", "add", fec, "via", formatIPv4(nb.peerAddr)], { ns: ns(r) });
    }
  }
  for (const r of routers) {
    const d = frrRouterDir(join(dir, r));
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
    startFrrDaemon(ns(r), d, "zebra");
  }
  for (const r of routers) startFrrDaemon(ns(r), join(dir, r), "ldpd");
  await sleep(1000);
});

afterAll(() => {
  if (dir) stopFrrLab(dir, routers, ns, ["ldpd", "zebra"]);
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
const ldpBindings = (r: string) => vtysh(ns(r), join(dir, r), "show mpls ldp binding json");

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
          return [r, (JSON.parse(ldpBindings(r) || "{}").bindings ?? []) as Binding[]];
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

/**
 * Oracle: Open vSwitch's userspace datapath (datapath_type=netdev) forwards MPLS with OpenFlow 1.3
 * push_mpls / pop_mpls / set_field:mpls_label. One bridge per router on a walk's path, joined by
 * veth pairs inside a private network namespace, is programmed from the simulator's LFIBs and FTN.
 * A frame is injected at the ingress; tcpdump captures every inter-router link; tshark reads the
 * labels, which must be those the simulator predicted. (OVS's TTL handling on pop is not the RFC's:
 * labels are compared, TTLs are not.) ovsdb-server and ovs-vswitchd run with a private db/run dir.
 */
import { it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { oracle } from "../helpers/oracle";
import {
  buildNetwork,
  ethernet,
  formatIPv4,
  ipv4Icmp,
  labNetwork,
  loadTopology,
  lookup,
  macOf,
  trace,
  type Network,
  type Walk,
} from "../../src/mpls";
import { netnsAdd, netnsDel, netnsWhy, sh, startCapture, waitExit } from "./nsutil";
import { decodeMplsCapture } from "../../src/mpls/decode";

const why =
  oracle("Open vSwitch", ["ovs-vswitchd", "--version"], "apt-get install openvswitch-switch") ??
  oracle("tcpdump", ["tcpdump", "--version"], "apt-get install tcpdump") ??
  oracle("tshark", ["tshark", "--version"], "apt-get install tshark") ??
  netnsWhy();

const NS = `wlmpls-ovs-${process.pid}`;
let dir = "";
let env: Record<string, string> = {};
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const macStr = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(":");

function vsctl(...args: string[]): string {
  return sh(["ovs-vsctl", `--db=unix:${dir}/db.sock`, ...args], { ns: NS, env });
}
function ofctl(...args: string[]): string {
  return sh(["ovs-ofctl", "-O", "OpenFlow13", ...args], { ns: NS, env });
}

beforeAll(() => {
  if (why) return;
  dir = mkdtempSync(join(tmpdir(), "wlmpls-ovs-"));
  env = { OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir, OVS_PKGDATADIR: "/usr/share/openvswitch" };
  netnsAdd(NS);
  sh(["ovsdb-tool", "create", `${dir}/conf.db`, "/usr/share/openvswitch/vswitch.ovsschema"]);
  sh(
    [
      "ovsdb-server",
      `${dir}/conf.db`,
      `--remote=punix:${dir}/db.sock`,
      `--pidfile=${dir}/ovsdb.pid`,
      `--unixctl=${dir}/ovsdb.ctl`,
      "--detach",
      `--log-file=${dir}/ovsdb.log`,
    ],
    { ns: NS, env },
  );
  vsctl("--no-wait", "init");
  sh(
    [
      "ovs-vswitchd",
      `unix:${dir}/db.sock`,
      `--pidfile=${dir}/vswitchd.pid`,
      `--unixctl=${dir}/vswitchd.ctl`,
      "--detach",
      `--log-file=${dir}/vswitchd.log`,
    ],
    { ns: NS, env },
  );
});

afterAll(() => {
  if (!dir) return;
  for (const ctl of ["vswitchd.ctl", "ovsdb.ctl"])
    sh(["ovs-appctl", "-t", `${dir}/${ctl}`, "exit"], { ns: NS, env, allowFail: true, timeout: 10000 });
  // Fallback: stop our own daemons by their pid files if `exit` did not.
  for (const pidf of ["vswitchd.pid", "ovsdb.pid"]) {
    const r = spawnSync("cat", [`${dir}/${pidf}`], { encoding: "utf8" });
    const pid = Number(r.stdout.trim());
    if (pid > 1)
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        /* already gone */
      }
  }
  netnsDel(NS);
  rmSync(dir, { recursive: true, force: true });
});

/** Builds bridges for the routers of a walk and programs them from the LFIBs. Returns the link devices to capture on. */
function program(net: Network, w: Walk, tag: string): Array<{ hop: number; dev: string }> {
  const t = net.topology;
  const path = w.hops.map((h) => h.router);
  const inPath = new Set(path);
  const br = (r: string) => `${tag}b${t.routers.get(r)!.index}`;
  const dev = (l: number, r: string) => `${tag}l${l}r${t.routers.get(r)!.index}`;
  const emulated = t.links.filter((l) => inPath.has(l.a) && inPath.has(l.b));
  for (const r of inPath)
    vsctl(
      "add-br",
      br(r),
      "--",
      "set",
      "bridge",
      br(r),
      "datapath_type=netdev",
      "protocols=OpenFlow13",
      "fail_mode=secure",
    );
  for (const l of emulated) {
    sh(["ip", "link", "add", dev(l.index, l.a), "type", "veth", "peer", "name", dev(l.index, l.b)], { ns: NS });
    for (const r of [l.a, l.b]) {
      sh(["ip", "link", "set", dev(l.index, r), "up"], { ns: NS });
      vsctl(
        "add-port",
        br(r),
        dev(l.index, r),
        "--",
        "set",
        "interface",
        dev(l.index, r),
        `ofport_request=${l.index + 1}`,
      );
    }
  }
  const ingress = path[0]!;
  const egress = path[path.length - 1]!;
  sh(["ip", "link", "add", `${tag}inj0`, "type", "veth", "peer", "name", `${tag}inj1`], { ns: NS });
  sh(["ip", "link", "add", `${tag}site0`, "type", "veth", "peer", "name", `${tag}site1`], { ns: NS });
  for (const d of ["inj0", "inj1", "site0", "site1"]) sh(["ip", "link", "set", `${tag}${d}`, "up"], { ns: NS });
  vsctl("add-port", br(ingress), `${tag}inj0`, "--", "set", "interface", `${tag}inj0`, "ofport_request=100");
  vsctl("add-port", br(egress), `${tag}site0`, "--", "set", "interface", `${tag}site0`, "ofport_request=200");

  const out = (r: string, peer: string, link: { index: number }) => {
    const l = t.links[link.index]!;
    return `set_field:${macStr(macOf(t, r, l))}->eth_src,set_field:${macStr(macOf(t, peer, l))}->eth_dst,output:${l.index + 1}`;
  };
  const pushes = (labels: number[]) =>
    [...labels]
      .reverse()
      .map((x) => `push_mpls:0x8847,set_field:${x}->mpls_label`)
      .join(",");
  for (const r of inPath) {
    const flows: string[] = [];
    for (const e of net.routers.get(r)!.lfib.values()) {
      if (e.next && !emulated.includes(e.next.link)) continue;
      const m = `table=0,priority=100,mpls,mpls_label=${e.in}`;
      if (!e.next) {
        flows.push(
          `${m},mpls_bos=1,actions=pop_mpls:0x0800,output:${r === egress ? 200 : "drop"}`.replace(",output:drop", ""),
        );
        flows.push(`${m},mpls_bos=0,actions=pop_mpls:0x8847,resubmit(,0)`);
      } else if (e.out.length === 0) {
        flows.push(`${m},mpls_bos=1,actions=pop_mpls:0x0800,${out(r, e.next.peer, e.next.link)}`);
        flows.push(`${m},mpls_bos=0,actions=pop_mpls:0x8847,${out(r, e.next.peer, e.next.link)}`);
      } else {
        const swap = `set_field:${e.out[e.out.length - 1]}->mpls_label`;
        const rest = e.out.slice(0, -1);
        flows.push(`${m},actions=${swap}${rest.length ? "," + pushes(rest) : ""},${out(r, e.next.peer, e.next.link)}`);
      }
    }
    // Explicit null: pop and look again (or deliver).
    flows.push(`table=0,priority=100,mpls,mpls_label=0,mpls_bos=0,actions=pop_mpls:0x8847,resubmit(,0)`);
    if (r === egress) {
      flows.push(`table=0,priority=100,mpls,mpls_label=0,mpls_bos=1,actions=pop_mpls:0x0800,output:200`);
      flows.push(`table=0,priority=90,ip,actions=output:200`);
    }
    if (r === ingress) {
      const st = net.routers.get(r)!;
      const route = lookup(w.vrf ? st.vrfs.get(w.vrf)! : st.global, w.ip.dst)!;
      flows.push(
        `table=0,priority=100,in_port=100,ip,nw_dst=${route.prefix.text},actions=${pushes(route.push)}${route.push.length ? "," : ""}${out(r, route.next!.peer, route.next!.link)}`,
      );
    }
    const file = join(dir, `${br(r)}.flows`);
    writeFileSync(file, flows.join("\n") + "\n");
    ofctl("add-flows", br(r), file);
  }
  const caps: Array<{ hop: number; dev: string }> = [];
  w.hops.forEach((h, i) => {
    if (h.next) caps.push({ hop: i, dev: dev(h.link!.index, h.next) });
  });
  caps.push({ hop: w.hops.length - 1, dev: `${tag}site1` });
  return caps;
}

async function runWalk(net: Network, w: Walk, tag: string): Promise<void> {
  const caps = program(net, w, tag);
  const procs = await Promise.all(
    caps.map((c, i) => startCapture(NS, c.dev, join(dir, `${tag}${i}.pcap`), "ip or mpls", 1)),
  );
  const t = net.topology;
  const frame = ethernet(
    Uint8Array.of(2, 0, 0, 0, 0, 1),
    Uint8Array.of(2, 0, 0, 0, 0, 2),
    0x0800,
    ipv4Icmp(w.ip.src, w.ip.dst, 64),
  );
  ofctl("packet-out", `${tag}b${t.routers.get(w.from)!.index}`, "100", "table", hex(frame));
  await Promise.all(procs.map((p) => waitExit(p, 8000)));
  caps.forEach((c, i) => {
    const r = sh([
      "tshark",
      "-r",
      join(dir, `${tag}${i}.pcap`),
      "-T",
      "fields",
      "-E",
      "aggregator=,",
      "-e",
      "mpls.label",
      "-e",
      "ip.dst",
      "-e",
      "eth.src",
    ]);
    const h = w.hops[c.hop]!;
    const where = `${tag}: frame after ${h.router}${h.next ? "→" + h.next : " (delivered to the site)"}`;
    if (r.trim() === "") {
      const flows = ofctl("dump-flows", `${tag}b${t.routers.get(h.router)!.index}`);
      expect.unreachable(`${where}: nothing captured. Flows of ${h.router}:\n${flows}`);
    }
    const [labels, dst] = r.trimEnd().split("\n")[0]!.split("\t");
    const want = h.next ? h.outStack.map((e) => e.label).join(",") : "";
    expect(labels, `${where}: OVS sent labels ${labels || "(none)"}, simulator predicted ${want || "(none)"}`).toBe(
      want,
    );
    expect(dst, `${where}: IP destination`).toBe(formatIPv4(w.ip.dst));
    // `wirelab mpls decode` reads OVS's frame as tshark does: label, TC, S and TTL of every entry.
    const ts = sh([
      "tshark",
      "-r",
      join(dir, `${tag}${i}.pcap`),
      "-T",
      "fields",
      "-E",
      "aggregator=,",
      "-e",
      "mpls.label",
      "-e",
      "mpls.exp",
      "-e",
      "mpls.bottom",
      "-e",
      "mpls.ttl",
    ])
      .split("\n")[0]!
      .split("\t")
      .map((x) => (x ? x.split(",").map(Number) : []));
    const mine = decodeMplsCapture(new Uint8Array(readFileSync(join(dir, `${tag}${i}.pcap`))), `${tag}${i}.pcap`)
      .frames[0]!;
    expect(mine.error, mine.error).toBe(undefined);
    expect(
      mine.stack.map((e) => [e.label, e.tc, e.s ? 1 : 0, e.ttl]),
      `${where}: mpls decode vs tshark`,
    ).toStrictEqual(ts[0]!.map((l, k) => [l, ts[1]![k], ts[2]![k], ts[3]![k]]));
  });
}

it(
  "OVS forwards an L3VPN packet over the RSVP LSP with the labels the simulator predicts",
  { timeout: 90000 },
  async (ctx) => {
    if (why) ctx.skip(why);
    const net = labNetwork("lab");
    const w = trace(net, { from: "PE1", to: "192.168.2.0/24" });
    expect(w.outcome).toBe("delivered");
    await runWalk(net, w, "a");
  },
);

it(
  "OVS forwards an inter-domain BGP-LU + L3VPN packet (three labels, PHP, swaps) as predicted",
  { timeout: 90000 },
  async (ctx) => {
    if (why) ctx.skip(why);
    const net = labNetwork("bgplu");
    const w = trace(net, { from: "PE2", to: "192.168.1.0/24" });
    expect(w.outcome).toBe("delivered");
    await runWalk(net, w, "c");
  },
);

it(
  "OVS does swap-and-push at a transit-domain ASBR (BGP-LU over LDP) as predicted",
  { timeout: 90000 },
  async (ctx) => {
    if (why) ctx.skip(why);
    const net = buildNetwork(loadTopology(join(__dirname, "fixtures/transit.yaml")));
    const w = trace(net, { from: "PE1", to: "192.168.3.0/24" });
    expect(w.outcome).toBe("delivered");
    expect(
      w.hops.some((h) => h.actions.some((a) => a.startsWith("swap+push"))),
      "the walk has a swap+push",
    ).toBeTruthy();
    await runWalk(net, w, "t");
  },
);

it(
  "OVS carries a carrier-supporting-carrier packet (customer VPN over BGP-LU in a backbone VRF) as predicted",
  { timeout: 90000 },
  async (ctx) => {
    if (why) ctx.skip(why);
    const net = labNetwork("csc");
    const w = trace(net, { from: "cPE2", to: "192.168.1.0/24" });
    expect(w.outcome).toBe("delivered");
    await runWalk(net, w, "s");
  },
);

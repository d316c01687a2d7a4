/**
 * `wirelab mpls decode` against tshark:
 * 1. label stacks: the frames of packet walks through the lab topologies (one, two and three
 *    labels, explicit null, VPN labels) plus seeded random stacks, written as pcap, big-endian
 *    pcapng and Linux cooked v2 — every entry's label, TC, S and TTL equal tshark's;
 * 2. LDP: FRR 8 ldpd on two routers in network namespaces (unique names), captured by tcpdump
 *    (pcap) and by tshark (pcapng) while the session comes up and while a FEC is withdrawn;
 *    every frame's LDP messages (type, id, FECs, labels, addresses, session/hello parameters)
 *    equal tshark's; the capture holds at least Hello, Initialization, KeepAlive, Address, Label
 *    Mapping and Label Withdraw; a cut copy gives the complete frames and the error offset.
 */
import { it, expect, beforeAll, afterAll } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { oracle } from "../helpers/oracle";
import { runCli } from "../helpers/cli";
import {
  buildNetwork,
  formatIPv4,
  loadTopology,
  trace,
  walkFrames,
  encodeStack,
  ethernet,
  ipv4Icmp,
  type LabelStackEntry,
} from "../../src/mpls";
import { decodeMplsCapture, type MplsFrameRecord } from "../../src/mpls/decode";
import { commands } from "../../src/mpls/cli";
import { readCapture } from "../../src/capture/reader";
import { Rng } from "../../src/util/rng";
import { pcap, pcapng } from "../capture/build";
import { frrRouterDir, frrTempDir, netnsAdd, netnsWhy, sh, sleep, startFrrDaemon, stopFrrLab, vtysh } from "./nsutil";

const ROOT = join(__dirname, "..", "..");
const tshark = oracle("tshark", ["tshark", "--version"], "apt-get install tshark");
const frrWhy =
  tshark ??
  oracle("FRR ldpd", ["/usr/lib/frr/ldpd", "--version"], "apt-get install frr") ??
  oracle("tcpdump", ["tcpdump", "--version"], "apt-get install tcpdump") ??
  netnsWhy();

function tsharkFields(
  file: string,
  fields: string[],
  filter?: string,
): { rows: Array<Record<string, string[]>>; status: number; stderr: string } {
  const r = spawnSync(
    "tshark",
    ["-r", file, ...(filter ? ["-Y", filter] : []), "-T", "json", ...fields.flatMap((f) => ["-e", f])],
    { encoding: "utf8", maxBuffer: 1 << 27, timeout: 60000 },
  );
  const rows = r.stdout.trim()
    ? (JSON.parse(r.stdout) as Array<{ _source: { layers: Record<string, string[]> } }>).map((x) => x._source.layers)
    : [];
  return { rows, status: r.status ?? -1, stderr: r.stderr };
}

function stacksLikeTshark(file: string, frames: MplsFrameRecord[]): number {
  const t = tsharkFields(file, ["frame.number", "mpls.label", "mpls.exp", "mpls.bottom", "mpls.ttl"]);
  expect(t.status, t.stderr).toBe(0);
  expect(frames.length, `${file}: frame count`).toBe(t.rows.length);
  let entries = 0;
  frames.forEach((f, i) => {
    const L = t.rows[i]!;
    expect(f.error, f.error).toBe(undefined);
    const mine = f.stack.map((e) => [e.label, e.tc, e.s ? 1 : 0, e.ttl].join("/"));
    const theirs = (L["mpls.label"] ?? []).map((_, k) =>
      [L["mpls.label"]![k], L["mpls.exp"]![k], L["mpls.bottom"]![k], L["mpls.ttl"]![k]].map(Number).join("/"),
    );
    expect(mine, `${file} frame ${f.number}: label/TC/S/TTL`).toStrictEqual(theirs);
    entries += mine.length;
  });
  return entries;
}

it(
  "label stacks of walk frames and random stacks, in pcap / big-endian pcapng / SLL2, equal tshark's",
  { timeout: 120000 },
  (ctx) => {
    if (tshark) ctx.skip(tshark);
    const dir = mkdtempSync(join(tmpdir(), "wlmpls-dec-"));
    try {
      const frames: Uint8Array[] = [];
      const lab = buildNetwork(loadTopology(join(ROOT, "labs/mpls/lab.yaml")));
      for (const from of [...lab.routers.keys()]) {
        for (const to of [...lab.routers.keys()]) {
          if (from === to) continue;
          frames.push(
            ...walkFrames(
              lab.topology,
              trace(lab, { from, to: formatIPv4(lab.topology.routers.get(to)!.loopback) }),
            ).map((f) => f.bytes),
          );
        }
      }
      const rng = new Rng(20261128);
      for (let i = 0; i < 60; i++) {
        const n = rng.int(1, 5);
        const label = () => (rng.int(0, 2) === 0 ? rng.pick([0, 1, 2, 7, 13, 14, 15, 1048575]) : rng.int(16, 1048575));
        const stack: LabelStackEntry[] = Array.from({ length: n }, (_, k) => ({
          label: label(),
          tc: rng.int(0, 7),
          s: k === n - 1,
          ttl: rng.int(0, 255),
        }));
        frames.push(
          ethernet(
            Uint8Array.of(2, 0, 0, 0, 0, 2),
            Uint8Array.of(2, 0, 0, 0, 0, 1),
            i % 2 ? 0x8847 : 0x8848,
            Uint8Array.from([...encodeStack(stack), ...ipv4Icmp(0x0a000001, 0x0a000004, 64)]),
          ),
        );
      }
      expect(frames.length > 70).toBeTruthy();
      const pkts = frames.map((data, i) => ({ time: 1_700_000_000 + i / 100, data }));
      const sll2 = pkts.map((p) => ({
        ...p,
        data: Uint8Array.from([
          p.data[12]!,
          p.data[13]!,
          0,
          0,
          0,
          0,
          0,
          2,
          0,
          1,
          0,
          6,
          ...p.data.subarray(6, 12),
          0,
          0,
          ...p.data.subarray(14),
        ]),
      }));
      const files: Record<string, Uint8Array> = {
        "walks.pcap": pcap(pkts),
        "walks-be.pcapng": pcapng([{ interfaces: [{ linktype: 1 }], packets: pkts }], { bigEndian: true }),
        "walks-sll2.pcap": pcap(sll2, { linktype: 276 }),
      };
      for (const [name, bytes] of Object.entries(files)) {
        writeFileSync(join(dir, name), bytes);
        const res = decodeMplsCapture(bytes, name);
        expect(res.error).toBe(undefined);
        const entries = stacksLikeTshark(join(dir, name), res.frames);
        expect(entries > 150, `${name}: ${entries} label stack entries compared`).toBeTruthy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

// ---------------------------------------------------------------- FRR ldpd

const id = `${process.pid % 100000}${Math.floor(Math.random() * 1000)}`;
const NS = { a: `wlmpls-dec${id}-a`, b: `wlmpls-dec${id}-b` };
const LO = { a: "10.255.0.1", b: "10.255.0.2" };
const EXTRA = "10.255.9.2"; // a second loopback address on b, withdrawn during the capture
let dir = "";
let capDir = ""; // captures: root-owned (dumpcap will not write into the frr-owned folder)
const procs: ChildProcess[] = [];

function startDaemons(r: "a" | "b"): void {
  const d = frrRouterDir(join(dir, r));
  writeFileSync(join(d, "zebra.conf"), `hostname ${r}\n`);
  writeFileSync(
    join(d, "ldpd.conf"),
    `hostname ${r}\nmpls ldp\n router-id ${LO[r]}\n address-family ipv4\n  discovery transport-address ${LO[r]}\n  interface v${r}\n exit-address-family\n!\n`,
  );
  startFrrDaemon(NS[r], d, "zebra");
  startFrrDaemon(NS[r], d, "ldpd");
}

function capture(ns: string, argv: string[], ready: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn("ip", ["netns", "exec", ns, ...argv], { stdio: ["ignore", "ignore", "pipe"] });
    procs.push(p);
    let err = "";
    const timer = setTimeout(() => reject(new Error(`${argv[0]} did not start: ${err}`)), 15000);
    p.stderr!.on("data", (x: Buffer) => {
      err += x.toString();
      if (err.includes(ready)) {
        clearTimeout(timer);
        resolve(p);
      }
    });
    p.on("exit", (code) => {
      if (!err.includes(ready)) {
        clearTimeout(timer);
        reject(new Error(`${argv[0]} exited ${code}: ${err}`));
      }
    });
  });
}
const stop = (p: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once("exit", () => resolve());
    p.kill("SIGINT");
    setTimeout(() => {
      if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    }, 5000);
  });

beforeAll(async () => {
  if (frrWhy) return;
  dir = frrTempDir("wlmpls-dec-");
  capDir = mkdtempSync(join(tmpdir(), "wlmpls-deccap-"));
  netnsAdd(NS.a);
  netnsAdd(NS.b);
  sh([
    "ip",
    "link",
    "add",
    `wlda${id}`.slice(0, 15),
    "netns",
    NS.a,
    "type",
    "veth",
    "peer",
    "name",
    `wldb${id}`.slice(0, 15),
    "netns",
    NS.b,
  ]);
  sh(["ip", "link", "set", `wlda${id}`.slice(0, 15), "name", "va"], { ns: NS.a });
  sh(["ip", "link", "set", `wldb${id}`.slice(0, 15), "name", "vb"], { ns: NS.b });
  sh(["ip", "addr", "add", "10.254.0.1/30", "dev", "va"], { ns: NS.a });
  sh(["ip", "addr", "add", "10.254.0.2/30", "dev", "vb"], { ns: NS.b });
  sh(["ip", "link", "set", "va", "up"], { ns: NS.a });
  sh(["ip", "link", "set", "vb", "up"], { ns: NS.b });
  sh(["ip", "addr", "add", `${LO.a}/32`, "dev", "lo"], { ns: NS.a });
  sh(["ip", "addr", "add", `${LO.b}/32`, "dev", "lo"], { ns: NS.b });
  sh(["ip", "addr", "add", `${EXTRA}/32`, "dev", "lo"], { ns: NS.b });
  sh(["ip", "route", "add", `${LO.b}/32`, "via", "10.254.0.2"], { ns: NS.a });
  sh(["ip", "route", "add", `${EXTRA}/32`, "via", "10.254.0.2"], { ns: NS.a });
  sh(["ip", "route", "add", `${LO.a}/32`, "via", "10.254.0.1"], { ns: NS.b });
  await capture(NS.a, ["tcpdump", "-U", "-n", "-i", "va", "-w", join(capDir, "ldp.pcap"), "port 646"], "listening on");
  await capture(
    NS.b,
    ["tshark", "-i", "vb", "-F", "pcapng", "-w", join(capDir, "ldp.pcapng"), "-f", "port 646"],
    "Capturing on",
  );
  startDaemons("a");
  startDaemons("b");
});

afterAll(async () => {
  for (const p of procs) await stop(p);
  if (!dir) return;
  stopFrrLab(dir, ["a", "b"] as const, (r) => NS[r], ["ldpd", "zebra"]);
  rmSync(capDir, { recursive: true, force: true });
});

const LDP_FIELDS = [
  "frame.number",
  "ldp.hdr.ldpid.lsr",
  "ldp.msg.type",
  "ldp.msg.id",
  "ldp.msg.tlv.fec.pfval",
  "ldp.msg.tlv.fec.len",
  "ldp.msg.tlv.generic.label",
  "ldp.msg.tlv.addrl.addr",
  "ldp.msg.tlv.sess.ka",
  "ldp.msg.tlv.sess.mxpdu",
  "ldp.msg.tlv.sess.rxlsr",
  "ldp.msg.tlv.hello.hold",
  "ldp.msg.tlv.ipv4.taddr",
  "ldp.msg.tlv.status.data",
];

/** The kit's view of one frame, in tshark's field order and spelling. */
function kitFields(f: MplsFrameRecord): Record<string, string[]> {
  const o: Record<string, string[]> = {};
  const add = (k: string, v: string | number) => (o[k] ??= []).push(String(v));
  for (const p of f.ldp) {
    add("ldp.hdr.ldpid.lsr", p.lsrId.split(":")[0]!);
    for (const m of p.messages) {
      add("ldp.msg.type", m.typeCode);
      add("ldp.msg.id", m.id);
      for (const t of m.tlvs) {
        for (const fec of t.fecs ?? [])
          if (fec.prefix && fec.element === "prefix") {
            add("ldp.msg.tlv.fec.pfval", fec.prefix.split("/")[0]!);
            add("ldp.msg.tlv.fec.len", fec.prefix.split("/")[1]!);
          }
        if (t.label !== undefined) add("ldp.msg.tlv.generic.label", t.label);
        for (const a of t.addresses ?? []) add("ldp.msg.tlv.addrl.addr", a);
        if (t.session) {
          add("ldp.msg.tlv.sess.ka", t.session.keepalive);
          add("ldp.msg.tlv.sess.mxpdu", t.session.maxPdu);
          add("ldp.msg.tlv.sess.rxlsr", t.session.receiverId.split(":")[0]!);
        }
        if (t.holdTime !== undefined) add("ldp.msg.tlv.hello.hold", t.holdTime);
        if (t.transportAddress) add("ldp.msg.tlv.ipv4.taddr", t.transportAddress);
        if (t.status) add("ldp.msg.tlv.status.data", t.status.code);
      }
    }
  }
  return o;
}

it(
  "FRR ldpd: every LDP message of a live capture (pcap and pcapng) decodes as tshark decodes it",
  { timeout: 120000 },
  async (ctx) => {
    if (frrWhy) ctx.skip(frrWhy);
    const vtyshA = (cmd: string) => vtysh(NS.a, join(dir, "a"), cmd);
    const bound = () => {
      try {
        return (
          (JSON.parse(vtyshA("show mpls ldp binding json") || "{}").bindings ?? []) as Array<{
            prefix: string;
            remoteLabel: string;
          }>
        ).some((b) => b.prefix === `${EXTRA}/32` && b.remoteLabel !== "-");
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 60 && !bound(); i++) await sleep(1000);
    expect(bound(), `LDP did not converge: ${vtyshA("show mpls ldp neighbor")}`).toBeTruthy();
    await sleep(1000);
    sh(["ip", "addr", "del", `${EXTRA}/32`, "dev", "lo"], { ns: NS.b }); // → Address Withdraw, Label Withdraw (and Release back)
    await sleep(4000);
    for (const p of procs) await stop(p);
    procs.length = 0;

    const seen = new Set<string>();
    for (const name of ["ldp.pcap", "ldp.pcapng"]) {
      const file = join(capDir, name);
      const res = decodeMplsCapture(new Uint8Array(readFileSync(file)), name);
      expect(res.error, res.error).toBe(undefined);
      const t = tsharkFields(file, LDP_FIELDS);
      expect(t.status, t.stderr).toBe(0);
      expect(res.frames.length, `${name}: frames`).toBe(t.rows.length);
      res.frames.forEach((f, i) => {
        expect(f.error, f.error).toBe(undefined);
        const num = (v: string) => (/^(0x[0-9a-f]+|\d+)$/i.test(v) ? String(Number(v)) : v); // tshark writes ids and types in hex
        const theirs = Object.fromEntries(
          Object.entries(t.rows[i]!)
            .filter(([k]) => k !== "frame.number")
            .map(([k, v]) => [k, v.map(num)]),
        );
        expect(kitFields(f), `${name} frame ${f.number}`).toStrictEqual(theirs);
        for (const p of f.ldp) for (const m of p.messages) seen.add(m.type);
      });
      const withdrawn = res.frames
        .flatMap((f) => f.ldp.flatMap((p) => p.messages))
        .filter((m) => m.type === "Label Withdraw" && m.fecs.some((x) => x.prefix === `${EXTRA}/32`));
      expect(withdrawn.length > 0, `${name}: b withdrew its label for ${EXTRA}/32`).toBeTruthy();
    }
    for (const m of [
      "Hello",
      "Initialization",
      "KeepAlive",
      "Address",
      "Label Mapping",
      "Label Withdraw",
      "Address Withdraw",
      "Label Release",
    ])
      expect(seen.has(m), `the capture holds ${m}: ${[...seen].join(", ")}`).toBeTruthy();

    // The CLI: text, JSON, and a copy cut inside a frame.
    const cli = (args: string[]) => runCli(commands[0]!, ["decode", ...args], { root: ROOT, catchErrors: true });
    const text = await cli([join(capDir, "ldp.pcap")]);
    expect(text.code, text.err + String(text.error)).toBe(0);
    expect(text.out).toMatch(/LDP 10\.255\.0\.2:0 {2}Label Mapping id=\d+ {2}FEC 10\.255\.9\.2\/32 {2}label \d+/);
    expect(text.out).toMatch(/Initialization id=\d+ {2}keepalive \d+s, max PDU \d+, to 10\.255\.0\.[12]:0/);
    expect(text.out).toMatch(/\d+ frame\(s\): 0 with a label stack, \d+ LDP message\(s\), 0 error\(s\)/);
    const bytes = readFileSync(join(capDir, "ldp.pcap"));
    const start5 = readCapture(new Uint8Array(bytes)).records[4]!.offset - 16;
    writeFileSync(join(capDir, "cut.pcap"), bytes.subarray(0, start5 + 16 + 10));
    const cut = await cli([join(capDir, "cut.pcap")]);
    expect(cut.code).toBe(1);
    expect(cut.out.split("\n").filter((l) => /^#\d+ /.test(l)).length, "the four complete frames are printed").toBe(4);
    expect(cut.err).toMatch(new RegExp(`error: .*cut\\.pcap, byte offset ${start5}`));
    const json = JSON.parse((await cli([join(capDir, "ldp.pcapng"), "--json"])).out) as MplsFrameRecord[];
    expect(
      json.some((f) => f.ldp.some((p) => p.messages.some((m) => m.type === "Label Mapping" && m.labels.length === 1))),
    ).toBeTruthy();
  },
);

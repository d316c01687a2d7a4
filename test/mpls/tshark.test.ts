/**
 * Oracle: tshark (Wireshark's dissectors) decodes every exported pcap to the same label stacks,
 * TTLs, bottom-of-stack bits, addresses and valid checksums the simulator reports.
 */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { oracle } from "../helpers/oracle";
import {
  buildNetwork,
  formatIPv4,
  labNetwork,
  loadTopology,
  parseTopology,
  trace,
  walkFrames,
  walkPcap,
  type Network,
  type Walk,
} from "../../src/mpls";

const why = oracle("tshark", ["tshark", "--version"], "apt-get install tshark");
const LAB = readFileSync(join(__dirname, "../../labs/mpls/lab.yaml"), "utf8");
const mac = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(":");

function scenarios(): Array<[string, Network, Walk]> {
  const lab = labNetwork("lab");
  const nophp = buildNetwork(parseTopology(LAB.replace("php: true", "php: false"), "lab.yaml"));
  const pipe = buildNetwork(parseTopology(LAB.replace("ttl-mode: uniform", "ttl-mode: pipe"), "lab.yaml"));
  const loop = buildNetwork(
    parseTopology(
      LAB +
        "static-lsps:\n  - fec: 198.51.100.0/24\n    hops:\n      - { router: PE1, push: [100], next: P1 }\n      - { router: P1, in: 100, swap: 200, next: P2 }\n      - { router: P2, in: 200, swap: 100, next: P1 }\n",
      "loop.yaml",
    ),
  );
  const bgplu = labNetwork("bgplu");
  const transit = buildNetwork(loadTopology(join(__dirname, "fixtures/transit.yaml")));
  return [
    ["csc", labNetwork("csc"), trace(labNetwork("csc"), { from: "cPE1", to: "192.168.2.0/24" })],
    ["transit swap+push", transit, trace(transit, { from: "PE3", to: "192.168.1.0/24" })],
    ["lab vpn", lab, trace(lab, { from: "PE1", to: "192.168.2.0/24" })],
    ["lab global", lab, trace(lab, { from: "PE2", to: "10.0.0.1" })],
    ["no php", nophp, trace(nophp, { from: "PE1", to: "192.168.2.0/24" })],
    ["pipe", pipe, trace(pipe, { from: "PE1", to: "192.168.2.0/24" })],
    ["ttl expiry", lab, trace(lab, { from: "PE1", to: "192.168.2.0/24", ttl: 3 })],
    ["loop", loop, trace(loop, { from: "PE1", to: "198.51.100.1", ttl: 9 })],
    ["bgp-lu vpn", bgplu, trace(bgplu, { from: "PE1", to: "192.168.2.0/24" })],
    ["bgp-lu back", bgplu, trace(bgplu, { from: "PE2", to: "192.168.1.0/24" })],
  ];
}

it("tshark decodes every exported pcap to the simulator's stacks, TTLs and addresses", { timeout: 120000 }, (ctx) => {
  if (why) ctx.skip(why);
  const dir = mkdtempSync(join(tmpdir(), "wlmpls-tshark-"));
  try {
    for (const [name, net, w] of scenarios()) {
      const file = join(dir, `${name.replace(/\W+/g, "_")}.pcap`);
      writeFileSync(file, walkPcap(net.topology, w));
      const r = spawnSync(
        "tshark",
        [
          "-r",
          file,
          "-o",
          "ip.check_checksum:TRUE",
          "-T",
          "fields",
          "-E",
          "aggregator=,",
          "-e",
          "eth.src",
          "-e",
          "eth.dst",
          "-e",
          "mpls.label",
          "-e",
          "mpls.ttl",
          "-e",
          "mpls.bottom",
          "-e",
          "ip.src",
          "-e",
          "ip.dst",
          "-e",
          "ip.ttl",
          "-e",
          "ip.checksum.status",
          "-e",
          "icmp.checksum.status",
        ],
        { encoding: "utf8", timeout: 60000 },
      );
      expect(r.status, r.stderr).toBe(0);
      const rows = r.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("\t"));
      const frames = walkFrames(net.topology, w);
      expect(frames.length >= 1, name).toBeTruthy();
      expect(rows.length, `${name}: frame count`).toBe(frames.length);
      frames.forEach((f, i) => {
        const [esrc, edst, lab, ttl, bos, src, dst, ipttl, ipck, icmpck] = rows[i]!;
        const at = `${name} frame ${i + 1} (${f.where})`;
        expect(esrc, at).toBe(mac(f.bytes.subarray(6, 12)));
        expect(edst, at).toBe(mac(f.bytes.subarray(0, 6)));
        expect(lab, `${at}: labels`).toBe(f.stack.map((e) => e.label).join(","));
        expect(ttl, `${at}: MPLS TTLs`).toBe(f.stack.map((e) => e.ttl).join(","));
        expect(bos, `${at}: S bits`).toBe(f.stack.map((e) => (e.s ? 1 : 0)).join(","));
        expect(src, at).toBe(formatIPv4(w.ip.src));
        expect(dst, at).toBe(formatIPv4(w.ip.dst));
        expect(Number(ipttl), `${at}: IP TTL`).toBe(f.ipTtl);
        expect(ipck, `${at}: IPv4 checksum good`).toBe("1");
        expect(icmpck, `${at}: ICMP checksum good`).toBe("1");
      });
      // Cross-check against the hop records too: the stack that left hop i arrives at hop i+1.
      w.hops.forEach((h, i) => {
        if (h.next && i + 1 < w.hops.length)
          expect(w.hops[i + 1]!.inStack, `${name}: hop ${i + 2} in-stack`).toStrictEqual(h.outStack);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Real captures as engineers have them, made by this test with ISC dhcpd, dhcrelay -a and dhclient
// in network namespaces, with checksum offload LEFT ON (so UDP checksums in the capture are wrong),
// captured by tcpdump on one interface (Ethernet), on "any" (Linux cooked v1 and v2) and by tshark
// (pcapng), then converted and damaged with editcap, mergecap and `head -c`. The kit decodes every
// file like tshark does, packet for packet. The same runs measure the IP TTL/TOS/DF and option 82
// that the simulator must reproduce (ISC and Kea, relayed and direct).
import { describe, it, expect } from "vitest";
import { thrownBy } from "../helpers/thrown";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli } from "../helpers/cli";
import { Chain, chainSkip, waitFor, readBytes, RELAY_LAN, SERVER_IP, SERVER_VIP } from "./netns";
import { decodeInput, type DecodedRecord } from "../../src/dhcp/decode";
import { decodeFrame } from "../../src/dhcp/frame";
import { readCapture } from "../../src/capture/reader";
import { decodeDhcp, fieldsOf } from "../../src/dhcp/packet";
import { commands } from "../../src/dhcp/cli";
import { directLab, relayLab } from "../../src/dhcp/lab";

const ROOT = path.resolve(__dirname, "..", "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const skip = chainSkip([["editcap", ["editcap", "-h"], "apt-get install wireshark-common"]]);

function run(argv: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", timeout: 60000, maxBuffer: 1 << 26 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface TsharkPkt {
  n: number;
  ethSrc?: string;
  ethDst?: string;
  sllSrc?: string;
  src: string;
  dst: string;
  ttl: number;
  ipCk: number;
  udpCk: number;
  type: number;
  xid: string;
  circuit?: string;
}
/** tshark's view of the DHCP packets of a file (checksum verification on); its exit status and stderr. */
function tsharkDhcp(file: string): { pkts: TsharkPkt[]; status: number; stderr: string } {
  const fields = [
    "frame.number",
    "eth.src",
    "eth.dst",
    "sll.src.eth",
    "ip.src",
    "ip.dst",
    "ip.ttl",
    "ip.checksum.status",
    "udp.checksum.status",
    "dhcp.option.dhcp",
    "dhcp.id",
    "dhcp.option.agent_information_option.agent_circuit_id",
  ];
  const r = run([
    "tshark",
    "-r",
    file,
    "-Y",
    "dhcp",
    "-o",
    "ip.check_checksum:TRUE",
    "-o",
    "udp.check_checksum:TRUE",
    "-T",
    "fields",
    "-E",
    "separator=/t",
    "-E",
    "occurrence=f",
    ...fields.flatMap((f) => ["-e", f]),
  ]);
  const pkts = r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const v = l.split("\t");
      const o = (i: number) => (v[i] === "" || v[i] === undefined ? undefined : v[i]);
      return {
        n: Number(v[0]),
        ethSrc: o(1),
        ethDst: o(2),
        sllSrc: o(3),
        src: v[4]!,
        dst: v[5]!,
        ttl: Number(v[6]),
        ipCk: Number(v[7]),
        udpCk: Number(v[8]),
        type: Number(v[9]),
        xid: v[10]!,
        circuit: o(11)?.replace(/:/g, ""),
      };
    });
  return { pkts, status: r.status, stderr: r.stderr };
}

/** tshark checksum status: 0 bad, 1 good, 2 unverified (UDP checksum 0). */
const ckCode = (s: string) => (s === "bad" ? 0 : s === "good" ? 1 : 2);

function compare(name: string, recs: DecodedRecord[], t: TsharkPkt[]): void {
  expect(recs.length, `${name}: DHCP packets, kit ${recs.length} vs tshark ${t.length}`).toBe(t.length);
  recs.forEach((r, i) => {
    const p = t[i]!;
    const where = `${name} packet ${r.number}`;
    expect(r.error, `${where}: ${r.error}`).toBe(undefined);
    expect(r.number, `${where}: frame number`).toBe(p.n);
    expect(r.eth!.src, `${where}: link source`).toBe(p.ethSrc ?? p.sllSrc);
    expect(r.eth!.dst, `${where}: link destination`).toBe(p.ethDst ?? null);
    expect([r.ip!.src, r.ip!.dst, r.ip!.ttl], `${where}: addresses and TTL`).toStrictEqual([p.src, p.dst, p.ttl]);
    expect(ckCode(r.checksums!.ip), `${where}: IP checksum status`).toBe(p.ipCk);
    expect(ckCode(r.checksums!.udp), `${where}: UDP checksum status`).toBe(p.udpCk);
    expect(r.dhcp!.xid, `${where}: xid`).toBe(parseInt(p.xid, 16));
    expect(r.dhcp!.options.find((o) => o.code === 53)!.data[0], `${where}: message type`).toBe(p.type);
    expect(r.fields!.relayAgent?.circuitId, `${where}: option 82 circuit-id`).toBe(p.circuit);
    if (r.checksums!.udp === "bad")
      expect(r.checksumNote!).toMatch(/UDP checksum 0x[0-9a-f]{4} is wrong .*checksum offload.*ethtool -K DEV tx off/);
  });
}

async function tsharkCapture(c: Chain, name: string, ns: string, dev: string, file: string): Promise<void> {
  c.start(name, ns, ["tshark", "-i", dev, "-F", "pcapng", "-w", file, "-f", "udp port 67 or udp port 68"]);
  await waitFor(() => c.output(name).includes("Capturing on"), 15000, `tshark on ${dev}`);
}
async function tcpdumpAny(c: Chain, name: string, ns: string, file: string, v2: boolean): Promise<void> {
  c.start(name, ns, [
    "tcpdump",
    "-U",
    "-n",
    "-i",
    "any",
    "-y",
    v2 ? "LINUX_SLL2" : "LINUX_SLL",
    "-w",
    file,
    "udp port 67 or udp port 68",
  ]);
  await waitFor(() => c.output(name).includes("listening on"), 8000, "tcpdump -i any");
}

/** "MSG segment ttl=… tos=… df=…" for every DHCP frame of a capture. */
function ipShapes(bytes: Uint8Array, segment: string): string[] {
  const out = new Set<string>();
  for (const r of readCapture(bytes).records) {
    const f = decodeFrame(r.data, r.linktype);
    const t = fieldsOf(decodeDhcp(f.payload)).messageType;
    out.add(`${t} on ${segment}: ttl=${f.ttl} tos=0x${f.tos.toString(16)} df=${f.df ? 1 : 0}`);
  }
  return [...out].sort();
}
function simShapes(lab: ReturnType<typeof relayLab>, segments: Record<string, string>): string[] {
  lab.run(5);
  expect(lab.client.state, "the simulated client is bound").toBe("BOUND");
  return Object.entries(segments)
    .flatMap(([seg, as]) => ipShapes(lab.pcap([seg]), as))
    .sort();
}

describe.skipIf(skip)(
  "real captures (offload on, pcapng, cooked, cut, relabelled) decode like tshark; the simulator's TTLs and option 82 match",
  { timeout: 300000 },
  () => {
    it("ISC dhcrelay -a chain with checksum offload on", { timeout: 150000 }, async () => {
      const c = new Chain();
      try {
        c.up({ checksumOffload: true });
        await c.iscServer();
        const f = (n: string) => c.file(n);
        await c.capture("cap-up", c.ns.r, "r1", f("up.pcap"));
        await c.capture("cap-lan", c.ns.r, "r0", f("lan.pcap"));
        await tcpdumpAny(c, "cap-any1", c.ns.r, f("any1.pcap"), false);
        await tcpdumpAny(c, "cap-any2", c.ns.r, f("any2.pcap"), true);
        await tsharkCapture(c, "cap-ng", c.ns.s, "s0", f("srv.pcapng"));
        await c.iscRelay(SERVER_VIP, true);
        await c.dhclient();
        await sleep(1500);
        for (const n of ["cap-up", "cap-lan", "cap-any1", "cap-any2", "cap-ng", "dhclient", "dhcrelay"])
          await c.stop(n);

        // Conversions and damage, with Wireshark's own tools.
        expect(run(["editcap", "-F", "pcapng", f("up.pcap"), f("up.pcapng")]).status).toBe(0);
        expect(run(["editcap", "-F", "nsecpcap", f("up.pcap"), f("up-ns.pcap")]).status).toBe(0);
        expect(run(["mergecap", "-F", "pcapng", "-w", f("merged.pcapng"), f("lan.pcap"), f("any1.pcap")]).status).toBe(
          0,
        );
        const files = [
          "up.pcap",
          "lan.pcap",
          "any1.pcap",
          "any2.pcap",
          "srv.pcapng",
          "up.pcapng",
          "up-ns.pcap",
          "merged.pcapng",
        ];
        const linktypes: Record<string, number[]> = {};
        let badUdp = 0;
        for (const name of files) {
          const bytes = readBytes(f(name));
          const res = decodeInput(bytes, name);
          expect(res.error, `${name}: ${res.error}`).toBe(undefined);
          const t = tsharkDhcp(f(name));
          expect(t.status, `${name}: tshark ${t.stderr}`).toBe(0);
          expect(t.pkts.length >= 4, `${name}: at least 4 DHCP packets, tshark saw ${t.pkts.length}`).toBeTruthy();
          compare(name, res.records, t.pkts);
          linktypes[name] = [...new Set(readCapture(bytes).records.map((r) => r.linktype))];
          badUdp += res.records.filter((r) => r.checksums!.udp === "bad").length;
        }
        expect(
          [linktypes["lan.pcap"], linktypes["any1.pcap"], linktypes["any2.pcap"], linktypes["merged.pcapng"]!.sort()],
          "the captures cover Ethernet, SLL, SLL2 and a two-link-type pcapng",
        ).toStrictEqual([[1], [113], [276], [1, 113]]);
        expect(
          badUdp > 0,
          "with offload on, some captured UDP checksums are wrong (else this test proves nothing)",
        ).toBeTruthy();
        const upBad = decodeInput(readBytes(f("up.pcap")), "up.pcap").records.find((r) => r.checksums!.udp === "bad")!;
        expect(upBad, "the relay's forwarded requests carry offloaded (wrong) UDP checksums").toBeTruthy();
        expect(() => decodeInput(readBytes(f("up.pcap")), "up.pcap", true)).toThrow(
          /bad UDP checksum.*offload.*up\.pcap, byte offset \d+/,
        );
        // CLI: --strict refuses, the default decodes and marks; JSON carries the Ethernet addresses.
        const cli = (args: string[]) => runCli(commands[0]!, ["decode", ...args], { root: ROOT, catchErrors: true });
        const plain = await cli([f("up.pcap")]);
        expect(plain.code).toBe(0);
        expect(plain.out).toMatch(/\[bad UDP checksum\][\s\S]*note: UDP checksum 0x[0-9a-f]{4} is wrong/);
        expect(plain.out).toMatch(
          /\d+ DHCP message\(s\), 0 error\(s\), \d+ with a bad checksum \(decoded anyway; --strict refuses them\)/,
        );
        expect(String((await cli([f("up.pcap"), "--strict"])).error)).toMatch(/bad UDP checksum/);
        const json = JSON.parse((await cli([f("lan.pcap"), "--json"])).out) as Array<{
          eth: { src: string; dst: string };
        }>;
        const tl = tsharkDhcp(f("lan.pcap")).pkts;
        expect(
          json.map((j) => [j.eth.src, j.eth.dst]),
          "JSON eth.src/eth.dst equal tshark's",
        ).toStrictEqual(tl.map((p) => [p.ethSrc, p.ethDst]));

        // A file cut inside a packet: the complete records, then the error at the cut record's offset.
        const up = readBytes(f("up.pcap"));
        const whole = readCapture(up).records;
        const last = whole[whole.length - 1]!;
        for (const [name, cut] of [
          ["cut-mid.pcap", last.offset + 20],
          ["cut-hdr.pcap", last.offset - 9],
        ] as const) {
          writeFileSync(f(name), up.subarray(0, cut)); // what `head -c` makes
          const res = decodeInput(readFileSync(f(name)), name);
          const t = tsharkDhcp(f(name));
          expect(t.status, `tshark complains about ${name}`).not.toBe(0);
          expect(t.stderr).toMatch(/cut short/);
          compare(name, res.records, t.pkts);
          expect(res.error!).toMatch(new RegExp(`${name.replace(".", "\\.")}, byte offset ${last.offset - 16}`));
          const out = await cli([f(name)]);
          expect(out.code, "non-zero exit").toBe(1);
          expect(out.out.split("\n").filter((l) => /^#\d+ /.test(l)).length, "the complete records are printed").toBe(
            t.pkts.length,
          );
          expect(out.err).toMatch(/error: .*byte offset \d+/);
        }
        // Ethernet frames relabelled as another link type: named and refused, never "0 records".
        expect(run(["editcap", "-T", "linux-sll", f("lan.pcap"), f("relabelled-sll.pcap")]).status).toBe(0);
        const rel = decodeInput(readBytes(f("relabelled-sll.pcap")), "relabelled-sll.pcap");
        expect(
          rel.records.length > 0 &&
            rel.records.every((r) =>
              /not a Linux cooked capture header.*look like an Ethernet frame/.test(r.error ?? ""),
            ),
          JSON.stringify(rel.records.slice(0, 1)),
        ).toBeTruthy();
        expect((await cli([f("relabelled-sll.pcap")])).code).toBe(1);
        expect(run(["editcap", "-T", "ieee-802-11", f("lan.pcap"), f("relabelled-wifi.pcap")]).status).toBe(0);
        const wifi = readBytes(f("relabelled-wifi.pcap"));
        expect(thrownBy(() => decodeInput(wifi, "relabelled-wifi.pcap"))).toSatisfy((e: Error) => {
          const m = /link type IEEE 802.11 \(105\) is not supported.*relabelled-wifi\.pcap, byte offset (\d+)/.exec(
            e.message,
          );
          expect(m, e.message).toBeTruthy();
          expect(wifi[Number(m[1])], "the byte offset points at the link type field").toBe(105);
          return true;
        });
        // Neither a capture nor DHCP.
        writeFileSync(f("tiny.bin"), Uint8Array.of(0xd4, 0xc3, 0xb2));
        writeFileSync(f("notes.txt"), "these are not packets\n");
        expect(String((await cli([f("tiny.bin")])).error)).toMatch(
          /neither a capture file nor a DHCP message: only 3 byte/,
        );
        expect(String((await cli([f("notes.txt")])).error)).toMatch(
          /neither a capture file .* nor a DHCP message .*byte offset 0/,
        );

        // The simulator's relay lab (same addresses, option 82 on) sends the same TTL/TOS/DF per message and segment.
        const real = [...ipShapes(readBytes(f("lan.pcap")), "client LAN"), ...ipShapes(up, "server LAN")].sort();
        const sim = simShapes(
          relayLab({
            relayConfig: `dhcprelay server ${SERVER_VIP} up0\ndhcprelay server ${SERVER_IP} up0\ndhcprelay enable lan0\ndhcprelay information insert\n`,
          }),
          { lan: "client LAN", srv: "server LAN" },
        );
        expect(sim, "IP header per sender: simulated vs ISC").toStrictEqual(real);
        // Option 82 as dhcrelay -a adds it: circuit-id = the receiving interface's name, no remote-id.
        const upRecs = decodeInput(up, "up.pcap").records.filter((r) => r.dhcp!.op === 1);
        expect(
          upRecs.every(
            (r) =>
              JSON.stringify(r.fields!.relayAgent) === JSON.stringify({ circuitId: Buffer.from("r0").toString("hex") }),
          ),
        ).toBeTruthy();
        const simLab = relayLab({
          relayConfig: `dhcprelay server ${SERVER_VIP} up0\ndhcprelay server ${SERVER_IP} up0\ndhcprelay enable lan0\ndhcprelay information insert\n`,
        }).run(5);
        const simUp = decodeInput(simLab.pcap(["srv"])).records.filter((r) => r.dhcp!.op === 1);
        expect(
          simUp.length >= 2 &&
            simUp.every(
              (r) =>
                JSON.stringify(r.fields!.relayAgent) ===
                JSON.stringify({ circuitId: Buffer.from("lan0").toString("hex") }),
            ),
          "the simulator's relay: circuit-id only",
        ).toBeTruthy();
      } finally {
        await c.down();
      }
    });

    for (const s of ["isc", "kea"] as const) {
      it(
        `${s} server answering a client on its own LAN: TTL/TOS/DF match the simulator's direct lab`,
        { timeout: 60000 },
        async () => {
          const c = new Chain();
          try {
            c.up();
            await (s === "isc" ? c.iscServer({ direct: true }) : c.keaServer({ direct: true }));
            const lan = c.file("lan.pcap");
            await c.capture("cap", c.ns.r, "r0", lan);
            await c.dhclient();
            await sleep(1200);
            await c.stop("cap");
            const real = ipShapes(readBytes(lan), "LAN");
            const sim = simShapes(directLab({ serverMode: s === "isc" ? "interface" : "targeted" }), { lan: "LAN" });
            expect(
              sim,
              `IP header per sender: simulated vs ${s} (relay address ${RELAY_LAN} serves the LAN)`,
            ).toStrictEqual(real);
          } finally {
            await c.down();
          }
        },
      );
    }
  },
);

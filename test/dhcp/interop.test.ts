// Interop with real DHCP software in network namespaces (client – relay – server):
// ISC dhcpd / dhcrelay / dhclient and Kea kea-dhcp4, captured live with tcpdump, decoded by the
// kit and by tshark field for field; then the kit's own relay on real UDP sockets in the relay
// namespace, against both servers. Every namespace, process and file is removed in `finally`.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { Chain, chainSkip, waitFor, readBytes, RELAY_LAN, RELAY_UP, SERVER_IP, SERVER_VIP } from "./netns";
import { tsharkJson, compareWithTshark } from "./tshark";
import { decodeInput } from "../../src/dhcp/decode";
import { relayLab } from "../../src/dhcp/lab";
import { hopTable, type HopRow } from "../../src/dhcp/trace";

/** "MSG src:sport > dst:dport giaddr hops yiaddr" lines, first occurrence of each, in order. */
function shapes(
  rows: Array<Pick<HopRow, "msg" | "srcIp" | "srcPort" | "dstIp" | "dstPort" | "giaddr" | "hops"> & { yiaddr: string }>,
): string[] {
  return [
    ...new Set(
      rows.map(
        (r) =>
          `${r.msg} ${r.srcIp}:${r.srcPort} > ${r.dstIp}:${r.dstPort} giaddr=${r.giaddr} hops=${r.hops} yiaddr=${r.yiaddr}`,
      ),
    ),
  ];
}
function captureShapes(bytes: Uint8Array): string[] {
  return shapes(
    decodeInput(bytes, "capture", true).records.map((r) => ({
      msg: r.fields!.messageType!,
      srcIp: r.ip!.src,
      srcPort: r.ip!.sport,
      dstIp: r.ip!.dst,
      dstPort: r.ip!.dport,
      giaddr: r.dhcp!.giaddr,
      hops: r.dhcp!.hops,
      yiaddr: r.dhcp!.yiaddr,
    })),
  );
}
/** The simulator's relay lab uses the same addresses as the namespaces: its frames must look the same. */
function simShapes(s: "isc" | "kea", segment: "lan" | "srv"): string[] {
  const lab = relayLab({ serverMode: s === "isc" ? "interface" : "targeted" }).run(5);
  return shapes(
    hopTable(lab, { segments: [segment] }).map((r) => {
      const w = lab.net.frames[r.n - 1]!;
      const y = decodeInput(w.bytes).records[0]!.dhcp!.yiaddr;
      return { ...r, yiaddr: y };
    }),
  );
}

const ROOT = path.resolve(__dirname, "..", "..");

const skip = chainSkip();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Server = "isc" | "kea";

const startServer = (c: Chain, s: Server): Promise<void> => (s === "isc" ? c.iscServer() : c.keaServer());

/** Runs dhclient until bound; returns the two captures (client LAN at the relay, server LAN). */
async function exchange(
  c: Chain,
  tag: string,
  relay: () => Promise<void>,
  relayName: string,
): Promise<{ lan: Uint8Array; srv: Uint8Array; lanFile: string; srvFile: string }> {
  const lanFile = c.file(`${tag}-lan.pcap`),
    srvFile = c.file(`${tag}-srv.pcap`);
  await c.capture(`${tag}-cap-lan`, c.ns.r, "r0", lanFile);
  await c.capture(`${tag}-cap-srv`, c.ns.s, "s0", srvFile);
  await relay();
  const client = `${tag}-dhclient`;
  await c.dhclient(client);
  await sleep(1200); // let tcpdump write the last frames
  await c.stop(`${tag}-cap-lan`);
  await c.stop(`${tag}-cap-srv`);
  await c.stop(client);
  await c.stop(relayName);
  return { lan: readBytes(lanFile), srv: readBytes(srvFile), lanFile, srvFile };
}

function dora(bytes: Uint8Array) {
  return decodeInput(bytes, "capture", true).records.map((r) => ({
    type: r.fields!.messageType,
    src: r.ip!.src,
    dst: r.ip!.dst,
    sport: r.ip!.sport,
    dport: r.ip!.dport,
    giaddr: r.dhcp!.giaddr,
    hops: r.dhcp!.hops,
    serverId: r.fields!.serverId,
  }));
}

function checkAgainstTshark(file: string, bytes: Uint8Array): void {
  const cmp = compareWithTshark(bytes, tsharkJson(file));
  expect(
    cmp.checked >= 4,
    `expected at least 4 DHCP packets in ${path.basename(file)}, got ${cmp.checked}`,
  ).toBeTruthy();
  expect(cmp.mismatches, `kit vs tshark on ${path.basename(file)}`).toStrictEqual([]);
  expect(cmp.fields > 100).toBeTruthy();
}

function checkServerSide(s: Server, bytes: Uint8Array): void {
  const m = dora(bytes);
  const types = m.map((x) => x.type);
  for (const t of ["DISCOVER", "OFFER", "REQUEST", "ACK"])
    expect(types.includes(t as never), `server-side capture lacks ${t}: ${types.join(",")}`).toBeTruthy();
  for (const r of m.filter((x) => x.type === "DISCOVER" || x.type === "REQUEST")) {
    expect(r.src, "the relay forwards from its upstream address").toBe(RELAY_UP);
    expect(r.dst, "the relay sends to the configured (VIP) address").toBe(SERVER_VIP);
    expect(r.giaddr, "giaddr is the relay's client-side address").toBe(RELAY_LAN);
    expect(r.hops).toBe(1);
    expect([r.sport, r.dport]).toStrictEqual([67, 67]);
  }
  const want = s === "isc" ? SERVER_IP : SERVER_VIP;
  for (const r of m.filter((x) => x.type === "OFFER" || x.type === "ACK")) {
    expect(r.src, `${s} replies from ${want} (${s === "isc" ? "its interface address" : "the targeted address"})`).toBe(
      want,
    );
    expect(r.dst, "replies go to giaddr").toBe(RELAY_LAN);
    expect([r.sport, r.dport]).toStrictEqual([67, 67]);
  }
}

function checkClientSide(bytes: Uint8Array): void {
  const m = dora(bytes);
  const types = m.map((x) => x.type);
  for (const t of ["DISCOVER", "OFFER", "REQUEST", "ACK"])
    expect(types.includes(t as never), `client-side capture lacks ${t}: ${types.join(",")}`).toBeTruthy();
  for (const r of m.filter((x) => x.type === "OFFER" || x.type === "ACK")) {
    expect(r.src, "the relay delivers from its client-side address").toBe(RELAY_LAN);
    expect(r.dport).toBe(68);
    expect(r.dst, "BROADCAST flag 0: unicast to yiaddr").toMatch(/^10\.0\.1\.1\d\d$/);
  }
}

describe.skipIf(skip)("interop with ISC DHCP and Kea in network namespaces", { timeout: 240000 }, () => {
  for (const s of ["isc", "kea"] as const) {
    it(
      `${s} server: dhcrelay + dhclient live capture decodes like tshark; the kit's UDP relay gets OFFER and ACK`,
      { timeout: 110000 },
      async () => {
        const c = new Chain();
        try {
          c.up();
          await startServer(c, s);
          // 1. The reference chain: ISC dhcrelay + dhclient.
          const a = await exchange(
            c,
            "isc-relay",
            () => c.iscRelay(SERVER_VIP, true), // with option 82
            "dhcrelay",
          );
          checkAgainstTshark(a.lanFile, a.lan);
          checkAgainstTshark(a.srvFile, a.srv);
          checkServerSide(s, a.srv);
          checkClientSide(a.lan);
          // The simulation of the same chain (same addresses) produces the same addresses, ports, giaddr, hops.
          expect(simShapes(s, "srv"), `simulated vs real (${s}) on the server LAN`).toStrictEqual(captureShapes(a.srv));
          expect(simShapes(s, "lan"), `simulated vs real (${s}) on the client LAN`).toStrictEqual(captureShapes(a.lan));
          // dhcrelay -a inserts option 82 (circuit-id "r0") and strips it from the replies it delivers.
          const circuit = Buffer.from("r0").toString("hex");
          const srvRecs = decodeInput(a.srv, "srv", true).records;
          expect(
            srvRecs.filter((r) => r.dhcp!.op === 1).every((r) => r.fields!.relayAgent?.circuitId === circuit),
            "requests carry option 82 circuit-id r0",
          ).toBeTruthy();
          expect(
            decodeInput(a.lan, "lan", true).records.every((r) => r.fields!.relayAgent === undefined),
            "no option 82 on the client LAN",
          ).toBeTruthy();
          // 2. The kit's relay on real UDP sockets in the relay namespace.
          const b = await exchange(
            c,
            "kit-relay",
            async () => {
              c.start(
                "kit-relay",
                c.ns.r,
                [
                  process.execPath,
                  "--import",
                  "tsx",
                  path.join(ROOT, "test/dhcp/run-relay.ts"),
                  "r0",
                  RELAY_LAN,
                  SERVER_VIP,
                ],
                {},
                ROOT,
              );
              await waitFor(() => c.output("kit-relay").includes("relay listening"), 15000, "the kit's relay to start");
            },
            "kit-relay",
          );
          const relayLog = c.output("kit-relay");
          expect(relayLog, "the kit's relay forwarded the DISCOVER").toMatch(
            /forwarded DISCOVER .*giaddr=10\.0\.1\.1 hops=1/,
          );
          expect(relayLog, "the kit's relay delivered an OFFER").toMatch(
            /delivered OFFER .* from 10\.0\.2\.1?0?0? to 10\.0\.1\.1\d\d/,
          );
          expect(relayLog, "the kit's relay delivered an ACK").toMatch(/delivered ACK /);
          checkAgainstTshark(b.lanFile, b.lan);
          checkAgainstTshark(b.srvFile, b.srv);
          checkServerSide(s, b.srv);
          checkClientSide(b.lan);
        } finally {
          await c.down();
        }
      },
    );
  }
});

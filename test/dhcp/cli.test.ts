import { it, expect } from "vitest";
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { commands } from "../../src/dhcp/cli";
import { runCli } from "../helpers/cli";
import { readPcap } from "../../src/dhcp/pcap";
import { encodeDhcp, makeDhcp, buildOptions } from "../../src/dhcp/packet";
import { bytesToHex } from "../../src/dhcp/addr";

const ROOT = path.resolve(__dirname, "..", "..");
async function run(args: string[]): Promise<{ code?: number; out: string }> {
  const r = await runCli(commands[0]!, args, { root: ROOT });
  return { code: r.code, out: r.out + r.err };
}

it(
  "dhcp lab: broken exits 1 and names the asa; --fix and the fixed config file end BOUND; --pcap writes frames",
  { timeout: 30000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "wldhcp-cli-"));
    try {
      const broken = await run(["lab", "pxe", "--pcap", path.join(dir, "b.pcap")]);
      expect(broken.code).toBe(1);
      expect(broken.out).toMatch(/asa: relay: reply from 10\.20\.30\.11, which is not a configured server/);
      expect(broken.out).toMatch(/palo: \d+ live session\(s\) \(\d+ offloaded\), GUI shows 0 line/);
      expect(readPcap(new Uint8Array(readFileSync(path.join(dir, "b.pcap")))).packets.length > 10).toBeTruthy();
      const inspect = await run([
        "lab",
        "pxe",
        "--seconds",
        "120",
        "--sessions",
        "--capture",
        "palo",
        "--clear",
        "palo@80",
      ]);
      expect(inspect.out).toMatch(/t=80s clear session on palo: 2 session\(s\) cleared/);
      expect(inspect.out).toMatch(/palo: session table[\s\S]*10\.20\.30\.11:67/);
      expect(inspect.out).toMatch(/palo: control-plane capture[\s\S]*OFFER/);
      expect(inspect.out).toMatch(/forti: GUI: \(empty\)/);
      await expect(run(["lab", "pxe", "--clear", "palo"])).rejects.toThrow(/FIREWALL@SECONDS/);
      const fixed = await run(["lab", "pxe", "--fix"]);
      expect(fixed.code).toBe(0);
      expect(fixed.out).toMatch(/client pxe: BOUND 10\.94\.240\.100 \(bootfile pxelinux\.0\)/);
      const conf = path.join(dir, "relay.conf");
      writeFileSync(conf, readFileSync(path.join(ROOT, "solutions/dhcp/relay.conf"), "utf8"));
      expect((await run(["lab", "pxe", "--config", conf])).code).toBe(0);
      writeFileSync(conf, "dhcprelay enable SERVERS-ZONE\ndhcprelay srv 1.2.3.4\n");
      await expect(run(["lab", "pxe", "--config", conf])).rejects.toThrow(
        /unsupported dhcprelay command.*relay.conf:2:11/,
      );
      const j = JSON.parse((await run(["lab", "relay-kea", "--json"])).out);
      expect(j.client.state).toBe("BOUND");
      expect(j.hops.find((h: { msg: string; segment: string }) => h.msg === "OFFER" && h.segment === "srv").srcIp).toBe(
        "10.0.2.100",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

it("dhcp decode: hex and pcap, --json, errors with byte offsets", { timeout: 20000 }, async () => {
  const hex = bytesToHex(
    encodeDhcp(
      makeDhcp({
        op: 1,
        xid: 0xabcdef01,
        chaddr: "6c:2b:59:c1:32:73",
        options: buildOptions({ messageType: "DISCOVER", vendorClassId: "PXEClient" }),
      }),
    ),
  );
  const r = await run(["decode", hex]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/DISCOVER xid=0xabcdef01 chaddr=6c:2b:59:c1:32:73/);
  expect(r.out).toMatch(/60\s+vendor-class-id\s+243\s+9\s+"PXEClient"/);
  const j = JSON.parse((await run(["decode", hex, "--json"])).out);
  expect(j[0].fields.vendorClassId).toBe("PXEClient");
  await expect(run(["decode", hex.slice(0, 400) + "00"])).rejects.toThrow(/byte offset/);
  await expect(run(["decode", "not-a-file.pcap"])).rejects.toThrow(/not a file and not hex/);
  await expect(run(["bogus"])).rejects.toThrow(/unknown dhcp sub-command/);
});

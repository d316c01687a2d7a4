import { test } from "node:test";
import assert from "node:assert/strict";
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

test("dhcp lab: broken exits 1 and names the asa; --fix and the fixed config file end BOUND; --pcap writes frames", { timeout: 30000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "wldhcp-cli-"));
  try {
    const broken = await run(["lab", "pxe", "--pcap", path.join(dir, "b.pcap")]);
    assert.equal(broken.code, 1);
    assert.match(broken.out, /asa: relay: reply from 10\.20\.30\.11, which is not a configured server/);
    assert.match(broken.out, /palo: \d+ live session\(s\) \(\d+ offloaded\), GUI shows 0 line/);
    assert.ok(readPcap(new Uint8Array(readFileSync(path.join(dir, "b.pcap")))).packets.length > 10);
    const inspect = await run(["lab", "pxe", "--seconds", "120", "--sessions", "--capture", "palo", "--clear", "palo@80"]);
    assert.match(inspect.out, /t=80s clear session on palo: 2 session\(s\) cleared/);
    assert.match(inspect.out, /palo: session table[\s\S]*10\.20\.30\.11:67/);
    assert.match(inspect.out, /palo: control-plane capture[\s\S]*OFFER/);
    assert.match(inspect.out, /forti: GUI: \(empty\)/);
    await assert.rejects(run(["lab", "pxe", "--clear", "palo"]), /FIREWALL@SECONDS/);
    const fixed = await run(["lab", "pxe", "--fix"]);
    assert.equal(fixed.code, 0);
    assert.match(fixed.out, /client pxe: BOUND 10\.94\.240\.100 \(bootfile pxelinux\.0\)/);
    const conf = path.join(dir, "relay.conf");
    writeFileSync(conf, readFileSync(path.join(ROOT, "solutions/dhcp/relay.conf"), "utf8"));
    assert.equal((await run(["lab", "pxe", "--config", conf])).code, 0);
    writeFileSync(conf, "dhcprelay enable SERVERS-ZONE\ndhcprelay srv 1.2.3.4\n");
    await assert.rejects(run(["lab", "pxe", "--config", conf]), /unsupported dhcprelay command.*relay.conf:2:11/);
    const j = JSON.parse((await run(["lab", "relay-kea", "--json"])).out);
    assert.equal(j.client.state, "BOUND");
    assert.equal(j.hops.find((h: { msg: string; segment: string }) => h.msg === "OFFER" && h.segment === "srv").srcIp, "10.0.2.100");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("dhcp decode: hex and pcap, --json, errors with byte offsets", { timeout: 20000 }, async () => {
  const hex = bytesToHex(encodeDhcp(makeDhcp({ op: 1, xid: 0xabcdef01, chaddr: "6c:2b:59:c1:32:73", options: buildOptions({ messageType: "DISCOVER", vendorClassId: "PXEClient" }) })));
  const r = await run(["decode", hex]);
  assert.equal(r.code, 0);
  assert.match(r.out, /DISCOVER xid=0xabcdef01 chaddr=6c:2b:59:c1:32:73/);
  assert.match(r.out, /60\s+vendor-class-id\s+243\s+9\s+"PXEClient"/);
  const j = JSON.parse((await run(["decode", hex, "--json"])).out);
  assert.equal(j[0].fields.vendorClassId, "PXEClient");
  await assert.rejects(run(["decode", hex.slice(0, 400) + "00"]), /byte offset/);
  await assert.rejects(run(["decode", "not-a-file.pcap"]), /not a file and not hex/);
  await assert.rejects(run(["bogus"]), /unknown dhcp sub-command/);
});

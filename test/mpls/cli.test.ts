import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commands } from "../../src/mpls/cli";
import { runCli } from "../helpers/cli";

const root = join(__dirname, "../..");
const run = (args: string[]) => runCli(commands[0]!, args, { root });

test("mpls trace --json reports the walk, --pcap writes the frames", { timeout: 10000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "wlmpls-cli-"));
  try {
    const pcap = join(dir, "t.pcap");
    const r = await run(["trace", join(root, "labs/mpls/lab.yaml"), "--from", "PE1", "--to", "192.168.2.0/24", "--json", "--pcap", pcap]);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.equal(j.outcome, "delivered");
    assert.equal(j.vrf, "CUST1");
    assert.deepEqual(j.hops.map((h: { router: string }) => h.router), ["PE1", "P3", "P4", "PE2"]);
    assert.equal(j.pcap.frames, 4);
    assert.equal(readFileSync(pcap).readUInt32LE(0), 0xa1b2c3d4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("mpls trace text output and exit code 1 for a broken LSP", { timeout: 10000 }, async () => {
  const r = await run(["trace", join(root, "labs/mpls/broken.yaml"), "--from", "PE1", "--to", "198.51.100.0/24"]);
  assert.equal(r.code, 1);
  assert.match(r.out, /ttl-expired/);
  assert.match(r.out, /LOOP/);
});

test("mpls lfib --router and lsps", { timeout: 10000 }, async () => {
  const r = await run(["lfib", join(root, "labs/mpls/lab.yaml"), "--router", "P3", "--json"]);
  const rows = JSON.parse(r.out);
  assert.ok(rows.length > 0 && rows.every((x: { router: string }) => x.router === "P3"));
  assert.ok(rows.some((x: { owner: string }) => x.owner === "rsvp PE1-to-PE2"));
  const l = await run(["lsps", join(root, "labs/mpls/lab.yaml")]);
  assert.match(l.out, /PE1 P3 P4 PE2/);
  await assert.rejects(Promise.resolve().then(() => run(["lfib", join(root, "labs/mpls/lab.yaml"), "--router", "X9"])), /undefined router "X9"/);
  await assert.rejects(Promise.resolve().then(() => run(["trace", join(root, "labs/mpls/nope.yaml"), "--from", "PE1", "--to", "1.2.3.4"])), /cannot read topology file/);
});

import { it, expect } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commands } from "../../src/mpls/cli";
import { runCli } from "../helpers/cli";

const root = join(__dirname, "../..");
const run = (args: string[]) => runCli(commands[0]!, args, { root });

it("mpls trace --json reports the walk, --pcap writes the frames", { timeout: 10000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "wlmpls-cli-"));
  try {
    const pcap = join(dir, "t.pcap");
    const r = await run([
      "trace",
      join(root, "labs/mpls/lab.yaml"),
      "--from",
      "PE1",
      "--to",
      "192.168.2.0/24",
      "--json",
      "--pcap",
      pcap,
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.outcome).toBe("delivered");
    expect(j.vrf).toBe("CUST1");
    expect(j.hops.map((h: { router: string }) => h.router)).toStrictEqual(["PE1", "P3", "P4", "PE2"]);
    expect(j.pcap.frames).toBe(4);
    expect(readFileSync(pcap).readUInt32LE(0)).toBe(0xa1b2c3d4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("mpls trace text output and exit code 1 for a broken LSP", { timeout: 10000 }, async () => {
  const r = await run(["trace", join(root, "labs/mpls/broken.yaml"), "--from", "PE1", "--to", "198.51.100.0/24"]);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/ttl-expired/);
  expect(r.out).toMatch(/LOOP/);
});

it("mpls lfib --router and lsps", { timeout: 10000 }, async () => {
  const r = await run(["lfib", join(root, "labs/mpls/lab.yaml"), "--router", "P3", "--json"]);
  const rows = JSON.parse(r.out);
  expect(rows.length > 0 && rows.every((x: { router: string }) => x.router === "P3")).toBeTruthy();
  expect(rows.some((x: { owner: string }) => x.owner === "rsvp PE1-to-PE2")).toBeTruthy();
  const l = await run(["lsps", join(root, "labs/mpls/lab.yaml")]);
  expect(l.out).toMatch(/PE1 P3 P4 PE2/);
  await expect(
    Promise.resolve().then(() => run(["lfib", join(root, "labs/mpls/lab.yaml"), "--router", "X9"])),
  ).rejects.toThrow(/undefined router "X9"/);
  await expect(
    Promise.resolve().then(() => run(["trace", join(root, "labs/mpls/nope.yaml"), "--from", "PE1", "--to", "1.2.3.4"])),
  ).rejects.toThrow(/cannot read topology file/);
});

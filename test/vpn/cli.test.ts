import { it, expect } from "vitest";
import { commands } from "../../src/vpn/cli";
import { runCli } from "../helpers/cli";

const run = (args: string[]) => runCli(commands[0]!, args, { catchErrors: true });

const LAB = ["labs/vpn/vmx1.set", "labs/vpn/vmx3.set", "labs/vpn/vmx5.set", "labs/vpn/vmx7.set"];

it("vpn tables: tables, --explain names the RR hiding a path", { timeout: 20000 }, async () => {
  const r = await run(["tables", ...LAB, "--routes", "labs/vpn/routes.txt", "--vrf", "customer", "--explain"]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/vmx5\s+customer\s+192\.0\.2\.53\/32\s+10\.0\.0\.1\s+65000:1/);
  expect(r.out).toMatch(/\[hide\] vmx7 keeps 65000:1:192\.0\.2\.53\/32 via vmx3/);
  expect(r.out).toMatch(/\[import\] imported into customer on vmx5: .*term services accepts/);
});

it("vpn tables --json and bundles", { timeout: 20000 }, async () => {
  const r = await run(["tables", "solutions/vpn/rr-multipath.set", "--json", "--router", "vmx5"]);
  const j = JSON.parse(r.out);
  const svc = j.vrfTables[0].routes.filter((x: { prefix: string }) => x.prefix === "192.0.2.53/32");
  expect(svc.map((x: { nextHop: string; multipath: boolean }) => [x.nextHop, x.multipath])).toStrictEqual([
    ["10.0.0.1", true],
    ["10.0.0.3", true],
  ]);
});

it("vpn rib and value", { timeout: 20000 }, async () => {
  const rib = await run(["rib", ...LAB, "--router", "vmx7"]);
  expect(rib.out).toMatch(/65000:1:192\.0\.2\.53\/32\s+10\.0\.0\.3/);
  expect((await run(["value", "65536:1"])).out).toMatch(/RD type 2/);
  expect((await run(["value", "02", "02", "00", "01", "00", "00", "00", "2a"])).out).toMatch(/^target:65536:42/);
  expect((await run(["value", "00 01 0a 00 00 05 00 64"])).out).toMatch(/^10\.0\.0\.5:100/);
});

it("vpn: bad input names the value and place", { timeout: 20000 }, async () => {
  expect((await run(["tables"])).error!.message).toMatch(/at least one configuration file/);
  expect((await run(["tables", "no/such.set"])).error!.message).toMatch(/cannot read file.*no\/such\.set/);
  expect((await run(["tables", ...LAB, "--router", "vmx9"])).error!.message).toMatch(/no such router.*vmx9/);
  expect((await run(["value", "65000:99999999999"])).error!.message).toMatch(/4 bytes/);
  expect((await run(["frob"])).error!.message).toMatch(/unknown vpn sub-command/);
});

it("vpn tables --explain --prefix keeps one prefix's story", { timeout: 20000 }, async () => {
  const r = await run(["tables", ...LAB, "--routes", "labs/vpn/routes.txt", "--explain", "--prefix", "10.12.0.0/24"]);
  const why = r.out.split("Why:")[1]!;
  expect(why.includes("[export] vmx5 exports 10.12.0.0/24")).toBeTruthy();
  expect(!why.includes("192.0.2.53"), why).toBeTruthy();
});

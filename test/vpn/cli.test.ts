import { test } from "node:test";
import assert from "node:assert/strict";
import { commands } from "../../src/vpn/cli";
import { runCli } from "../helpers/cli";

const run = (args: string[]) => runCli(commands[0]!, args, { catchErrors: true });

const LAB = ["labs/vpn/vmx1.set", "labs/vpn/vmx3.set", "labs/vpn/vmx5.set", "labs/vpn/vmx7.set"];

test("vpn tables: tables, --explain names the RR hiding a path", { timeout: 20000 }, async () => {
  const r = await run(["tables", ...LAB, "--routes", "labs/vpn/routes.txt", "--vrf", "customer", "--explain"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /vmx5\s+customer\s+192\.0\.2\.53\/32\s+10\.0\.0\.1\s+65000:1/);
  assert.match(r.out, /\[hide\] vmx7 keeps 65000:1:192\.0\.2\.53\/32 via vmx3/);
  assert.match(r.out, /\[import\] imported into customer on vmx5: .*term services accepts/);
});

test("vpn tables --json and bundles", { timeout: 20000 }, async () => {
  const r = await run(["tables", "solutions/vpn/rr-multipath.set", "--json", "--router", "vmx5"]);
  const j = JSON.parse(r.out);
  const svc = j.vrfTables[0].routes.filter((x: { prefix: string }) => x.prefix === "192.0.2.53/32");
  assert.deepEqual(svc.map((x: { nextHop: string; multipath: boolean }) => [x.nextHop, x.multipath]), [["10.0.0.1", true], ["10.0.0.3", true]]);
});

test("vpn rib and value", { timeout: 20000 }, async () => {
  const rib = await run(["rib", ...LAB, "--router", "vmx7"]);
  assert.match(rib.out, /65000:1:192\.0\.2\.53\/32\s+10\.0\.0\.3/);
  assert.match((await run(["value", "65536:1"])).out, /RD type 2/);
  assert.match((await run(["value", "02", "02", "00", "01", "00", "00", "00", "2a"])).out, /^target:65536:42/);
  assert.match((await run(["value", "00 01 0a 00 00 05 00 64"])).out, /^10\.0\.0\.5:100/);
});

test("vpn: bad input names the value and place", { timeout: 20000 }, async () => {
  assert.match((await run(["tables"])).error!.message, /at least one configuration file/);
  assert.match((await run(["tables", "no/such.set"])).error!.message, /cannot read file.*no\/such\.set/);
  assert.match((await run(["tables", ...LAB, "--router", "vmx9"])).error!.message, /no such router.*vmx9/);
  assert.match((await run(["value", "65000:99999999999"])).error!.message, /4 bytes/);
  assert.match((await run(["frob"])).error!.message, /unknown vpn sub-command/);
});

test("vpn tables --explain --prefix keeps one prefix's story", { timeout: 20000 }, async () => {
  const r = await run(["tables", ...LAB, "--routes", "labs/vpn/routes.txt", "--explain", "--prefix", "10.12.0.0/24"]);
  const why = r.out.split("Why:")[1]!;
  assert.ok(why.includes("[export] vmx5 exports 10.12.0.0/24"));
  assert.ok(!why.includes("192.0.2.53"), why);
});

// Wrong answers fail with messages that teach (the grading helper covers stubs and solutions).
import { it, expect } from "vitest";
import { exercises } from "../../src/dhcp/exercises";
import { FIXED_RELAY_CONFIG } from "../../src/dhcp/lab";

const ex = (id: string) => exercises.find((e) => e.id === id)!;
const runAll = async (id: string, answer: unknown) => {
  const out: Array<{ name: string; pass: boolean; message: string }> = [];
  for (const t of [...ex(id).public, ...ex(id).hidden]) {
    const r = await t.run(answer, undefined as never);
    out.push({ name: t.name, ...(typeof r === "boolean" ? { pass: r, message: "" } : r) });
  }
  return out;
};

it("fix: removing the VIP or breaking the syntax is caught", { timeout: 30000 }, async () => {
  const noVip = FIXED_RELAY_CONFIG.replace("dhcprelay server 10.20.30.10 EGRESS\n", "");
  const r = await runAll("dhcp.fix", noVip);
  expect(r.find((x) => x.name === "the PXE client ends BOUND")!.pass).toBe(true);
  expect(r.find((x) => /VIP stays/.test(x.name))!.message).toMatch(
    /VIP 10.20.30.10 is gone.*every address a reply may come from/,
  );
  const bad = await runAll("dhcp.fix", FIXED_RELAY_CONFIG + "dhcprelay server 10.20.30.1234 EGRESS\n");
  expect(bad[0]!.message).toMatch(/not an IPv4 address.*relay.conf:6:18/);
  const broken = await runAll("dhcp.fix", FIXED_RELAY_CONFIG.replace("10.20.30.11", "10.20.30.12"));
  expect(broken.find((x) => x.name === "the PXE client ends BOUND")!.message).toMatch(
    /still SELECTING.*asa: relay: reply from 10.20.30.11/,
  );
  expect(
    ex("dhcp.fix").isUnattempted!(
      "! a comment\n" + FIXED_RELAY_CONFIG.split("\n").slice(1, 4).join("\n"),
      undefined as never,
    ),
  ).toBeTruthy();
});

it("decode, hops, dropper, forward: wrong answers fail and say where to look", { timeout: 30000 }, async () => {
  const d = await runAll("dhcp.decode", {
    messageType: "DHCPOFFER",
    xid: 0x2d5c0ff1,
    yiaddr: "10.94.240.1",
    giaddr: "10.94.240.1",
    hops: 0,
    broadcastFlag: true,
    serverId: "10.20.30.10",
    leaseTime: 600,
    bootfile: "pxelinux.0",
  });
  expect(d.filter((x) => !x.pass).map((x) => x.name)).toStrictEqual(["field yiaddr", "field hops", "field serverId"]);
  const h = await runAll("dhcp.hops", [{ msg: "DISCOVER" }]);
  expect(h[0]!.message).toMatch(/your table has 1 row\(s\)/);
  expect(h[0]!.message, "the row count is not given away").not.toMatch(/\b7\b/);
  const c = await runAll("dhcp.dropper", "A");
  expect(c[0]!.message).toMatch(/"A" is not right/);
  expect(c[0]!.message, "the failure does not name the right device").not.toMatch(/asa|\bC\b/);
  const f = await runAll("dhcp.forward", {
    forwardRequest: (p: { giaddr: string; hops: number }, ip: string) => ({ giaddr: ip, hops: p.hops + 1 }),
  });
  expect(f.filter((x) => !x.pass).map((x) => x.name)).toStrictEqual([
    "second relay keeps giaddr",
    "hops at the limit is dropped",
    "one below the limit passes",
    "hops 255 never wraps",
  ]);
});

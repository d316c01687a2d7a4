/**
 * Carrier supporting carrier and the inter-AS options (src/mpls/csc.ts, exercise mpls.csc): the
 * exercise's embedded topology is the lab's, the bindings table never shows forwarding actions,
 * option C's label count on the ASBR link matches the BGP-LU lab's walk, and each wrong stack
 * fails with the mechanism it misses.
 */
import { it, expect } from "vitest";
import { INTER_AS_OPTIONS, interAsStacks, interAsTable, labNetwork, labelBindings, trace } from "../../src/mpls";
import { CSC_LINKS, cscExercise, cscStacks } from "../../src/mpls/exercise-csc";

const stacksOf = (net: ReturnType<typeof labNetwork>, from: string, to: string) =>
  trace(net, { from, to })
    .hops.filter((h) => h.next)
    .map((h) => h.outStack.map((e) => e.label));

it("the exercise's embedded topology gives the same walk as labs/mpls/csc.yaml", () => {
  expect(cscStacks()).toStrictEqual(stacksOf(labNetwork("csc"), "cPE1", "192.168.2.0/24"));
  const s = cscStacks();
  expect(s.length).toBe(CSC_LINKS.length);
  expect(
    s.map((x) => x.length),
    "two labels in the sites, three in the backbone core, VPN label alone into cPE2",
  ).toStrictEqual([2, 2, 3, 2, 2, 1]);
  const vpn = s[0]![1]!;
  expect(
    s.every((x) => x[x.length - 1] === vpn),
    "the customer carrier's VPN label is never swapped",
  ).toBeTruthy();
});

it("the bindings table lists advertised labels only (no actions, no next hops)", () => {
  const rows = labelBindings(labNetwork("csc"));
  expect(rows.length > 30).toBeTruthy();
  for (const r of rows) expect(Object.keys(r)).toStrictEqual(["router", "protocol", "fec", "label it advertises"]);
  expect(
    rows.some(
      (r) =>
        r.router === "cPE2" &&
        r.protocol === "BGP-LU" &&
        r.fec === "10.12.0.1/32" &&
        r["label it advertises"] === "3 (implicit null)",
    ),
  ).toBeTruthy();
  expect(rows.some((r) => r.router === "PE1" && String(r.protocol).includes("vrf CC"))).toBeTruthy();
});

it("inter-AS option C's label count on the ASBR link is what the BGP-LU lab's walk carries", () => {
  const w = trace(labNetwork("bgplu"), { from: "PE1", to: "192.168.2.0/24" });
  const asbrLink = w.hops.find((h) => h.router === "ASBR1" && h.next === "ASBR2")!;
  const c = INTER_AS_OPTIONS.find((o) => o.option === "C")!;
  expect(asbrLink.outStack.length).toBe(c.asbrLinkStack.length);
  expect(INTER_AS_OPTIONS.map((o) => o.asbrLinkStack.length)).toStrictEqual([0, 1, 2]);
  expect(interAsTable().text).toMatch(/RFC 4364 §10/);
  expect(interAsStacks().text).toMatch(/option C/);
});

it("mpls.csc: each plausible wrong stack fails its segment with the mechanism", async () => {
  const right = cscStacks();
  const ctx = { root: "", evaluate: () => 0n } as never;
  const grade = async (answer: unknown) =>
    Promise.all(cscExercise.public.map(async (t) => (await t.run(answer, ctx)) as { pass: boolean; message: string }));
  expect((await grade(right)).every((r) => r.pass)).toBeTruthy();
  // Forgetting the backbone's own transport label: two labels in the core.
  const noTransport = right.map((s, i) => (i === 2 ? s.slice(1) : s));
  const r1 = await grade(noTransport);
  expect(r1.map((r) => r.pass)).toStrictEqual([true, false, true]);
  expect(r1[1]!.message).toMatch(/backbone's own LDP label/);
  // No PHP at cCE2: the BGP-LU label still on the last link.
  const noPhp = right.map((s, i) => (i === 5 ? [right[4]![0]!, ...s] : s));
  const r2 = await grade(noPhp);
  expect(r2.map((r) => r.pass)).toStrictEqual([true, true, false]);
  expect(r2[2]!.message).toMatch(/implicit null \(3\) for its own loopback/);
  // Swapping the VPN label along the way.
  const swapped = right.map((s, i) => (i >= 3 ? [...s.slice(0, -1), 9999] : s));
  const r3 = await grade(swapped);
  expect(r3[1]!.message + r3[2]!.message).toMatch(/unchanged from cPE1 to cPE2/);
  expect((await grade("x"))[0]!.message).toMatch(/answer with an object|array of 6 stacks/);
});

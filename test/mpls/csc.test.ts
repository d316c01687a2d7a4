/**
 * Carrier supporting carrier and the inter-AS options (src/mpls/csc.ts, exercise mpls.csc): the
 * exercise's embedded topology is the lab's, the bindings table never shows forwarding actions,
 * option C's label count on the ASBR link matches the BGP-LU lab's walk, and each wrong stack
 * fails with the mechanism it misses.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { INTER_AS_OPTIONS, interAsStacks, interAsTable, labNetwork, labelBindings, trace } from "../../src/mpls";
import { CSC_LINKS, cscExercise, cscStacks } from "../../src/mpls/exercise-csc";

const stacksOf = (net: ReturnType<typeof labNetwork>, from: string, to: string) =>
  trace(net, { from, to })
    .hops.filter((h) => h.next)
    .map((h) => h.outStack.map((e) => e.label));

test("the exercise's embedded topology gives the same walk as labs/mpls/csc.yaml", () => {
  assert.deepEqual(cscStacks(), stacksOf(labNetwork("csc"), "cPE1", "192.168.2.0/24"));
  const s = cscStacks();
  assert.equal(s.length, CSC_LINKS.length);
  assert.deepEqual(s.map((x) => x.length), [2, 2, 3, 2, 2, 1], "two labels in the sites, three in the backbone core, VPN label alone into cPE2");
  const vpn = s[0]![1]!;
  assert.ok(s.every((x) => x[x.length - 1] === vpn), "the customer carrier's VPN label is never swapped");
});

test("the bindings table lists advertised labels only (no actions, no next hops)", () => {
  const rows = labelBindings(labNetwork("csc"));
  assert.ok(rows.length > 30);
  for (const r of rows) assert.deepEqual(Object.keys(r), ["router", "protocol", "fec", "label it advertises"]);
  assert.ok(rows.some((r) => r.router === "cPE2" && r.protocol === "BGP-LU" && r.fec === "10.12.0.1/32" && r["label it advertises"] === "3 (implicit null)"));
  assert.ok(rows.some((r) => r.router === "PE1" && String(r.protocol).includes("vrf CC")));
});

test("inter-AS option C's label count on the ASBR link is what the BGP-LU lab's walk carries", () => {
  const w = trace(labNetwork("bgplu"), { from: "PE1", to: "192.168.2.0/24" });
  const asbrLink = w.hops.find((h) => h.router === "ASBR1" && h.next === "ASBR2")!;
  const c = INTER_AS_OPTIONS.find((o) => o.option === "C")!;
  assert.equal(asbrLink.outStack.length, c.asbrLinkStack.length);
  assert.deepEqual(INTER_AS_OPTIONS.map((o) => o.asbrLinkStack.length), [0, 1, 2]);
  assert.match(interAsTable().text, /RFC 4364 §10/);
  assert.match(interAsStacks().text, /option C/);
});

test("mpls.csc: each plausible wrong stack fails its segment with the mechanism", async () => {
  const right = cscStacks();
  const ctx = { root: "", evaluate: () => 0n } as never;
  const grade = async (answer: unknown) => Promise.all(cscExercise.public.map(async (t) => (await t.run(answer, ctx)) as { pass: boolean; message: string }));
  assert.ok((await grade(right)).every((r) => r.pass));
  // Forgetting the backbone's own transport label: two labels in the core.
  const noTransport = right.map((s, i) => (i === 2 ? s.slice(1) : s));
  const r1 = await grade(noTransport);
  assert.deepEqual(r1.map((r) => r.pass), [true, false, true]);
  assert.match(r1[1]!.message, /backbone's own LDP label/);
  // No PHP at cCE2: the BGP-LU label still on the last link.
  const noPhp = right.map((s, i) => (i === 5 ? [right[4]![0]!, ...s] : s));
  const r2 = await grade(noPhp);
  assert.deepEqual(r2.map((r) => r.pass), [true, true, false]);
  assert.match(r2[2]!.message, /implicit null \(3\) for its own loopback/);
  // Swapping the VPN label along the way.
  const swapped = right.map((s, i) => (i >= 3 ? [...s.slice(0, -1), 9999] : s));
  const r3 = await grade(swapped);
  assert.match(r3[1]!.message + r3[2]!.message, /unchanged from cPE1 to cPE2/);
  assert.match((await grade("x"))[0]!.message, /answer with an object|array of 6 stacks/);
});

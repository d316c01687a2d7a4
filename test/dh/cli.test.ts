/** `wirelab dh …` commands, called in-process with a captured io. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { commands } from "../../src/dh/cli";
import { runCli } from "../helpers/cli";
import { getGroup } from "../../src/dh/groups";

const run = (args: string[]) => runCli(commands[0]!, args);

test("dh modpow: plain, --trace table, --json", { timeout: 10000 }, async () => {
  assert.deepEqual(await run(["modpow", "7", "29", "17"]), { code: 0, out: "6\n", err: "" });
  const t = await run(["modpow", "7", "29", "17", "--trace"]);
  assert.match(t.out, /exponent 29 = 11101b = 16 \+ 8 \+ 4 \+ 1 → result 6/);
  assert.deepEqual(t.out.split("\n").slice(3, 8).map((l) => l.trim().split(/\s+/)[3]), ["7", "15", "4", "16", "1"]);
  const j = JSON.parse((await run(["modpow", "0x7", "29", "17", "--trace", "--json"])).out);
  assert.equal(j.result, "6");
  assert.deepEqual(j.steps.map((s: { square: string }) => s.square), ["7", "15", "4", "16", "1"]);
  assert.equal(JSON.parse((await run(["modpow", "2", "10", "1000", "--json"])).out).result, "24");
});

test("dh modpow: bad input names the argument and value", { timeout: 10000 }, async () => {
  await assert.rejects(run(["modpow", "7", "x", "17"]), /not an integer.*got "x", in argument <exp>/);
  await assert.rejects(run(["modpow", "7", "2", "1"]), /modulus must be greater than 1 \(got 1n/);
  await assert.rejects(run(["modpow", "7", "-2", "11"]), /Unknown option .-2./);
  await assert.rejects(run(["modpow", "--", "7", "-2", "11"]), /exponent must be non-negative \(got -2n/);
  await assert.rejects(run(["modpow", "7", "2"]), /exactly three integers/);
  await assert.rejects(run(["frobnicate"]), /unknown dh sub-command.*"frobnicate"/);
});

test("dh groups: 13 groups, JSON p matches the library", { timeout: 10000 }, async () => {
  const text = (await run(["groups"])).out;
  for (const n of ["modp768", "modp8192", "ffdhe2048", "ffdhe8192", "RFC 7919 A.5"]) assert.ok(text.includes(n), n);
  const j = JSON.parse((await run(["groups", "--json"])).out);
  assert.equal(j.length, 13);
  assert.equal(BigInt(j.find((g: { name: string }) => g.name === "modp2048").p), getGroup("modp14").p);
});

test("dh exchange: agreement, JSON transcript, unknown group", { timeout: 30000 }, async () => {
  const r = await run(["exchange", "--group", "modp1024", "--seed", "7"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /Alice → Eve|Alice → Bob/);
  assert.match(r.out, /share a 1024-bit secret/);
  const j = JSON.parse((await run(["exchange", "--group", "ffdhe2048", "--json"])).out);
  assert.equal(j.agreed, true);
  assert.equal(j.alice.secret, j.bob.secret);
  assert.deepEqual(j.wire.map((m: { field: string }) => m.field), ["p", "g", "public key", "public key"]);
  await assert.rejects(run(["exchange", "--group", "modp13"]), /unknown DH group \(got "modp13"/);
  await assert.rejects(run(["exchange", "--validate", "maybe"]), /--validate must be none, range or full/);
});

test("dh lab: runs the shipped settings; --config with a bad file names file:line", { timeout: 60000 }, async () => {
  const r = await run(["lab"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /group = toy32, validate = none/);
  assert.match(r.out, /Eve recovered the secret/);
  const j = JSON.parse((await run(["lab", "--json"])).out);
  assert.deepEqual(j.active.map((a: { succeeded: boolean }) => a.succeeded), [true, true, true, true, true]);
  const fs = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wldh-"));
  try {
    const bad = path.join(dir, "lab.conf");
    fs.writeFileSync(bad, "group = toy32\nvalidate = yes\n");
    await assert.rejects(run(["lab", "--config", bad]), new RegExp(`got "yes", at ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:12`));
    fs.writeFileSync(bad, "group = toy32\nvalidate = full\n");
    const safe = JSON.parse((await run(["lab", "--config", bad, "--json"])).out);
    assert.deepEqual(safe.active.map((a: { succeeded: boolean }) => a.succeeded), [false, false, false, false, false]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

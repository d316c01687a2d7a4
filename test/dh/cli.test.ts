/** `wirelab dh …` commands, called in-process with a captured io. */
import { it, expect } from "vitest";
import { commands } from "../../src/dh/cli";
import { runCli } from "../helpers/cli";
import { getGroup } from "../../src/dh/groups";

const run = (args: string[]) => runCli(commands[0]!, args);

it("dh modpow: plain, --trace table, --json", { timeout: 10000 }, async () => {
  expect(await run(["modpow", "7", "29", "17"])).toStrictEqual({ code: 0, out: "6\n", err: "" });
  const t = await run(["modpow", "7", "29", "17", "--trace"]);
  expect(t.out).toMatch(/exponent 29 = 11101b = 16 \+ 8 \+ 4 \+ 1 → result 6/);
  expect(
    t.out
      .split("\n")
      .slice(3, 8)
      .map((l) => l.trim().split(/\s+/)[3]),
  ).toStrictEqual(["7", "15", "4", "16", "1"]);
  const j = JSON.parse((await run(["modpow", "0x7", "29", "17", "--trace", "--json"])).out);
  expect(j.result).toBe("6");
  expect(j.steps.map((s: { square: string }) => s.square)).toStrictEqual(["7", "15", "4", "16", "1"]);
  expect(JSON.parse((await run(["modpow", "2", "10", "1000", "--json"])).out).result).toBe("24");
});

it("dh modpow: bad input names the argument and value", { timeout: 10000 }, async () => {
  await expect(run(["modpow", "7", "x", "17"])).rejects.toThrow(/not an integer.*got "x", in argument <exp>/);
  await expect(run(["modpow", "7", "2", "1"])).rejects.toThrow(/modulus must be greater than 1 \(got 1n/);
  await expect(run(["modpow", "7", "-2", "11"])).rejects.toThrow(/Unknown option .-2./);
  await expect(run(["modpow", "--", "7", "-2", "11"])).rejects.toThrow(/exponent must be non-negative \(got -2n/);
  await expect(run(["modpow", "7", "2"])).rejects.toThrow(/exactly three integers/);
  await expect(run(["frobnicate"])).rejects.toThrow(/unknown dh sub-command.*"frobnicate"/);
});

it("dh groups: 13 groups, JSON p matches the library", { timeout: 10000 }, async () => {
  const text = (await run(["groups"])).out;
  for (const n of ["modp768", "modp8192", "ffdhe2048", "ffdhe8192", "RFC 7919 A.5"])
    expect(text.includes(n), n).toBeTruthy();
  const j = JSON.parse((await run(["groups", "--json"])).out);
  expect(j.length).toBe(13);
  expect(BigInt(j.find((g: { name: string }) => g.name === "modp2048").p)).toBe(getGroup("modp14").p);
});

it("dh exchange: agreement, JSON transcript, unknown group", { timeout: 30000 }, async () => {
  const r = await run(["exchange", "--group", "modp1024", "--seed", "7"]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/Alice → Eve|Alice → Bob/);
  expect(r.out).toMatch(/share a 1024-bit secret/);
  const j = JSON.parse((await run(["exchange", "--group", "ffdhe2048", "--json"])).out);
  expect(j.agreed).toBe(true);
  expect(j.alice.secret).toBe(j.bob.secret);
  expect(j.wire.map((m: { field: string }) => m.field)).toStrictEqual(["p", "g", "public key", "public key"]);
  await expect(run(["exchange", "--group", "modp13"])).rejects.toThrow(/unknown DH group \(got "modp13"/);
  await expect(run(["exchange", "--validate", "maybe"])).rejects.toThrow(/--validate must be none, range or full/);
});

it("dh lab: runs the shipped settings; --config with a bad file names file:line", { timeout: 60000 }, async () => {
  const r = await run(["lab"]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/group = toy32, validate = none/);
  expect(r.out).toMatch(/Eve recovered the secret/);
  const j = JSON.parse((await run(["lab", "--json"])).out);
  expect(j.active.map((a: { succeeded: boolean }) => a.succeeded)).toStrictEqual([true, true, true, true, true]);
  const fs = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wldh-"));
  try {
    const bad = path.join(dir, "lab.conf");
    fs.writeFileSync(bad, "group = toy32\nvalidate = yes\n");
    await expect(run(["lab", "--config", bad])).rejects.toThrow(
      new RegExp(`got "yes", at ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:12`),
    );
    fs.writeFileSync(bad, "group = toy32\nvalidate = full\n");
    const safe = JSON.parse((await run(["lab", "--config", bad, "--json"])).out);
    expect(safe.active.map((a: { succeeded: boolean }) => a.succeeded)).toStrictEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

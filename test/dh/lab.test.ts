/** The "Eve on the wire" lab: settings parsing, Eve's discrete log (vs gp znlog), attacks vs validation. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { oracle } from "../helpers/oracle";
import { parseLabConfig, loadLabConfig, labGroup, passiveEve, activeAttacks, babyStepGiantStep } from "../../src/dh/lab";
import { modPow } from "../../src/math/modular";

const noGp = oracle("PARI/GP", ["gp", "--version-short"], "apt-get install pari-gp");
const LAB = path.resolve(__dirname, "../../labs/dh/lab.conf");

test("the shipped lab.conf parses to the textbook setting (toy32, no validation)", { timeout: 5000 }, () => {
  const cfg = loadLabConfig(LAB);
  assert.equal(cfg.group, "toy32");
  assert.equal(cfg.validate, "none");
});

test("lab.conf errors name file:line:column and the value", { timeout: 5000 }, () => {
  assert.throws(() => parseLabConfig("group = toy32\nvalidate = maybe\n", "lab.conf"), /validate must be none, range or full \(got "maybe", at lab.conf:2:12\)/);
  assert.throws(() => parseLabConfig("# c\n  colour = red\n", "lab.conf"), /unknown setting.*got "colour", at lab.conf:2:3/);
  assert.throws(() => parseLabConfig("group = toy64\n", "x.conf"), /16 to 40 bits.*got "toy64", at x.conf:1:9/);
  assert.throws(() => parseLabConfig("group = modp13\n", "x.conf"), /unknown group.*got "modp13", at x.conf:1:9/);
  assert.throws(() => parseLabConfig("just words\n", "x.conf"), /expected `key = value`.*x.conf:1:1/);
  assert.throws(() => loadLabConfig("/nonexistent/lab.conf"), /cannot read the lab settings/);
  assert.deepEqual(parseLabConfig("group = modp2048 # named\nseed = 7\nvalidate = full\n", "f"), { group: "modp2048", seed: "7", validate: "full", file: "f" });
});

test("baby-step giant-step agrees with gp znlog", { skip: noGp, timeout: 60000 }, () => {
  const rows: string[] = [];
  const mine: string[] = [];
  for (const bits of [16, 24, 32]) {
    const g = labGroup({ group: `toy${bits}`, seed: "bsgs" });
    for (const x of [1n, 2n, g.q - 1n, (g.q * 2n) / 3n]) {
      const y = modPow(g.g, x, g.p);
      mine.push(String(babyStepGiantStep(g.g, y, g.p, g.q)));
      rows.push(`print(znlog(Mod(${y},${g.p}), Mod(${g.g},${g.p}), ${g.q}))`);
    }
  }
  const r = spawnSync("gp", ["-q", "-f"], { input: rows.join("\n") + "\nquit\n", encoding: "utf8", timeout: 30000 });
  assert.deepEqual(mine, r.stdout.trim().split("\n"));
  assert.equal(babyStepGiantStep(2n, 5n, 23n, 11n), undefined, "5 is not a power of 2 mod 23");
});

test("passive Eve breaks toy groups, not named ones", { timeout: 60000 }, () => {
  const toy = passiveEve({ group: "toy32", seed: "eve", validate: "none", file: "t" });
  assert.equal(toy.broken, true);
  assert.equal(toy.eveSecret, toy.transcript.alice.secret);
  assert.equal(modPow(toy.transcript.eve.p === 0n ? 2n : labGroup({ group: "toy32", seed: "eve" }).g, toy.eveKey!, toy.transcript.eve.p), toy.transcript.eve.J);
  const real = passiveEve({ group: "modp2048", seed: "eve", validate: "full", file: "t" });
  assert.equal(real.broken, false);
  assert.match(real.note, /2048-bit discrete log/);
});

test("active attacks: all succeed with no validation; range stops all but the small subgroup; full stops all", { timeout: 60000 }, () => {
  const run = (validate: "none" | "range" | "full") => activeAttacks({ group: "toy32", seed: "eve", validate, file: "t" }).results.map((r) => r.succeeded);
  assert.deepEqual(run("none"), [true, true, true, true, true]);
  assert.deepEqual(run("range"), [false, false, false, false, true]);
  assert.deepEqual(run("full"), [false, false, false, false, false]);
});

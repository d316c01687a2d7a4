/** The "Eve on the wire" lab: settings parsing, Eve's discrete log (vs gp znlog), attacks vs validation. */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { oracle } from "../helpers/oracle";
import {
  parseLabConfig,
  loadLabConfig,
  labGroup,
  passiveEve,
  activeAttacks,
  babyStepGiantStep,
} from "../../src/dh/lab";
import { modPow } from "../../src/math/modular";

const noGp = oracle("PARI/GP", ["gp", "--version-short"], "apt-get install pari-gp");
const LAB = path.resolve(__dirname, "../../labs/dh/lab.conf");

it("the shipped lab.conf parses to the textbook setting (toy32, no validation)", { timeout: 5000 }, () => {
  const cfg = loadLabConfig(LAB);
  expect(cfg.group).toBe("toy32");
  expect(cfg.validate).toBe("none");
});

it("lab.conf errors name file:line:column and the value", { timeout: 5000 }, () => {
  expect(() => parseLabConfig("group = toy32\nvalidate = maybe\n", "lab.conf")).toThrow(
    /validate must be none, range or full \(got "maybe", at lab.conf:2:12\)/,
  );
  expect(() => parseLabConfig("# c\n  colour = red\n", "lab.conf")).toThrow(
    /unknown setting.*got "colour", at lab.conf:2:3/,
  );
  expect(() => parseLabConfig("group = toy64\n", "x.conf")).toThrow(/16 to 40 bits.*got "toy64", at x.conf:1:9/);
  expect(() => parseLabConfig("group = modp13\n", "x.conf")).toThrow(/unknown group.*got "modp13", at x.conf:1:9/);
  expect(() => parseLabConfig("just words\n", "x.conf")).toThrow(/expected `key = value`.*x.conf:1:1/);
  expect(() => loadLabConfig("/nonexistent/lab.conf")).toThrow(/cannot read the lab settings/);
  expect(parseLabConfig("group = modp2048 # named\nseed = 7\nvalidate = full\n", "f")).toStrictEqual({
    group: "modp2048",
    seed: "7",
    validate: "full",
    file: "f",
  });
});

it("baby-step giant-step agrees with gp znlog", { timeout: 60000 }, (ctx) => {
  if (noGp) ctx.skip(noGp);
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
  expect(mine).toStrictEqual(r.stdout.trim().split("\n"));
  expect(babyStepGiantStep(2n, 5n, 23n, 11n), "5 is not a power of 2 mod 23").toBe(undefined);
});

it("passive Eve breaks toy groups, not named ones", { timeout: 60000 }, () => {
  const toy = passiveEve({ group: "toy32", seed: "eve", validate: "none", file: "t" });
  expect(toy.broken).toBe(true);
  expect(toy.eveSecret).toBe(toy.transcript.alice.secret);
  expect(
    modPow(
      toy.transcript.eve.p === 0n ? 2n : labGroup({ group: "toy32", seed: "eve" }).g,
      toy.eveKey!,
      toy.transcript.eve.p,
    ),
  ).toBe(toy.transcript.eve.J);
  const real = passiveEve({ group: "modp2048", seed: "eve", validate: "full", file: "t" });
  expect(real.broken).toBe(false);
  expect(real.note).toMatch(/2048-bit discrete log/);
});

it(
  "active attacks: all succeed with no validation; range stops all but the small subgroup; full stops all",
  { timeout: 60000 },
  () => {
    const run = (validate: "none" | "range" | "full") =>
      activeAttacks({ group: "toy32", seed: "eve", validate, file: "t" }).results.map((r) => r.succeeded);
    expect(run("none")).toStrictEqual([true, true, true, true, true]);
    expect(run("range")).toStrictEqual([false, false, false, false, true]);
    expect(run("full")).toStrictEqual([false, false, false, false, false]);
  },
);

/**
 * The Logjam lab end to end (small sizes): every recorded session is broken with one
 * precomputation per prime; recovered secrets are checked with PARI/GP (OpenSSL refuses
 * moduli this small) and recovered exponents against PARI/GP znlog.
 */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { oracle } from "../helpers/oracle";
import { breakAll, buildInternet, cumulativeCost, parseInternetConfig } from "../../src/dlog";

const gp = oracle("PARI/GP", ["gp", "--version-short"], "apt-get install pari-gp");

it(
  "every recorded session is decrypted, one precomputation per distinct prime; PARI agrees on each secret",
  { timeout: 120000 },
  (ctx) => {
    if (gp) ctx.skip(gp);
    const net = buildInternet({
      bits: 36,
      servers: 30,
      handshakes: 150,
      sharedPrimes: 2,
      shareFraction: 0.9,
      seed: 11,
    });
    const distinct = new Set(net.handshakes.map((h) => h.p.toString())).size;
    expect(distinct < net.servers.length / 3, "most servers share a few primes").toBeTruthy();
    const report = breakAll(net.handshakes);
    expect(report.precomputations.length).toBe(distinct);
    expect(report.broken).toBe(net.handshakes.length);
    report.sessions.forEach((s, i) => {
      const hs = net.handshakes[i]!;
      expect(s.message, `session ${hs.id}`).toBe(net.truth[i]!.message);
      expect(s.secret).toBe(net.truth[i]!.secret);
    });
    // PARI/GP recomputes g^a and B^a for every session (OpenSSL refuses moduli this small).
    const script =
      report.sessions
        .map((s, i) => {
          const hs = net.handshakes[i]!;
          return `print(lift(Mod(${hs.g},${hs.p})^${s.a})==${hs.A} && lift(Mod(${hs.B},${hs.p})^${s.a})==${s.secret})`;
        })
        .join("\n") + "\n";
    const out = spawnSync("gp", ["-q", "-D", "colors=no"], { input: script, encoding: "utf8" })
      .stdout.trim()
      .split("\n");
    expect(out.length).toBe(report.sessions.length);
    out.forEach((line, i) => expect(line, `PARI disagrees on session ${i + 1}`).toBe("1"));
    const cost = cumulativeCost(report);
    const last = cost[cost.length - 1]!;
    expect(
      last.withoutReuseS > 5 * last.withReuseS,
      `reuse must pay: ${last.withReuseS} s vs ${last.withoutReuseS} s`,
    ).toBeTruthy();
  },
);

it("recovered exponents equal PARI znlog (mod ord g)", { timeout: 60000 }, (ctx) => {
  if (gp) ctx.skip(gp);
  const net = buildInternet({ bits: 40, servers: 5, handshakes: 8, sharedPrimes: 1, shareFraction: 1, seed: 5 });
  const report = breakAll(net.handshakes);
  const script = net.handshakes.map((h) => `print(znlog(${h.A},Mod(${h.g},${h.p})))`).join("\n") + "\n";
  const out = spawnSync("gp", ["-q", "-D", "colors=no"], { input: script, encoding: "utf8" }).stdout.trim().split("\n");
  report.sessions.forEach((s, i) => expect(s.a!.toString()).toBe(out[i]));
});

it("the lab config file: unknown keys and bad values name file:line:column", { timeout: 10000 }, () => {
  const cfg = parseInternetConfig("# c\nbits = 40\nservers = 10\n", "internet.conf");
  expect(cfg.bits).toBe(40);
  expect(cfg.servers).toBe(10);
  expect(() => parseInternetConfig("bits = 40\nprimes = 3\n", "internet.conf")).toThrow(
    /unknown setting.*"primes".*internet\.conf:2:1/,
  );
  expect(() => parseInternetConfig("bits = forty\n", "lab.conf")).toThrow(/expected a number.*lab\.conf:1:8/);
  expect(() => parseInternetConfig("bits = 4000\n", "lab.conf")).toThrow(
    /bits must be an integer from 24 to 128.*lab\.conf/,
  );
  expect(() => parseInternetConfig("bits 40\n", "lab.conf")).toThrow(/key = value.*lab\.conf:1:1/);
});

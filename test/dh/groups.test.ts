/** Named groups: against node:crypto's built-ins, OpenSSL's ffdhe parameters, the RFC recipe, and gp. */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { getDiffieHellman } from "node:crypto";
import { oracle } from "../helpers/oracle";
import { derivePrime, getGroup, listGroups, makeGroup, GROUP_NAMES, constantBits } from "../../src/dh/groups";
import { modPow } from "../../src/math/modular";
import { isProbablePrime } from "../../src/math/primes";

const noOpenssl = oracle("OpenSSL CLI", ["openssl", "version"], "apt-get install openssl");
const noGp = oracle("PARI/GP", ["gp", "--version-short"], "apt-get install pari-gp");

it("13 named groups: Oakley 1-2, MODP 1536-8192, ffdhe2048-8192", { timeout: 5000 }, () => {
  expect(GROUP_NAMES).toStrictEqual([
    "modp768",
    "modp1024",
    "modp1536",
    "modp2048",
    "modp3072",
    "modp4096",
    "modp6144",
    "modp8192",
    "ffdhe2048",
    "ffdhe3072",
    "ffdhe4096",
    "ffdhe6144",
    "ffdhe8192",
  ]);
  for (const g of listGroups()) {
    expect(g.bits, g.name).toBe(Number(g.name.replace(/\D+/, "")));
    expect(g.p).toBe(2n * g.q + 1n);
    expect(g.g).toBe(2n);
  }
  expect(getGroup("MODP14").name).toBe("modp2048");
  expect(getGroup("oakley1").name).toBe("modp768");
  expect(getGroup(" group2 ").name).toBe("modp1024");
  expect(() => getGroup("modp13")).toThrow(/unknown DH group \(got "modp13".*known groups: modp768/);
});

it("MODP/Oakley primes equal node:crypto's built-in groups (getDiffieHellman)", { timeout: 10000 }, () => {
  const withNode = listGroups().filter((g) => g.nodeName);
  expect(withNode.length).toBe(8);
  for (const g of withNode) {
    const d = getDiffieHellman(g.nodeName!);
    expect(BigInt("0x" + d.getPrime("hex")), g.name).toBe(g.p);
    expect(BigInt("0x" + d.getGenerator("hex")), g.name).toBe(g.g);
  }
});

it(
  "ffdhe primes equal OpenSSL's RFC 7919 parameters (openssl genpkey -pkeyopt group:ffdheN)",
  { timeout: 30000 },
  (ctx) => {
    if (noOpenssl) ctx.skip(noOpenssl);
    for (const g of listGroups().filter((x) => x.name.startsWith("ffdhe"))) {
      const pem = spawnSync("openssl", ["genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", `group:${g.name}`], {
        encoding: "utf8",
        timeout: 10000,
      });
      expect(pem.status, pem.stderr).toBe(0);
      const asn = spawnSync("openssl", ["asn1parse"], { input: pem.stdout, encoding: "utf8", timeout: 10000 });
      const ints = [...asn.stdout.matchAll(/INTEGER\s*:([0-9A-F]+)/g)].map((m) => BigInt("0x" + m[1]));
      expect(ints[0], `${g.name} p`).toBe(g.p);
      expect(ints[1], `${g.name} g`).toBe(g.g);
    }
  },
);

it("every prime follows its RFC recipe (π or e bits + X): nothing up the sleeve", { timeout: 30000 }, () => {
  expect(constantBits("pi", 8)).toBe(804n); // ⌊π·256⌋
  expect(constantBits("e", 8)).toBe(695n); // ⌊e·256⌋
  for (const g of listGroups()) expect(derivePrime(g.bits, g.recipe!.constant, g.recipe!.x), g.name).toBe(g.p);
});

it(
  "p and q are prime (gp BPSW up to 4096 bits; our Miller-Rabin with 2 rounds on all), g has order q",
  { timeout: 240000 },
  (ctx) => {
    if (noGp) ctx.skip(noGp);
    const small = listGroups().filter((g) => g.bits <= 4096);
    const script = small.map((g) => `print(ispseudoprime(${g.p}) && ispseudoprime(${g.q}))`).join("\n") + "\nquit\n";
    const r = spawnSync("gp", ["-q", "-f", "--default", "parisizemax=400000000"], {
      input: script,
      encoding: "utf8",
      timeout: 200000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toStrictEqual(small.map(() => "1"));
    for (const g of listGroups()) {
      expect(modPow(g.g, g.q, g.p), `${g.name}: g^q = 1`).toBe(1n);
      if (g.bits <= 2048) expect(isProbablePrime(g.p, 2) && isProbablePrime(g.q, 2), g.name).toBeTruthy();
    }
  },
);

it("makeGroup rejects composite primes and generators outside the group, naming the value", { timeout: 10000 }, () => {
  expect(() => makeGroup(221n, 2n)).toThrow(/p is not prime.*got 221n.*makeGroup: p/);
  expect(() => makeGroup(23n, 1n)).toThrow(/generator must lie in \[2, p-2\].*got 1n/);
  expect(() => makeGroup(23n, 22n)).toThrow(/got 22n/);
  expect(() => makeGroup(23n, 5n, 11n, { name: "lab" })).toThrow(
    /g is outside the order-q subgroup.*got 5n, in group lab: g/,
  );
  expect(() => makeGroup(23n, 4n, 7n)).toThrow(/q must divide p - 1.*got 7n/);
  const ok = makeGroup(23n, 4n, 11n);
  expect(ok.q).toBe(11n);
  const modp = getGroup("modp768");
  expect(() => makeGroup(modp.p + 2n, 2n)).toThrow(/p is not prime/);
});

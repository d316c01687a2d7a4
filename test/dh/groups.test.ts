/** Named groups: against node:crypto's built-ins, OpenSSL's ffdhe parameters, the RFC recipe, and gp. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { getDiffieHellman } from "node:crypto";
import { oracle } from "../helpers/oracle";
import { derivePrime, getGroup, listGroups, makeGroup, GROUP_NAMES, constantBits } from "../../src/dh/groups";
import { modPow } from "../../src/math/modular";
import { isProbablePrime } from "../../src/math/primes";

const noOpenssl = oracle("OpenSSL CLI", ["openssl", "version"], "apt-get install openssl");
const noGp = oracle("PARI/GP", ["gp", "--version-short"], "apt-get install pari-gp");

test("13 named groups: Oakley 1-2, MODP 1536-8192, ffdhe2048-8192", { timeout: 5000 }, () => {
  assert.deepEqual(GROUP_NAMES, ["modp768", "modp1024", "modp1536", "modp2048", "modp3072", "modp4096", "modp6144", "modp8192",
    "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"]);
  for (const g of listGroups()) {
    assert.equal(g.bits, Number(g.name.replace(/\D+/, "")), g.name);
    assert.equal(g.p, 2n * g.q + 1n);
    assert.equal(g.g, 2n);
  }
  assert.equal(getGroup("MODP14").name, "modp2048");
  assert.equal(getGroup("oakley1").name, "modp768");
  assert.equal(getGroup(" group2 ").name, "modp1024");
  assert.throws(() => getGroup("modp13"), /unknown DH group \(got "modp13".*known groups: modp768/);
});

test("MODP/Oakley primes equal node:crypto's built-in groups (getDiffieHellman)", { timeout: 10000 }, () => {
  const withNode = listGroups().filter((g) => g.nodeName);
  assert.equal(withNode.length, 8);
  for (const g of withNode) {
    const d = getDiffieHellman(g.nodeName!);
    assert.equal(BigInt("0x" + d.getPrime("hex")), g.p, g.name);
    assert.equal(BigInt("0x" + d.getGenerator("hex")), g.g, g.name);
  }
});

test("ffdhe primes equal OpenSSL's RFC 7919 parameters (openssl genpkey -pkeyopt group:ffdheN)", { skip: noOpenssl, timeout: 30000 }, () => {
  for (const g of listGroups().filter((x) => x.name.startsWith("ffdhe"))) {
    const pem = spawnSync("openssl", ["genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", `group:${g.name}`], { encoding: "utf8", timeout: 10000 });
    assert.equal(pem.status, 0, pem.stderr);
    const asn = spawnSync("openssl", ["asn1parse"], { input: pem.stdout, encoding: "utf8", timeout: 10000 });
    const ints = [...asn.stdout.matchAll(/INTEGER\s*:([0-9A-F]+)/g)].map((m) => BigInt("0x" + m[1]));
    assert.equal(ints[0], g.p, `${g.name} p`);
    assert.equal(ints[1], g.g, `${g.name} g`);
  }
});

test("every prime follows its RFC recipe (π or e bits + X): nothing up the sleeve", { timeout: 30000 }, () => {
  assert.equal(constantBits("pi", 8), 804n); // ⌊π·256⌋
  assert.equal(constantBits("e", 8), 695n); // ⌊e·256⌋
  for (const g of listGroups()) assert.equal(derivePrime(g.bits, g.recipe!.constant, g.recipe!.x), g.p, g.name);
});

test("p and q are prime (gp BPSW up to 4096 bits; our Miller-Rabin with 2 rounds on all), g has order q", { skip: noGp, timeout: 240000 }, () => {
  const small = listGroups().filter((g) => g.bits <= 4096);
  const script = small.map((g) => `print(ispseudoprime(${g.p}) && ispseudoprime(${g.q}))`).join("\n") + "\nquit\n";
  const r = spawnSync("gp", ["-q", "-f", "--default", "parisizemax=400000000"], { input: script, encoding: "utf8", timeout: 200000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n"), small.map(() => "1"));
  for (const g of listGroups()) {
    assert.equal(modPow(g.g, g.q, g.p), 1n, `${g.name}: g^q = 1`);
    if (g.bits <= 2048) assert.ok(isProbablePrime(g.p, 2) && isProbablePrime(g.q, 2), g.name);
  }
});

test("makeGroup rejects composite primes and generators outside the group, naming the value", { timeout: 10000 }, () => {
  assert.throws(() => makeGroup(221n, 2n), /p is not prime.*got 221n.*makeGroup: p/);
  assert.throws(() => makeGroup(23n, 1n), /generator must lie in \[2, p-2\].*got 1n/);
  assert.throws(() => makeGroup(23n, 22n), /got 22n/);
  assert.throws(() => makeGroup(23n, 5n, 11n, { name: "lab" }), /g is outside the order-q subgroup.*got 5n, in group lab: g/);
  assert.throws(() => makeGroup(23n, 4n, 7n), /q must divide p - 1.*got 7n/);
  const ok = makeGroup(23n, 4n, 11n);
  assert.equal(ok.q, 11n);
  const modp = getGroup("modp768");
  assert.throws(() => makeGroup(modp.p + 2n, 2n), /p is not prime/);
});

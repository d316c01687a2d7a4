/** Modular arithmetic and modPow (all methods, trace) against OpenSSL (node:crypto) and PARI/GP. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createDiffieHellman } from "node:crypto";
import { oracle } from "../helpers/oracle";
import { Rng } from "../../src/util/rng";
import { bitLength, crt, egcd, gcd, isqrt, mod, modAdd, modInv, modMul, modPow, modPowTrace, modPowWith, modSub } from "../../src/math/modular";
import { getGroup } from "../../src/dh/groups";

const noGp = oracle("PARI/GP", ["gp", "--version-short"], "apt-get install pari-gp");
function gp(exprs: string[]): string[] {
  const r = spawnSync("gp", ["-q", "-f"], { input: exprs.map((e) => `print(${e})`).join("\n") + "\nquit\n", encoding: "utf8", timeout: 60000 });
  if (r.status !== 0) throw new Error(`gp failed: ${r.stderr}`);
  return r.stdout.trim().split("\n");
}
const hx = (x: bigint, bytes: number) => Buffer.from(x.toString(16).padStart(bytes * 2, "0"), "hex");

test("the seed's example: 7^29 mod 17 by repeated squaring", { timeout: 5000 }, () => {
  const t = modPowTrace(7n, 29n, 17n);
  assert.equal(t.binary, "11101");
  assert.deepEqual(t.powersOfTwo, [16n, 8n, 4n, 1n]);
  assert.deepEqual(t.steps.map((s) => s.square), [7n, 15n, 4n, 16n, 1n]);
  assert.deepEqual(t.steps.map((s) => s.used), [true, false, true, true, true]);
  assert.equal(t.result, 6n);
  assert.equal(t.squarings, 4);
  assert.equal(t.multiplications, 4);
  assert.equal(modPow(7n, 29n, 17n), 6n);
});

test("the seed's practice answers match gp", { skip: noGp, timeout: 20000 }, () => {
  const mine = [modAdd(12n, 18n, 9n), modMul(3n, 7n, 11n), modMul(mod(103n, 17n), mod(42n, 17n), 17n), modMul(103n, 42n, 17n),
    ...[2n, 3n, 4n, 5n, 6n].map((k) => modPow(7n, k, 13n))];
  const want = gp(["(12+18)%9", "3*7%11", "((103%17)*(42%17))%17", "103*42%17", ...[2, 3, 4, 5, 6].map((k) => `lift(Mod(7,13)^${k})`)]);
  assert.deepEqual(mine.map(String), want);
});

test("modPow, every method, agrees with gp on random inputs (small to 600 bits, even moduli too)", { skip: noGp, timeout: 60000 }, () => {
  const rng = new Rng("modpow-gp");
  const cases: Array<[bigint, bigint, bigint]> = [[0n, 0n, 7n], [5n, 0n, 2n], [-3n, 5n, 11n], [2n, 1n, 2n]];
  for (let i = 0; i < 120; i++) {
    const mb = rng.int(2, 600);
    cases.push([rng.bigBits(rng.int(1, 700)) * (rng.int(0, 1) ? 1n : -1n), rng.bigBits(rng.int(1, 700)), rng.bigBits(mb) + 2n]);
  }
  const want = gp(cases.map(([b, e, m]) => `lift(Mod(${b},${m})^${e})`));
  cases.forEach(([b, e, m], i) => {
    assert.equal(String(modPow(b, e, m)), want[i], `modPow(${b}, ${e}, ${m})`);
    assert.equal(String(modPowWith("binary", b, e, m)), want[i]);
    assert.equal(String(modPowWith("window", b, e, m, 4)), want[i]);
    if (m & 1n) assert.equal(String(modPowWith("montgomery", b, e, m, 5)), want[i]);
    assert.equal(String(modPowTrace(b, e, m).result), want[i]);
  });
});

test("modPow agrees with OpenSSL at 1024 and 2048 bits (full-length exponents, random bases)", { timeout: 60000 }, () => {
  const rng = new Rng("modpow-openssl");
  for (const name of ["modp1024", "modp2048"]) {
    const g = getGroup(name);
    const bytes = g.bits / 8;
    const dh = createDiffieHellman(hx(g.p, bytes), hx(2n, 1));
    for (let i = 0; i < 6; i++) {
      const base = rng.bigBetween(2n, g.p - 2n);
      const exp = rng.bigBits(g.bits);
      dh.setPrivateKey(hx(exp, bytes));
      const openssl = BigInt("0x" + dh.computeSecret(hx(base, bytes)).toString("hex"));
      assert.equal(modPow(base, exp, g.p), openssl);
      assert.equal(modPowWith("montgomery", base, exp, g.p), openssl);
      assert.equal(modPowWith("window", base, exp, g.p), openssl);
    }
  }
});

test("gcd, egcd, modInv and crt against gp", { skip: noGp, timeout: 30000 }, () => {
  const rng = new Rng("inv");
  const pairs: Array<[bigint, bigint]> = [];
  for (let i = 0; i < 60; i++) pairs.push([rng.bigBits(rng.int(1, 200)), rng.bigBits(rng.int(2, 200)) + 1n]);
  const want = gp(pairs.map(([a, m]) => `gcd(${a},${m})`));
  pairs.forEach(([a, m], i) => {
    assert.equal(String(gcd(a, m)), want[i]);
    const [g, x, y] = egcd(a, m);
    assert.equal(a * x + m * y, g);
    if (g === 1n) assert.equal(mod(a * modInv(a, m), m), 1n % m);
    else assert.throws(() => modInv(a, m), /has no inverse/);
  });
  assert.deepEqual(crt([2n, 3n, 2n], [3n, 5n, 7n]), { x: 23n, m: 105n });
  const [x] = gp(["lift(chinese([Mod(4,11),Mod(9,13),Mod(0,17),Mod(22,23)]))"]);
  assert.equal(String(crt([4n, 9n, 0n, 22n], [11n, 13n, 17n, 23n]).x), x);
  assert.throws(() => crt([1n, 2n], [6n, 4n]), /pairwise coprime.*got 4n/);
});

test("bad input names the value and the argument", { timeout: 5000 }, () => {
  assert.throws(() => modPow(2n, 3n, 1n), /modulus must be greater than 1 \(got 1n, in modPow\(…, m\)\)/);
  assert.throws(() => modPow(2n, -1n, 7n), /exponent must be non-negative \(got -1n/);
  assert.throws(() => modPow(2.5 as unknown as bigint, 3n, 7n), /expected an integer.*got 2.5.*modPow\(base/);
  assert.throws(() => mod(3n, 0n), /greater than 1.*got 0n/);
  assert.throws(() => modPowTrace(2n, 3n, -5n), /got -5n/);
  assert.throws(() => modPowWith("montgomery", 2n, 3n, 10n), /odd modulus.*got 10n/);
  assert.throws(() => modPowWith("fast" as "binary", 2n, 3n, 11n), /unknown method.*"fast"/);
  assert.equal(modSub(3n, 5n, 7n), 5n);
});

test("egcd: Bézout identity for every sign and zero (bigint-crypto-utils underneath)", () => {
  const rng = new Rng(7);
  const samples: bigint[] = [0n, 1n, -1n, 2n, -6n, 240n, -46n, 2n ** 130n + 1n];
  for (let i = 0; i < 40; i++) samples.push(BigInt(rng.int(-1000, 1000)));
  for (const a of samples)
    for (const b of samples.slice(0, 12)) {
      const [g, x, y] = egcd(a, b);
      assert.equal(a * x + b * y, g, `egcd(${a}, ${b})`);
      assert.equal(g, gcd(a, b), `gcd(${a}, ${b})`);
    }
});

test("isqrt: floor of the square root, exact beyond 2^53", () => {
  for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 2n ** 54n - 1n, 2n ** 54n, 10n ** 40n + 12345n, (2n ** 200n + 7n) ** 2n - 1n]) {
    const s = isqrt(n);
    assert.ok(s * s <= n && (s + 1n) * (s + 1n) > n, `isqrt(${n}) = ${s}`);
  }
  assert.throws(() => isqrt(-1n), /negative.*-1n/);
});

test("bitLength and modInv name the bad value", () => {
  assert.equal(bitLength(0n), 0);
  assert.equal(bitLength(255n), 8);
  assert.equal(bitLength(256n), 9);
  assert.throws(() => modInv(6n, 9n), /no inverse modulo 9.*factor 3/);
  assert.equal(modInv(-3n, 7n), 2n);
});

test("the math floor stands alone: dlog imports no dh module", async () => {
  const { readdirSync, readFileSync } = await import("node:fs");
  const dir = new URL("../../src/dlog/", import.meta.url);
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".ts")) continue;
    const text = readFileSync(new URL(f, dir), "utf8");
    assert.doesNotMatch(text, /from\s+["']\.\.\/dh\//, `src/dlog/${f} imports from src/dh`);
  }
});

/** Modular arithmetic and modPow (all methods, trace) against OpenSSL (node:crypto) and PARI/GP. */
import { spawnSync } from "node:child_process";
import { createDiffieHellman } from "node:crypto";
import { oracle } from "../helpers/oracle";
import { Rng } from "../../src/util/rng";
import {
  bitLength,
  crt,
  fixedBasePow,
  modInvSmall,
  egcd,
  gcd,
  isqrt,
  mod,
  modAdd,
  modInv,
  modMul,
  modPow,
  modPowTrace,
  modPowWith,
  modSub,
} from "../../src/math/modular";
import { getGroup } from "../../src/dh/groups";
import { it, expect } from "vitest";

const noGp = oracle("PARI/GP", ["gp", "--version-short"], "apt-get install pari-gp");
function gp(exprs: string[]): string[] {
  const r = spawnSync("gp", ["-q", "-f"], {
    input: exprs.map((e) => `print(${e})`).join("\n") + "\nquit\n",
    encoding: "utf8",
    timeout: 60000,
  });
  if (r.status !== 0) throw new Error(`gp failed: ${r.stderr}`);
  return r.stdout.trim().split("\n");
}
const hx = (x: bigint, bytes: number) => Buffer.from(x.toString(16).padStart(bytes * 2, "0"), "hex");

it("the DH primer's example: 7^29 mod 17 by repeated squaring", { timeout: 5000 }, () => {
  const t = modPowTrace(7n, 29n, 17n);
  expect(t.binary).toBe("11101");
  expect(t.powersOfTwo).toStrictEqual([16n, 8n, 4n, 1n]);
  expect(t.steps.map((s) => s.square)).toStrictEqual([7n, 15n, 4n, 16n, 1n]);
  expect(t.steps.map((s) => s.used)).toStrictEqual([true, false, true, true, true]);
  expect(t.result).toBe(6n);
  expect(t.squarings).toBe(4);
  expect(t.multiplications).toBe(4);
  expect(modPow(7n, 29n, 17n)).toBe(6n);
});

it("the DH primer's nine practice answers match gp", { timeout: 20000 }, (ctx) => {
  if (noGp) ctx.skip(noGp);
  const mine = [
    modAdd(12n, 18n, 9n),
    modMul(3n, 7n, 11n),
    modMul(mod(103n, 17n), mod(42n, 17n), 17n),
    modMul(103n, 42n, 17n),
    ...[2n, 3n, 4n, 5n, 6n].map((k) => modPow(7n, k, 13n)),
  ];
  const want = gp([
    "(12+18)%9",
    "3*7%11",
    "((103%17)*(42%17))%17",
    "103*42%17",
    ...[2, 3, 4, 5, 6].map((k) => `lift(Mod(7,13)^${k})`),
  ]);
  expect(mine.map(String)).toStrictEqual(want);
});

it(
  "modPow, every method, agrees with gp on random inputs (small to 600 bits, even moduli too)",
  { timeout: 60000 },
  (ctx) => {
    if (noGp) ctx.skip(noGp);
    const rng = new Rng("modpow-gp");
    const cases: Array<[bigint, bigint, bigint]> = [
      [0n, 0n, 7n],
      [5n, 0n, 2n],
      [-3n, 5n, 11n],
      [2n, 1n, 2n],
    ];
    for (let i = 0; i < 120; i++) {
      const mb = rng.int(2, 600);
      cases.push([
        rng.bigBits(rng.int(1, 700)) * (rng.int(0, 1) ? 1n : -1n),
        rng.bigBits(rng.int(1, 700)),
        rng.bigBits(mb) + 2n,
      ]);
    }
    const want = gp(cases.map(([b, e, m]) => `lift(Mod(${b},${m})^${e})`));
    cases.forEach(([b, e, m], i) => {
      expect(String(modPow(b, e, m)), `modPow(${b}, ${e}, ${m})`).toBe(want[i]);
      expect(String(modPowWith("binary", b, e, m))).toBe(want[i]);
      expect(String(modPowWith("window", b, e, m, 4))).toBe(want[i]);
      if (m & 1n) expect(String(modPowWith("montgomery", b, e, m, 5))).toBe(want[i]);
      expect(String(modPowTrace(b, e, m).result)).toBe(want[i]);
    });
  },
);

it("modPow agrees with OpenSSL at 1024 and 2048 bits (full-length exponents, random bases)", { timeout: 60000 }, () => {
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
      expect(modPow(base, exp, g.p)).toBe(openssl);
      expect(modPowWith("montgomery", base, exp, g.p)).toBe(openssl);
      expect(modPowWith("window", base, exp, g.p)).toBe(openssl);
    }
  }
});

it("gcd, egcd, modInv and crt against gp", { timeout: 30000 }, (ctx) => {
  if (noGp) ctx.skip(noGp);
  const rng = new Rng("inv");
  const pairs: Array<[bigint, bigint]> = [];
  for (let i = 0; i < 60; i++) pairs.push([rng.bigBits(rng.int(1, 200)), rng.bigBits(rng.int(2, 200)) + 1n]);
  const want = gp(pairs.map(([a, m]) => `gcd(${a},${m})`));
  pairs.forEach(([a, m], i) => {
    expect(String(gcd(a, m))).toBe(want[i]);
    const [g, x, y] = egcd(a, m);
    expect(a * x + m * y).toBe(g);
    if (g === 1n) expect(mod(a * modInv(a, m), m)).toBe(1n % m);
    else expect(() => modInv(a, m)).toThrow(/has no inverse/);
  });
  expect(crt([2n, 3n, 2n], [3n, 5n, 7n])).toStrictEqual({ x: 23n, m: 105n });
  const [x] = gp(["lift(chinese([Mod(4,11),Mod(9,13),Mod(0,17),Mod(22,23)]))"]);
  expect(String(crt([4n, 9n, 0n, 22n], [11n, 13n, 17n, 23n]).x)).toBe(x);
  expect(() => crt([1n, 2n], [6n, 4n])).toThrow(/pairwise coprime.*got 4n/);
});

it("bad input names the value and the argument", { timeout: 5000 }, () => {
  expect(() => modPow(2n, 3n, 1n)).toThrow(/modulus must be greater than 1 \(got 1n, in modPow\(…, m\)\)/);
  expect(() => modPow(2n, -1n, 7n)).toThrow(/exponent must be non-negative \(got -1n/);
  expect(() => modPow(2.5 as unknown as bigint, 3n, 7n)).toThrow(/expected an integer.*got 2.5.*modPow\(base/);
  expect(() => mod(3n, 0n)).toThrow(/greater than 1.*got 0n/);
  expect(() => modPowTrace(2n, 3n, -5n)).toThrow(/got -5n/);
  expect(() => modPowWith("montgomery", 2n, 3n, 10n)).toThrow(/odd modulus.*got 10n/);
  expect(() => modPowWith("fast" as "binary", 2n, 3n, 11n)).toThrow(/unknown method.*"fast"/);
  expect(modSub(3n, 5n, 7n)).toBe(5n);
});

it("egcd: Bézout identity for every sign and zero (bigint-crypto-utils underneath)", () => {
  const rng = new Rng(7);
  const samples: bigint[] = [0n, 1n, -1n, 2n, -6n, 240n, -46n, 2n ** 130n + 1n];
  for (let i = 0; i < 40; i++) samples.push(BigInt(rng.int(-1000, 1000)));
  for (const a of samples)
    for (const b of samples.slice(0, 12)) {
      const [g, x, y] = egcd(a, b);
      expect(a * x + b * y, `egcd(${a}, ${b})`).toBe(g);
      expect(g, `gcd(${a}, ${b})`).toBe(gcd(a, b));
    }
});

it("isqrt: floor of the square root, exact beyond 2^53", () => {
  for (const n of [
    0n,
    1n,
    2n,
    3n,
    4n,
    15n,
    16n,
    17n,
    2n ** 54n - 1n,
    2n ** 54n,
    10n ** 40n + 12345n,
    (2n ** 200n + 7n) ** 2n - 1n,
  ]) {
    const s = isqrt(n);
    expect(s * s <= n && (s + 1n) * (s + 1n) > n, `isqrt(${n}) = ${s}`).toBeTruthy();
  }
  expect(() => isqrt(-1n)).toThrow(/negative.*-1n/);
});

it("bitLength and modInv name the bad value", () => {
  expect(bitLength(0n)).toBe(0);
  expect(bitLength(255n)).toBe(8);
  expect(bitLength(256n)).toBe(9);
  expect(() => modInv(6n, 9n)).toThrow(/no inverse modulo 9.*factor 3/);
  expect(modInv(-3n, 7n)).toBe(2n);
});

it("the math floor stands alone: dlog imports no dh module", async () => {
  const { readdirSync, readFileSync } = await import("node:fs");
  const dir = new URL("../../src/dlog/", import.meta.url);
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".ts")) continue;
    const text = readFileSync(new URL(f, dir), "utf8");
    expect(text, `src/dlog/${f} imports from src/dh`).not.toMatch(/from\s+["']\.\.\/dh\//);
  }
});

it("fixedBasePow agrees with modPow for every exponent size, window and the edges", () => {
  const rng = new Rng("fixed-base");
  const m = (1n << 127n) - 1n;
  for (const w of [1, 4, 8]) {
    const pow = fixedBasePow(3n, m, 128, w);
    for (const e of [
      0n,
      1n,
      255n,
      256n,
      (1n << 128n) - 1n,
      ...Array.from({ length: 20 }, () => rng.bigBetween(0n, 1n << 128n)),
    ])
      expect(pow(e), `w = ${w}, e = ${e}`).toBe(modPow(3n, e, m));
    // Outside the table (negative or too large) it falls back to modPow (and its errors).
    expect(pow(1n << 200n)).toBe(modPow(3n, 1n << 200n, m));
    expect(() => pow(-1n)).toThrow(/exp/);
  }
  expect(fixedBasePow(5n, 7n, 3)(6n)).toBe(1n);
  expect(() => fixedBasePow(2n, 1n, 8)).toThrow(/modulus/);
  expect(() => fixedBasePow(2n, 7n, 0)).toThrow(/bits ≥ 1.*fixedBasePow/);
});

it("modInvSmall inverts small numbers in doubles and refuses a non-coprime pair", () => {
  for (const m of [7, 65521, 1048573, 67108859])
    for (const a of [1, 2, 3, m - 1, Math.floor(m / 3)]) expect((modInvSmall(a, m) * a) % m, `${a} mod ${m}`).toBe(1);
  expect(() => modInvSmall(6, 9)).toThrow(/not coprime.*modInvSmall/);
});

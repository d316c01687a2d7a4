/**
 * The index calculus's linear sieve and linear algebra (src/dlog/ic-sieve.ts, ic-algebra.ts):
 * every sieve hit is a true congruence, the two-phase elimination returns a planted solution, and
 * databases built by the sieve (with large primes) agree with PARI/GP's znlog.
 */
import { it, expect } from "vitest";
import { modPow } from "../../src/math/modular";
import { isProbablePrime, randomSafePrime } from "../../src/math/primes";
import { Rng } from "../../src/util/rng";
import {
  columnHits,
  deserialize,
  factorBase,
  precompute,
  serialize,
  sieveRow,
  sieveSetup,
  solve,
  solveSparse,
  type Relation,
  type SieveHit,
} from "../../src/dlog";
import { gpOracle, gpZnlog } from "../helpers/gp";

const why = gpOracle();

it(
  "every sieve hit is a congruence (H + c1)(H + c2) ≡ ∏ ℓ^e · P (mod p) with P = 1 or a prime above B",
  { timeout: 30000 },
  () => {
    const { p } = randomSafePrime(64, new Rng(64));
    const primes = factorBase(800);
    const s = sieveSetup(p, primes, 600, 800 * 40);
    const buf = new Uint8Array(600);
    const roots = new Int32Array(primes.length);
    const hits: SieveHit[] = [];
    for (let c1 = 0; c1 < 60; c1++) sieveRow(s, c1, buf, roots, hits);
    expect(hits.length > 20, `only ${hits.length} hits`).toBeTruthy();
    expect(s.H * s.H > p && (s.H - 1n) * (s.H - 1n) < p).toBeTruthy();
    let partial = 0;
    for (const h of hits) {
      let v = BigInt(h.large);
      for (let i = 0; i < h.fac.length; i += 2) v *= BigInt(primes[h.fac[i]!]!) ** BigInt(h.fac[i + 1]!);
      expect(((s.H + BigInt(h.c1)) * (s.H + BigInt(h.c2)) - v) % p, `hit (${h.c1}, ${h.c2})`).toBe(0n);
      if (h.large !== 1) {
        partial++;
        expect(
          h.large > 800 && h.large <= 800 * 40 && isProbablePrime(BigInt(h.large)),
          `large prime ${h.large}`,
        ).toBeTruthy();
      }
    }
    expect(partial > 0, "no partial relation (large-prime variation unused)").toBeTruthy();
  },
);

it(
  "two-phase elimination returns a planted solution modulo q (unit and non-unit pivots, dense rest)",
  { timeout: 30000 },
  () => {
    const q = (1n << 89n) - 1n; // a Mersenne prime
    const rng = new Rng(5);
    const n = 120;
    const x = Array.from({ length: n }, () => rng.bigBetween(0n, q - 1n));
    const rels: Relation[] = [];
    for (let i = 0; i < n + 30; i++) {
      const m = new Map<number, number>();
      const len = i < 40 ? 2 : rng.int(3, 9);
      // The first columns are heavy (like the small primes), coefficients up to ±3.
      for (let k = 0; k < len; k++)
        m.set(k % 3 === 0 ? rng.int(0, 9) : rng.int(0, n - 1), rng.pick([1, -1, 1, 2, -2, 3]));
      const cols = [...m.keys()];
      const coefs = cols.map((c) => m.get(c)!);
      const k = cols.reduce((acc, c, j) => acc + BigInt(coefs[j]!) * x[c]!, 0n);
      rels.push({ cols, coefs, k: ((k % q) + q) % q });
    }
    const logs = solveSparse(rels, n, q, columnHits(rels, n));
    let fixed = 0;
    logs.forEach((L, c) => {
      if (L === null) return;
      fixed++;
      expect(L, `column ${c}`).toBe(x[c]);
    });
    expect(fixed >= 0.8 * n, `only ${fixed}/${n} columns fixed`).toBeTruthy();
  },
);

it(
  "sieve databases (with large primes) agree with PARI znlog, survive a JSON round trip",
  { timeout: 120000 },
  (ctx) => {
    if (why) ctx.skip(why);
    const rng = new Rng(72);
    const { p } = randomSafePrime(72, rng);
    for (const g of [2n, 5n]) {
      const db = precompute(p, g);
      expect(db.stats.method).toBe("sieve");
      expect((db.stats.largePrimes ?? 0) > 0, "no large-prime logs").toBeTruthy();
      expect(db.primes.at(-1)! > db.bound).toBeTruthy();
      const back = deserialize(serialize(db), "db.json");
      const raw = JSON.parse(serialize(db));
      [raw.primes[1], raw.primes[2]] = [raw.primes[2], raw.primes[1]];
      expect(() => deserialize(JSON.stringify(raw), "swapped.json")).toThrow(
        /strictly ascending.*primes\[2\].*swapped\.json/,
      );
      const hs = Array.from({ length: 8 }, (_, i) =>
        i % 4 === 3 ? rng.bigBetween(2n, p - 2n) : modPow(g, rng.bigBetween(1n, p - 2n), p),
      );
      const want = gpZnlog(hs.map((h) => ({ g, h, p })));
      hs.forEach((h, i) => {
        const s = solve(back, h);
        expect(s.x === null ? "none" : s.x.toString(), `g=${g} h=${h}`).toBe(want[i]);
        if (s.x !== null) expect(modPow(g, s.x, p)).toBe(h);
      });
    }
  },
);

it("g that is not smooth: the sieve's logs are tied to g by a relation g^k ≡ r/t", { timeout: 120000 }, (ctx) => {
  if (why) ctx.skip(why);
  const rng = new Rng(61);
  const { p } = randomSafePrime(60, rng);
  let g = rng.bigBetween(1n << 40n, p - 2n);
  while (modPow(g, (p - 1n) / 2n, p) === 1n) g++; // a generator of Z_p^* for a safe prime
  const db = precompute(p, g);
  const hs = [modPow(g, 123456789n, p), rng.bigBetween(2n, p - 2n)];
  const want = gpZnlog(hs.map((h) => ({ g, h, p })));
  hs.forEach((h, i) => expect(String(solve(db, h).x)).toBe(want[i]));
});

it("the sieve spread over a worker thread builds the same database as one thread", { timeout: 60000 }, () => {
  const { p } = randomSafePrime(72, new Rng(72));
  const [one, two] = [0, 1].map((workers) => precompute(p, 2n, { force: true, workers }));
  expect(two!.stats.workers, "the worker did not start").toBe(1);
  expect(one!.stats.workers).toBe(0);
  const strip = (db: typeof one) => ({ ...db!, stats: undefined });
  expect(serialize({ ...strip(two), stats: one!.stats })).toBe(serialize({ ...strip(one), stats: one!.stats }));
});

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
  smoothOverBig,
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

it(
  "g that is not smooth: logs solved on a small prime's scale, then rescaled by one descent of g",
  { timeout: 120000 },
  (ctx) => {
    if (why) ctx.skip(why);
    const rng = new Rng(61);
    const { p } = randomSafePrime(60, rng);
    let g = rng.bigBetween(1n << 40n, p - 2n);
    while (modPow(g, (p - 1n) / 2n, p) === 1n) g++; // a generator of Z_p^* for a safe prime
    const db = precompute(p, g);
    const hs = [modPow(g, 123456789n, p), rng.bigBetween(2n, p - 2n)];
    const want = gpZnlog(hs.map((h) => ({ g, h, p })));
    hs.forEach((h, i) => expect(String(solve(db, h).x)).toBe(want[i]));
  },
);

it("the sieve spread over a worker thread builds the same database as one thread", { timeout: 60000 }, () => {
  const { p } = randomSafePrime(72, new Rng(72));
  const [one, two] = [0, 1].map((workers) => precompute(p, 2n, { force: true, workers }));
  expect(two!.stats.workers, "the worker did not start").toBe(1);
  expect(one!.stats.workers).toBe(0);
  for (const bad of [-1, 1.5, NaN, 65])
    expect(() => precompute(p, 2n, { workers: bad })).toThrow(/workers must be an integer from 0 to 64/);
  const strip = (db: typeof one) => ({ ...db!, stats: undefined });
  expect(serialize({ ...strip(two), stats: one!.stats })).toBe(serialize({ ...strip(one), stats: one!.stats }));
});

it(
  "above 100 bits (bigint lattice walk, lattice-sieve descent, sieve on a worker): a 104-bit database agrees with PARI znlog",
  { timeout: 180000 },
  (ctx) => {
    if (why) ctx.skip(why);
    const rng = new Rng(104);
    const { p } = randomSafePrime(104, rng);
    const db = precompute(p, 2n, { workers: 1 });
    expect(db.stats.dense).toBe("lift");
    const order = modPow(2n, (p - 1n) / 2n, p) === 1n ? (p - 1n) / 2n : p - 1n;
    const hs = [rng.bigBetween(2n, p - 2n), modPow(2n, rng.bigBetween(1n, order - 1n), p)];
    const want = gpZnlog(hs.slice(0, 1).map((h) => ({ g: 2n, h, p })));
    const first = solve(db, hs[0]!);
    expect(first.x === null ? "none" : String(first.x)).toBe(want[0]);
    const second = solve(db, hs[1]!);
    expect(second.x, "a power of g without a log").not.toBeNull();
    expect(modPow(2n, second.x!, p)).toBe(hs[1]);
    // A generator that is not smooth: the scale is pinned on a small prime and rescaled by a lattice-sieve descent of g.
    let g = rng.bigBetween(1n << 96n, p - 2n);
    while (modPow(g, (p - 1n) / 2n, p) === 1n) g++;
    const dbg = precompute(p, g, { workers: 1 });
    const h = rng.bigBetween(2n, p - 2n);
    const [wantG] = gpZnlog([{ g, h, p }]);
    expect(String(solve(dbg, h).x), `g = ${g}`).toBe(wantG);
  },
);

it("smoothOverBig factors numbers up to 2^96 over the base like bigint trial division", () => {
  const primes = factorBase(5000);
  const fb = Float64Array.from([...primes, 1000003, 2000003]); // two "large primes" after the base
  const rng = new Rng("smooth-big");
  let smooth = 0;
  for (let n = 0; n < 300; n++) {
    let v = 1n;
    while (v < 1n << BigInt(rng.int(50, 90))) v *= BigInt(rng.pick(primes.slice(0, rng.int(5, primes.length))));
    const tail = rng.pick([1n, 1000003n, 2000003n, 5003n * 5009n, 1000033n]);
    v *= tail;
    if (v >= 1n << 96n) continue;
    const out: number[] = [];
    const ok = smoothOverBig(v, fb, out, undefined, -1, Infinity, primes.length);
    expect(ok, `v = ${v}`).toBe(tail === 1n || tail === 1000003n || tail === 2000003n);
    if (!ok) continue;
    smooth++;
    let back = 1n;
    for (let i = 0; i < out.length; i += 2) back *= BigInt(fb[out[i]!]!) ** BigInt(out[i + 1]!);
    expect(back, `v = ${v}`).toBe(v);
  }
  expect(smooth).toBeGreaterThan(100);
});

/**
 * Index calculus, tuning: which relation method and which sizes (smoothness bound B, sieve width C,
 * large-prime bound) for a prime of a given size, and the cost model behind the size refusal
 * ("about 3 minutes; pass --force"). The numbers were tuned with bench/dlog.ts on the course's
 * 2-core VM; docs/dlog.md lists the measurements.
 */

export interface IcParams {
  /**
   * "reconstruction": g^k ≡ r/t with trial division (small primes, the notebook's method);
   * "sieve": the linear sieve.
   */
  method: "reconstruction" | "sieve";
  /** Smoothness bound B: the factor base is the primes ≤ B. */
  bound: number;
  /** Sieve width C: c1, c2 in [0, C) (sieve only). */
  width: number;
  /** Large primes up to largeMult·B are kept (sieve only). */
  largeMult: number;
}

/** Below this size the rational-reconstruction method is as fast and easier to show. */
export const SIEVE_FROM_BITS = 56;

/** Default parameters for a prime of `bits` bits. */
export function defaultParams(bits: number): IcParams {
  if (bits < SIEVE_FROM_BITS) return { method: "reconstruction", bound: defaultBound(bits), width: 0, largeMult: 0 };
  // [bits, B, C, large-prime multiplier]: the nearest row at or above (bench/dlog.ts, docs/dlog.md).
  // Since the dense algebra is cheap (ic-lift.ts) the base grows with p: a larger base also makes the
  // descent's smoothness test pass sooner.
  const table: Array<[number, number, number, number]> = [
    [56, 500, 1500, 50],
    [64, 800, 2000, 60],
    [72, 1300, 2500, 80],
    [80, 1500, 3500, 200],
    [88, 3000, 4500, 150],
    [96, 5000, 5000, 100],
    [104, 12000, 12000, 200],
    [112, 16000, 16000, 200],
    [120, 20000, 25000, 200],
    [128, 20000, 40000, 200],
  ];
  const row = table.find(([b]) => bits <= b) ?? table[table.length - 1]!;
  return { method: "sieve", bound: row[1], width: row[2], largeMult: row[3] };
}

/**
 * How many relations the sieve collects beyond the columns in use, as a fraction of them, before the
 * algebra: relations are cheap from 88 bits on, and the elimination drops the heaviest spare ones,
 * which leaves a smaller dense remainder (96 bits: 527 columns instead of 593, bench/dlog.ts).
 */
export function collectExcess(bits: number): number {
  return bits >= 88 ? 0.6 : 0.05;
}

/** Smoothness bound of the rational-reconstruction method for a prime of `bits` bits. */
export function defaultBound(bits: number): number {
  if (bits <= 20) return 30;
  if (bits <= 32) return 120;
  if (bits <= 40) return 300;
  if (bits <= 48) return 700;
  if (bits <= 56) return 1400;
  if (bits <= 64) return 2500;
  if (bits <= 72) return 4500;
  if (bits <= 80) return 8000;
  if (bits <= 88) return 14000;
  return 24000;
}

/**
 * Estimated precomputation time in seconds (CPU, every thread) for a `bits`-bit prime: the linear
 * sieve's heuristic cost L_p[1/2, 1], as a power fitted through the bench/dlog.ts measurements at 96
 * bits (1.6 s) and 128 bits (29 s): 1.6·(L(bits)/L(96))^0.9. That gives 0.32 s at 80 bits (measured
 * 0.39 s) and 7.2 s at 112 (8.4 s). Beyond 128 bits it is an order of magnitude, good enough to
 * refuse a 512-bit prime ("about 10,000 years").
 */
export function estimateSeconds(bits: number): number {
  const lnL = (b: number) => {
    const lnp = b * Math.LN2;
    return Math.sqrt(lnp * Math.log(lnp));
  };
  return 1.6 * Math.exp(0.9 * (lnL(bits) - lnL(96)));
}

/** "about 3 minutes", "about 2 days", "about 10^20 years". */
export function humanDuration(seconds: number): string {
  const units: Array<[string, number]> = [
    ["years", 365.25 * 86400],
    ["days", 86400],
    ["hours", 3600],
    ["minutes", 60],
    ["seconds", 1],
  ];
  for (const [name, s] of units) {
    if (seconds >= s || name === "seconds") {
      const v = seconds / s;
      if (v >= 1e6) return `about 10^${Math.round(Math.log10(v))} ${name}`;
      return `about ${v < 10 ? v.toFixed(1) : Math.round(v)} ${name}`;
    }
  }
  return `about ${seconds} seconds`;
}

/**
 * precompute at the default parameters, measured on this machine (2 cores; workers from 100 bits),
 * two seeded primes per size: [bits, relations at the end, seconds of linear algebra].
 */
const MEASURED: ReadonlyArray<readonly [number, number, number]> = [
  [72, 2130, 0.16],
  [80, 3050, 0.16],
  [88, 6980, 0.33],
  [96, 8520, 0.65],
  [100, 17100, 1.22],
  [104, 17400, 1.44],
  [112, 23300, 3.1],
  [120, 34500, 6.1],
  [128, 52500, 11.6],
];

/** Column `col` of MEASURED at `bits`: log-linear between neighbours, the end segments extended. */
function measuredAt(bits: number, col: 1 | 2): number {
  let i = 1;
  while (i < MEASURED.length - 1 && MEASURED[i]![0] < bits) i++;
  const [b0, lo] = [MEASURED[i - 1]![0], MEASURED[i - 1]![col]];
  const [b1, hi] = [MEASURED[i]![0], MEASURED[i]![col]];
  return lo * Math.pow(hi / lo, (bits - b0) / (b1 - b0));
}

/**
 * Relations a precomputation at the default parameters ends with for a `bits`-bit prime. The sieve's
 * own target starts low and grows as large primes appear (each new one is an unknown), so a
 * progress display that trusted it would fill up early and then stall; it uses this instead.
 */
export function expectedRelations(bits: number): number {
  return Math.round(measuredAt(bits, 1));
}

/**
 * Seconds of linear algebra after the sieve for a `bits`-bit prime (MEASURED, interpolated). It runs
 * after the sieve, so the time left while sieving must add it: at 128 bits it is two thirds of the
 * whole run.
 */
export function algebraSeconds(bits: number): number {
  return measuredAt(bits, 2);
}

/**
 * What a progress display shows while relations are collected: the relation target (the expected
 * final count at default parameters, never below the sieve's current one) and the time-left note,
 * the linear algebra included.
 */
export function relationProgress(
  elapsedMs: number,
  found: number,
  needed: number,
  bits: number,
  defaults: boolean,
): { target: number; note: string } {
  const target = defaults ? Math.max(needed, expectedRelations(bits)) : needed;
  return { target, note: timeLeftNote(elapsedMs, found, target, algebraSeconds(bits)) };
}

const secs = (s: number) => `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;

/**
 * "12.3 s, about 8.0 s left": elapsed time and a linear estimate of the rest from the rate so far.
 * With `thenSeconds` (the algebra still to come after the sieve, see algebraSeconds), the time left
 * counts it too and says how much of it is the algebra.
 */
export function timeLeftNote(elapsedMs: number, done: number, total: number, thenSeconds = 0): string {
  const elapsed = secs(elapsedMs / 1000);
  if (done <= 0 || done >= total) return elapsed;
  const sieve = (elapsedMs * (total - done)) / done / 1000;
  if (thenSeconds < 0.05) return `${elapsed}, about ${secs(sieve)} left`;
  return `${elapsed}, about ${secs(sieve + thenSeconds)} left (${secs(thenSeconds)} of it linear algebra)`;
}

/** "[########········] 50 %": a text progress bar of `width` cells for done out of total. */
export function progressBar(done: number, total: number, width = 20): string {
  const f = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const full = Math.round(f * width);
  return `[${"#".repeat(full)}${"·".repeat(width - full)}] ${Math.floor(f * 100)} %`;
}

/**
 * Index calculus: the shapes shared by its modules (the database, its statistics, the options of
 * the precomputation, one kept relation, one per-target answer). See src/dlog/index-calculus.ts.
 */
import type { Factorization } from "./group";

export interface IndexDb {
  kind: "wirelab-index-calculus-db";
  version: 1;
  p: bigint;
  g: bigint;
  /** ord(g). */
  order: bigint;
  /** Factorization of ord(g). */
  orderFactors: Factorization;
  /** The large prime q of p - 1 = c·q handled by the linear algebra. */
  q: bigint;
  /** c = (p - 1)/q. */
  cofactor: bigint;
  /** Smoothness bound B. */
  bound: number;
  /** Factor base: the primes ≤ B, then the large primes with known logs (ascending). */
  primes: number[];
  /** Virtual log of each factor-base prime modulo q, or null when the relations did not fix it. */
  logs: Array<bigint | null>;
  stats: PrecomputeStats;
  /** The first relations, when `keepRelations` was set (not serialized). */
  sample?: RelationSample[];
}

export interface PrecomputeStats {
  bits: number;
  /** How the relations were found (see IcParams). */
  method?: "reconstruction" | "sieve";
  factorBase: number;
  /** Large primes beyond B whose logs the sieve's partial relations gave (stored after the base). */
  largePrimes?: number;
  relations: number;
  candidates: number;
  solvedLogs: number;
  relationMs: number;
  algebraMs: number;
  /** Worker threads that sieved besides the main thread. */
  workers?: number;
  /** Columns left to the dense algebra, and how they were solved (ℓ-adic lifting or modulo q). */
  denseColumns?: number;
  dense?: "lift" | "modq";
  /** ℓ-adic digits the lifting took on this thread and on the second-prime helper thread (0: none). */
  liftDigits?: [number, number];
  totalMs: number;
  /** Bytes of the JSON database (what `save` writes). */
  dbBytes: number;
  seed: number;
}

export interface PrecomputeOptions {
  /** Smoothness bound (default: chosen from the size of p). */
  bound?: number;
  /** Sieve width C and large-prime multiplier (default: by size, see defaultParams). */
  width?: number;
  largeMult?: number;
  /** Relation method (default: by size, see defaultParams). */
  method?: "reconstruction" | "sieve";
  /** Seed for the exponents k (default 1). */
  seed?: number;
  /** Go ahead even when the estimate exceeds `maxSeconds`. */
  force?: boolean;
  /** Refuse above this estimated time (default 120 s). */
  maxSeconds?: number;
  /**
   * Worker threads for the sieve besides this thread (default: one per extra core from 100 bits, none
   * below). The database does not depend on it.
   */
  workers?: number;
  /** Called once every input check has passed, with the cost model's estimate (estimateSeconds). */
  onStart?: (estimatedSeconds: number) => void;
  /** Called when a stage starts: "linear algebra: …", with the sizes it works on. */
  onPhase?: (note: string) => void;
  /** Called now and then with (relations found, relations needed). */
  onProgress?: (found: number, needed: number) => void;
  /** Keep the first N relations in `db.sample` (for teaching; not saved by `serialize`). */
  keepRelations?: number;
}

/** One relation as the notebook shows it: g^k ≡ ± num/den (mod p) ⇒ k ≡ Σ e·L(ℓ) (mod q). */
export interface RelationSample {
  k: bigint;
  r: number;
  t: number;
  /** [prime, exponent] with negative exponents for the denominator. */
  factors: Array<[number, number]>;
}

export interface SolveResult {
  /** log_g(h) in [0, ord(g)), or null when h is not a power of g. */
  x: bigint | null;
  /** Candidates h·g^k tried before one was smooth. */
  candidates: number;
  /** The smooth decomposition that worked: h·g^k ≡ ± num/den. */
  k?: bigint;
  num?: Array<[number, number]>;
  den?: Array<[number, number]>;
  ms: number;
  note?: string;
}

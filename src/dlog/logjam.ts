/**
 * Logjam in a classroom: a simulated internet of servers that mostly share a few Diffie-Hellman
 * primes, a recording of client handshakes with a short encrypted message each, and an attacker
 * who runs one index-calculus precomputation per prime and then breaks every recorded session.
 *
 * After Adrian et al., "Imperfect Forward Secrecy: How Diffie-Hellman Fails in Practice" (ACM CCS
 * 2015, weakdh.org): 512-bit export-grade groups fell after about a week of precomputation, then
 * about a minute per connection; most vulnerable servers used one of a handful of 512-bit primes
 * (one of them shared by most); and the precomputation for one widely used 1024-bit prime would
 * allow passive decryption of connections to about 18% of the top million HTTPS sites, a second
 * prime to about 66% of VPN servers and 26% of SSH servers. Here the primes are 96 bits by default
 * so the whole attack runs in about a minute on a laptop; the shape of the costs is the point.
 *
 * The session key is SHA-256 of the shared secret; the toy message is AES-256-CTR encrypted
 * (node:crypto). Everything is seeded (src/util/rng.ts): the same lab on every machine.
 */
import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import { modPow } from "../math/modular";
import { randomSafePrime } from "../math/primes";
import { InputError, ParseError } from "../util/errors";
import { Rng } from "../util/rng";
import { MAX_BITS, precompute, solve, type IndexDb } from "./index-calculus";
import { checkAnswer } from "./verify";

export const LOGJAM_FACTS = {
  paper:
    'D. Adrian et al., "Imperfect Forward Secrecy: How Diffie-Hellman Fails in Practice", ACM CCS 2015 (weakdh.org)',
  exportPrecomputation: "about one week of precomputation per 512-bit export-grade prime",
  exportPerConnection: "then about a minute to break each connection using that prime",
  sharing: "most vulnerable servers shared a single 512-bit prime (a few primes covered nearly all)",
  nationState:
    "one 1024-bit prime precomputation: passive decryption of about 18% of the top million HTTPS sites; " +
    "a second prime: about 66% of VPN servers and 26% of SSH servers (the paper's 2015 estimates)",
};

export interface InternetConfig {
  /** Size of every prime in bits (96 by default: about a minute for the whole lab). */
  bits: number;
  /** Number of servers. */
  servers: number;
  /** Number of recorded handshakes. */
  handshakes: number;
  /** How many widely shared primes exist. */
  sharedPrimes: number;
  /** Fraction of servers (0..1) that use one of the shared primes; the others generate their own. */
  shareFraction: number;
  seed: number;
}

export const DEFAULT_INTERNET: InternetConfig = {
  bits: 96,
  servers: 60,
  handshakes: 600,
  sharedPrimes: 2,
  shareFraction: 0.95,
  seed: 2015,
};

export interface DhGroupRef {
  id: string;
  p: bigint;
  g: bigint;
  q: bigint;
  shared: boolean;
}

export interface Server {
  name: string;
  group: string;
}

export interface Handshake {
  id: number;
  server: string;
  client: string;
  group: string;
  p: bigint;
  g: bigint;
  /** Server public value g^a, client public value g^b. */
  A: bigint;
  B: bigint;
  iv: string;
  ciphertext: string;
}

export interface Internet {
  config: InternetConfig;
  groups: DhGroupRef[];
  servers: Server[];
  handshakes: Handshake[];
  /** Ground truth for tests and the instructor (the attacker never reads it). */
  truth: Array<{ a: bigint; b: bigint; secret: bigint; message: string }>;
}

const MESSAGES = [
  "GET /inbox",
  "LOGIN alice",
  "PAY 120 EUR to bob",
  "ssh-userauth carol",
  "VPN route 10.8.0.0/16",
  "GET /payroll.xlsx",
  "PUSH config v17",
];

/** Session key from a shared secret: SHA-256 of its decimal string. */
export function sessionKey(secret: bigint): Buffer {
  return createHash("sha256").update(secret.toString()).digest();
}

export function encrypt(secret: bigint, iv: Buffer, text: string): string {
  const c = createCipheriv("aes-256-ctr", sessionKey(secret), iv);
  return Buffer.concat([c.update(text, "utf8"), c.final()]).toString("hex");
}

export function decrypt(secret: bigint, ivHex: string, hex: string): string {
  const d = createDecipheriv("aes-256-ctr", sessionKey(secret), Buffer.from(ivHex, "hex"));
  return Buffer.concat([d.update(Buffer.from(hex, "hex")), d.final()]).toString("utf8");
}

function checkConfig(c: InternetConfig): void {
  const bad = (field: keyof InternetConfig, why: string) => {
    throw new InputError(why, { value: c[field], where: `internet config ${field}` });
  };
  if (!Number.isInteger(c.bits) || c.bits < 24 || c.bits > MAX_BITS)
    bad("bits", `bits must be an integer from 24 to ${MAX_BITS}`);
  if (!Number.isInteger(c.servers) || c.servers < 1 || c.servers > 100000)
    bad("servers", "servers must be an integer from 1 to 100000");
  if (!Number.isInteger(c.handshakes) || c.handshakes < 1 || c.handshakes > 1000000)
    bad("handshakes", "handshakes must be an integer from 1 to 10^6");
  if (!Number.isInteger(c.sharedPrimes) || c.sharedPrimes < 1 || c.sharedPrimes > 50)
    bad("sharedPrimes", "sharedPrimes must be an integer from 1 to 50");
  if (typeof c.shareFraction !== "number" || !(c.shareFraction >= 0 && c.shareFraction <= 1))
    bad("shareFraction", "shareFraction must be a number from 0 to 1");
}

/** Builds the simulated internet and records every handshake. */
export function buildInternet(partial: Partial<InternetConfig> = {}): Internet {
  const config = { ...DEFAULT_INTERNET, ...partial };
  checkConfig(config);
  const rng = new Rng(config.seed);
  const groups: DhGroupRef[] = [];
  const newGroup = (shared: boolean): DhGroupRef => {
    const { p, q } = randomSafePrime(config.bits, rng);
    const gr = { id: `${shared ? "shared" : "own"}-${groups.length + 1}`, p, q, g: 2n, shared };
    groups.push(gr);
    return gr;
  };
  const shared = Array.from({ length: config.sharedPrimes }, () => newGroup(true));
  const servers: Server[] = [];
  for (let i = 0; i < config.servers; i++) {
    // Popularity is skewed: the first shared prime is used by most servers (as in 2015).
    let gr: DhGroupRef;
    if (rng.float() < config.shareFraction) gr = rng.float() < 0.7 ? shared[0]! : rng.pick(shared);
    else gr = newGroup(false);
    servers.push({ name: `srv${String(i + 1).padStart(3, "0")}.example`, group: gr.id });
  }
  const byId = new Map(groups.map((gr) => [gr.id, gr]));
  const handshakes: Handshake[] = [];
  const truth: Internet["truth"] = [];
  for (let i = 0; i < config.handshakes; i++) {
    const srv = rng.pick(servers);
    const gr = byId.get(srv.group)!;
    const a = rng.bigBetween(2n, gr.p - 2n);
    const b = rng.bigBetween(2n, gr.p - 2n);
    const A = modPow(gr.g, a, gr.p);
    const B = modPow(gr.g, b, gr.p);
    const secret = modPow(B, a, gr.p);
    const message = `${rng.pick(MESSAGES)} #${i + 1}`;
    const iv = Buffer.from(rng.bytes(16));
    handshakes.push({
      id: i + 1,
      server: srv.name,
      client: `client${rng.int(1, 5000)}`,
      group: gr.id,
      p: gr.p,
      g: gr.g,
      A,
      B,
      iv: iv.toString("hex"),
      ciphertext: encrypt(secret, iv, message),
    });
    truth.push({ a, b, secret, message });
  }
  return { config, groups, servers, handshakes, truth };
}

export interface BrokenSession {
  id: number;
  group: string;
  /** The recovered server exponent (a log of A), the shared secret, the decrypted message. */
  a: bigint | null;
  secret: bigint | null;
  message: string | null;
  solveMs: number;
  /** Time of the precomputation of this session's prime (paid once with reuse). */
  precomputeMs: number;
  /** Whether this session paid for the precomputation (first session on its prime). */
  paidPrecompute: boolean;
}

export interface AttackReport {
  sessions: BrokenSession[];
  precomputations: Array<{
    group: string;
    bits: number;
    ms: number;
    factorBase: number;
    relations: number;
    sessions: number;
  }>;
  totalMs: number;
  broken: number;
}

/**
 * The attacker: group the recorded handshakes by prime, run one precomputation per prime (in the
 * order primes are first seen), then solve log_g(A) for every handshake, rebuild the secret B^a and
 * decrypt. `onProgress(done, total, label)` is called as sessions are broken.
 */
export function breakAll(
  handshakes: Handshake[],
  opts: { onProgress?: (done: number, total: number, label: string) => void } = {},
): AttackReport {
  const t0 = performance.now();
  const dbs = new Map<string, IndexDb>();
  const precomputations: AttackReport["precomputations"] = [];
  const sessions: BrokenSession[] = [];
  for (const hs of handshakes) {
    const key = `${hs.p}:${hs.g}`;
    let db = dbs.get(key);
    let paid = false;
    if (!db) {
      db = precompute(hs.p, hs.g, { force: true });
      dbs.set(key, db);
      precomputations.push({
        group: hs.group,
        bits: db.stats.bits,
        ms: db.stats.totalMs,
        factorBase: db.primes.length,
        relations: db.stats.relations,
        sessions: 0,
      });
      paid = true;
    }
    const pre = precomputations.find((x) => x.group === hs.group)!;
    pre.sessions++;
    const s = solve(db, hs.A);
    let secret: bigint | null = null;
    let message: string | null = null;
    if (s.x !== null) {
      // Never report a wrong exponent: the recovered a must satisfy g^a ≡ A.
      checkAnswer(hs.g, hs.A, hs.p, s.x, `logjam session ${hs.id} [${hs.group}]`);
      secret = modPow(hs.B, s.x, hs.p);
      message = decrypt(secret, hs.iv, hs.ciphertext);
    }
    sessions.push({
      id: hs.id,
      group: hs.group,
      a: s.x,
      secret,
      message,
      solveMs: s.ms,
      precomputeMs: db.stats.totalMs,
      paidPrecompute: paid,
    });
    opts.onProgress?.(sessions.length, handshakes.length, hs.group);
  }
  return {
    sessions,
    precomputations,
    totalMs: performance.now() - t0,
    broken: sessions.filter((s) => s.message !== null).length,
  };
}

/** Cumulative attack cost, session by session, with one precomputation per prime vs one per session. */
export function cumulativeCost(
  report: AttackReport,
): Array<{ session: number; withReuseS: number; withoutReuseS: number }> {
  let withReuse = 0;
  let without = 0;
  return report.sessions.map((s, i) => {
    withReuse += s.solveMs + (s.paidPrecompute ? s.precomputeMs : 0);
    without += s.solveMs + s.precomputeMs;
    return { session: i + 1, withReuseS: withReuse / 1000, withoutReuseS: without / 1000 };
  });
}

/**
 * Parses the lab file labs/dlog/internet.conf: `key = value` lines, `#` comments. Unknown keys and
 * bad values are errors naming file:line:column.
 */
export function parseInternetConfig(text: string, file = "internet.conf"): InternetConfig {
  const out: InternetConfig = { ...DEFAULT_INTERNET };
  const numeric: Array<keyof InternetConfig> = [
    "bits",
    "servers",
    "handshakes",
    "sharedPrimes",
    "shareFraction",
    "seed",
  ];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (!line) return;
    const m = /^([A-Za-z]+)\s*=\s*(\S+)$/.exec(line);
    if (!m)
      throw new ParseError("expected `key = value`", { value: raw.trim(), location: { file, line: i + 1, column: 1 } });
    const key = m[1] as keyof InternetConfig;
    if (!numeric.includes(key)) {
      throw new ParseError("unknown setting", {
        value: m[1],
        location: { file, line: i + 1, column: raw.indexOf(m[1]!) + 1 },
        hint: `known settings: ${numeric.join(", ")}`,
      });
    }
    const v = Number(m[2]);
    if (!Number.isFinite(v))
      throw new ParseError("expected a number", {
        value: m[2],
        location: { file, line: i + 1, column: raw.indexOf(m[2]!, raw.indexOf("=")) + 1 },
      });
    (out as unknown as Record<string, number>)[key] = v;
  });
  try {
    checkConfig(out);
  } catch (e) {
    throw new ParseError((e as Error).message, { location: { file } });
  }
  return out;
}

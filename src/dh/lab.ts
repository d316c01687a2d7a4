/**
 * The "Eve on the wire" lab: Alice and Bob agree on a key over a channel the learner controls.
 *
 * 1. Passive Eve records p, g, J, K. On a toy group (a safe prime of 16–40 bits) she solves the
 *    discrete log with baby-step giant-step (Shanks 1971; HAC algorithm 3.56) and reads the
 *    secret; on a named group the same attack would need ~2^(bits/2) steps (RFC 3526 §8).
 * 2. Active Mallory tries key fixing, malicious generators and small-subgroup confinement.
 * 3. The learner turns validation on in `labs/dh/lab.conf` and watches the attacks fail.
 *
 * The settings file is `key = value` lines with `#` comments; an unknown key or a bad value is a
 * ParseError naming file:line:column.
 */
import * as fs from "node:fs";
import { ParseError, InputError } from "../util/errors";
import { Rng } from "../util/rng";
import { modPow, modInv } from "./modular";
import { randomSafePrime, subgroupGenerator } from "./primes";
import { getGroup, type DhGroup } from "./groups";
import { runExchange, generatePrivateKey, type Transcript } from "./exchange";
import {
  keyFixing,
  maliciousGenerator,
  weakGroup,
  makeVictim,
  smallSubgroupAttack,
  type SubgroupAttackResult,
} from "./attacks";
import type { ValidationLevel } from "./validate";

export interface LabConfig {
  /** "toyNN" (safe prime of NN bits) or a named group. */
  group: string;
  seed: string;
  /** Validation Alice, Bob and the server apply to keys and parameters they receive. */
  validate: ValidationLevel;
  /** Where the config came from (for messages). */
  file: string;
}

export const DEFAULT_LAB_CONFIG: LabConfig = { group: "toy32", seed: "eve", validate: "none", file: "<defaults>" };

/** Parses lab.conf text. Unknown keys and bad values are errors with file:line:column. */
export function parseLabConfig(text: string, file = "lab.conf"): LabConfig {
  const cfg: LabConfig = { ...DEFAULT_LAB_CONFIG, file };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "");
    if (line.trim() === "") return;
    const m = /^(\s*)([A-Za-z_.]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!m)
      throw new ParseError("expected `key = value`", { value: raw.trim(), location: { file, line: i + 1, column: 1 } });
    const [, indent, key, value] = m as unknown as [string, string, string, string];
    const column = indent.length + 1;
    const valueCol = line.indexOf(value, indent.length + key.length) + 1;
    if (key === "group") {
      const toy = /^toy(\d+)$/.exec(value);
      if (toy) {
        const bits = Number(toy[1]);
        if (bits < 16 || bits > 40)
          throw new ParseError("toy groups are 16 to 40 bits (Eve's brute force must finish)", {
            value,
            location: { file, line: i + 1, column: valueCol },
          });
      } else {
        try {
          getGroup(value);
        } catch (e) {
          throw new ParseError(`unknown group: ${(e as Error).message.split(". ")[1] ?? ""}`, {
            value,
            location: { file, line: i + 1, column: valueCol },
          });
        }
      }
      cfg.group = value;
    } else if (key === "seed") {
      cfg.seed = value;
    } else if (key === "validate") {
      if (value !== "none" && value !== "range" && value !== "full") {
        throw new ParseError("validate must be none, range or full", {
          value,
          location: { file, line: i + 1, column: valueCol },
        });
      }
      cfg.validate = value;
    } else {
      throw new ParseError("unknown setting (known: group, seed, validate)", {
        value: key,
        location: { file, line: i + 1, column },
      });
    }
  });
  return cfg;
}

/** Reads and parses a lab.conf file. */
export function loadLabConfig(path: string): LabConfig {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read the lab settings: ${(e as Error).message}`, {
      value: path,
      where: "loadLabConfig",
    });
  }
  return parseLabConfig(text, path);
}

/** The group a config names: a toy safe prime (seeded) or a named group. */
export function labGroup(cfg: Pick<LabConfig, "group" | "seed">): DhGroup {
  const toy = /^toy(\d+)$/.exec(cfg.group);
  if (!toy) return getGroup(cfg.group);
  const bits = Number(toy[1]);
  const rng = new Rng(`${cfg.seed}:${cfg.group}`);
  const { p, q } = randomSafePrime(bits, rng);
  return { name: cfg.group, aliases: [], rfc: "lab toy group", bits, p, g: subgroupGenerator(p, q), q, id: 0 };
}

/**
 * Baby-step giant-step: x in [0, n) with g^x = y (mod p), g of order n. Limited to n < 2^44
 * (2^22 table entries). Returns undefined when there is no solution.
 */
export function babyStepGiantStep(g: bigint, y: bigint, p: bigint, n: bigint): bigint | undefined {
  if (n >= 1n << 44n)
    throw new InputError("baby-step giant-step is limited to subgroups below 2^44 in this lab", {
      value: n,
      where: "babyStepGiantStep(…, n)",
    });
  const m = isqrtCeil(n);
  const table = new Map<bigint, bigint>();
  let e = 1n;
  for (let j = 0n; j < m; j++) {
    if (!table.has(e)) table.set(e, j);
    e = (e * g) % p;
  }
  const factor = modInv(modPow(g, m, p), p); // g^-m
  let gamma = y % p;
  for (let i = 0n; i < m; i++) {
    const j = table.get(gamma);
    if (j !== undefined) return i * m + j;
    gamma = (gamma * factor) % p;
  }
  return undefined;
}

/** ⌈√n⌉ for n ≥ 0 (Newton's method on bigint). */
export function isqrtCeil(n: bigint): bigint {
  if (n < 0n) throw new InputError("square root of a negative number", { value: n, where: "isqrtCeil" });
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return x * x < n ? x + 1n : x;
}

export interface PassiveResult {
  transcript: Transcript;
  /** Did Eve recover Alice's key from J (toy groups only)? */
  broken: boolean;
  /** Alice's private key as Eve computed it, and the secret she derived. */
  eveKey?: bigint;
  eveSecret?: bigint;
  /** Baby-step giant-step work: about 2·√q multiplications. */
  work: bigint;
  note: string;
}

/** Part 1: Eve listens. On a toy group she solves the discrete log of J and computes K^a. */
export function passiveEve(cfg: LabConfig): PassiveResult {
  const group = labGroup(cfg);
  const transcript = runExchange({ group, rng: new Rng(cfg.seed), validate: cfg.validate });
  const work = 2n * isqrtCeil(group.q);
  if (!cfg.group.startsWith("toy")) {
    return {
      transcript,
      broken: false,
      work,
      note:
        `Eve holds p, g, J and K, but a ${group.bits}-bit discrete log is far beyond baby-step giant-step ` +
        `(≈ 2^${Math.ceil(group.q.toString(2).length / 2) + 1} steps).`,
    };
  }
  const found = babyStepGiantStep(group.g, transcript.eve.J, group.p, group.q);
  // Never show a wrong key: keep a only when g^a ≡ J (mod p).
  const a = found !== undefined && modPow(group.g, found, group.p) === transcript.eve.J % group.p ? found : undefined;
  const eveSecret = a === undefined ? undefined : modPow(transcript.eve.K, a, group.p);
  return {
    transcript,
    broken: eveSecret !== undefined && eveSecret === transcript.alice.secret,
    ...(a !== undefined ? { eveKey: a } : {}),
    ...(eveSecret !== undefined ? { eveSecret } : {}),
    work,
    note:
      `Eve solved g^a = J in a ${group.q.toString(2).length}-bit subgroup with ≈ ${work} multiplications, ` +
      `then computed K^a.`,
  };
}

export interface ActiveResult {
  attack: string;
  /** Did Mallory learn a secret a party will use? */
  succeeded: boolean;
  detail: string;
}

/** Part 2: Mallory's three attacks against the configured validation level. */
export function activeAttacks(cfg: LabConfig): { results: ActiveResult[]; subgroup: SubgroupAttackResult } {
  const group = labGroup(cfg);
  const level = cfg.validate;
  const results: ActiveResult[] = [];

  const fix = keyFixing(group.p);
  const t1 = runExchange({ group, rng: new Rng(cfg.seed), validate: level, tamper: fix.tamper });
  const fixed = t1.alice.secret === fix.predictedSecret || t1.bob.secret === fix.predictedSecret;
  results.push({
    attack: "key fixing (J, K → p)",
    succeeded: fixed,
    detail: fixed ? `both secrets are ${fix.predictedSecret}` : (t1.alice.error ?? t1.bob.error ?? "refused"),
  });

  for (const [label, evil] of [
    ["g → 1", 1n],
    ["g → p", group.p],
    ["g → p−1", group.p - 1n],
  ] as const) {
    const mg = maliciousGenerator(group.p, evil);
    const t = runExchange({ group, rng: new Rng(cfg.seed), validate: level, tamper: mg.tamper });
    const ok = t.alice.secret !== undefined && mg.predictedSecrets.includes(t.alice.secret);
    results.push({
      attack: `malicious generator (${label})`,
      succeeded: ok,
      detail: ok
        ? `Alice's secret is ${t.alice.secret}, which Mallory predicted`
        : (t.bob.error ?? t.alice.error ?? "refused"),
    });
  }

  const weak = weakGroup(new Rng(`${cfg.seed}:weak`));
  const x = generatePrivateKey(weak, new Rng(`${cfg.seed}:server`));
  const subgroup = smallSubgroupAttack(weak, makeVictim(weak, x, level));
  const got = subgroup.recovered === x;
  results.push({
    attack: "small-subgroup confinement (server key)",
    succeeded: got,
    detail: got
      ? `recovered the server's ${x.toString(2).length}-bit key with ${subgroup.queries} queries`
      : (subgroup.steps.find((s) => s.error)?.error ?? "not recovered"),
  });
  return { results, subgroup };
}

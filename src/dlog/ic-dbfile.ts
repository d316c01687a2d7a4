/**
 * Index calculus, the database file: the precomputation's result as JSON (bigints as decimal
 * strings), read back with every field checked, and its size in memory.
 */
import * as fs from "node:fs";
import { isProbablePrime } from "../math/primes";
import { bitLength } from "../math/modular";
import { InputError, ParseError } from "../util/errors";
import { verifyDatabase } from "./verify";
import type { IndexDb } from "./ic-types";

/** The database as JSON text (bigints as decimal strings). */
export function serialize(db: IndexDb): string {
  return JSON.stringify(db, (key, v) => (key === "sample" ? undefined : typeof v === "bigint" ? v.toString() : v));
}

/** Parses a database written by `serialize`; `file` names the source in errors. */
export function deserialize(text: string, file = "<database>"): IndexDb {
  let raw: any;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(String((e as Error).message));
    throw new ParseError("the database is not valid JSON", {
      where: "loadDb",
      location: { file, offset: m ? Number(m[1]) : undefined },
    });
  }
  if (!raw || raw.kind !== "wirelab-index-calculus-db" || raw.version !== 1) {
    throw new ParseError("not a wirelab index-calculus database (kind/version missing)", {
      value: raw?.kind,
      location: { file },
    });
  }
  const big = (v: unknown, field: string): bigint => {
    if (typeof v !== "string" || !/^\d+$/.test(v))
      throw new ParseError("expected a decimal integer string", { value: v, where: field, location: { file } });
    return BigInt(v);
  };
  const db: IndexDb = {
    kind: raw.kind,
    version: 1,
    p: big(raw.p, "p"),
    g: big(raw.g, "g"),
    order: big(raw.order, "order"),
    orderFactors: (raw.orderFactors as unknown[]).map((f: any, i: number) => [
      big(f[0], `orderFactors[${i}]`),
      Number(f[1]),
    ]),
    q: big(raw.q, "q"),
    cofactor: big(raw.cofactor, "cofactor"),
    bound: Number(raw.bound),
    primes: raw.primes,
    logs: (raw.logs as unknown[]).map((v, i) => (v === null ? null : big(v, `logs[${i}]`))),
    stats: raw.stats,
  };
  if (!Array.isArray(db.primes) || db.primes.length !== db.logs.length) {
    throw new ParseError("primes and logs must be arrays of the same length", {
      where: "primes/logs",
      location: { file },
    });
  }
  const firstOutOfOrder = db.primes.findIndex((l, i) => typeof l !== "number" || (i > 0 && l <= db.primes[i - 1]!));
  if (firstOutOfOrder >= 0) {
    // solve() finds a large prime by binary search: the list must be strictly ascending.
    throw new ParseError("primes must be numbers in strictly ascending order", {
      value: db.primes[firstOutOfOrder],
      where: `primes[${firstOutOfOrder}]`,
      location: { file },
    });
  }
  if (!isProbablePrime(db.p)) throw new ParseError("p is not prime", { value: db.p, where: "p", location: { file } });
  // Every stored log is checked (src/dlog/verify.ts): a corrupted file is refused now, naming the
  // first bad prime, rather than turning into wrong answers later.
  verifyDatabase(db, file);
  return db;
}

/** Writes the database to a file. */
export function saveDb(db: IndexDb, file: string): void {
  fs.writeFileSync(file, serialize(db));
}

/** Reads a database from a file. */
export function loadDb(file: string): IndexDb {
  if (!fs.existsSync(file)) throw new InputError("database file not found", { value: file, where: "loadDb" });
  return deserialize(fs.readFileSync(file, "utf8"), file);
}

/** In-memory size estimate of a database (bytes): the logs and primes, as stored by V8. */
export function dbMemoryBytes(db: IndexDb): number {
  const logBytes = db.logs.reduce((s, L) => s + (L === null ? 8 : 16 + Math.ceil(bitLength(L) / 64) * 8), 0);
  return logBytes + db.primes.length * 8;
}

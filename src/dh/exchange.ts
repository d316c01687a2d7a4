/**
 * A Diffie-Hellman exchange between Alice and Bob over a channel Eve can read (and, in the lab,
 * rewrite), recorded as a transcript of what crosses the wire.
 *
 * Follows the original protocol (Diffie & Hellman, "New Directions in Cryptography", 1976) in the
 * notation of the post "Diffie Hellman - So well Explained": public P (prime) and N (base, our g); secrets A and B (our
 * a, b); on the wire
 * J = g^a mod p and K = g^b mod p; shared secret K^a = J^b = g^(ab) mod p. Validation of the
 * received key follows RFC 7919 §5.1 / NIST SP 800-56A (see validate.ts).
 *
 * Private keys are drawn from the seeded `Rng` (reproducible labs), or given explicitly (interop
 * tests give the same keys to OpenSSL through node:crypto).
 *
 * @example
 *   const t = runExchange({ group: getGroup("modp2048"), rng: new Rng(1) });
 *   t.agreed          // true
 *   t.wire            // the four messages Eve saw: p, g, J, K
 */
import { InputError } from "../util/errors";
import { Rng } from "../util/rng";
import { assertBigint, modPow } from "./modular";
import type { DhGroup } from "./groups";
import {
  checkPublicKey,
  validatePublicKey,
  validateSharedSecret,
  type PublicKeyCheck,
  type ValidationLevel,
} from "./validate";

/** One message on the wire. */
export interface WireMessage {
  /** Sequence number, from 1. */
  seq: number;
  from: string;
  to: string;
  /** What the field is: "p", "g", "public key". */
  field: "p" | "g" | "public key";
  /** The value as sent. */
  sent: bigint;
  /** The value as delivered (differs when an active attacker rewrote it). */
  delivered: bigint;
  /** True when the channel changed the value. */
  tampered: boolean;
}

/** An active attacker: gets each message and returns what to deliver. Identity = passive. */
export type Tamper = (msg: {
  seq: number;
  from: string;
  to: string;
  field: WireMessage["field"];
  value: bigint;
}) => bigint;

export interface PartyResult {
  name: string;
  /** Private exponent (never on the wire). */
  privateKey: bigint;
  /** g^private mod p as computed with the parameters this party received. */
  publicKey: bigint;
  /** The public key it received from the peer. */
  received: bigint;
  /** Parameters this party used (Bob's may be rewritten by an attacker). */
  p: bigint;
  g: bigint;
  /** Checks run on the received key (empty when validation is "none"). */
  checks: PublicKeyCheck[];
  /** The shared secret, or undefined when validation refused the peer's key. */
  secret?: bigint;
  /** The validation error message, when the party aborted. */
  error?: string;
}

export interface ExchangeOptions {
  group: DhGroup;
  /** Seeded randomness for private keys (default new Rng(1)). */
  rng?: Rng;
  alicePrivate?: bigint;
  bobPrivate?: bigint;
  /** Validation each party applies to the key it receives (default "full"). */
  validate?: ValidationLevel;
  /** Bits of the private exponents (default: the full range [2, q-1]). */
  privateBits?: number;
  /** Active attacker on the channel (default: passive Eve). */
  tamper?: Tamper;
}

/** What Eve learns from a passive recording: everything on the wire, no secrets. */
export interface EveView {
  p: bigint;
  g: bigint;
  J: bigint;
  K: bigint;
  /** The number of bits of p: the size of the discrete log she would have to solve. */
  bits: number;
}

export interface Transcript {
  group: string;
  wire: WireMessage[];
  alice: PartyResult;
  bob: PartyResult;
  eve: EveView;
  /** True when both parties finished with the same secret. */
  agreed: boolean;
}

/** A private exponent in [2, q-1] (or of exactly `bits` bits when given). */
export function generatePrivateKey(group: Pick<DhGroup, "q">, rng: Rng, bits?: number): bigint {
  if (bits !== undefined) {
    if (!Number.isInteger(bits) || bits < 2 || BigInt(bits) > BigInt(group.q.toString(2).length)) {
      throw new InputError("privateBits must be an integer from 2 to the bit length of q", {
        value: bits,
        where: "generatePrivateKey(…, bits)",
      });
    }
    return rng.bigBits(bits);
  }
  if (group.q < 4n)
    throw new InputError("the subgroup order q is too small for a private key", {
      value: group.q,
      where: "generatePrivateKey",
    });
  return rng.bigBetween(2n, group.q - 1n);
}

/** g^x mod p. */
export function publicKeyOf(group: Pick<DhGroup, "p" | "g">, privateKey: bigint): bigint {
  assertBigint(privateKey, "private key");
  if (privateKey < 1n)
    throw new InputError("a private key must be a positive integer", { value: privateKey, where: "private key" });
  return modPow(group.g, privateKey, group.p);
}

/**
 * The shared secret peerPublic^x mod p, after validating the peer's key at `level`.
 * Throws PublicKeyError (which check failed) or InputError (degenerate secret).
 */
export function sharedSecret(
  group: Pick<DhGroup, "p" | "q">,
  peerPublic: bigint,
  privateKey: bigint,
  level: ValidationLevel = "full",
): bigint {
  validatePublicKey(peerPublic, group, level);
  const z = modPow(peerPublic, privateKey, group.p);
  if (level !== "none") validateSharedSecret(z, group.p);
  return z;
}

/**
 * What a validating party checks about the parameters it was sent: the prime is the one agreed
 * (a named group, so no primality test is needed) and the generator lies in [2, p-2] with
 * g^q = 1 (NIST SP 800-56A §5.5.2: domain parameter assurance).
 */
export function checkParameters(
  received: { p: bigint; g: bigint },
  agreed: Pick<DhGroup, "p" | "q" | "name">,
  where: string,
): void {
  if (received.p !== agreed.p)
    throw new InputError(`parameter check failed: p is not the prime of group ${agreed.name}`, {
      value: received.p,
      where,
    });
  if (received.g < 2n || received.g > received.p - 2n) {
    throw new InputError("parameter check failed: the generator must be in [2, p-2]", { value: received.g, where });
  }
  if (modPow(received.g, agreed.q, agreed.p) !== 1n) {
    throw new InputError("parameter check failed: g^q mod p ≠ 1 (g is outside the order-q subgroup)", {
      value: received.g,
      where,
    });
  }
}

/**
 * Runs the exchange: Alice sends p and g, then J = g^a; Bob answers K = g^b; each side
 * validates what it received and computes the secret. Every message goes through `tamper`.
 */
export function runExchange(opts: ExchangeOptions): Transcript {
  const { group } = opts;
  const rng = opts.rng ?? new Rng(1);
  const level = opts.validate ?? "full";
  const a = opts.alicePrivate ?? generatePrivateKey(group, rng, opts.privateBits);
  const b = opts.bobPrivate ?? generatePrivateKey(group, rng, opts.privateBits);
  const wire: WireMessage[] = [];
  const send = (from: string, to: string, field: WireMessage["field"], value: bigint): bigint => {
    const seq = wire.length + 1;
    const delivered = opts.tamper ? opts.tamper({ seq, from, to, field, value }) : value;
    wire.push({ seq, from, to, field, sent: value, delivered, tampered: delivered !== value });
    return delivered;
  };
  // Parameters travel in the clear (they are public).
  const bobP = send("Alice", "Bob", "p", group.p);
  const bobG = send("Alice", "Bob", "g", group.g);
  const J = publicKeyOf(group, a);
  const bobGroup = { p: bobP, g: bobG, q: bobP === group.p ? group.q : (bobP - 1n) / 2n };
  const Jrcv = send("Alice", "Bob", "public key", J);
  const K = publicKeyOf(bobGroup, b);
  const Krcv = send("Bob", "Alice", "public key", K);

  const finish = (
    name: string,
    x: bigint,
    pub: bigint,
    received: bigint,
    grp: { p: bigint; g: bigint; q: bigint },
  ): PartyResult => {
    const res: PartyResult = {
      name,
      privateKey: x,
      publicKey: pub,
      received,
      p: grp.p,
      g: grp.g,
      checks: checkPublicKey(received, grp, level),
    };
    try {
      if (level !== "none") checkParameters(grp, group, `${name}: received parameters`);
      res.secret = sharedSecret(grp, received, x, level);
    } catch (e) {
      res.error = (e as Error).message;
    }
    return res;
  };
  const alice = finish("Alice", a, J, Krcv, group);
  const bob = finish("Bob", b, K, Jrcv, bobGroup);
  const eve: EveView = { p: group.p, g: group.g, J: wire[2]!.sent, K: wire[3]!.sent, bits: group.p.toString(2).length };
  return {
    group: group.name,
    wire,
    alice,
    bob,
    eve,
    agreed: alice.secret !== undefined && bob.secret !== undefined && alice.secret === bob.secret,
  };
}

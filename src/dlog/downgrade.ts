/**
 * The Logjam downgrade, simulated: a man in the middle turns a TLS 1.2 DHE handshake into
 * DHE_EXPORT, breaks the export-grade group with a precomputation made in advance, and finishes
 * the handshake on both sides by forging the Finished messages.
 *
 * After Adrian et al., "Imperfect Forward Secrecy: How Diffie-Hellman Fails in Practice" (ACM CCS
 * 2015, §3.3): the ServerKeyExchange of DHE and DHE_EXPORT has the same format, and its signature
 * covers the two randoms and the DH parameters (RFC 5246 §7.4.3) but not the cipher suite. So the
 * attacker rewrites the ClientHello's suite list to DHE_EXPORT, the server (if it still supports
 * export suites) answers with its 512-bit export group, the attacker rewrites the ServerHello back
 * to the DHE suite the client offered, and the client accepts the weak group as ordinary DHE.
 * Knowing one exponent gives the premaster secret, then the master secret, then both Finished
 * messages (RFC 5246 §7.4.9), which are the only place the tampering would show.
 *
 * Defences modelled, each a knob of `DowngradeConfig`: the server drops export suites; its export
 * group is its own (not the shared, precomputed one); the client refuses DH groups under a size
 * (1024 bits: what browsers shipped after Logjam); the client offers only ECDHE; the client accepts
 * only the RFC 7919 named groups it offered; TLS 1.3 on both sides (RFC 8446 §4.1.3: a TLS 1.3
 * server that negotiates TLS 1.2 ends ServerHello.random with "DOWNGRD\x01", covered by its
 * signature, and a TLS 1.3 client aborts on it).
 *
 * Scaled for a classroom: the export prime has 48 bits (it stands for 512) so the precomputation
 * (index calculus, ./index-calculus.ts) takes a fraction of a second; the 1024- and 2048-bit groups
 * are 128-bit safe primes with their nominal size carried alongside (the client's size check
 * compares nominal sizes). The attacker never precomputes them: at their real sizes nobody can.
 * The key schedule is real: TLS 1.2 PRF with HMAC-SHA256 (RFC 5246 §5), master secret and
 * verify_data as in RFC 5246 §8.1 and §7.4.9. Messages are records, not wire bytes; the transcript
 * hash is SHA-256 over their canonical JSON. Ed25519 (node:crypto, deterministic) stands in for
 * the server's RSA certificate key: what matters here is what the signature covers, not its
 * algorithm. Everything is seeded.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import { modPow } from "../math/modular";
import { randomSafePrime } from "../math/primes";
import { InputError } from "../util/errors";
import { Rng } from "../util/rng";
import { precompute, solve, type IndexDb } from "./index-calculus";

// ---------------------------------------------------------------- TLS 1.2 key schedule (RFC 5246)

/** P_SHA256 (RFC 5246 §5): HMAC-SHA256 expansion of `secret` over `seed` to `length` bytes. */
export function pSha256(secret: Buffer, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  let a = seed;
  while (total < length) {
    a = createHmac("sha256", secret).update(a).digest();
    const block = createHmac("sha256", secret)
      .update(Buffer.concat([a, seed]))
      .digest();
    out.push(block);
    total += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** PRF(secret, label, seed) = P_SHA256(secret, label + seed) (RFC 5246 §5). */
export function tlsPrf(secret: Buffer, label: string, seed: Buffer, length: number): Buffer {
  return pSha256(secret, Buffer.concat([Buffer.from(label, "ascii"), seed]), length);
}

/** The DH premaster secret: Z as big-endian bytes, leading zero bytes stripped (RFC 5246 §8.1.2). */
export function dhPremaster(z: bigint): Buffer {
  let hex = z.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  return Buffer.from(hex, "hex");
}

export function masterSecret(premaster: Buffer, clientRandom: Buffer, serverRandom: Buffer): Buffer {
  return tlsPrf(premaster, "master secret", Buffer.concat([clientRandom, serverRandom]), 48);
}

/** verify_data of a Finished message: 12 bytes of PRF over the transcript hash (RFC 5246 §7.4.9). */
export function finishedData(master: Buffer, who: "client" | "server", transcriptHash: Buffer): Buffer {
  return tlsPrf(master, `${who} finished`, transcriptHash, 12);
}

// ---------------------------------------------------------------- the scenario

export type KeyExchange = "ECDHE" | "DHE" | "DHE_EXPORT";

export const SUITES: Record<KeyExchange, string> = {
  ECDHE: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  DHE: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
  DHE_EXPORT: "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",
};

/** The TLS 1.3 downgrade sentinel for a TLS 1.2 ServerHello (RFC 8446 §4.1.3). */
export const DOWNGRADE_SENTINEL = Buffer.from("444f574e47524401", "hex"); // "DOWNGRD\x01"

export interface ClientConfig {
  /** Key exchanges offered, in order of preference (never DHE_EXPORT: browsers did not offer it). */
  offers: Array<"ECDHE" | "DHE">;
  /** Smallest DH group accepted, in (nominal) bits; 0 = any (most browsers before Logjam). */
  minDhBits: number;
  /** Offers TLS 1.3 (and so checks the downgrade sentinel). */
  tls13: boolean;
  /** RFC 7919: lists ffdhe2048/ffdhe3072 in supported_groups and accepts no other DH group. */
  namedGroupsOnly: boolean;
}

export interface ServerConfig {
  /** Still supports DHE_EXPORT suites. */
  exportSuites: boolean;
  /** Its 512-bit export group: the widely shared one, or its own. */
  exportGroup: "shared" | "own";
  /** Its ordinary DHE group, by nominal size (1024: Apache's 2015 default; 2048). */
  dheBits: 1024 | 2048;
  /** Supports TLS 1.3 (writes the downgrade sentinel when it negotiates TLS 1.2). */
  tls13: boolean;
  /** Knows RFC 7919: uses ffdhe2048 for DHE when the client lists it. */
  rfc7919: boolean;
  /** The certificate key, for display only: it signs, but what it signs is the point. */
  certificate: string;
}

export interface DowngradeConfig {
  client: ClientConfig;
  server: ServerConfig;
  /** An active man in the middle who tries the Logjam downgrade. */
  attacker: boolean;
  /** What the client sends once connected (the attacker wants to read it). */
  request: string;
  seed: number;
}

export const DEFAULT_DOWNGRADE: DowngradeConfig = {
  client: { offers: ["ECDHE", "DHE"], minDhBits: 0, tls13: false, namedGroupsOnly: false },
  server: {
    exportSuites: true,
    exportGroup: "shared",
    dheBits: 2048,
    tls13: false,
    rfc7919: false,
    certificate: "RSA-2048",
  },
  attacker: true,
  request: "GET /inbox HTTP/1.1",
  seed: 2015,
};

export interface TlsDhGroup {
  name: string;
  /** The size it stands for (what a client's size check sees). */
  nominalBits: number;
  p: bigint;
  g: bigint;
}

/** Bits of the scaled primes. */
export const EXPORT_BITS = 48;
export const STRONG_BITS = 128;

const groupCache = new Map<string, TlsDhGroup>();
function scaledGroup(name: string, nominalBits: number, bits: number): TlsDhGroup {
  let G = groupCache.get(name);
  if (!G) {
    const { p } = randomSafePrime(bits, new Rng(`logjam-group-${name}`));
    G = { name, nominalBits, p, g: 2n };
    groupCache.set(name, G);
  }
  return G;
}

/** The export group most servers shared (the one the attacker precomputes). */
export function sharedExportGroup(): TlsDhGroup {
  return scaledGroup("export-shared", 512, EXPORT_BITS);
}

function serverGroups(s: ServerConfig, seed: number) {
  return {
    export: s.exportGroup === "shared" ? sharedExportGroup() : scaledGroup(`export-own-${seed}`, 512, EXPORT_BITS),
    dhe: s.dheBits === 1024 ? scaledGroup("modp1024", 1024, STRONG_BITS) : scaledGroup("modp2048", 2048, STRONG_BITS),
    ffdhe: scaledGroup("ffdhe2048", 2048, STRONG_BITS),
  };
}

/** The attacker's precomputed databases, one per export prime it paid for (a week each in 2015). */
export interface LogjamAttacker {
  dbs: Map<bigint, IndexDb>;
  /** Milliseconds each precomputation took here. */
  precomputeMs: number;
}

let defaultAttacker: LogjamAttacker | undefined;
/** An attacker who precomputed the shared export prime (cached: one precomputation per process). */
export function logjamAttacker(): LogjamAttacker {
  if (!defaultAttacker) {
    const G = sharedExportGroup();
    const t0 = performance.now();
    const db = precompute(G.p, G.g, { force: true });
    defaultAttacker = { dbs: new Map([[G.p, db]]), precomputeMs: performance.now() - t0 };
  }
  return defaultAttacker;
}

// ---------------------------------------------------------------- the trace

export type Party = "client" | "attacker" | "server";

export interface TraceStep {
  from: Party;
  to: Party;
  /** "ClientHello", "ServerKeyExchange", "Finished", "Alert", … */
  message: string;
  /** The fields that matter, as text. */
  fields: Record<string, string>;
  /** What the attacker changed in this message, if it did. */
  tampered?: string;
  /** A remark on this step (a check passed or failed, a log computed). */
  note?: string;
}

export type Outcome =
  "read by the attacker" | "refused by the server" | "aborted by the client" | "attacker too slow" | "secure";

export interface DowngradeRun {
  config: DowngradeConfig;
  steps: TraceStep[];
  outcome: Outcome;
  /** The check or defence that decided the outcome, in one sentence. */
  reason: string;
  /** Key exchange and group the client believes it used. */
  clientView?: { suite: string; group: string; nominalBits: number };
  /** The request as the attacker decrypted it, when it could. */
  decrypted?: string;
  /** Milliseconds the attacker spent on the discrete log of this connection. */
  logMs?: number;
}

interface Hello {
  versions: string[];
  random: Buffer;
  suites: string[];
  groups: string[];
}

const hex = (b: Buffer, n = 8) => b.subarray(0, n).toString("hex") + (b.length > n ? "…" : "");
const hashOf = (records: unknown[]) =>
  createHash("sha256")
    .update(
      JSON.stringify(records, (_k, v) =>
        typeof v === "bigint" ? v.toString() : Buffer.isBuffer(v) ? v.toString("hex") : v,
      ),
    )
    .digest();

/** The server's signing key, derived from the seed (Ed25519 from a 32-byte seed, RFC 8032). */
function serverKey(seed: number): { priv: KeyObject; pub: KeyObject } {
  const raw = createHash("sha256").update(`logjam-server-key-${seed}`).digest();
  const priv = createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), raw]),
    format: "der",
    type: "pkcs8",
  });
  return { priv, pub: createPublicKey(priv) };
}

/** What the ServerKeyExchange signature covers: client_random + server_random + params (RFC 5246 §7.4.3). */
function signedBlob(cr: Buffer, sr: Buffer, G: { p: bigint; g: bigint }, ys: bigint): Buffer {
  return Buffer.concat([cr, sr, Buffer.from(`${G.p}:${G.g}:${ys}`)]);
}

function checkConfig(c: DowngradeConfig): void {
  const bad = (why: string, value: unknown, where: string) => {
    throw new InputError(why, { value, where: `downgrade config ${where}` });
  };
  if (!Array.isArray(c.client.offers) || c.client.offers.length === 0)
    bad("the client must offer at least one key exchange", c.client.offers, "client.offers");
  for (const o of c.client.offers)
    if (o !== "ECDHE" && o !== "DHE")
      bad('client.offers holds "ECDHE" and/or "DHE" (browsers never offered export suites)', o, "client.offers");
  if (!Number.isInteger(c.client.minDhBits) || c.client.minDhBits < 0 || c.client.minDhBits > 8192)
    bad("minDhBits must be an integer from 0 to 8192", c.client.minDhBits, "client.minDhBits");
  if (c.server.exportGroup !== "shared" && c.server.exportGroup !== "own")
    bad('exportGroup is "shared" or "own"', c.server.exportGroup, "server.exportGroup");
  if (c.server.dheBits !== 1024 && c.server.dheBits !== 2048)
    bad("dheBits is 1024 or 2048", c.server.dheBits, "server.dheBits");
}

/** Merges a partial configuration into the default (one level deep). */
export function downgradeConfig(
  partial: {
    client?: Partial<ClientConfig>;
    server?: Partial<ServerConfig>;
    attacker?: boolean;
    request?: string;
    seed?: number;
  } = {},
): DowngradeConfig {
  const c: DowngradeConfig = {
    ...DEFAULT_DOWNGRADE,
    ...partial,
    client: { ...DEFAULT_DOWNGRADE.client, ...partial.client },
    server: { ...DEFAULT_DOWNGRADE.server, ...partial.server },
  };
  checkConfig(c);
  return c;
}

/** What one connection's phases share: the parties' setup, the hellos and both transcripts. */
interface Handshake {
  config: DowngradeConfig;
  rng: Rng;
  groups: ReturnType<typeof serverGroups>;
  key: { priv: KeyObject; pub: KeyObject };
  steps: TraceStep[];
  mitm: boolean;
  /** Where the client's messages go. */
  S: Party;
  /** Where the server's messages go. */
  C: Party;
  ch: Hello;
  chAtServer: Hello;
  clientTranscript: unknown[];
  serverTranscript: unknown[];
}

/** The server's half after ServerKeyExchange, and the ServerHello the client received. */
interface ServerSide {
  G: TlsDhGroup;
  serverRandom: Buffer;
  a: bigint;
  ys: bigint;
  ske: { p: bigint; g: bigint; ys: bigint; signature: Buffer };
  shAtClient: { version: string; random: Buffer; suite: string };
}

/** The client's half after its Finished. */
interface ClientSide {
  yc: bigint;
  msClient: Buffer;
  clientFinished: Buffer;
  clientView: { suite: string; group: string; nominalBits: number };
}

function endRun(h: Handshake, outcome: Outcome, reason: string, extra: Partial<DowngradeRun> = {}): DowngradeRun {
  return { config: h.config, steps: h.steps, outcome, reason, ...extra };
}

const helloFields = (h: Hello) => ({
  suites: h.suites.join(", "),
  versions: h.versions.join(", "),
  random: hex(h.random),
  ...(h.groups.length ? { supported_groups: h.groups.join(", ") } : {}),
});

/** 1. ClientHello, and the attacker's rewrite of it toward the server. */
function clientHello(config: DowngradeConfig): Handshake {
  const { client, server } = config;
  const rng = new Rng(config.seed);
  const groups = serverGroups(server, config.seed);
  const key = serverKey(config.seed);
  const steps: TraceStep[] = [];
  const mitm = config.attacker;
  const S: Party = mitm ? "attacker" : "server";
  const C: Party = mitm ? "attacker" : "client";
  const ch: Hello = {
    versions: client.tls13 ? ["TLS 1.3", "TLS 1.2"] : ["TLS 1.2"],
    random: Buffer.from(rng.bytes(32)),
    suites: client.offers.map((o) => SUITES[o]),
    groups: client.namedGroupsOnly ? ["ffdhe2048", "ffdhe3072"] : [],
  };
  steps.push({ from: "client", to: S, message: "ClientHello", fields: helloFields(ch) });
  const clientTranscript: unknown[] = [["ClientHello", ch]];

  let chAtServer = ch;
  if (mitm) {
    chAtServer = { ...ch, versions: ["TLS 1.2"], suites: [SUITES.DHE_EXPORT] };
    const changes = ["suites → " + SUITES.DHE_EXPORT];
    if (client.tls13) changes.push("TLS 1.3 removed from the versions (TLS 1.3 has no export suites)");
    steps.push({
      from: "attacker",
      to: "server",
      message: "ClientHello",
      fields: helloFields(chAtServer),
      tampered: changes.join("; "),
    });
  }
  const serverTranscript: unknown[] = [["ClientHello", chAtServer]];
  return { config, rng, groups, key, steps, mitm, S, C, ch, chAtServer, clientTranscript, serverTranscript };
}

/**
 * 2. The server chooses: the first suite of the client's list that it supports. Ends the run when
 * it refuses, or when TLS 1.3 or ECDHE leaves no finite-field group to attack.
 */
function serverChooses(h: Handshake): DowngradeRun | { kx: KeyExchange; version: string; suite: string } {
  const { server } = h.config;
  const { steps, chAtServer, mitm, C } = h;
  const supported = (s: string) => s !== SUITES.DHE_EXPORT || server.exportSuites;
  const suite = chAtServer.suites.find(supported);
  if (!suite) {
    steps.push({
      from: "server",
      to: C,
      message: "Alert",
      fields: { alert: "handshake_failure" },
      note: "no offered suite is enabled here: export suites are disabled",
    });
    if (mitm) steps.push({ from: "attacker", to: "client", message: "Alert", fields: { alert: "handshake_failure" } });
    return endRun(
      h,
      "refused by the server",
      "The server has no export suite to agree to, so the rewritten ClientHello gets a handshake_failure " +
        "and no weak group is ever sent.",
    );
  }
  const kx = (Object.keys(SUITES) as KeyExchange[]).find((k) => SUITES[k] === suite)!;
  const version = server.tls13 && chAtServer.versions.includes("TLS 1.3") ? "TLS 1.3" : "TLS 1.2";
  if (version === "TLS 1.3") {
    // No attacker got in the way: TLS 1.3 signs the whole transcript; nothing to downgrade.
    steps.push({
      from: "server",
      to: "client",
      message: "ServerHello … Finished (TLS 1.3)",
      fields: { version, key_share: "x25519" },
      note: "TLS 1.3: (EC)DHE with named groups only, transcript signed",
    });
    return endRun(
      h,
      "secure",
      "Both sides speak TLS 1.3: there are no export suites and the server signs the whole handshake transcript.",
    );
  }
  if (kx === "ECDHE") {
    // Untouched ECDHE (no attacker rewrote the suites): no finite-field group is involved at all.
    steps.push({
      from: "server",
      to: "client",
      message: "ServerHello, Certificate, ServerKeyExchange (ECDHE)",
      fields: { version, suite, curve: "x25519" },
    });
    return endRun(h, "secure", "ECDHE was negotiated: there is no finite-field group, export-grade or not.");
  }
  return { kx, version, suite };
}

/** ServerHello and ServerKeyExchange (DH parameters and the server's share, signed with the randoms). */
function serverKeyExchange(h: Handshake, kx: KeyExchange, version: string, suite: string): ServerSide {
  const { client, server } = h.config;
  const { rng, groups, steps, chAtServer, mitm, C } = h;
  const serverRandom = Buffer.from(rng.bytes(32));
  // A TLS 1.3 server that negotiates TLS 1.2 always writes the sentinel (RFC 8446 §4.1.3).
  if (server.tls13) DOWNGRADE_SENTINEL.copy(serverRandom, 24);
  const G =
    kx === "DHE_EXPORT"
      ? groups.export
      : kx === "DHE" && server.rfc7919 && chAtServer.groups.includes("ffdhe2048")
        ? groups.ffdhe
        : groups.dhe;
  const sh = { version, random: serverRandom, suite };
  steps.push({
    from: "server",
    to: C,
    message: "ServerHello",
    fields: { version, random: hex(serverRandom, 32), suite },
    note: server.tls13 ? 'a TLS 1.3 server negotiating TLS 1.2 ends its random with "DOWNGRD\\x01"' : undefined,
  });
  h.serverTranscript.push(["ServerHello", sh]);

  const a = rng.bigBetween(2n, G.p - 2n);
  const ys = modPow(G.g, a, G.p);
  const signature = sign(null, signedBlob(chAtServer.random, serverRandom, G, ys), h.key.priv);
  const ske = { p: G.p, g: G.g, ys, signature };
  const skeFields = {
    group: `${G.name} (${G.p.toString(2).length}-bit prime standing for ${G.nominalBits} bits)`,
    Ys: `${ys}`,
    signature: `${server.certificate} over client_random + server_random + (p, g, Ys)`,
  };

  let shAtClient = sh;
  if (mitm) {
    // The client never offered export: give it back a suite it offered, keep everything signed intact.
    const wanted = client.offers.includes("DHE") ? SUITES.DHE : SUITES[client.offers[0]!];
    shAtClient = { ...sh, suite: wanted };
    steps.push({
      from: "attacker",
      to: "client",
      message: "ServerHello",
      fields: { version, random: hex(serverRandom, 32), suite: wanted },
      tampered: `suite → ${wanted} (the suite is not signed)`,
    });
  }
  h.clientTranscript.push(["ServerHello", shAtClient]);
  steps.push({
    from: "server",
    to: "client",
    message: "Certificate, ServerKeyExchange, ServerHelloDone",
    fields: skeFields,
    note: mitm ? "relayed untouched: the signature stays valid" : undefined,
  });
  h.serverTranscript.push(["ServerKeyExchange", ske]);
  h.clientTranscript.push(["ServerKeyExchange", ske]);
  return { G, serverRandom, a, ys, ske, shAtClient };
}

/** 3. The client's checks, in the order a TLS 1.2 client makes them: the run when one fails. */
function clientChecks(h: Handshake, sv: ServerSide): DowngradeRun | undefined {
  const { client } = h.config;
  const { ch } = h;
  const { G, ske, shAtClient } = sv;
  const clientSuite = (Object.keys(SUITES) as KeyExchange[]).find((k) => SUITES[k] === shAtClient.suite)!;
  const abort = (why: string, alert: string) => {
    h.steps.push({ from: "client", to: h.S, message: "Alert", fields: { alert }, note: why });
    return endRun(h, "aborted by the client", why);
  };
  if (!ch.suites.includes(shAtClient.suite))
    return abort("The server chose a suite the client never offered.", "illegal_parameter");
  if (!verify(null, signedBlob(ch.random, shAtClient.random, ske, ske.ys), h.key.pub, ske.signature))
    return abort("The ServerKeyExchange signature does not verify.", "decrypt_error");
  if (clientSuite === "ECDHE") {
    return abort(
      "The client expects ECDHE parameters (a named curve and a point) but reads finite-field DH " +
        "parameters: the key exchange does not parse.",
      "decode_error",
    );
  }
  if (client.tls13 && shAtClient.random.subarray(24).equals(DOWNGRADE_SENTINEL)) {
    return abort(
      'The server\'s random ends with "DOWNGRD\\x01": a TLS 1.3 server was pushed down to TLS 1.2. The ' +
        "random is signed, so the attacker could not remove it.",
      "illegal_parameter",
    );
  }
  if (client.namedGroupsOnly && !ch.groups.includes(G.name)) {
    return abort(
      `The group is not one of the RFC 7919 groups the client listed (${ch.groups.join(", ")}), and this ` +
        `client accepts no other.`,
      "insufficient_security",
    );
  }
  if (G.nominalBits < client.minDhBits) {
    return abort(
      `The server's DH group has ${G.nominalBits} bits, below the client's minimum of ${client.minDhBits}.`,
      "insufficient_security",
    );
  }
  return undefined;
}

/** 4. ClientKeyExchange and Finished, with the client's view of the handshake. */
function clientFinished(h: Handshake, sv: ServerSide): ClientSide {
  const { G, ys, serverRandom, shAtClient } = sv;
  const b = h.rng.bigBetween(2n, G.p - 2n);
  const yc = modPow(G.g, b, G.p);
  h.clientTranscript.push(["ClientKeyExchange", yc]);
  const msClient = masterSecret(dhPremaster(modPow(ys, b, G.p)), h.ch.random, serverRandom);
  const clientFinished = finishedData(msClient, "client", hashOf(h.clientTranscript));
  h.steps.push({
    from: "client",
    to: h.S,
    message: "ClientKeyExchange, ChangeCipherSpec, Finished",
    fields: { Yc: `${yc}`, verify_data: clientFinished.toString("hex") },
  });
  h.clientTranscript.push(["Finished", clientFinished]);
  const clientView = { suite: shAtClient.suite, group: G.name, nominalBits: G.nominalBits };
  return { yc, msClient, clientFinished, clientView };
}

/** No attacker: the server checks the client's Finished and sends its own. */
function honestServerFinished(h: Handshake, sv: ServerSide, cl: ClientSide): DowngradeRun {
  const { G, a, serverRandom, shAtClient } = sv;
  const { yc, clientFinished, clientView } = cl;
  h.serverTranscript.push(["ClientKeyExchange", yc]);
  const msServer = masterSecret(dhPremaster(modPow(yc, a, G.p)), h.ch.random, serverRandom);
  const ok = finishedData(msServer, "client", hashOf(h.serverTranscript)).equals(clientFinished);
  h.serverTranscript.push(["Finished", clientFinished]);
  h.steps.push({
    from: "server",
    to: "client",
    message: "ChangeCipherSpec, Finished",
    fields: { verify_data: finishedData(msServer, "server", hashOf(h.serverTranscript)).toString("hex") },
    note: ok ? "client Finished verified" : "client Finished does NOT verify",
  });
  return endRun(
    h,
    "secure",
    `No one tampered with the handshake: ${shAtClient.suite} with a ${G.nominalBits}-bit group.`,
    { clientView },
  );
}

/**
 * 5. The attacker: the discrete log of Ys, if it has the precomputation for this prime. Gives the
 * master secret, or the run when the attacker cannot get it.
 */
function attackerBreaks(
  h: Handshake,
  sv: ServerSide,
  cl: ClientSide,
  attacker: LogjamAttacker,
): DowngradeRun | { ms: Buffer; logMs: number } {
  const { G, ys, serverRandom } = sv;
  const { yc, clientFinished, clientView } = cl;
  const db = attacker.dbs.get(G.p);
  if (!db) {
    h.steps.push({
      from: "attacker",
      to: "attacker",
      message: "discrete log of Ys?",
      fields: { prime: `${G.name}` },
      note:
        "no precomputation for this prime: about a week of work (2015, 512 bits) against a handshake that " +
        "times out in about a minute",
    });
    return endRun(
      h,
      "attacker too slow",
      "This export prime is the server's own: the attacker never paid for its precomputation, and cannot " +
        "do it while the client waits.",
      { clientView },
    );
  }
  const t0 = performance.now();
  const log = solve(db, ys);
  const logMs = performance.now() - t0;
  if (log.x === null || modPow(G.g, log.x, G.p) !== ys) {
    return endRun(h, "attacker too slow", "The descent found no log for this Ys.", { clientView, logMs });
  }
  const ms = masterSecret(dhPremaster(modPow(yc, log.x, G.p)), h.ch.random, serverRandom);
  h.steps.push({
    from: "attacker",
    to: "attacker",
    message: "discrete log of Ys",
    fields: { a: `${log.x}`, premaster: "Yc^a mod p", master_secret: hex(ms) },
    note: `the precomputed database for this prime gives a in ${logMs.toFixed(1)} ms`,
  });
  if (!finishedData(ms, "client", hashOf(h.clientTranscript.slice(0, -1))).equals(clientFinished)) {
    return endRun(h, "attacker too slow", "The attacker's master secret does not reproduce the client's Finished.", {
      clientView,
      logMs,
    });
  }
  return { ms, logMs };
}

/** The attacker's Finished messages, each over the view of the party it goes to: the run when one is rejected. */
function forgedFinished(h: Handshake, sv: ServerSide, cl: ClientSide, ms: Buffer, logMs: number) {
  const { G, a, serverRandom } = sv;
  const { yc, msClient, clientView } = cl;
  // Toward the server: the same Yc, and a Finished over the server's (export) transcript.
  h.serverTranscript.push(["ClientKeyExchange", yc]);
  const forgedClient = finishedData(ms, "client", hashOf(h.serverTranscript));
  h.steps.push({
    from: "attacker",
    to: "server",
    message: "ClientKeyExchange, ChangeCipherSpec, Finished",
    fields: { Yc: `${yc}`, verify_data: forgedClient.toString("hex") },
    tampered: "Finished recomputed over the server's view (export suite)",
  });
  const msServer = masterSecret(dhPremaster(modPow(yc, a, G.p)), h.chAtServer.random, serverRandom);
  const serverAccepts = finishedData(msServer, "client", hashOf(h.serverTranscript)).equals(forgedClient);
  h.serverTranscript.push(["Finished", forgedClient]);
  const serverFinished = finishedData(msServer, "server", hashOf(h.serverTranscript));
  h.steps.push({
    from: "server",
    to: "attacker",
    message: "ChangeCipherSpec, Finished",
    fields: { verify_data: serverFinished.toString("hex") },
    note: serverAccepts ? "the server verified the forged client Finished" : "the server rejects the client Finished",
  });
  if (!serverAccepts)
    return endRun(h, "aborted by the client", "The server rejected the forged Finished.", { clientView, logMs });

  // Toward the client: a server Finished over the client's (DHE) transcript.
  const forgedServer = finishedData(ms, "server", hashOf(h.clientTranscript));
  const clientAccepts = finishedData(msClient, "server", hashOf(h.clientTranscript)).equals(forgedServer);
  h.steps.push({
    from: "attacker",
    to: "client",
    message: "ChangeCipherSpec, Finished",
    fields: { verify_data: forgedServer.toString("hex") },
    tampered: "Finished recomputed over the client's view (DHE suite)",
    note: clientAccepts ? "the client verified it: the handshake looks normal" : "the client rejects it",
  });
  if (!clientAccepts)
    return endRun(h, "aborted by the client", "The client rejected the forged Finished.", { clientView, logMs });
  return undefined;
}

/** 6. Application data under keys both ends derived from the master secret the attacker knows. */
function applicationData(h: Handshake, sv: ServerSide, cl: ClientSide, ms: Buffer, logMs: number): DowngradeRun {
  const { serverRandom } = sv;
  const { msClient, clientView } = cl;
  const keyBlock = tlsPrf(msClient, "key expansion", Buffer.concat([serverRandom, h.ch.random]), 48);
  const iv = keyBlock.subarray(32, 48);
  const c = createCipheriv("aes-256-ctr", keyBlock.subarray(0, 32), iv);
  const record = Buffer.concat([c.update(h.config.request, "utf8"), c.final()]);
  const attackerKeys = tlsPrf(ms, "key expansion", Buffer.concat([serverRandom, h.ch.random]), 48);
  const d = createDecipheriv("aes-256-ctr", attackerKeys.subarray(0, 32), attackerKeys.subarray(32, 48));
  const decrypted = Buffer.concat([d.update(record), d.final()]).toString("utf8");
  h.steps.push({
    from: "client",
    to: "attacker",
    message: "ApplicationData",
    fields: { ciphertext: record.toString("hex") },
    note: `the attacker decrypts: ${JSON.stringify(decrypted)}`,
  });
  return endRun(
    h,
    "read by the attacker",
    "The server still speaks DHE_EXPORT, its export prime was precomputed, and nothing the client checks " +
      "covers the cipher suite.",
    { clientView, decrypted, logMs },
  );
}

/**
 * Runs one connection: client, optional man in the middle, server. Every check is made by the
 * party that would make it, on the values it received; the outcome follows from those checks.
 */
export function downgrade(
  partial: Parameters<typeof downgradeConfig>[0] = {},
  attacker: LogjamAttacker = logjamAttacker(),
): DowngradeRun {
  const h = clientHello(downgradeConfig(partial));
  const chosen = serverChooses(h);
  if ("outcome" in chosen) return chosen;
  const sv = serverKeyExchange(h, chosen.kx, chosen.version, chosen.suite);
  const refused = clientChecks(h, sv);
  if (refused) return refused;
  const cl = clientFinished(h, sv);
  if (!h.mitm) return honestServerFinished(h, sv, cl);
  const broken = attackerBreaks(h, sv, cl, attacker);
  if ("outcome" in broken) return broken;
  return forgedFinished(h, sv, cl, broken.ms, broken.logMs) ?? applicationData(h, sv, cl, broken.ms, broken.logMs);
}

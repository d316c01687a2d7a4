/**
 * The Logjam downgrade lab (src/dlog/downgrade.ts): the TLS 1.2 PRF against OpenSSL's TLS1-PRF
 * (the oracle), the attack end to end (the Finished checks both sides make are what it must
 * pass), every defence and its reason, config errors, and exercise dlog.downgrade's messages.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { oracle } from "../helpers/oracle";
import { Rng } from "../../src/util/rng";
import { DOWNGRADE_QUESTIONS, DOWNGRADE_SENTINEL, downgrade, downgradeLadder, logjamAttacker, runQuestion, tlsPrf, type LogjamAttacker } from "../../src/dlog";
import { downgradeExercise } from "../../src/dlog/exercise-downgrade";

const why = oracle("OpenSSL", ["openssl", "version"], "apt-get install openssl");

test("TLS 1.2 PRF (P_SHA256) agrees with OpenSSL's TLS1-PRF", { skip: why, timeout: 30000 }, () => {
  const rng = new Rng("prf");
  for (let i = 0; i < 6; i++) {
    const secret = Buffer.from(rng.bytes(rng.int(1, 64)));
    const seed = Buffer.from(rng.bytes(rng.int(1, 64)));
    const label = ["master secret", "client finished", "server finished", "key expansion"][i % 4]!;
    const len = [12, 48, 100, 32][i % 4]!;
    const r = spawnSync("openssl", ["kdf", "-keylen", String(len), "-kdfopt", "digest:SHA256", "-kdfopt", `hexsecret:${secret.toString("hex")}`, "-kdfopt", `hexseed:${Buffer.concat([Buffer.from(label), seed]).toString("hex")}`, "TLS1-PRF"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(tlsPrf(secret, label, seed, len).toString("hex"), r.stdout.trim().replace(/:/g, "").toLowerCase(), `case ${i}`);
  }
});

test("the downgrade: ClientHello and ServerHello rewritten, export prime broken, both Finished forged, request read", { timeout: 60000 }, () => {
  const run = downgrade();
  assert.equal(run.outcome, "read by the attacker");
  assert.equal(run.decrypted, "GET /inbox HTTP/1.1");
  const tampered = run.steps.filter((s) => s.tampered).map((s) => `${s.from}→${s.to} ${s.message}`);
  assert.deepEqual(tampered, [
    "attacker→server ClientHello",
    "attacker→client ServerHello",
    "attacker→server ClientKeyExchange, ChangeCipherSpec, Finished",
    "attacker→client ChangeCipherSpec, Finished",
  ]);
  const ske = run.steps.find((s) => s.message.includes("ServerKeyExchange"))!;
  assert.equal(ske.tampered, undefined, "the signed message is relayed untouched");
  assert.match(ske.fields.group!, /48-bit prime standing for 512 bits/);
  assert.deepEqual(run.clientView, { suite: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", group: "export-shared", nominalBits: 512 }, "the browser believes it did ordinary DHE");
  assert.match(run.steps.find((s) => s.from === "server" && s.message.includes("Finished"))!.note!, /verified the forged client Finished/);
  assert.match(downgradeLadder(run).svg, /<svg/);
  // The same attack with no precomputation for the prime stops: the log is the whole attack.
  const empty: LogjamAttacker = { dbs: new Map(), precomputeMs: 0 };
  assert.equal(downgrade({}, empty).outcome, "attacker too slow");
  // Deterministic: the same seed gives the same trace.
  assert.deepEqual(downgrade().steps.map((s) => s.fields), run.steps.map((s) => s.fields));
});

test("every defence stops the attack for the reason it claims; the non-defences do not", { timeout: 60000 }, () => {
  const want: Record<string, [string, RegExp]> = {
    A: ["refused by the server", /no export suite/],
    B: ["aborted by the client", /512 bits, below the client's minimum of 1024/],
    C: ["aborted by the client", /expects ECDHE parameters/],
    D: ["read by the attacker", /cipher suite/],
    E: ["aborted by the client", /DOWNGRD/],
    F: ["read by the attacker", /cipher suite/],
  };
  for (const q of DOWNGRADE_QUESTIONS) {
    const r = runQuestion(q);
    assert.equal(r.outcome, want[q.letter]![0], q.letter);
    assert.match(r.reason, want[q.letter]![1], q.letter);
  }
  assert.equal(downgrade({ server: { exportGroup: "own" } }).outcome, "attacker too slow", "a server's own export prime was never precomputed");
  assert.match(downgrade({ client: { namedGroupsOnly: true } }).reason, /RFC 7919 groups the client listed/);
  // Without the man in the middle: a normal handshake, and a TLS 1.3 server's sentinel is real.
  assert.equal(downgrade({ attacker: false }).outcome, "secure");
  assert.equal(downgrade({ attacker: false, client: { offers: ["DHE"] } }).outcome, "secure");
  const s13 = downgrade({ server: { tls13: true } });
  const sh = s13.steps.find((s) => s.from === "server" && s.message === "ServerHello")!;
  assert.ok(sh.fields.random!.endsWith(DOWNGRADE_SENTINEL.toString("hex")), sh.fields.random);
  assert.equal(s13.outcome, "read by the attacker", "the sentinel only helps a client that checks it");
  assert.equal(downgrade({ attacker: false, client: { tls13: true }, server: { tls13: true } }).outcome, "secure");
});

test("bad configurations are refused with the field named", () => {
  assert.throws(() => downgrade({ client: { offers: ["DHE_EXPORT" as never] } }), /client\.offers/);
  assert.throws(() => downgrade({ client: { offers: [] } }), /at least one key exchange/);
  assert.throws(() => downgrade({ client: { minDhBits: -1 } }), /client\.minDhBits/);
  assert.throws(() => downgrade({ server: { dheBits: 768 as never } }), /server\.dheBits/);
});

test("dlog.downgrade: all-read and all-safe each fail the right variations with the mechanism", { timeout: 60000 }, async () => {
  logjamAttacker();
  const ctx = { root: "", evaluate: () => 0n } as never;
  const grade = async (answer: unknown) => {
    const out: Record<string, { pass: boolean; message: string }> = {};
    for (const t of downgradeExercise.public) out[t.name[0]!] = (await t.run(answer, ctx)) as { pass: boolean; message: string };
    return out;
  };
  const allRead = await grade(Object.fromEntries(DOWNGRADE_QUESTIONS.map((q) => [q.letter, "read"])));
  assert.deepEqual(Object.keys(allRead).filter((k) => !allRead[k]!.pass), ["A", "B", "C", "E"]);
  assert.match(allRead.E!.message, /DOWNGRD/);
  assert.match(allRead.C!.message, /elliptic-curve/);
  const allSafe = await grade(Object.fromEntries(DOWNGRADE_QUESTIONS.map((q) => [q.letter, "safe"])));
  assert.deepEqual(Object.keys(allSafe).filter((k) => !allSafe[k]!.pass), ["D", "F"]);
  assert.match(allSafe.D!.message, /not the cipher suite/);
  assert.match(allSafe.F!.message, /written by the server/);
  assert.match(allSafe.A!.message, /handshake_failure/, "a right answer opens its explanation too");
  const odd = await grade({ A: "maybe" });
  assert.match(odd.A!.message, /not one of the two words/);
  assert.match(odd.B!.message, /no prediction/);
  assert.match((await grade("read")).A!.message, /answer with an object/);
});

test("dlog.downgrade: the sealed public checks agree with the simulation (keys match the walk)", { timeout: 60000 }, () => {
  for (const q of DOWNGRADE_QUESTIONS) {
    const t = downgradeExercise.public.find((x) => x.name.startsWith(q.letter))! as unknown as { seal: { key: () => { right: Record<string, string> } } };
    const want = runQuestion(q).outcome === "read by the attacker" ? "read" : "safe";
    assert.equal(t.seal.key().right[q.letter], want, q.letter);
  }
});

/**
 * The Logjam downgrade lab (src/dlog/downgrade.ts): the TLS 1.2 PRF against OpenSSL's TLS1-PRF
 * (the oracle), the attack end to end (the Finished checks both sides make are what it must
 * pass), every defence and its reason, config errors, and exercise dlog.downgrade's messages.
 */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { oracle } from "../helpers/oracle";
import { Rng } from "../../src/util/rng";
import {
  DOWNGRADE_QUESTIONS,
  DOWNGRADE_SENTINEL,
  downgrade,
  downgradeLadder,
  logjamAttacker,
  runQuestion,
  tlsPrf,
  type LogjamAttacker,
} from "../../src/dlog";
import { downgradeExercise } from "../../src/dlog/exercise-downgrade";

const why = oracle("OpenSSL", ["openssl", "version"], "apt-get install openssl");

it("TLS 1.2 PRF (P_SHA256) agrees with OpenSSL's TLS1-PRF", { timeout: 30000 }, (ctx) => {
  if (why) ctx.skip(why);
  const rng = new Rng("prf");
  for (let i = 0; i < 6; i++) {
    const secret = Buffer.from(rng.bytes(rng.int(1, 64)));
    const seed = Buffer.from(rng.bytes(rng.int(1, 64)));
    const label = ["master secret", "client finished", "server finished", "key expansion"][i % 4]!;
    const len = [12, 48, 100, 32][i % 4]!;
    const r = spawnSync(
      "openssl",
      [
        "kdf",
        "-keylen",
        String(len),
        "-kdfopt",
        "digest:SHA256",
        "-kdfopt",
        `hexsecret:${secret.toString("hex")}`,
        "-kdfopt",
        `hexseed:${Buffer.concat([Buffer.from(label), seed]).toString("hex")}`,
        "TLS1-PRF",
      ],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(tlsPrf(secret, label, seed, len).toString("hex"), `case ${i}`).toBe(
      r.stdout.trim().replace(/:/g, "").toLowerCase(),
    );
  }
});

it(
  "the downgrade: ClientHello and ServerHello rewritten, export prime broken, both Finished forged, request read",
  { timeout: 60000 },
  () => {
    const run = downgrade();
    expect(run.outcome).toBe("read by the attacker");
    expect(run.decrypted).toBe("GET /inbox HTTP/1.1");
    const tampered = run.steps.filter((s) => s.tampered).map((s) => `${s.from}→${s.to} ${s.message}`);
    expect(tampered).toStrictEqual([
      "attacker→server ClientHello",
      "attacker→client ServerHello",
      "attacker→server ClientKeyExchange, ChangeCipherSpec, Finished",
      "attacker→client ChangeCipherSpec, Finished",
    ]);
    const ske = run.steps.find((s) => s.message.includes("ServerKeyExchange"))!;
    expect(ske.tampered, "the signed message is relayed untouched").toBe(undefined);
    expect(ske.fields.group!).toMatch(/48-bit prime standing for 512 bits/);
    expect(run.clientView, "the browser believes it did ordinary DHE").toStrictEqual({
      suite: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
      group: "export-shared",
      nominalBits: 512,
    });
    expect(run.steps.find((s) => s.from === "server" && s.message.includes("Finished"))!.note!).toMatch(
      /verified the forged client Finished/,
    );
    expect(downgradeLadder(run).svg).toMatch(/<svg/);
    // The same attack with no precomputation for the prime stops: the log is the whole attack.
    const empty: LogjamAttacker = { dbs: new Map(), precomputeMs: 0 };
    expect(downgrade({}, empty).outcome).toBe("attacker too slow");
    // Deterministic: the same seed gives the same trace.
    expect(downgrade().steps.map((s) => s.fields)).toStrictEqual(run.steps.map((s) => s.fields));
  },
);

it("every defence stops the attack for the reason it claims; the non-defences do not", { timeout: 60000 }, () => {
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
    expect(r.outcome, q.letter).toBe(want[q.letter]![0]);
    expect(r.reason, q.letter).toMatch(want[q.letter]![1]);
  }
  expect(
    downgrade({ server: { exportGroup: "own" } }).outcome,
    "a server's own export prime was never precomputed",
  ).toBe("attacker too slow");
  expect(downgrade({ client: { namedGroupsOnly: true } }).reason).toMatch(/RFC 7919 groups the client listed/);
  // Without the man in the middle: a normal handshake, and a TLS 1.3 server's sentinel is real.
  expect(downgrade({ attacker: false }).outcome).toBe("secure");
  expect(downgrade({ attacker: false, client: { offers: ["DHE"] } }).outcome).toBe("secure");
  const s13 = downgrade({ server: { tls13: true } });
  const sh = s13.steps.find((s) => s.from === "server" && s.message === "ServerHello")!;
  expect(sh.fields.random!.endsWith(DOWNGRADE_SENTINEL.toString("hex")), sh.fields.random).toBeTruthy();
  expect(s13.outcome, "the sentinel only helps a client that checks it").toBe("read by the attacker");
  expect(downgrade({ attacker: false, client: { tls13: true }, server: { tls13: true } }).outcome).toBe("secure");
});

it("bad configurations are refused with the field named", () => {
  expect(() => downgrade({ client: { offers: ["DHE_EXPORT" as never] } })).toThrow(/client\.offers/);
  expect(() => downgrade({ client: { offers: [] } })).toThrow(/at least one key exchange/);
  expect(() => downgrade({ client: { minDhBits: -1 } })).toThrow(/client\.minDhBits/);
  expect(() => downgrade({ server: { dheBits: 768 as never } })).toThrow(/server\.dheBits/);
});

it(
  "dlog.downgrade: all-read and all-safe each fail the right variations with the mechanism",
  { timeout: 60000 },
  async () => {
    logjamAttacker();
    const ctx = { root: "", evaluate: () => 0n } as never;
    const grade = async (answer: unknown) => {
      const out: Record<string, { pass: boolean; message: string }> = {};
      for (const t of downgradeExercise.public)
        out[t.name[0]!] = (await t.run(answer, ctx)) as { pass: boolean; message: string };
      return out;
    };
    const allRead = await grade(Object.fromEntries(DOWNGRADE_QUESTIONS.map((q) => [q.letter, "read"])));
    expect(Object.keys(allRead).filter((k) => !allRead[k]!.pass)).toStrictEqual(["A", "B", "C", "E"]);
    expect(allRead.E!.message).toMatch(/DOWNGRD/);
    expect(allRead.C!.message).toMatch(/elliptic-curve/);
    const allSafe = await grade(Object.fromEntries(DOWNGRADE_QUESTIONS.map((q) => [q.letter, "safe"])));
    expect(Object.keys(allSafe).filter((k) => !allSafe[k]!.pass)).toStrictEqual(["D", "F"]);
    expect(allSafe.D!.message).toMatch(/not the cipher suite/);
    expect(allSafe.F!.message).toMatch(/written by the server/);
    expect(allSafe.A!.message, "a right answer opens its explanation too").toMatch(/handshake_failure/);
    const odd = await grade({ A: "maybe" });
    expect(odd.A!.message).toMatch(/not one of the two words/);
    expect(odd.B!.message).toMatch(/no prediction/);
    expect((await grade("read")).A!.message).toMatch(/answer with an object/);
  },
);

it(
  "dlog.downgrade: the sealed public checks agree with the simulation (keys match the walk)",
  { timeout: 60000 },
  () => {
    for (const q of DOWNGRADE_QUESTIONS) {
      const t = downgradeExercise.public.find((x) => x.name.startsWith(q.letter))! as unknown as {
        seal: { key: () => { right: Record<string, string> } };
      };
      const want = runQuestion(q).outcome === "read by the attacker" ? "read" : "safe";
      expect(t.seal.key().right[q.letter], q.letter).toBe(want);
    }
  },
);

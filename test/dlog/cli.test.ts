import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { commands } from "../../src/dlog/cli";
import { runCli } from "../helpers/cli";
import { randomSafePrime } from "../../src/math/primes";
import { modPow } from "../../src/math/modular";
import { Rng } from "../../src/util/rng";

const run = (name: string, args: string[]) => runCli(commands.find((c) => c.name === name)!, args);

test("wirelab dlog <g> <h> <p> with every method, and --json", { timeout: 30000 }, async () => {
  for (const m of ["brute", "bsgs", "rho", "kangaroo", "ph"]) {
    const r = await run("dlog", ["2", "9", "11", "--method", m]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^x = 6 /);
  }
  const j = JSON.parse((await run("dlog", ["5", "8", "23", "--json"])).out);
  assert.equal(j.x, "6");
  assert.equal(j.verified, true);
  const none = await run("dlog", ["4", "5", "23"]);
  assert.equal(none.code, 1);
  assert.match(none.out, /no solution/);
  await assert.rejects(run("dlog", ["2", "x9", "11"]), /expected a non-negative integer.*"x9"/);
  await assert.rejects(run("dlog", ["2", "9", "11", "--method", "nfs"]), /--method must be one of/);
});

test("wirelab dlog precompute … --out db.json, then dlog solve db.json <h>", { timeout: 60000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wldlog-"));
  try {
    const { p } = randomSafePrime(40, new Rng(3));
    const db = path.join(dir, "db.json");
    const pre = await run("dlog", ["precompute", p.toString(), "2", "--out", db]);
    assert.equal(pre.code, 0, pre.err);
    assert.ok(fs.existsSync(db));
    const h = modPow(2n, 31337n, p);
    const s = await run("dlog", ["solve", db, h.toString(), "--json"]);
    const x = BigInt(JSON.parse(s.out).x);
    assert.equal(modPow(2n, x, p), h);
    await assert.rejects(run("dlog", ["solve", path.join(dir, "missing.json"), "5"]), /database file not found/);
    // Above 100 bits the precomputation is refused with the cost model's estimate.
    const big = randomSafePrime(128, new Rng(1)).p;
    await assert.rejects(run("dlog", ["precompute", big.toString(), "2", "--out", db]), /stops at 100 bits \(about .* estimated\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("wirelab logjam --bits 32 --servers 10 --handshakes 40 breaks every session", { timeout: 60000 }, async () => {
  const r = await run("logjam", ["--bits", "32", "--servers", "10", "--handshakes", "40"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /broke 40\/40 sessions/);
});

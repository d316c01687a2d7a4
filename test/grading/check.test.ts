/**
 * The notebook `check()` path: one warm grading process per kernel (checkserver.ts), reached
 * synchronously over FIFOs. Inline answers, file answers and unknown ids, several in a row
 * through the same process, and a fresh process after the old one is gone.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { grade } from "../../dist/grading/check";

test("check() grades inline and file answers through one warm process", { timeout: 120_000 }, () => {
  const right = grade("start.addresses", "2^10");
  assert.ok(!("fatal" in right), JSON.stringify(right));
  assert.equal(right.earned, right.points);
  assert.equal(right.hiddenRan, false);
  const wrong = grade("start.addresses", 1000);
  assert.ok(!("fatal" in wrong));
  assert.equal(wrong.earned, 0);
  const stub = grade("start.wildcard");
  assert.ok(!("fatal" in stub));
  assert.equal(stub.status, "not-attempted");
  const unknown = grade("no.such");
  assert.ok("fatal" in unknown);
  assert.match(unknown.fatal, /unknown exercise id/);
  const again = grade("start.addresses", "1024");
  assert.ok(!("fatal" in again) && again.earned === again.points);
});

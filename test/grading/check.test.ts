/**
 * The notebook `check()` path: one warm grading process per kernel (checkserver.ts), reached
 * synchronously over FIFOs. Inline answers, file answers and unknown ids, several in a row
 * through the same process, and a fresh process after the old one is gone.
 */
import { it, expect } from "vitest";
import { grade } from "../../dist/grading/check";

it("check() grades inline and file answers through one warm process", { timeout: 120_000 }, () => {
  const right = grade("start.addresses", "2^10");
  expect(!("fatal" in right), JSON.stringify(right)).toBeTruthy();
  expect(right.earned).toBe(right.points);
  expect(right.hiddenRan).toBe(false);
  const wrong = grade("start.addresses", 1000);
  expect(!("fatal" in wrong)).toBeTruthy();
  expect(wrong.earned).toBe(0);
  const stub = grade("start.wildcard");
  expect(!("fatal" in stub)).toBeTruthy();
  expect(stub.status).toBe("not-attempted");
  const unknown = grade("no.such");
  expect("fatal" in unknown).toBeTruthy();
  expect(unknown.fatal).toMatch(/unknown exercise id/);
  const again = grade("start.addresses", "1024");
  expect(!("fatal" in again) && again.earned === again.points).toBeTruthy();
});

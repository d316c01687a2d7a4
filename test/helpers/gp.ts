/**
 * PARI/GP as the discrete-log oracle: `znlog` answers for a batch of cases from one gp run.
 *
 * @example
 *   const why = gpOracle();             // skip reason (learner machine) or undefined; throws under CI=true
 *   gpZnlog([{ g: 2n, h: 945n, p: 1019n }]) // ["…"], "none" where h is not a power of g
 */
import { spawnSync } from "node:child_process";
import { expect } from "vitest";
import { oracle } from "./oracle";

/** Undefined when gp is installed; otherwise the skip message naming the install command. */
export function gpOracle(): string | undefined {
  return oracle("PARI/GP", ["gp", "--version-short"], "apt-get install pari-gp");
}

/** znlog answers from one gp run, in order: a decimal string, or "none" for an empty vector. */
export function gpZnlog(cases: Array<{ g: bigint; h: bigint; p: bigint }>): string[] {
  const script =
    cases.map((c) => `v=znlog(${c.h},Mod(${c.g},${c.p}));print(if(type(v)=="t_VEC","none",v))`).join("\n") + "\n";
  const r = spawnSync("gp", ["-q", "-D", "colors=no", "-s", "200000000"], {
    input: script,
    encoding: "utf8",
    timeout: 120000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split("\n");
}

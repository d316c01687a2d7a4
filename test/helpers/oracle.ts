/**
 * Real-implementation oracles for tests (bash, tshark, PARI/GP, ISC DHCP, Kea, FRR, Open vSwitch).
 *
 * `oracle(name, probe, install)` returns a skip reason or undefined. With CI=true a missing oracle
 * is a failure (the test throws); on a learner's machine the test is skipped (vitest's
 * `ctx.skip(why)`, which the report shows next to the test) and the message prints the install
 * command.
 *
 * @example
 *   const why = oracle("tshark", ["tshark", "--version"], "apt-get install tshark");
 *   it("decodes in tshark", { timeout: 60_000 }, (ctx) => {
 *     if (why) ctx.skip(why);
 *     …
 *   });
 */
import { spawnSync } from "node:child_process";

const cache = new Map<string, boolean>();

/**
 * Whether `argv` runs (exit status other than "not found"). The probe may take long on a loaded
 * machine (`jupyter nbconvert --version` starts Python and imports nbconvert): a generous limit, so
 * an installed oracle is never reported missing because the machine was busy.
 */
export function hasCommand(argv: string[]): boolean {
  const key = argv.join(" ");
  if (!cache.has(key)) {
    const r = spawnSync(argv[0]!, argv.slice(1), { stdio: "ignore", timeout: 120_000 });
    cache.set(key, r.status === 0 || (r.error === undefined && r.status !== null && r.status !== 127));
  }
  return cache.get(key)!;
}

export const inCI = process.env.CI === "true" || process.env.CI === "1";

/** Network-namespace tests need root and `ip netns`. */
export function canUseNetns(): boolean {
  return process.getuid?.() === 0 && hasCommand(["ip", "netns", "list"]);
}

/**
 * Returns undefined when the oracle is available; otherwise a skip message (learner machine) or
 * throws (CI=true), naming the command to install it.
 */
export function oracle(name: string, probe: string[], install: string): string | undefined {
  if (hasCommand(probe)) return undefined;
  const msg = `${name} is not installed; install it with: ${install}`;
  if (inCI) throw new Error(`CI=true and a required oracle is missing: ${msg}`);
  process.stderr.write(`# skipped: ${msg}\n`);
  return msg;
}

/**
 * `wirelab dh …`: modular exponentiation with its trace, the named groups, and an exchange.
 *
 *   wirelab dh modpow <base> <exp> <mod> [--trace] [--json]
 *   wirelab dh groups [--json]
 *   wirelab dh exchange [--group NAME] [--seed S] [--validate none|range|full] [--json]
 *   wirelab dh lab [--config labs/dh/lab.conf] [--json]
 */
import { parseArgs } from "node:util";
import { dispatch } from "../cli/subcommands";
import type { CliCommand, CliIO } from "../cli/types";
import { InputError } from "../util/errors";
import { Rng } from "../util/rng";
import { modPow, modPowTrace } from "./modular";
import { getGroup, listGroups, GROUP_NAMES } from "./groups";
import { runExchange } from "./exchange";
import type { ValidationLevel } from "./validate";
import * as path from "node:path";
import { loadLabConfig, passiveEve, activeAttacks } from "./lab";
import { renderTable } from "../notebook";
import { exchangeLadder, groupsTable, partiesTable, traceRows, traceTable } from "./views";

const USAGE = `Usage:
  wirelab dh modpow <base> <exp> <mod> [--trace] [--json]
      base^exp mod m (decimal or 0x-hex integers). --trace shows repeated squaring step by step.
  wirelab dh groups [--json]
      the named groups (RFC 2409 Oakley 1-2, RFC 3526 MODP 1536-8192, RFC 7919 ffdhe2048-8192).
  wirelab dh exchange [--group NAME] [--seed S] [--validate none|range|full] [--json]
      a Diffie-Hellman exchange between Alice and Bob (default group modp2048, seed 1):
      what crosses the wire, what each side computes, what Eve sees.

  wirelab dh lab [--config FILE] [--json]
      the "Eve on the wire" lab with the settings in labs/dh/lab.conf: passive Eve, then
      Mallory's attacks against the configured validation.

Examples:
  wirelab dh modpow 7 29 17 --trace
  wirelab dh exchange --group ffdhe2048 --json`;

/** Parses a CLI integer argument (decimal, 0x-hex, optional minus sign), naming the argument on error. */
export function parseBigintArg(text: string | undefined, name: string): bigint {
  if (text === undefined)
    throw new InputError(`missing argument <${name}>`, {
      where: "wirelab dh modpow",
      hint: "usage: wirelab dh modpow <base> <exp> <mod>",
    });
  const t = text.trim();
  if (!/^-?(0x[0-9a-fA-F]+|\d+)$/.test(t)) {
    throw new InputError("not an integer (use decimal digits or 0x-hex)", { value: text, where: `argument <${name}>` });
  }
  return t.startsWith("-") ? -BigInt(t.slice(1)) : BigInt(t);
}

/** JSON with bigints as decimal strings. */
export function toJson(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

function modpowCmd(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { trace: { type: "boolean" }, json: { type: "boolean" } },
  });
  if (positionals.length !== 3) {
    throw new InputError("modpow takes exactly three integers: <base> <exp> <mod>", {
      value: positionals,
      where: "wirelab dh modpow",
    });
  }
  const [b, e, m] = [
    parseBigintArg(positionals[0], "base"),
    parseBigintArg(positionals[1], "exp"),
    parseBigintArg(positionals[2], "mod"),
  ];
  if (values.trace) {
    const t = modPowTrace(b, e, m);
    if (values.json)
      io.out(
        toJson({
          base: b,
          exp: e,
          mod: m,
          binary: t.binary,
          powersOfTwo: t.powersOfTwo,
          steps: t.steps,
          squarings: t.squarings,
          multiplications: t.multiplications,
          result: t.result,
        }),
      );
    else io.out(traceTable(t).text);
  } else {
    const r = modPow(b, e, m);
    io.out(values.json ? toJson({ base: b, exp: e, mod: m, result: r }) : r.toString());
  }
  return 0;
}

function groupsCmd(args: string[], io: CliIO): number {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" } } });
  const groups = listGroups();
  if (values.json) {
    io.out(
      toJson(
        groups.map((g) => ({
          name: g.name,
          aliases: g.aliases,
          rfc: g.rfc,
          bits: g.bits,
          g: g.g,
          p: "0x" + g.p.toString(16).toUpperCase(),
          q: "0x" + g.q.toString(16).toUpperCase(),
          nodeName: g.nodeName ?? null,
        })),
      ),
    );
  } else {
    io.out(groupsTable(groups).text);
  }
  return 0;
}

function exchangeCmd(args: string[], io: CliIO): number {
  const { values } = parseArgs({
    args,
    options: {
      group: { type: "string" },
      seed: { type: "string" },
      validate: { type: "string" },
      json: { type: "boolean" },
    },
  });
  const group = getGroup(values.group ?? "modp2048");
  const level = (values.validate ?? "full") as ValidationLevel;
  if (!["none", "range", "full"].includes(level))
    throw new InputError("--validate must be none, range or full", { value: values.validate, where: "--validate" });
  const t = runExchange({ group, rng: new Rng(values.seed ?? 1), validate: level });
  if (values.json) {
    io.out(toJson({ group: t.group, agreed: t.agreed, wire: t.wire, alice: t.alice, bob: t.bob, eve: t.eve }));
  } else {
    io.out(exchangeLadder(t).text);
    io.out("");
    io.out(partiesTable(t).text);
    io.out("");
    io.out(
      t.agreed
        ? `Alice and Bob share a ${group.bits}-bit secret; Eve has p, g, J and K only.`
        : "No agreement: see the outcome column.",
    );
  }
  return t.agreed ? 0 : 1;
}

function labCmd(args: string[], io: CliIO): number {
  const { values } = parseArgs({ args, options: { config: { type: "string" }, json: { type: "boolean" } } });
  const file = values.config ?? path.join(io.root, "labs", "dh", "lab.conf");
  const cfg = loadLabConfig(file);
  const passive = passiveEve(cfg);
  const active = activeAttacks(cfg);
  if (values.json) {
    io.out(
      toJson({
        config: cfg,
        passive: {
          broken: passive.broken,
          eveKey: passive.eveKey,
          eveSecret: passive.eveSecret,
          note: passive.note,
          wire: passive.transcript.wire,
        },
        active: active.results,
      }),
    );
  } else {
    io.out(`Settings from ${cfg.file}: group = ${cfg.group}, validate = ${cfg.validate}, seed = ${cfg.seed}`);
    io.out("");
    io.out(exchangeLadder(passive.transcript, { title: `Part 1: Eve listens on ${cfg.group}` }).text);
    io.out(`${passive.broken ? "Eve recovered the secret." : "Eve could not recover the secret."} ${passive.note}`);
    io.out("");
    io.out(
      renderTable(
        active.results.map((r) => ({ attack: r.attack, "Mallory wins": r.succeeded, detail: r.detail })),
        { caption: `Part 2: Mallory's attacks (validate = ${cfg.validate})` },
      ).text,
    );
  }
  return 0;
}

export const commands: CliCommand[] = [
  {
    name: "dh",
    summary: "modular exponentiation (with trace), named DH groups, a Diffie-Hellman exchange",
    usage: USAGE,
    run: dispatch("dh", USAGE, { modpow: modpowCmd, groups: groupsCmd, exchange: exchangeCmd, lab: labCmd }),
  },
];

export { GROUP_NAMES, traceRows };

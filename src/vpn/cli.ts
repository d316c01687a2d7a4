/**
 * `wirelab vpn …`: the L3VPN route engine from the command line.
 *
 *   wirelab vpn tables <config files…> [--routes FILE] [--router R] [--vrf V] [--json] [--explain [--prefix P]]
 *   wirelab vpn rib <config files…> --router R [--routes FILE] [--json]
 *   wirelab vpn value <RD | target:RT | 8 hex bytes> [--json]
 */
import { parseArgs } from "node:util";
import { dispatch } from "../cli/subcommands";
import type { CliCommand, CliIO } from "../cli/types";
import { InputError } from "../util/errors";
import { loadFiles } from "./config";
import { computeVpn, explain } from "./engine";
import { decodeRd, decodeRt, explainValue, formatRd, formatRt, fromHex, parseRd, parseRt } from "./rd";
import { ribTable, vrfRows, vrfTable } from "./views";

const USAGE = `Usage:
  wirelab vpn tables <config files…> [--routes FILE] [--router R] [--vrf V] [--json] [--explain [--prefix P]]
      Parses Junos set-style and/or IOS-XE configurations (one router per file, or a bundle with
      "### router NAME" parts), adds customer routes from --routes (ROUTER VRF PREFIX [key=value…]),
      runs the engine and prints every VRF table. --explain adds why each route was exported,
      reflected, hidden, imported or rejected (--prefix keeps the decisions about one prefix).
  wirelab vpn rib <config files…> --router R [--routes FILE] [--json]
      One router's BGP VPNv4 table (what a route reflector keeps and which path it advertises).
  wirelab vpn value <RD | target:RT | 8 hex bytes as "00 02 …" > [--json]
      Parses an RD or RT (or decodes 8 bytes) and explains its type and wire layout.

Examples:
  wirelab vpn tables labs/vpn/*.set --routes labs/vpn/routes.txt --explain
  wirelab vpn tables exercises/vpn/rr-multipath.set --vrf customer
  wirelab vpn value 65536:1`;

function tables(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      routes: { type: "string" },
      json: { type: "boolean" },
      explain: { type: "boolean" },
      router: { type: "string" },
      vrf: { type: "string" },
      prefix: { type: "string" },
    },
  });
  const net = loadFiles(positionals, values.routes);
  const result = computeVpn(net);
  const filter = { router: values.router, vrf: values.vrf };
  const why = { ...filter, prefix: values.prefix };
  if (filter.router && !net.routers.some((r) => r.name === filter.router))
    throw new InputError(`no such router (known: ${net.routers.map((r) => r.name).join(", ")})`, {
      value: filter.router,
      where: "--router",
    });
  if (values.json) {
    const out: Record<string, unknown> = {
      sessions: result.sessions,
      vrfTables: result.vrfTables.filter(
        (t) => (!filter.router || t.router === filter.router) && (!filter.vrf || t.vrf === filter.vrf),
      ),
    };
    if (values.explain) out.decisions = explain(result, why);
    io.out(JSON.stringify(out, null, 2));
    return 0;
  }
  io.out(result.sessions.map((s) => `${s.up ? "up  " : "DOWN"} ${s.a} ↔ ${s.b}: ${s.why}`).join("\n"));
  io.out("");
  io.out(vrfRows(result, filter).length ? vrfTable(result, filter).text : "(no VRF routes)");
  if (values.explain) {
    io.out("");
    io.out("Why:");
    for (const d of explain(result, why)) io.out(`  [${d.stage}] ${d.text}`);
  }
  return 0;
}

function rib(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { routes: { type: "string" }, json: { type: "boolean" }, router: { type: "string" } },
  });
  if (!values.router) throw new InputError("--router is required", { where: "wirelab vpn rib" });
  const net = loadFiles(positionals, values.routes);
  if (!net.routers.some((r) => r.name === values.router))
    throw new InputError(`no such router (known: ${net.routers.map((r) => r.name).join(", ")})`, {
      value: values.router,
      where: "--router",
    });
  const result = computeVpn(net);
  if (values.json) io.out(JSON.stringify(result.ribs[values.router], null, 2));
  else {
    io.out(ribTable(result, values.router).text);
    for (const d of explain(result, { router: values.router }).filter(
      (d) => d.stage === "hide" || d.stage === "best" || d.stage === "drop",
    ))
      io.out(`  [${d.stage}] ${d.text}`);
  }
  return 0;
}

function value(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } });
  const text = positionals.join(" ").trim();
  if (!text) throw new InputError("give an RD, a target:RT or 8 hex bytes", { where: "wirelab vpn value" });
  let out: { kind: "rd" | "rt"; text: string; value: ReturnType<typeof parseRd> };
  if (/^([0-9a-fA-F]{2}[\s:]?){8}$/.test(text) && /\s|:/.test(text) && text.replace(/[\s:]/g, "").length === 16) {
    const bytes = fromHex(text, "wirelab vpn value");
    // A type-0/1/2 RD starts with 00; an RT's second byte is the 0x02 sub-type.
    if (bytes[1] === 0x02 && bytes[0]! <= 2 && bytes[0] !== 0)
      out = { kind: "rt", text: formatRt(decodeRt(bytes)), value: decodeRt(bytes) };
    else if (bytes[0] === 0) {
      const rd = decodeRd(bytes);
      out = { kind: "rd", text: formatRd(rd), value: rd };
      if (bytes[1] === 0x02)
        io.err(
          "note: 00 02 … reads as an RD of type 2; as an extended community it would be a 2-byte-AS route target " +
            formatRt(decodeRt(bytes)),
        );
    } else out = { kind: "rt", text: formatRt(decodeRt(bytes)), value: decodeRt(bytes) };
  } else if (/^target:/i.test(text)) out = { kind: "rt", text: formatRt(parseRt(text)), value: parseRt(text) };
  else out = { kind: "rd", text: formatRd(parseRd(text)), value: parseRd(text) };
  if (values.json) io.out(JSON.stringify(out, null, 2));
  else io.out(`${out.text}\n${explainValue(out.value, out.kind)}`);
  return 0;
}

export const commands: CliCommand[] = [
  {
    name: "vpn",
    summary: "MPLS L3VPN RT/RD engine: VRF tables from Junos/IOS-XE configs, with explanations",
    usage: USAGE,
    run: dispatch("vpn", USAGE, { tables, rib, value }),
  },
];

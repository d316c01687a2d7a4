/**
 * `wirelab dhcp …`: decode DHCP from a pcap file or hex, and run the relay labs.
 *
 *   wirelab dhcp decode <pcap|pcapng|hex> [--json] [--strict]
 *   wirelab dhcp lab <scenario> [--pcap FILE] [--fix] [--config FILE] [--seconds N] [--json]
                   [--sessions] [--capture FW] [--clear FW@SECONDS] [--all]
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { dispatch } from "../cli/subcommands";
import type { CliCommand, CliIO } from "../cli/types";
import { InputError } from "../util/errors";
import { writeOutputFile } from "../util/outpath";
import { renderTable } from "../notebook/table";
import { decodeInput, type DecodedRecord } from "./decode";
import { optionRows } from "./packet";
import { makeLab, SCENARIOS } from "./lab";
import { hopTable, firstExchange, dropSummary, HOP_COLUMNS } from "./trace";
import { sessionsView } from "./views";

const USAGE = `Usage:
  wirelab dhcp decode <file.pcap | file.pcapng | hex> [--json] [--strict]
      Decode every DHCP message of a capture (tcpdump pcap or Wireshark pcapng; Ethernet, VLAN,
      Linux cooked "-i any" captures), or one message/frame given as hex. A wrong IP/UDP checksum
      is decoded and marked (usually checksum offload on the capturing host); --strict refuses it.
      A file cut inside a packet: every complete message is printed, then the error with its byte
      offset, and the exit code is 1. Errors name the packet number and byte offset.
  wirelab dhcp lab <scenario> [--pcap FILE] [--fix] [--config FILE] [--seconds N] [--json]
      Run a simulated lab (${Object.keys(SCENARIOS).join(", ")}); print every hop, the drops, the
      firewall sessions and the client's final state; --pcap writes every frame for tshark/Wireshark;
      --fix uses the corrected relay configuration; --config FILE reads the relay configuration
      (e.g. labs/dhcp/relay.conf) instead; --sessions prints each firewall's session table and GUI
      view; --capture FW records FW's control-plane capture from the start; --clear FW@T runs
      "clear session" on FW at T seconds (repeatable).`;

function jsonRecord(r: DecodedRecord): unknown {
  if (!r.dhcp) return r;
  const { options: _options, ...fixed } = r.dhcp;
  return {
    number: r.number,
    time: r.time,
    eth: r.eth,
    ip: r.ip,
    checksums: r.checksums,
    ...(r.checksumNote ? { checksumNote: r.checksumNote } : {}),
    dhcp: fixed,
    fields: r.fields,
    options: optionRows(r.dhcp),
  };
}

function decodeCmd(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: "boolean" }, strict: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const strict = values.strict === true;
  const src = positionals.join(" ");
  if (!src)
    throw new InputError("give a pcap file or hex bytes", {
      where: "wirelab dhcp decode",
      hint: USAGE.split("\n")[1]!.trim(),
    });
  const file = path.resolve(src);
  const isFile = positionals.length === 1 && existsSync(file);
  if (!isFile && !/^[0-9a-fA-F\s:x]+$/.test(src))
    throw new InputError("not a file and not hex", { value: src, where: "wirelab dhcp decode" });
  const res = isFile
    ? decodeInput(new Uint8Array(readFileSync(file)), src, strict)
    : decodeInput(src, "<hex argument>", strict);
  const failed = res.error !== undefined || res.records.some((r) => r.error);
  if (values.json) {
    io.out(JSON.stringify(res.records.map(jsonRecord), null, 2));
    if (res.error) io.err(`error: ${res.error}`);
    return failed ? 1 : 0;
  }
  for (const r of res.records) {
    if (r.error) {
      io.out(`#${r.number}: ERROR ${r.error}`);
      continue;
    }
    io.out(`#${r.number}${r.time !== undefined ? ` t=${r.time.toFixed(6)}` : ""}  ${r.summary}`);
    if (r.checksumNote) io.out(`    note: ${r.checksumNote}`);
    if (res.records.length <= 4) {
      io.out(renderTable(optionRows(r.dhcp!).map((o) => ({ ...o, offset: o.offset ?? "" }))).text);
    }
  }
  const bad = res.records.filter((r) => r.checksums && (r.checksums.ip === "bad" || r.checksums.udp === "bad")).length;
  io.out(
    `${res.records.filter((r) => !r.error).length} DHCP message(s), ` +
      `${res.records.filter((r) => r.error).length} error(s)` +
      (bad ? `, ${bad} with a bad checksum (decoded anyway; --strict refuses them)` : "") +
      (res.skipped ? `, ${res.skipped} other packet(s) skipped (not UDP port 67/68)` : ""),
  );
  if (res.error) io.err(`error: ${res.error}`);
  return failed ? 1 : 0;
}

function labCmd(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args,
    options: {
      pcap: { type: "string" },
      force: { type: "boolean" },
      fix: { type: "boolean" },
      config: { type: "string" },
      seconds: { type: "string" },
      json: { type: "boolean" },
      all: { type: "boolean" },
      sessions: { type: "boolean" },
      capture: { type: "string", multiple: true },
      clear: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const name = positionals[0] ?? "pxe";
  const seconds = Number(values.seconds ?? 60);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86400)
    throw new InputError("--seconds must be a number of seconds in (0, 86400]", {
      value: values.seconds,
      where: "wirelab dhcp lab",
    });
  const relayConfig = values.config ? readFileSync(path.resolve(values.config), "utf8") : undefined;
  const lab = makeLab(name, { fix: values.fix, relayConfig, configFile: values.config });
  for (const fw of values.capture ?? []) lab.startCapture(fw);
  const clears = (values.clear ?? [])
    .map((c) => {
      const m = /^([\w-]+)@(\d+(?:\.\d+)?)$/.exec(c);
      if (!m)
        throw new InputError("--clear takes FIREWALL@SECONDS, e.g. palo@60", {
          value: c,
          where: "wirelab dhcp lab --clear",
        });
      return { fw: m[1]!, at: Number(m[2]) };
    })
    .sort((a, b) => a.at - b.at);
  const cleared: string[] = [];
  for (const c of clears) {
    if (c.at > seconds) continue;
    lab.net.runUntil(c.at);
    cleared.push(`t=${c.at}s clear session on ${c.fw}: ${lab.clear(c.fw)} session(s) cleared`);
  }
  lab.net.runUntil(seconds);
  const rows = values.all ? hopTable(lab) : firstExchange(hopTable(lab));
  const drops = dropSummary(lab);
  const fws = Object.entries(lab.gateways)
    .filter(([, g]) => g.firewall)
    .map(([n]) => ({ name: n, sessions: lab.sessions(n), gui: lab.gui(n) }));
  if (values.pcap) writeOutputFile(values.pcap, lab.pcap(), { root: io.root, force: values.force, where: "--pcap" });
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          scenario: name,
          client: { state: lab.client.state, binding: lab.client.binding, history: lab.client.history },
          hops: rows,
          drops,
          firewalls: fws,
        },
        null,
        2,
      ),
    );
    return lab.client.state === "BOUND" ? 0 : 1;
  }
  io.out(`lab ${name}${values.fix ? " (fixed)" : ""}: ${seconds} s simulated, ${lab.net.frames.length} frames`);
  io.out(
    renderTable(
      rows.map((r) => ({ ...r, dropped: r.dropped ?? "" })),
      {
        columns: ["n", "t", ...HOP_COLUMNS],
        caption: values.all ? "every DHCP frame" : "first exchange, per hop (--all for every frame)",
      },
    ).text,
  );
  if (drops.length) io.out(renderTable(drops, { caption: "drops" }).text);
  for (const c of cleared) io.out(c);
  for (const f of fws) {
    io.out(
      `${f.name}: ${f.sessions.length} live session(s) (${f.sessions.filter((s) => s.offloaded).length} ` +
        `offloaded), GUI shows ${f.gui.length} line(s)`,
    );
    if (values.sessions) {
      io.out(sessionsView(f.sessions, `${f.name}: session table`).text);
      io.out(f.gui.length ? renderTable(f.gui, { caption: `${f.name}: GUI` }).text : `${f.name}: GUI: (empty)`);
    }
  }
  for (const fw of values.capture ?? []) {
    const cap = lab.capture(fw);
    io.out(
      cap.length
        ? renderTable(
            cap.map((c) => ({ t: c.t.toFixed(3), packet: c.summary })),
            { caption: `${fw}: control-plane capture` },
          ).text
        : `${fw}: capture is empty (offloaded sessions never reach it)`,
    );
  }
  io.out(
    `client ${lab.client.name}: ` +
      `${lab.client.state}` +
      `${lab.client.binding ? ` ${lab.client.binding.ip} (bootfile ${lab.client.binding.bootfile ?? "-"})` : ""}`,
  );
  if (values.pcap) io.out(`wrote ${lab.net.frames.length} frames to ${values.pcap}`);
  return lab.client.state === "BOUND" ? 0 : 1;
}

export const commands: CliCommand[] = [
  {
    name: "dhcp",
    summary: "decode DHCP packets (pcap or hex) and run the DHCP relay labs",
    usage: USAGE,
    run: dispatch("dhcp", USAGE, { decode: decodeCmd, lab: labCmd }),
  },
];

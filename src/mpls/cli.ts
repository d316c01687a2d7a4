/**
 * `wirelab mpls …`: trace a packet through a topology file, print LFIBs and RSVP-TE LSPs.
 *
 *   wirelab mpls trace <topology> --from <router> --to <prefix|address> [--vrf V] [--ttl N] [--json] [--pcap FILE]
 *   wirelab mpls lfib <topology> [--router R] [--json]
 *   wirelab mpls lsps <topology> [--json]
 *   wirelab mpls decode <capture.pcap|.pcapng> [--json]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { dispatch } from "../cli/subcommands";
import type { CliCommand, CliIO } from "../cli/types";
import { InputError } from "../util/errors";
import { writeOutputFile } from "../util/outpath";
import { renderTable } from "../notebook/table";
import { loadTopology } from "./lab";
import { buildNetwork } from "./network";
import { formatIPv4 } from "./topology";
import { lfibRows, walkTable } from "./views";
import { trace } from "./walk";
import { walkFrames, pcapFile } from "./pcap";
import { decodeMplsCapture, describeMplsFrame } from "./decode";

const USAGE = `Usage:
  wirelab mpls trace <topology.yaml> --from <router> --to <prefix|address> [--vrf NAME] [--ttl N] [--json] [--pcap FILE]
      Walk one packet through the LSPs: the label stack, TTLs and action at every hop, and the
      outcome (delivered, ttl-expired, dropped; loops are flagged). --pcap writes one Ethernet/MPLS/
      IPv4/ICMP frame per link crossed, for Wireshark. Exit code 0 only if the packet is delivered.
  wirelab mpls lfib <topology.yaml> [--router R] [--json]
      Every router's LFIB (or one): incoming label, swap/pop/swap+push, outgoing labels, next hop.
  wirelab mpls lsps <topology.yaml> [--json]
      The RSVP-TE LSPs: path chosen by CSPF, labels from RESV, bandwidth reserved.
  wirelab mpls decode <capture.pcap | capture.pcapng> [--json]
      Every frame of a capture (tcpdump, Wireshark, tshark; Ethernet, VLAN, Linux cooked): its label
      stack as label/TC/S/TTL per entry, what is under it, and the LDP messages it carries (Hello,
      Initialization, KeepAlive, Address, Label Mapping/Withdraw/Release/Request, Notification)
      with their FEC, label, address and session TLVs. A file cut short: every complete frame, then
      the error with its byte offset, exit code 1.
The topology file format is described in docs/mpls.md (examples in labs/mpls/).`;

function topoArg(positionals: string[], cmd: string) {
  const file = positionals[0];
  if (!file)
    throw new InputError("give a topology file", { where: `wirelab mpls ${cmd}`, hint: "e.g. labs/mpls/lab.yaml" });
  return buildNetwork(loadTopology(path.resolve(file)));
}

function traceCmd(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args,
    options: {
      from: { type: "string" },
      to: { type: "string" },
      vrf: { type: "string" },
      ttl: { type: "string" },
      json: { type: "boolean" },
      pcap: { type: "string" },
      force: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.from) throw new InputError("--from <router> is required", { where: "wirelab mpls trace" });
  if (!values.to) throw new InputError("--to <prefix|address> is required", { where: "wirelab mpls trace" });
  const net = topoArg(positionals, "trace");
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  const w = trace(net, {
    from: values.from,
    to: values.to,
    ...(values.vrf ? { vrf: values.vrf } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
  });
  const frames = walkFrames(net.topology, w);
  if (values.pcap)
    writeOutputFile(values.pcap, pcapFile(frames.map((f) => f.bytes)), {
      root: io.root,
      force: values.force,
      where: "--pcap",
    });
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          from: w.from,
          to: w.to,
          vrf: w.vrf ?? null,
          ttlMode: w.ttlMode,
          outcome: w.outcome,
          reason: w.reason,
          deliveredTo: w.deliveredTo ?? null,
          loopAt: w.loopAt ?? null,
          src: formatIPv4(w.ip.src),
          dst: formatIPv4(w.ip.dst),
          hops: w.hops.map((h) => ({
            router: h.router,
            inStack: h.inStack,
            inIpTtl: h.inIpTtl,
            actions: h.actions,
            outStack: h.next ? h.outStack : null,
            outIpTtl: h.outIpTtl,
            next: h.next ?? null,
          })),
          pcap: values.pcap ? { file: values.pcap, frames: frames.length } : null,
        },
        null,
        2,
      ),
    );
  } else {
    io.out(walkTable(w).text);
    if (values.pcap) io.out(`wrote ${frames.length} frame(s) to ${values.pcap}`);
  }
  return w.outcome === "delivered" ? 0 : 1;
}

function lfibCmd(args: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args,
    options: { router: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const net = topoArg(positionals, "lfib");
  if (values.router !== undefined && !net.routers.has(values.router)) {
    throw new InputError(`undefined router ${JSON.stringify(values.router)}`, {
      where: "wirelab mpls lfib --router",
      hint: `routers: ${[...net.routers.keys()].join(", ")}`,
    });
  }
  const rows = lfibRows(net, values.router);
  if (values.json) io.out(JSON.stringify(rows, null, 2));
  else io.out(renderTable(rows, { caption: values.router ? `LFIB of ${values.router}` : "LFIBs" }).text);
  return 0;
}

/** The `--json`/`--help` options of the listing commands; null (usage printed) for --help. */
function jsonArgs(args: string[], io: CliIO): { values: { json?: boolean }; positionals: string[] } | null {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(USAGE);
    return null;
  }
  return { values, positionals };
}

function lspsCmd(args: string[], io: CliIO): number {
  const parsed = jsonArgs(args, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const net = topoArg(positionals, "lsps");
  const rows = net.rsvp.map((l) => ({
    lsp: l.spec.name,
    from: l.spec.from,
    to: l.spec.to,
    "Mb/s": l.spec.bandwidth,
    path: l.path.join(" "),
    cost: l.cost,
    labels: l.labels.slice(1).join(" "),
  }));
  if (values.json) io.out(JSON.stringify(rows, null, 2));
  else
    io.out(
      rows.length
        ? renderTable(rows, { caption: "RSVP-TE LSPs (labels: what each downstream hop advertised in RESV)" }).text
        : "no RSVP-TE LSPs in this topology",
    );
  return 0;
}

function decodeCmd(args: string[], io: CliIO): number {
  const parsed = jsonArgs(args, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new InputError("give one capture file (pcap or pcapng)", {
      value: positionals.join(" ") || "(nothing)",
      where: "wirelab mpls decode",
    });
  const res = decodeMplsCapture(new Uint8Array(readFileSync(path.resolve(file))), file);
  const failed = res.error !== undefined || res.frames.some((f) => f.error);
  if (values.json) {
    io.out(JSON.stringify(res.frames, null, 2));
  } else {
    for (const f of res.frames) for (const l of describeMplsFrame(f)) io.out(l);
    const labelled = res.frames.filter((f) => f.stack.length).length;
    const msgs = res.frames.reduce((n, f) => n + f.ldp.reduce((k, p) => k + p.messages.length, 0), 0);
    io.out(
      `${res.frames.length} frame(s): ${labelled} with a label stack, ${msgs} LDP message(s), ` +
        `${res.frames.filter((f) => f.error).length} error(s)`,
    );
  }
  if (res.error) io.err(`error: ${res.error}`);
  return failed ? 1 : 0;
}

export const commands: CliCommand[] = [
  {
    name: "mpls",
    summary: "trace packets through MPLS LSPs (LDP, RSVP-TE, BGP-LU, L3VPN), print LFIBs, export and decode pcaps",
    usage: USAGE,
    run: dispatch("mpls", USAGE, { trace: traceCmd, lfib: lfibCmd, lsps: lspsCmd, decode: decodeCmd }),
  },
];

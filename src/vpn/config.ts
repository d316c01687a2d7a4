/**
 * Loading a lab: router configuration files (Junos `set` style or IOS-XE, detected per file) and
 * an optional routes file of customer routes, into a `Network`.
 *
 * Routes file, one route per line (`#` comments):
 *   ROUTER VRF PREFIX [next-hop=A] [local-pref=N] [med=N] [as-path=N,N,…] [origin=igp|egp|incomplete]
 * e.g. `vmx1 provider 192.0.2.53/32 next-hop=10.1.1.2 as-path=64512`.
 */
import { readFileSync } from "node:fs";
import { InputError, ParseError } from "../util/errors";
import type { CustomerRoute, Network, RouterConfig } from "./model";
import { parseIos } from "./ios";
import { parseJunos } from "./junos";
import { checkAddress, checkPrefix, loc, tokenize } from "./tokens";

export interface TextFile {
  file: string;
  text: string;
}

/** "junos" when the first statement starts with `set`, otherwise "ios". */
export function detectDialect(text: string): "junos" | "ios" {
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|!|$)/.test(line)) continue;
    return /^\s*(set|delete|deactivate)\s/.test(line) ? "junos" : "ios";
  }
  return "ios";
}

export function parseConfig(f: TextFile): RouterConfig {
  return detectDialect(f.text) === "junos" ? parseJunos(f.text, f.file) : parseIos(f.text, f.file);
}

/** Adds the routes of a routes file to the routers' VRFs (errors name file:line:column). */
export function applyRoutes(net: Network, f: TextFile): void {
  f.text.split(/\r?\n/).forEach((raw, idx) => {
    const lineNo = idx + 1;
    const line = raw.replace(/#.*$/, "");
    if (!line.trim()) return;
    const t = tokenize(line, f.file, lineNo);
    if (t.length < 3)
      throw new ParseError("expected ROUTER VRF PREFIX [key=value …]", {
        value: line.trim(),
        location: loc(f.file, lineNo, t[0]),
      });
    const r = net.routers.find((x) => x.name === t[0]!.text);
    if (!r)
      throw new ParseError(`no router with this name (known: ${net.routers.map((x) => x.name).join(", ")})`, {
        value: t[0]!.text,
        location: loc(f.file, lineNo, t[0]),
      });
    const v = r.vrfs.find((x) => x.name === t[1]!.text);
    if (!v)
      throw new ParseError(`${r.name} has no such VRF (known: ${r.vrfs.map((x) => x.name).join(", ")})`, {
        value: t[1]!.text,
        location: loc(f.file, lineNo, t[1]),
      });
    const route: CustomerRoute = {
      prefix: checkPrefix(t[2]!.text, loc(f.file, lineNo, t[2])),
      location: loc(f.file, lineNo, t[2]),
    };
    for (const tok of t.slice(3)) {
      const at = loc(f.file, lineNo, tok);
      const m = /^([a-z-]+)=(.+)$/.exec(tok.text);
      if (!m) throw new ParseError("expected key=value", { value: tok.text, location: at });
      const [, k, val] = m as unknown as [string, string, string];
      const num = () => {
        if (!/^\d+$/.test(val) || Number(val) > 0xffffffff)
          throw new ParseError(`${k} must be a number 0..4294967295`, { value: val, location: at });
        return Number(val);
      };
      if (k === "next-hop") route.nextHop = checkAddress(val, at);
      else if (k === "local-pref") route.localPref = num();
      else if (k === "med") route.med = num();
      else if (k === "as-path") {
        route.asPath = val.split(",").map((x) => {
          if (!/^\d+$/.test(x))
            throw new ParseError("as-path is a comma-separated list of AS numbers", { value: val, location: at });
          return Number(x);
        });
      } else if (k === "origin") {
        if (val !== "igp" && val !== "egp" && val !== "incomplete")
          throw new ParseError("origin is igp, egp or incomplete", { value: val, location: at });
        route.origin = val;
      } else
        throw new ParseError("unknown route attribute (next-hop, local-pref, med, as-path, origin)", {
          value: k,
          location: at,
        });
    }
    if (v.routes.some((x) => x.prefix === route.prefix))
      throw new InputError("this VRF already has this prefix", { value: route.prefix, location: route.location });
    v.routes.push(route);
  });
}

/** Parses configuration texts (and a routes text) into a Network. */
export function loadNetworkFromText(configs: TextFile[], routes?: TextFile): Network {
  const net: Network = { routers: configs.map(parseConfig) };
  if (routes) applyRoutes(net, routes);
  return net;
}

/** Reads files from disk: the CLI and the lab use this. */
export function loadNetwork(configFiles: string[], routesFile?: string): Network {
  const read = (file: string): TextFile => {
    try {
      return { file, text: readFileSync(file, "utf8") };
    } catch (e) {
      throw new InputError(`cannot read file: ${(e as Error).message}`, { value: file });
    }
  };
  return loadNetworkFromText(configFiles.map(read), routesFile ? read(routesFile) : undefined);
}

/**
 * A bundle is one text file holding several routers (used by the fix exercises, so a learner
 * edits one file): each part starts with a line `### router NAME` or `### routes`. Line numbers
 * in errors stay those of the bundle file.
 */
export function splitBundle(text: string, file: string): { configs: TextFile[]; routes?: TextFile } {
  const lines = text.split(/\r?\n/);
  const parts: Array<{ name: string; start: number; end: number }> = [];
  lines.forEach((l, i) => {
    const m = /^###\s+(router\s+(\S+)|routes)\s*$/.exec(l);
    if (m) {
      if (parts.length) parts[parts.length - 1]!.end = i;
      parts.push({ name: m[2] ?? "", start: i + 1, end: lines.length });
    } else if (/^###/.test(l)) {
      throw new ParseError('a bundle separator is "### router NAME" or "### routes"', {
        value: l,
        location: { file, line: i + 1, column: 1 },
      });
    }
  });
  if (!parts.length)
    throw new ParseError('no "### router NAME" line: not a bundle', { location: { file, line: 1, column: 1 } });
  const firstStart = parts[0]!.start - 1;
  if (lines.slice(0, firstStart).some((l) => l.trim() && !/^\s*[#!]/.test(l))) {
    throw new ParseError("text before the first ### line", { location: { file, line: 1, column: 1 } });
  }
  // Keep line numbers: blank out every line outside the part.
  const partText = (p: { start: number; end: number }) =>
    lines.map((l, i) => (i >= p.start && i < p.end ? l : "")).join("\n");
  const configs = parts.filter((p) => p.name).map((p) => ({ file, text: partText(p) }));
  const r = parts.find((p) => !p.name);
  return r ? { configs, routes: { file, text: partText(r) } } : { configs };
}

/** Loads a bundle file's text into a Network. */
export function loadBundle(text: string, file: string): Network {
  const b = splitBundle(text, file);
  return loadNetworkFromText(b.configs, b.routes);
}

function readText(file: string): TextFile {
  try {
    return { file, text: readFileSync(file, "utf8") };
  } catch (e) {
    throw new InputError(`cannot read file: ${(e as Error).message}`, { value: file });
  }
}

/** Loads configuration files; a file with "### router" parts is a bundle. */
export function loadFiles(files: string[], routes?: string): Network {
  if (files.length === 0)
    throw new InputError("give at least one configuration file", {
      where: "wirelab vpn",
      hint: "e.g. wirelab vpn tables labs/vpn/*.set --routes labs/vpn/routes.txt",
    });
  const texts = files.map(readText);
  if (!texts.some((t) => /^###\s+router\s/m.test(t.text))) return loadNetwork(files, routes);
  const configs: TextFile[] = [];
  const routeFiles: TextFile[] = [];
  for (const t of texts) {
    if (/^###\s+router\s/m.test(t.text)) {
      const b = splitBundle(t.text, t.file);
      configs.push(...b.configs);
      if (b.routes) routeFiles.push(b.routes);
    } else configs.push(t);
  }
  if (routes) routeFiles.push(readText(routes));
  const net = loadNetworkFromText(configs);
  return routeFiles.length
    ? loadNetworkFromText(
        configs,
        routeFiles.length === 1
          ? routeFiles[0]
          : { file: routeFiles.map((r) => r.file).join("+"), text: routeFiles.map((r) => r.text).join("\n") },
      )
    : net;
}

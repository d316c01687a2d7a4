/**
 * Junos VRF configuration → the L3VPN sites of an MPLS topology, so a lab can be driven by the
 * routers' own `set` lines (notebook 05: "L3VPN over BGP-LU" with `route-distinguisher 1:1`,
 * `vrf-target target:1:1`, `vrf-table-label`).
 *
 * The configuration is read by the RT/RD kit's parser (`src/vpn/junos.ts`, RFC 4364 semantics
 * for RD and RT); this module only maps what it found onto the topology:
 * - each `routing-instances X interface IF` becomes a site: the subnet of IF's
 *   `family inet address` behind that PE;
 * - VRFs whose `vrf-target`s import each other's routes form one VPN (RFC 4364 §4.3.5); a partial
 *   import (hub and spoke) is refused here: notebook 04's engine models those decisions;
 * - `vrf-table-label` is required: the label walk gives one VPN label per VRF per PE, which is
 *   what that knob does (without it Junos allocates a label per next hop);
 * - cross-checks that would otherwise fail silently: the router id is the topology's loopback, a
 *   PE with sites has a VPNv4 (`family inet-vpn unicast`) session, and the configuration's
 *   labeled-unicast neighbours are exactly the topology's global BGP-LU sessions of that router.
 *
 * @example
 *   const t = withJunosVrfs(labTopology("bgplu"), [{ router: "PE1", text, file: "bgplu-pe1.set" }, …]);
 *   trace(buildNetwork(t), { from: "PE1", to: "192.168.2.0/24" })   // three labels at the ingress
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, ParseError, UnsupportedError } from "../util/errors";
import { parseJunos } from "../vpn/junos";
import type { RouterConfig, VrfConfig } from "../vpn/model";
import { courseRoot } from "./lab";
import { formatIPv4, parsePrefix, type Prefix, type Topology, type VpnSpec } from "./topology";

export interface JunosSource {
  /** The topology router this configuration belongs to. */
  router: string;
  text: string;
  file: string;
}

/** One site read from a configuration, for display (a type alias, so it is a table Row). */
export type JunosSiteRow = {
  router: string;
  vrf: string;
  rd: string;
  "vrf-target": string;
  "vrf-table-label": boolean;
  interface: string;
  prefix: string;
  vpn: string;
};

interface Found {
  router: string;
  cfg: RouterConfig;
  vrf: VrfConfig;
  prefixes: Array<{ ifName: string; prefix: Prefix }>;
}

function networkOf(ifPrefix: string, where: string, loc: VrfConfig["location"]): Prefix {
  const [addr, len] = ifPrefix.split("/");
  const host = parsePrefix(`${addr}/32`, where, loc).addr;
  const bits = Number(len);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return parsePrefix(`${formatIPv4((host & mask) >>> 0)}/${bits}`, where, loc);
}

function checkSessions(t: Topology, router: string, cfg: RouterConfig, file: string): void {
  const lo = (r: string) => formatIPv4(t.routers.get(r)!.loopback);
  const want = t.bgpLu
    .filter((s) => (s.a === router && !s.aVrf) || (s.b === router && !s.bVrf))
    .map((s) => lo(s.a === router ? s.b : s.a))
    .sort();
  const got = cfg.neighbors
    .filter((n) => n.labeledUnicast)
    .map((n) => n.address)
    .sort();
  if (want.join() !== got.join()) {
    throw new InputError(`${router}'s labeled-unicast neighbours do not match the topology's BGP-LU sessions`, {
      value: got,
      where: file,
      hint: `the topology (${t.file}) has BGP-LU sessions from ${router} to ${want.join(", ") || "nobody"}`,
    });
  }
}

/** Reads every configuration and returns the sites it defines (no topology change yet). */
export function junosSites(t: Topology, sources: JunosSource[]): Found[] {
  const out: Found[] = [];
  const seen = new Set<string>();
  for (const src of sources) {
    const r = t.routers.get(src.router);
    if (!r)
      throw new InputError("no such router in the topology", {
        value: src.router,
        where: src.file,
        hint: `routers: ${[...t.routers.keys()].join(", ")}`,
      });
    if (seen.has(src.router))
      throw new InputError("two configurations for one router", { value: src.router, where: src.file });
    seen.add(src.router);
    const cfg = parseJunos(src.text, src.file);
    if (cfg.routerId !== formatIPv4(r.loopback)) {
      throw new InputError(
        `router id of ${src.router} differs from its loopback in the topology (${formatIPv4(r.loopback)})`,
        { value: cfg.routerId, where: src.file },
      );
    }
    checkSessions(t, src.router, cfg, src.file);
    if (cfg.vrfs.length && !cfg.neighbors.some((n) => n.vpnv4)) {
      throw new ParseError(
        `${src.router} has VRFs but no BGP session with family inet-vpn unicast: no other PE would learn ` +
          `its VPN routes`,
        { location: { file: src.file } },
      );
    }
    for (const vrf of cfg.vrfs) {
      if (vrf.importPolicy || vrf.exportPolicy) {
        throw new UnsupportedError(
          "vrf-import / vrf-export policies are not modelled in the label walk (only vrf-target)",
          { value: vrf.name, location: vrf.location, hint: "notebook 04 (src/vpn) models import policies" },
        );
      }
      if (!vrf.tableLabel) {
        throw new UnsupportedError(
          "a VRF without vrf-table-label: Junos would allocate one VPN label per next hop; the label walk " +
            "models one label per VRF",
          {
            value: vrf.name,
            location: vrf.location,
            hint: `add: set routing-instances ${vrf.name} vrf-table-label`,
          },
        );
      }
      if (vrf.interfaces.length === 0)
        throw new ParseError("a VRF without interfaces has no site", { value: vrf.name, location: vrf.location });
      const prefixes = vrf.interfaces.map((ifName) => {
        const a = cfg.interfaces?.[ifName];
        if (!a)
          throw new ParseError(`interface ${ifName} of routing-instance ${vrf.name} has no family inet address`, {
            value: ifName,
            location: vrf.location,
          });
        return { ifName, prefix: networkOf(a, `${src.file} interface ${ifName}`, vrf.location) };
      });
      out.push({ router: src.router, cfg, vrf, prefixes });
    }
  }
  return out;
}

const imports = (a: VrfConfig, b: VrfConfig) => a.exportRts.some((rt) => b.importRts.includes(rt));

/** Groups VRFs into VPNs by their route targets; refuses partial (one-way) imports. */
export function groupVpns(found: Found[]): Array<{ name: string; members: Found[] }> {
  const groups: Found[][] = [];
  for (const f of found) {
    const hit = groups.filter((g) => g.some((o) => imports(o.vrf, f.vrf) || imports(f.vrf, o.vrf)));
    const merged = [f, ...hit.flat()];
    for (const h of hit) groups.splice(groups.indexOf(h), 1);
    groups.push(merged);
  }
  return groups.map((members) => {
    for (const a of members) {
      for (const b of members) {
        if (a !== b && !(imports(a.vrf, b.vrf) && imports(b.vrf, a.vrf))) {
          throw new UnsupportedError(
            `VRF ${a.vrf.name} on ${a.router} and VRF ${b.vrf.name} on ${b.router} import only one way (hub ` +
              `and spoke): the label walk needs full-mesh VPNs`,
            {
              value: {
                [a.router]: { import: a.vrf.importRts, export: a.vrf.exportRts },
                [b.router]: { import: b.vrf.importRts, export: b.vrf.exportRts },
              },
              location: b.vrf.location,
            },
          );
        }
      }
    }
    const names = [...new Set(members.map((m) => m.vrf.name))];
    return { name: names.join("+"), members: members.sort((x, y) => x.router.localeCompare(y.router)) };
  });
}

/**
 * The topology with the VPNs defined by the Junos configurations (the topology's own `vpns:` sites
 * on the configured routers are dropped), and the sites found, for display.
 */
export function withJunosVrfs(t: Topology, sources: JunosSource[]): { topology: Topology; sites: JunosSiteRow[] } {
  const found = junosSites(t, sources);
  const vpns = groupVpns(found);
  const fromJunos: VpnSpec[] = vpns.map((v) => ({
    name: v.name,
    sites: v.members.flatMap((m) =>
      m.prefixes.map((p) => ({ pe: m.router, prefix: p.prefix, loc: m.vrf.location ?? { file: m.cfg.source.file } })),
    ),
    loc: v.members[0]!.vrf.location ?? { file: v.members[0]!.cfg.source.file },
  }));
  // The configurations are the truth for their routers: the topology's own sites on them go.
  const configured = new Set(sources.map((s) => s.router));
  const kept = t.vpns
    .map((v) => ({ ...v, sites: v.sites.filter((s) => !configured.has(s.pe)) }))
    .filter((v) => v.sites.length > 0);
  const topology: Topology = { ...t, vpns: [...kept, ...fromJunos] };
  const sites: JunosSiteRow[] = vpns.flatMap((v) =>
    v.members.flatMap((m) =>
      m.prefixes.map((p) => ({
        router: m.router,
        vrf: m.vrf.name,
        rd: m.vrf.rd,
        "vrf-target": [...new Set([...m.vrf.importRts, ...m.vrf.exportRts])].join(" "),
        "vrf-table-label": m.vrf.tableLabel,
        interface: p.ifName,
        prefix: p.prefix.text,
        vpn: v.name,
      })),
    ),
  );
  return { topology, sites };
}

/** The Junos files of a lab, `labs/mpls/<lab>-<router in lower case>.set`, for `withJunosVrfs`. */
export function labJunosSources(lab: string, routers: string[]): JunosSource[] {
  return routers.map((router) => {
    const file = `labs/mpls/${lab}-${router.toLowerCase()}.set`; // relative: error messages name it so
    let text: string;
    try {
      text = readFileSync(join(courseRoot(), file), "utf8");
    } catch (e) {
      throw new InputError(`cannot read a Junos configuration: ${(e as Error).message}`, {
        value: file,
        where: `router ${router}`,
      });
    }
    return { router, text, file };
  });
}

/**
 * The MPLS lab topology model and its YAML/JSON file format (documented in docs/mpls.md).
 *
 * A topology names routers (loopback, IGP domain, attached prefixes), links (IGP metric,
 * bandwidth for the TE database, admin-group colours), which routers run LDP, the RSVP-TE LSPs
 * (bandwidth, ERO with strict/loose hops, include/exclude colours), BGP labeled-unicast sessions
 * between domains, L3VPNs (sites on PEs) and static LSPs. Every element keeps its file position so
 * later stages (CSPF, LDP, the packet walk) can point at the line that caused an error.
 */
import { InputError, type SourceLocation } from "../util/errors";
import { checkOrdinaryLabel } from "./label";
import { parseYaml, type YamlCursor } from "./yamlcursor";

// ---------------------------------------------------------------- IPv4 helpers

export function parseIPv4(s: string, where: string, location?: SourceLocation): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m || m.slice(1).some((o) => Number(o) > 255))
    throw new InputError("not an IPv4 address", { value: s, where, location });
  return m.slice(1).reduce((a, o) => a * 256 + Number(o), 0);
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

export interface Prefix {
  /** Network address as an unsigned 32-bit number. */
  addr: number;
  len: number;
  text: string;
}

export function parsePrefix(s: string, where: string, location?: SourceLocation): Prefix {
  const m = /^([\d.]+)(?:\/(\d{1,2}))?$/.exec(s.trim());
  if (!m) throw new InputError("not an IPv4 prefix (a.b.c.d/len)", { value: s, where, location });
  const len = m[2] === undefined ? 32 : Number(m[2]);
  if (len > 32) throw new InputError("prefix length must be 0..32", { value: s, where, location });
  const a = parseIPv4(m[1]!, where, location);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  if ((a & mask) >>> 0 !== a)
    throw new InputError(`host bits set in prefix (did you mean ${formatIPv4((a & mask) >>> 0)}/${len}?)`, {
      value: s,
      where,
      location,
    });
  return { addr: a, len, text: `${formatIPv4(a)}/${len}` };
}

export function prefixContains(p: Prefix, addr: number): boolean {
  const mask = p.len === 0 ? 0 : (0xffffffff << (32 - p.len)) >>> 0;
  return (addr & mask) >>> 0 === p.addr;
}

/** The first host of a prefix (the .1), or the address itself for a /32. */
export function firstHost(p: Prefix): number {
  return p.len >= 31 ? p.addr : p.addr + 1;
}

// ---------------------------------------------------------------- model

export interface Router {
  name: string;
  index: number;
  loopback: number;
  /** IGP / label domain (an AS in the BGP-LU sense). */
  domain: string;
  role: string;
  labelBase: number;
  /** Advertise explicit null (0) instead of implicit null (3) as the egress: no PHP. */
  explicitNull: boolean;
  ldp: boolean;
  /** Globally routed prefixes attached to this router (a customer LAN behind it). */
  prefixes: Prefix[];
  loc: SourceLocation;
}

export interface Link {
  index: number;
  a: string;
  b: string;
  metric: number;
  /** Megabits per second, the TE bandwidth of each direction. */
  bandwidth: number;
  colors: string[];
  /** Interface addresses; the link is a /30 from `subnet`. */
  aAddr: number;
  bAddr: number;
  subnet: Prefix;
  loc: SourceLocation;
}

export interface EroHop {
  node: string;
  strict: boolean;
  loc: SourceLocation;
}

export interface RsvpLspSpec {
  name: string;
  from: string;
  to: string;
  bandwidth: number;
  ero: EroHop[];
  includeAny: string[];
  exclude: string[];
  loc: SourceLocation;
}

export interface BgpLuSession {
  a: string;
  b: string;
  /** VRF of the session at each end (carrier supporting carrier); undefined = global table. */
  aVrf?: string;
  bVrf?: string;
  loc: SourceLocation;
}

export interface VpnSite {
  pe: string;
  prefix: Prefix;
  loc: SourceLocation;
}

export interface VpnSpec {
  name: string;
  sites: VpnSite[];
  loc: SourceLocation;
}

export interface StaticHop {
  router: string;
  /** Incoming label (absent at the ingress). */
  in?: number;
  /** Labels pushed at the ingress (top first), or pushed after a swap. */
  push: number[];
  swap?: number;
  pop: boolean;
  next?: string;
  loc: SourceLocation;
}

export interface StaticLsp {
  name: string;
  fec: Prefix;
  hops: StaticHop[];
  loc: SourceLocation;
}

export type TtlMode = "uniform" | "pipe";

export interface Topology {
  name: string;
  file: string;
  ttlMode: TtlMode;
  routers: Map<string, Router>;
  links: Link[];
  rsvp: RsvpLspSpec[];
  bgpLu: BgpLuSession[];
  vpns: VpnSpec[];
  statics: StaticLsp[];
}

// ---------------------------------------------------------------- parsing

const TOP_KEYS = ["name", "ttl-mode", "php", "routers", "links", "ldp", "rsvp", "bgp-lu", "vpns", "static-lsps"];
const ROUTER_KEYS = ["loopback", "domain", "role", "label-base", "explicit-null", "ldp", "prefixes"];
const LINK_KEYS = ["a", "b", "metric", "bandwidth", "colors", "subnet"];
const LSP_KEYS = ["name", "from", "to", "bandwidth", "ero", "include-any", "exclude"];

type Fields = Map<string, YamlCursor>;
type NeedRouter = (c: YamlCursor) => string;

/** The `routers:` section: names, loopbacks (each used once), label bases and per-router defaults. */
function parseRouters(top: Fields, php: boolean, ldpDefault: boolean): Map<string, Router> {
  const routers = new Map<string, Router>();
  const loopbacks = new Map<number, string>();
  top
    .get("routers")!
    .entries()
    .forEach(([rname, rc], index) => {
      if (!/^[A-Za-z][A-Za-z0-9_-]{0,14}$/.test(rname))
        rc.fail("router names are 1-15 letters, digits, - or _, starting with a letter", rname);
      const f = rc.fields(ROUTER_KEYS, ["loopback"]);
      const lbc = f.get("loopback")!;
      const loopback = parseIPv4(lbc.str(), lbc.path, lbc.loc());
      if (loopbacks.has(loopback)) lbc.fail(`loopback already used by ${loopbacks.get(loopback)}`, lbc.str());
      loopbacks.set(loopback, rname);
      const baseCur = f.get("label-base");
      const labelBase = baseCur ? baseCur.int(16, 1048575 - 999) : 1000 * (index + 1);
      if (baseCur) checkOrdinaryLabel(labelBase, baseCur.path, baseCur.loc());
      routers.set(rname, {
        name: rname,
        index,
        loopback,
        domain: f.get("domain")?.str() ?? "core",
        role: f.get("role")?.str() ?? (/^pe/i.test(rname) ? "pe" : /^p/i.test(rname) ? "p" : "p"),
        labelBase,
        explicitNull: f.get("explicit-null")?.bool() ?? !php,
        ldp: f.get("ldp")?.bool() ?? ldpDefault,
        prefixes: (f.get("prefixes") ? f.get("prefixes")!.items() : []).map((pc) =>
          parsePrefix(pc.str(), pc.path, pc.loc()),
        ),
        loc: rc.loc(),
      });
    });
  if (routers.size === 0) top.get("routers")!.fail("a topology needs at least one router");

  return routers;
}

/** A check that a cursor names a defined router; returns the name. */
function routerNamer(routers: Map<string, Router>): NeedRouter {
  return (c: YamlCursor): string => {
    const n = c.str();
    if (!routers.has(n))
      c.fail(`undefined router ${JSON.stringify(n)}`, undefined, `routers defined: ${[...routers.keys()].join(", ")}`);
    return n;
  };
}

/** The `links:` section: two different routers each, a /30 or shorter subnet (auto 172.16.N.0/30). */
function parseLinks(top: Fields, needRouter: NeedRouter): Link[] {
  const links: Link[] = top
    .get("links")!
    .items()
    .map((lc, index) => {
      const f = lc.fields(LINK_KEYS, ["a", "b"]);
      const a = needRouter(f.get("a")!);
      const b = needRouter(f.get("b")!);
      if (a === b) lc.fail(`a link joins two different routers (both ends are ${a})`);
      const sc = f.get("subnet");
      const subnet = sc
        ? parsePrefix(sc.str(), sc.path, sc.loc())
        : { addr: parseIPv4(`172.16.${index}.0`, "auto subnet"), len: 30, text: `172.16.${index}.0/30` };
      if (subnet.len > 30) sc!.fail("a link subnet must be /30 or shorter (two host addresses)", subnet.text);
      return {
        index,
        a,
        b,
        metric: f.get("metric")?.int(1, 16777215) ?? 10,
        bandwidth: f.get("bandwidth")?.int(0, 1e9) ?? 1000,
        colors: f.get("colors")?.strList() ?? [],
        aAddr: subnet.addr + 1,
        bAddr: subnet.addr + 2,
        subnet,
        loc: lc.loc(),
      };
    });
  if (index256(links.length)) top.get("links")!.fail("at most 256 links (auto subnets are 172.16.N.0/30)");

  return links;
}

/** The `rsvp:` section: RSVP-TE LSPs with their ERO and constraints. */
function parseRsvp(top: Fields, routers: Map<string, Router>, needRouter: NeedRouter): RsvpLspSpec[] {
  return (top.get("rsvp")?.items() ?? []).map((c, i) => {
    const f = c.fields(LSP_KEYS, ["from", "to"]);
    const ero = (f.get("ero")?.items() ?? []).map((hc) => {
      const words = hc.str().trim().split(/\s+/);
      if (words.length > 2 || (words[1] !== undefined && words[1] !== "strict" && words[1] !== "loose")) {
        hc.fail('an ERO hop is "ROUTER" or "ROUTER strict" or "ROUTER loose"', hc.str());
      }
      if (!routers.has(words[0]!))
        hc.fail(
          `undefined router ${JSON.stringify(words[0])} in the ERO`,
          undefined,
          `routers defined: ${[...routers.keys()].join(", ")}`,
        );
      return { node: words[0]!, strict: words[1] !== "loose", loc: hc.loc() };
    });
    const from = needRouter(f.get("from")!);
    const to = needRouter(f.get("to")!);
    if (from === to) f.get("to")!.fail(`an RSVP-TE LSP needs a tail different from its head (${from})`);
    const bwc = f.get("bandwidth");
    if (bwc && bwc.num() < 0) bwc.fail("bandwidth must be ≥ 0 Mb/s", bwc.num());
    return {
      name: f.get("name")?.str() ?? `lsp${i + 1}`,
      from,
      to,
      bandwidth: f.get("bandwidth")?.num() ?? 0,
      ero,
      includeAny: f.get("include-any")?.strList() ?? [],
      exclude: f.get("exclude")?.strList() ?? [],
      loc: c.loc(),
    };
  });
}

/** The `bgp-lu:` section: labelled-unicast sessions, each end optionally in a VRF. */
function parseBgpLu(top: Fields, needRouter: NeedRouter): BgpLuSession[] {
  return (top.get("bgp-lu")?.items() ?? []).map((c) => {
    const f = c.fields(["a", "b", "vrf", "a-vrf", "b-vrf"], ["a", "b"]);
    const both = f.get("vrf")?.str();
    const aVrf = f.get("a-vrf")?.str() ?? both;
    const bVrf = f.get("b-vrf")?.str() ?? both;
    return {
      a: needRouter(f.get("a")!),
      b: needRouter(f.get("b")!),
      ...(aVrf ? { aVrf } : {}),
      ...(bVrf ? { bVrf } : {}),
      loc: c.loc(),
    };
  });
}

/** The `vpns:` section: each VPN's sites (a PE and a prefix). */
function parseVpns(top: Fields, needRouter: NeedRouter): VpnSpec[] {
  return (top.get("vpns")?.entries() ?? []).map(([vname, vc]) => ({
    name: vname,
    sites: vc.items().map((sc) => {
      const f = sc.fields(["pe", "prefix"], ["pe", "prefix"]);
      const pc = f.get("prefix")!;
      return { pe: needRouter(f.get("pe")!), prefix: parsePrefix(pc.str(), pc.path, pc.loc()), loc: sc.loc() };
    }),
    loc: vc.loc(),
  }));
}

/** The `static-lsps:` section: hand-written LSPs, hop by hop. */
function parseStatics(top: Fields, needRouter: NeedRouter): StaticLsp[] {
  return (top.get("static-lsps")?.items() ?? []).map((c, i) => {
    const f = c.fields(["name", "fec", "hops"], ["fec", "hops"]);
    const fc = f.get("fec")!;
    const hops = f
      .get("hops")!
      .items()
      .map((hc) => {
        const h = hc.fields(["router", "in", "push", "swap", "pop", "next"], ["router"]);
        const lab = (k: string) => {
          const lc2 = h.get(k);
          return lc2 ? checkOrdinaryLabel(lc2.num(), lc2.path, lc2.loc()) : undefined;
        };
        const pushCur = h.get("push");
        const push = pushCur
          ? (pushCur.isSeq() ? pushCur.items() : [pushCur]).map((x) => checkOrdinaryLabel(x.num(), x.path, x.loc()))
          : [];
        const hop: StaticHop = {
          router: needRouter(h.get("router")!),
          push,
          pop: h.get("pop")?.bool() ?? false,
          loc: hc.loc(),
        };
        const inL = lab("in");
        const sw = lab("swap");
        if (inL !== undefined) hop.in = inL;
        if (sw !== undefined) hop.swap = sw;
        if (h.get("next")) hop.next = needRouter(h.get("next")!);
        const actions = [sw !== undefined, hop.pop, push.length > 0 && sw === undefined].filter(Boolean).length;
        if (inL === undefined && push.length === 0) hc.fail("the ingress hop of a static LSP needs push: [labels]");
        if (inL !== undefined && actions !== 1)
          hc.fail("a transit hop needs exactly one of swap: L (optionally with push) or pop: true");
        if (hop.next === undefined && !(hop.pop && inL !== undefined))
          hc.fail("every hop except a final pop needs next: ROUTER");
        return hop;
      });
    return {
      name: f.get("name")?.str() ?? `static${i + 1}`,
      fec: parsePrefix(fc.str(), fc.path, fc.loc()),
      hops,
      loc: c.loc(),
    };
  });
}

/** Parses a topology from YAML or JSON text. `file` is used in error positions. */
export function parseTopology(text: string, file = "<topology>"): Topology {
  const root = parseYaml(text, file);
  const top = root.fields(TOP_KEYS, ["routers", "links"]);
  const name = top.get("name")?.str() ?? file;
  const ttlModeCur = top.get("ttl-mode");
  let ttlMode: TtlMode = "uniform";
  if (ttlModeCur) {
    const v = ttlModeCur.str();
    if (v !== "uniform" && v !== "pipe") ttlModeCur.fail("ttl-mode must be uniform or pipe (RFC 3443)", v);
    ttlMode = v as TtlMode;
  }
  const php = top.get("php")?.bool() ?? true;
  const ldpDefault = top.get("ldp")?.bool() ?? false;

  const routers = parseRouters(top, php, ldpDefault);
  const needRouter = routerNamer(routers);
  const links = parseLinks(top, needRouter);
  const rsvp = parseRsvp(top, routers, needRouter);
  const bgpLu = parseBgpLu(top, needRouter);
  const vpns = parseVpns(top, needRouter);
  const statics = parseStatics(top, needRouter);
  return { name, file, ttlMode, routers, links, rsvp, bgpLu, vpns, statics };
}

function index256(n: number): boolean {
  return n > 256;
}

/** Links touching `r`, with the far end. */
export function neighbours(
  t: Topology,
  r: string,
): Array<{ link: Link; peer: string; localAddr: number; peerAddr: number }> {
  const out: Array<{ link: Link; peer: string; localAddr: number; peerAddr: number }> = [];
  for (const l of t.links) {
    if (l.a === r) out.push({ link: l, peer: l.b, localAddr: l.aAddr, peerAddr: l.bAddr });
    else if (l.b === r) out.push({ link: l, peer: l.a, localAddr: l.bAddr, peerAddr: l.aAddr });
  }
  return out;
}

/** Interface name of router `r` on link `l`: eth<N> in link order among r's links. */
export function ifName(t: Topology, r: string, l: Link): string {
  const mine = t.links.filter((x) => x.a === r || x.b === r);
  return `eth${mine.indexOf(l)}`;
}

/** A deterministic locally administered MAC for router `r` on link `l`. */
export function macOf(t: Topology, r: string, l: Link): Uint8Array {
  const ri = t.routers.get(r)!.index;
  return Uint8Array.of(0x02, 0x4d, 0x50, (ri >> 8) & 0xff, ri & 0xff, l.index & 0xff);
}

export function routerOrThrow(t: Topology, name: string, where: string): Router {
  const r = t.routers.get(name);
  if (!r)
    throw new InputError(`undefined router ${JSON.stringify(name)}`, {
      value: name,
      where,
      hint: `routers: ${[...t.routers.keys()].join(", ")}`,
    });
  return r;
}

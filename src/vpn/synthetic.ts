/**
 * A synthetic provider network with realistic route-target fan-out, for the benchmark and for
 * checking the fast import path against the engine. Seeded (src/util/rng), so every run builds
 * the same network.
 *
 * Shape: VRFs spread over PEs (20 per PE); customers are VPNs of 5 sites on 5 different PEs
 * sharing one RT; 10% of VPNs are hub-and-spoke (the hub imports the spoke RT, spokes import the
 * hub RT); a shared-services VPN exports target:65000:1 and imports target:65000:2, which 30% of
 * customer sites add to their exports while importing target:65000:1; 5% of sites also import
 * another customer's RT (extranet). Routes are spread evenly over the VRFs.
 */
import { Rng } from "../util/rng";
import type { Network, RouterConfig } from "./model";
import { importIndex, internRt, type ImportIndex, type RouteBatch } from "./fast";

export interface SyntheticVrfs {
  vrfImports: string[][];
  vrfExports: string[][];
  /** PE index of each VRF. */
  vrfPe: number[];
  pes: number;
}

export function syntheticVrfs(vrfs: number, seed = 7): SyntheticVrfs {
  const rng = new Rng(seed);
  const pes = Math.max(5, Math.ceil(vrfs / 20));
  const vrfImports: string[][] = [];
  const vrfExports: string[][] = [];
  const vrfPe: number[] = [];
  const SVC = "target:65000:1";
  const SUB = "target:65000:2";
  for (let v = 0; v < vrfs; v++) {
    const vpn = Math.floor(v / 5);
    const site = v % 5;
    vrfPe.push((vpn * 5 + site * 7) % pes);
    if (vpn === 0) {
      vrfImports.push([SUB]);
      vrfExports.push([SVC]);
      continue;
    }
    const rt = `target:65000:${1000 + vpn}`;
    const hubSpoke = vpn % 10 === 3;
    let imp: string[];
    let exp: string[];
    if (hubSpoke) {
      const spoke = `target:65001:${1000 + vpn}`;
      [imp, exp] = site === 0 ? [[spoke], [rt]] : [[rt], [spoke]];
    } else {
      [imp, exp] = [[rt], [rt]];
    }
    if (rng.float() < 0.3) {
      imp.push(SVC);
      exp.push(SUB);
    }
    if (rng.float() < 0.05) imp.push(`target:65000:${1000 + 1 + rng.int(0, Math.max(0, Math.floor(vrfs / 5) - 2))}`);
    vrfImports.push(imp);
    vrfExports.push(exp);
  }
  return { vrfImports, vrfExports, vrfPe, pes };
}

/** `count` routes spread over the VRFs (route i in VRF i mod V), carrying their VRF's export RTs. */
export function syntheticRoutes(s: SyntheticVrfs, index: ImportIndex, count: number): RouteBatch {
  const V = s.vrfExports.length;
  const exportIds = s.vrfExports.map((rts) => rts.map((rt) => internRt(index, rt)));
  let total = 0;
  for (let i = 0; i < count; i++) total += exportIds[i % V]!.length;
  const rtStart = new Uint32Array(count + 1);
  const rtList = new Uint32Array(total);
  const originVrf = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < count; i++) {
    const v = i % V;
    rtStart[i] = k;
    originVrf[i] = v;
    for (const id of exportIds[v]!) rtList[k++] = id;
  }
  rtStart[count] = k;
  return { count, rtStart, rtList, originVrf };
}

/** The route's prefix: 10.0.0.0/24 upward, one /24 per route (up to 65,536 routes). */
export function syntheticPrefix(i: number): string {
  return `10.${(i >> 8) & 255}.${i & 255}.0/24`;
}

/** A small synthetic network as a full Network (IOS-like routers in a full mesh), for cross-checks. */
export function syntheticNetwork(
  vrfs: number,
  routes: number,
  seed = 7,
): { net: Network; s: SyntheticVrfs; index: ImportIndex; batch: RouteBatch } {
  const s = syntheticVrfs(vrfs, seed);
  const index = importIndex(s.vrfImports);
  const batch = syntheticRoutes(s, index, routes);
  const routers: RouterConfig[] = [];
  for (let p = 0; p < s.pes; p++) {
    const addr = `10.255.${p >> 8}.${(p & 255) + 1}`;
    routers.push({
      name: `pe${p}`,
      asn: 65000,
      routerId: addr,
      localAddress: addr,
      neighbors: [],
      vrfs: [],
      localLeaking: true,
      source: { file: "synthetic", dialect: "model" },
    });
  }
  for (const r of routers) {
    r.neighbors = routers
      .filter((o) => o !== r)
      .map((o) => ({ address: o.localAddress, peerAs: 65000, vpnv4: true, rrClient: false }));
  }
  s.vrfImports.forEach((imp, v) => {
    routers[s.vrfPe[v]!]!.vrfs.push({
      name: `v${v}`,
      rd: `65000:${v + 1}`,
      importRts: imp,
      exportRts: s.vrfExports[v]!,
      multipath: false,
      tableLabel: true,
      interfaces: [],
      routes: [],
    });
  });
  for (let i = 0; i < routes; i++) {
    const v = i % vrfs;
    routers[s.vrfPe[v]!]!.vrfs.find((x) => x.name === `v${v}`)!.routes.push({ prefix: syntheticPrefix(i) });
  }
  return { net: { routers }, s, index, batch };
}

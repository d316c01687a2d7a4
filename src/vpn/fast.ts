/**
 * Import decisions at scale: an index from route target to the VRFs that import it, so each
 * VPNv4 route is matched against only the VRFs that could want it (RFC 4364 §4.3.1: a route is
 * imported into every VRF whose import list shares an RT with it). Routes are columnar (typed
 * arrays of interned RT ids), results are typed arrays, and explanations are produced on demand
 * rather than stored, so a million routes fit in memory and decide in well under a second.
 * The engine (`engine.ts`) makes the same decision per route for small labs; a test checks the
 * two agree.
 */
import { InputError } from "../util/errors";

export interface ImportIndex {
  /** RT text → id. */
  rtIds: Map<string, number>;
  /** For RT id i: VRF indices importing it. */
  vrfsByRt: Int32Array[];
  vrfCount: number;
}

/** Interns an RT, growing the table. */
export function internRt(index: ImportIndex, rt: string): number {
  let id = index.rtIds.get(rt);
  if (id === undefined) {
    id = index.rtIds.size;
    index.rtIds.set(rt, id);
    index.vrfsByRt.push(new Int32Array(0));
  }
  return id;
}

/** Builds the RT → importing VRFs index from each VRF's import RTs. */
export function importIndex(vrfImports: string[][]): ImportIndex {
  const index: ImportIndex = { rtIds: new Map(), vrfsByRt: [], vrfCount: vrfImports.length };
  const lists: number[][] = [];
  vrfImports.forEach((rts, v) => {
    for (const rt of new Set(rts)) {
      const id = internRt(index, rt);
      (lists[id] ??= []).push(v);
    }
  });
  index.vrfsByRt = index.vrfsByRt.map((_, id) => Int32Array.from(lists[id] ?? []));
  return index;
}

/** A columnar batch of routes: route i carries RT ids rtList[rtStart[i] .. rtStart[i+1]). */
export interface RouteBatch {
  count: number;
  rtStart: Uint32Array;
  rtList: Uint32Array;
  /** The VRF that exported route i (never imports its own route back). */
  originVrf: Int32Array;
}

export interface ImportResult {
  /** Imported (route, vrf) pairs: routes[k] into vrfs[k]. */
  routes: Int32Array;
  vrfs: Int32Array;
  pairs: number;
  /** Per VRF: number of routes imported. */
  perVrf: Uint32Array;
}

/** All import decisions of a batch: for each route, the union of the VRFs importing any of its RTs. */
export function decideImports(index: ImportIndex, batch: RouteBatch): ImportResult {
  // Upper bound of the output size (sum of the index lists a route touches): one allocation, no regrowth.
  let cap = 16;
  for (let k = 0; k < batch.rtStart[batch.count]!; k++) cap += index.vrfsByRt[batch.rtList[k]!]?.length ?? 0;
  let routes = new Int32Array(cap);
  let vrfs = new Int32Array(cap);
  const perVrf = new Uint32Array(index.vrfCount);
  const stamp = new Int32Array(index.vrfCount).fill(-1);
  let n = 0;
  for (let i = 0; i < batch.count; i++) {
    const own = batch.originVrf[i]!;
    for (let k = batch.rtStart[i]!; k < batch.rtStart[i + 1]!; k++) {
      const list = index.vrfsByRt[batch.rtList[k]!];
      if (!list) continue;
      for (let j = 0; j < list.length; j++) {
        const v = list[j]!;
        if (v === own || stamp[v] === i) continue;
        stamp[v] = i;
        if (n === cap) {
          cap *= 2;
          const r2 = new Int32Array(cap);
          r2.set(routes);
          routes = r2;
          const v2 = new Int32Array(cap);
          v2.set(vrfs);
          vrfs = v2;
        }
        routes[n] = i;
        vrfs[n] = v;
        perVrf[v]!++;
        n++;
      }
    }
  }
  return { routes: routes.subarray(0, n), vrfs: vrfs.subarray(0, n), pairs: n, perVrf };
}

/** The explanation of one decision, made on demand (same wording as the engine). */
export function explainImport(
  index: ImportIndex,
  batch: RouteBatch,
  route: number,
  vrf: number,
  vrfImports: string[][],
  names: { route: string; vrf: string },
): string {
  if (route < 0 || route >= batch.count)
    throw new InputError("route index out of range", { value: route, where: "explainImport" });
  const ids = new Map([...index.rtIds].map(([t, id]) => [id, t]));
  const rts = Array.from(batch.rtList.subarray(batch.rtStart[route]!, batch.rtStart[route + 1]!), (id) => ids.get(id)!);
  const hit = rts.filter((t) => vrfImports[vrf]!.includes(t));
  if (batch.originVrf[route] === vrf) return `${names.route} is ${names.vrf}'s own route`;
  return hit.length
    ? `imported into ${names.vrf}: RT ${hit.join(" ")} ${hit.length > 1 ? "are" : "is"} in its import list`
    : `not imported into ${names.vrf}: its RTs (${rts.join(" ")}) match none of the import RTs ` +
        `(${vrfImports[vrf]!.join(" ")})`;
}

/** The naive way (every route against every VRF's import list), for the benchmark's comparison. */
export function decideImportsNaive(vrfImportIds: Uint32Array[], batch: RouteBatch): number {
  let n = 0;
  for (let i = 0; i < batch.count; i++) {
    for (let v = 0; v < vrfImportIds.length; v++) {
      if (v === batch.originVrf[i]) continue;
      const imp = vrfImportIds[v]!;
      let hit = false;
      for (let k = batch.rtStart[i]!; k < batch.rtStart[i + 1]! && !hit; k++) {
        const rt = batch.rtList[k]!;
        for (let j = 0; j < imp.length; j++)
          if (imp[j] === rt) {
            hit = true;
            break;
          }
      }
      if (hit) n++;
    }
  }
  return n;
}

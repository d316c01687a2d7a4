import { it, expect } from "vitest";
import { computeVpn, importSets } from "../../src/vpn/engine";
import { decideImports, decideImportsNaive, explainImport } from "../../src/vpn/fast";
import { syntheticNetwork, syntheticPrefix } from "../../src/vpn/synthetic";

it(
  "the fast import index decides exactly what the engine decides (synthetic network, 60 VRFs)",
  { timeout: 60000 },
  () => {
    const { net, s, index, batch } = syntheticNetwork(60, 240);
    const engine = importSets(computeVpn(net));
    const fast = decideImports(index, batch);
    const got: Record<string, string[]> = {};
    for (let k = 0; k < fast.pairs; k++) {
      const v = fast.vrfs[k]!;
      const route = fast.routes[k]!;
      const pe = `pe${s.vrfPe[v]}`;
      const fromPe = net.routers[s.vrfPe[batch.originVrf[route]!]!]!;
      ((got[pe] ??= {})[`v${v}`] ??= []).push(`${syntheticPrefix(route)} via ${fromPe.localAddress}`);
    }
    const want: Record<string, string[]> = {};
    for (const [pe, vrfs] of Object.entries(engine))
      for (const [v, list] of Object.entries(vrfs)) if (list.length) (want[pe] ??= {})[v] = list;
    for (const vrfs of Object.values(got)) for (const k of Object.keys(vrfs)) vrfs[k] = [...new Set(vrfs[k])].sort();
    expect(got).toStrictEqual(want);
    expect(fast.pairs > 240, "the scenario has real fan-out").toBeTruthy();
    const ids = s.vrfImports.map((rts) => Uint32Array.from(rts.map((r) => index.rtIds.get(r) ?? 0xffffffff)));
    expect(decideImportsNaive(ids, batch)).toBe(fast.pairs);
    expect(explainImport(index, batch, fast.routes[0]!, fast.vrfs[0]!, s.vrfImports, { route: "r", vrf: "v" })).toMatch(
      /^imported into v: RT target:/,
    );
  },
);

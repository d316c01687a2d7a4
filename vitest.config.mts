/**
 * vitest configuration for the whole suite (`npm test`, `npx vitest run test/dh`, `npm run test:watch`).
 *
 * - Every test has a time limit: its own `{ timeout }`, else 10 minutes (hooks too).
 * - Test files run in separate processes, two at a time (the 2-core CI machine). The files listed
 *   in SERIAL share a resource (JupyterLab and kernels, network namespaces, the FRR, Open vSwitch,
 *   ISC DHCP and Kea daemons, chromium) and run one at a time, through the lock of
 *   test/vitest/serial-server.ts, while the other worker keeps running the rest. (vitest 4 would run
 *   a one-worker project only after every other project has finished, which adds the serial files'
 *   whole duration to the run.)
 * - Modules under src/ and dist/ are loaded by Node itself with tsx's loader, as the library runs
 *   in notebooks and in the grader (CommonJS, one instance of each module, `require` of .ts
 *   files), not re-bundled by vite: error classes checked with instanceof are the same everywhere.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/**
 * Test files (or folders, ending in "/") that run one at a time, in this order relative to each
 * other. test/notebooks/ comes first: the slides test reuses the notebooks it executed.
 */
export const SERIAL = [
  "test/notebooks/",
  "test/workshop/jupyterlab.test.ts",
  "test/workshop/slides.test.ts",
  "test/workshop/binder.test.ts",
  "test/jupyter/",
  "test/kernel/kernel.test.ts",
  "test/kernel/tslab-gaps.test.ts",
  "test/setup/",
  "test/dhcp/interop.test.ts",
  "test/mpls/frr.test.ts",
  "test/mpls/ovs.test.ts",
  "test/vpn/frr.test.ts",
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function serialIndex(spec: TestSpecification): number {
  const f = path.relative(ROOT, spec.moduleId).split(path.sep).join("/");
  return SERIAL.findIndex((p) => (p.endsWith("/") ? f.startsWith(p) : f === p));
}

/**
 * Spreads the serial files among the others (in SERIAL order), so that the two workers rarely
 * both hold a serial file (one would wait on the lock).
 */
class SpreadSerial extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const serial = sorted.filter((s) => serialIndex(s) >= 0).sort((a, b) => serialIndex(a) - serialIndex(b));
    const rest = sorted.filter((s) => serialIndex(s) < 0);
    if (serial.length === 0 || rest.length === 0) return [...serial, ...rest];
    const out: TestSpecification[] = [];
    const gap = rest.length / serial.length;
    let r = 0;
    serial.forEach((s, i) => {
      out.push(s);
      const upTo = Math.round((i + 1) * gap);
      while (r < upTo) out.push(rest[r++]!);
    });
    while (r < rest.length) out.push(rest[r++]!);
    return out;
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "test/fixtures/**"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    maxWorkers: 2,
    execArgv: ["--import", "tsx"],
    server: { deps: { external: ["src", "dist"].map((d) => new RegExp("^" + escapeRegExp(path.join(ROOT, d) + path.sep))) } },
    globalSetup: ["test/vitest/serial-server.ts"],
    setupFiles: ["test/vitest/serial-setup.ts"],
    provide: { serialFiles: SERIAL },
    sequence: { sequencer: SpreadSerial },
  },
});

/**
 * vitest configuration for the whole suite (`npm test`, `npx vitest run test/dh`, `npm run test:watch`).
 *
 * - Every test has a time limit: its own `{ timeout }`, else 10 minutes (hooks too).
 * - Each test file runs in its own process. At most TEST_SLOTS (2, the CI machine's cores) files
 *   run at once; the files listed in SHARED use a resource that only one file may use at a time
 *   and wait for it. test/vitest/slots-server.ts does this scheduling: vitest 4 itself can only run
 *   a one-worker project after all the others have finished, which would add the shared files'
 *   whole duration to the run. There are more worker processes than slots so that files waiting
 *   for a resource never keep the slots idle; waiting ones have not loaded their test file yet.
 * - Modules under src/ and dist/ are loaded by Node itself with tsx's loader, as the library runs
 *   in notebooks and in the grader (CommonJS, one instance of each module, `require` of .ts
 *   files), not re-bundled by vite: an error class checked with instanceof is the same everywhere.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** How many test files run at once. */
const TEST_SLOTS = 2;

/**
 * Test files (or folders, ending in "/") that use a resource only one file may use at a time,
 * with the resources they use, in the order they run. "jupyter": JupyterLab, notebook execution
 * and kernels; "netns": network namespaces and the FRR, Open vSwitch, ISC DHCP and Kea daemons in
 * them; "chromium": the headless browser. test/notebooks/ comes first: the slides test reuses the
 * notebooks it executed. A new test that starts one of these must be listed here.
 */
const SHARED: Array<[string, string[]]> = [
  ["test/notebooks/", ["jupyter"]],
  ["test/workshop/jupyterlab.test.ts", ["jupyter", "chromium"]],
  ["test/workshop/slides.test.ts", ["jupyter", "chromium"]],
  ["test/workshop/binder.test.ts", ["jupyter"]],
  ["test/jupyter/", ["jupyter"]],
  ["test/setup/", ["jupyter"]],
  ["test/kernel/kernel.test.ts", ["jupyter"]],
  ["test/kernel/tslab-gaps.test.ts", ["jupyter"]],
  ["test/vpn/frr.test.ts", ["netns"]],
  ["test/mpls/ovs.test.ts", ["netns"]],
  ["test/dhcp/interop.test.ts", ["netns"]],
  ["test/mpls/frr.test.ts", ["netns"]],
  ["test/dhcp/captures.test.ts", ["netns"]],
  ["test/mpls/decode.test.ts", ["netns"]],
  ["test/mpls/edges.test.ts", ["netns"]],
  ["test/vpn/edges.test.ts", ["netns"]],
  ["test/mpls/ecmp-frr.test.ts", ["netns"]],
];

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");
const sharedRank = (file: string) =>
  SHARED.findIndex(([p]) => (p.endsWith("/") ? rel(file).startsWith(p) : rel(file) === p));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "fixtures" || e.name === "node_modules" ? [] : testFiles(p);
    return e.name.endsWith(".test.ts") ? [p] : [];
  });
}

/** Enough workers for every shared file to wait for its resource while TEST_SLOTS others run. */
const WORKERS = TEST_SLOTS + testFiles(path.join(ROOT, "test")).filter((f) => sharedRank(f) >= 0).length;

/** Shared files first, in SHARED order, so that each waits in a worker; then the others (vitest's order). */
class SharedFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const shared = sorted
      .filter((s) => sharedRank(s.moduleId) >= 0)
      .sort((a, b) => sharedRank(a.moduleId) - sharedRank(b.moduleId));
    return [...shared, ...sorted.filter((s) => sharedRank(s.moduleId) < 0)];
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "test/fixtures/**"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    maxWorkers: WORKERS,
    execArgv: ["--import", "tsx"],
    server: {
      deps: { external: ["src", "dist"].map((d) => new RegExp("^" + escapeRegExp(path.join(ROOT, d) + path.sep))) },
    },
    globalSetup: ["test/vitest/slots-server.ts"],
    setupFiles: ["test/vitest/slots-setup.ts"],
    provide: { testSlots: TEST_SLOTS, sharedResources: SHARED },
    sequence: { sequencer: SharedFirst },
  },
});

/**
 * Repository hygiene the project makes a rule: notebooks committed without outputs and with
 * slide metadata on every cell, no focused/skipped tests, every test on vitest (no node:test),
 * nothing loaded from a CDN, hidden tests inside markers the release tool can remove.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { it, expect, inject } from "vitest";

const ROOT = path.resolve(__dirname, "..");

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (ext.test(e.name)) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

const notebooks = files(path.join(ROOT, "notebooks"), /\.ipynb$/).filter(
  (f) => path.dirname(f) === path.join(ROOT, "notebooks"),
);

it("notebooks are committed without outputs and with slide metadata on every cell", { timeout: 30_000 }, () => {
  expect(notebooks.length >= 1).toBeTruthy();
  for (const f of notebooks) {
    const nb = JSON.parse(fs.readFileSync(f, "utf8"));
    nb.cells.forEach(
      (
        c: {
          cell_type: string;
          outputs?: unknown[];
          execution_count?: unknown;
          metadata?: { slideshow?: { slide_type?: string } };
        },
        i: number,
      ) => {
        if (c.cell_type === "code") {
          expect(c.outputs, `${path.basename(f)} cell ${i} has outputs`).toStrictEqual([]);
          expect(c.execution_count, `${path.basename(f)} cell ${i} has an execution count`).toBe(null);
        }
        expect(
          c.metadata?.slideshow?.slide_type,
          `${path.basename(f)} cell ${i} has no slideshow.slide_type`,
        ).toBeTruthy();
      },
    );
    expect(nb.metadata?.kernelspec?.name, `${path.basename(f)} must use the wirelab kernel`).toBe("wirelab");
  }
});

it("no focused or skipped tests are left in", { timeout: 30_000 }, () => {
  const bad = files(path.join(ROOT, "test"), /\.ts$/)
    .filter((f) => !f.endsWith("hygiene.test.ts"))
    .filter((f) => /\b(it|test|describe)\.(only|skip|todo)\(/.test(fs.readFileSync(f, "utf8")));
  expect(bad).toStrictEqual([]);
});

it(
  "every test is on vitest: no node:test or node:assert import is left under test/ or templates/",
  { timeout: 30_000 },
  () => {
    const nodeRunner =
      /\bfrom\s+["']node:(test|assert)(\/strict)?["']|\brequire\(\s*["']node:(test|assert)(\/strict)?["']\s*\)|\bfrom\s+["'](test|assert)["']/;
    const scanned = [
      ...files(path.join(ROOT, "test"), /\.[cm]?[jt]s$/),
      ...files(path.join(ROOT, "templates"), /\.[cm]?[jt]s$/),
    ].filter((f) => !f.endsWith("hygiene.test.ts"));
    expect(scanned.length).toBeGreaterThan(0);
    const bad = scanned.filter((f) => nodeRunner.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(ROOT, f));
    expect(bad, 'convert these to vitest (describe/it/expect from "vitest")').toStrictEqual([]);
    // and the suite does run on vitest: every test file imports it
    const tests = scanned.filter((f) => f.endsWith(".test.ts"));
    const notVitest = tests
      .filter(
        (f) =>
          !/from\s+["']vitest["']/.test(fs.readFileSync(f, "utf8")) &&
          !/gradesStubsZeroSolutionsFull\(/.test(fs.readFileSync(f, "utf8")),
      )
      .map((f) => path.relative(ROOT, f));
    expect(notVitest).toStrictEqual([]);
  },
);

it(
  "test files that use network namespaces, kernels, notebook execution, JupyterLab or chromium are listed in SHARED (vitest.config.mts)",
  { timeout: 30_000 },
  () => {
    // The helpers that start one of these resources; a file that uses one must wait for it.
    const uses =
      /\b(netnsAdd|canUseNetns|Chain|runUnderFrr|KernelClient|runNotebook|venvBin|kernelArgv|chromiumMissing|launch)\b/;
    const shared = inject("sharedResources");
    const listed = (rel: string) => shared.some(([p]) => (p.endsWith("/") ? rel.startsWith(p) : rel === p));
    const users = files(path.join(ROOT, "test"), /\.test\.ts$/)
      .filter((f) => !f.endsWith("hygiene.test.ts") && uses.test(fs.readFileSync(f, "utf8")))
      .map((f) => path.relative(ROOT, f).split(path.sep).join("/"));
    expect(
      users.filter((f) => !listed(f)),
      "add these to SHARED in vitest.config.mts, with the resources they use",
    ).toStrictEqual([]);
  },
);

it("shipped code loads nothing from a CDN", { timeout: 30_000 }, () => {
  const cdn = /https?:\/\/(unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com)/;
  const bad = [...files(path.join(ROOT, "src"), /\.ts$/), ...notebooks].filter((f) =>
    cdn.test(fs.readFileSync(f, "utf8")),
  );
  expect(bad).toStrictEqual([]);
});

it("hidden-test markers are balanced in every exercises module", { timeout: 30_000 }, () => {
  for (const f of files(path.join(ROOT, "src"), /^exercises\.ts$/)) {
    const text = fs.readFileSync(f, "utf8");
    const begins = text.match(/\/\/ wirelab:hidden-begin/g)?.length ?? 0;
    const ends = text.match(/\/\/ wirelab:hidden-end/g)?.length ?? 0;
    expect(begins, `${path.relative(ROOT, f)}: ${begins} begin vs ${ends} end markers`).toBe(ends);
    let depth = 0;
    for (const line of text.split("\n")) {
      if (line.includes("// wirelab:hidden-begin")) depth++;
      if (line.includes("// wirelab:hidden-end")) depth--;
      expect(depth === 0 || depth === 1, `${path.relative(ROOT, f)}: nested or unbalanced hidden markers`).toBeTruthy();
    }
  }
});

// The library's faces: package.json `main` is a real entry, and no topic face pulls in CLI,
// grading, workshop or exercise-definition code (the notebook imports stay light and pure).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

test("package.json main is the built library entry, with one namespace per topic", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string; types: string };
  assert.equal(pkg.main, "dist/index.js");
  assert.ok(fs.existsSync(path.join(ROOT, "src", "index.ts")), "src/index.ts builds dist/index.js");
  const w = require(path.join(ROOT, pkg.main)) as Record<string, Record<string, unknown>>;
  for (const ns of ["math", "dh", "dlog", "vpn", "mpls", "dhcp", "shell", "notebook"]) assert.equal(typeof w[ns], "object", ns);
  assert.equal((w.math!.modPow as (a: bigint, b: bigint, c: bigint) => bigint)(7n, 29n, 17n), 6n);
});

test("topic faces load no CLI, grading, workshop or exercise-definition module", () => {
  const probe = `
    const w = require(${JSON.stringify(path.join(ROOT, "dist", "index.js"))});
    const bad = Object.keys(require.cache).map((k) => k.split("/dist/")[1] || "").filter((k) => /(^|\\/)(cli|exercises)\\.js$|^(cli|grading|workshop|jupyter|kernel|setup)\\//.test(k));
    process.stdout.write(JSON.stringify(bad));`;
  const r = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});

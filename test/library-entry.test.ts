// The library's faces: package.json `main` is a real entry, and no topic face pulls in CLI,
// grading, workshop or exercise-definition code (the notebook imports stay light and pure).
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

it("package.json main is the built library entry, with one namespace per topic", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string; types: string };
  expect(pkg.main).toBe("dist/index.js");
  expect(fs.existsSync(path.join(ROOT, "src", "index.ts")), "src/index.ts builds dist/index.js").toBeTruthy();
  const w = require(path.join(ROOT, pkg.main)) as Record<string, Record<string, unknown>>;
  for (const ns of ["math", "dh", "dlog", "vpn", "mpls", "dhcp", "shell", "notebook"])
    expect(typeof w[ns], ns).toBe("object");
  expect((w.math!.modPow as (a: bigint, b: bigint, c: bigint) => bigint)(7n, 29n, 17n)).toBe(6n);
});

it("topic faces load no CLI, grading, workshop or exercise-definition module", () => {
  const probe = `
    const w = require(${JSON.stringify(path.join(ROOT, "dist", "index.js"))});
    const bad = Object.keys(require.cache).map((k) => k.split("/dist/")[1] || "").filter((k) => /(^|\\/)(cli|exercises)\\.js$|^(cli|grading|workshop|jupyter|kernel|setup)\\//.test(k));
    process.stdout.write(JSON.stringify(bad));`;
  const r = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toStrictEqual([]);
});

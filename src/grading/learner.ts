/**
 * The learner's module as the trusted tests see it. `compileLearner` bundles the learner's
 * TypeScript with esbuild in the trusted process, refusing to pull in anything that holds
 * answers or tests (exercise definitions, answer data, solutions, files outside the course).
 * `LearnerModule` loads the result in a sandbox (sandbox.ts) and `answerValue` turns its exports
 * into what a test receives: data exports as plain values, function exports as async proxies
 * (`await m.modPow(7n, 29n, 17n)`) whose arguments and results cross as data.
 */
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import {
  LearnerThrew,
  SandboxFault,
  startSandbox,
  stopSandbox,
  type ExportInfo,
  type Sandbox,
  type SandboxMessage,
  type SandboxOptions,
} from "./sandbox";

/** Files of the library a learner's module may never import: they hold tests or answers. */
const SECRET_BASENAMES = /^(exercises|exdata)\.(ts|js|mts|cts|mjs|cjs)$/;
const LIB_SRC = path.resolve(__dirname, "..", "..", "src");

const real = (p: string) => {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};
const inside = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);

export interface Compiled {
  code: string;
  filename: string;
}

/**
 * Compiles and bundles a learner's module (and the library files it imports) into one CommonJS
 * script. Packages from node_modules stay external, resolved here to absolute paths.
 * `learnerDirs`: folders the learner's own files may come from.
 */
export async function compileLearner(
  file: string,
  root: string,
  learnerDirs: string[],
): Promise<Compiled | { error: string }> {
  const esbuild = require("esbuild") as typeof import("esbuild");
  const mine = learnerDirs.map(real);
  const libs = [...new Set([real(LIB_SRC), real(path.join(root, "src"))])];
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const rel = (p: string) => path.relative(root, p) || p;
  const guard: import("esbuild").Plugin = {
    name: "wirelab-guard",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (builtins.has(args.path)) return { path: args.path, external: true };
        try {
          return { path: require.resolve(args.path, { paths: [root, LIB_SRC] }), external: true };
        } catch {
          return { errors: [{ text: `cannot find the package ${JSON.stringify(args.path)}` }] };
        }
      });
      build.onLoad({ filter: /.*/ }, (args) => {
        const p = real(args.path);
        if (mine.some((d) => inside(p, d))) return undefined;
        if (libs.some((d) => inside(p, d)) && !SECRET_BASENAMES.test(path.basename(p))) return undefined;
        return {
          errors: [
            {
              text:
                `${rel(p)} cannot be imported from an exercise file (only your own files and the library ` +
                `are allowed; exercise definitions and answers are not)`,
            },
          ],
        };
      });
    },
  };
  try {
    const r = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      write: false,
      logLevel: "silent",
      sourcemap: false,
      plugins: [guard],
      absWorkingDir: root,
    });
    return { code: r.outputFiles[0]!.text, filename: file };
  } catch (e) {
    const errs = (
      e as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }
    ).errors;
    if (errs?.length) {
      return {
        error: errs
          .slice(0, 3)
          .map((x) =>
            x.location
              ? `${x.location.file}:${x.location.line}:${x.location.column}: ERROR: ${x.text}`
              : `ERROR: ${x.text}`,
          )
          .join("\n"),
      };
    }
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export type Loaded = Extract<SandboxMessage, { t: "loaded" | "loadfail" }>;

/** A learner's compiled module living in a sandbox, restarted (and reloaded) after a fault. */
export class LearnerModule {
  private sandbox?: Sandbox;
  private onStart?: (pid: number) => void;
  constructor(
    private readonly compiled: Compiled,
    private readonly opts: SandboxOptions,
    onStart?: (pid: number) => void,
  ) {
    this.onStart = onStart;
  }

  /** Starts a sandbox and loads the module into it. */
  async open(deadline: number): Promise<Loaded> {
    this.close();
    const s = startSandbox(this.opts);
    this.sandbox = s;
    if (s.pid !== undefined) this.onStart?.(s.pid);
    return s.load(this.compiled.code, this.compiled.filename, deadline);
  }

  async call(name: string, args: unknown[], deadline: number): Promise<unknown> {
    if (!this.sandbox?.alive) {
      const l = await this.open(deadline);
      if (l.t === "loadfail")
        throw new LearnerThrew("", l.error, `could not load your module again: ${l.error}`, l.notAttempted);
    }
    try {
      return await this.sandbox!.call(name, args, deadline);
    } catch (e) {
      if (e instanceof SandboxFault) this.close();
      throw e;
    }
  }

  close(): void {
    stopSandbox(this.sandbox);
    this.sandbox = undefined;
  }
}

function valueOf(info: ExportInfo, name: string, mod: LearnerModule, deadline: () => number): unknown {
  if ("fn" in info) {
    const proxy = async (...args: unknown[]) => mod.call(name, args, deadline());
    Object.defineProperty(proxy, "name", { value: name });
    return proxy;
  }
  if ("value" in info) return info.value;
  throw new LearnerThrew("", info.error, info.error, info.notAttempted);
}

/**
 * What a test receives: the named export, or the whole module as an object. Function exports are
 * async proxies into the sandbox. Reading an export whose getter threw throws the same.
 */
export function answerValue(
  loaded: Extract<Loaded, { t: "loaded" }>,
  exportName: string | undefined,
  mod: LearnerModule,
  deadline: () => number,
): unknown {
  if (exportName !== undefined) {
    const info = loaded.exports[exportName];
    return info ? valueOf(info, exportName, mod, deadline) : undefined;
  }
  if (loaded.root === "function") return valueOf({ fn: true }, "", mod, deadline);
  const ns: Record<string, unknown> = {};
  for (const [k, info] of Object.entries(loaded.exports)) {
    if ("error" in info) {
      Object.defineProperty(ns, k, { enumerable: true, get: () => valueOf(info, k, mod, deadline) });
    } else ns[k] = valueOf(info, k, mod, deadline);
  }
  return ns;
}

/**
 * Own work: a code exercise whose answer is also a library function (`modPow`, `crt`, `bsgs`,
 * `quote`, the relay's forwarding rule, …) gives no credit for re-exporting or calling that
 * function, however it is wrapped.
 *
 * How: before its tests run, the trusted side bundles the learner's answer file the way the
 * grader does (esbuild, the same module resolution) and reads the bundle's list of inputs: every
 * file the answer pulls in, directly or through other files — its own helpers, `src/dh/index.ts`
 * re-exporting `src/math/modular.ts`, anything. If one of them is a library module the exercise
 * names in `ownWork.forbid` (its `src/…` or compiled `dist/…` form), or if the answer imports any
 * npm package or `node:crypto` (bigint-crypto-utils' modPow, shell-quote, OpenSSL's DH), every
 * test fails with a message saying what was pulled in and why it earns nothing.
 *
 * Why this holds: the learner's code runs in a sandbox that can read only node_modules (see
 * sandbox.ts), so the only way to reach the library's implementation is through the bundle, and
 * the bundle's inputs are computed here, outside the learner's process. Wrapping the call,
 * renaming it, re-exporting through another file, `require(...)` with a literal path: all show up
 * as inputs. A computed `require(x)` cannot reach a library file at run time (the sandbox denies
 * the read), and the learner's own files may not load code at run time at all (eval, the Function
 * constructor, require/import of a computed name, require/module/process internals). What it does
 * not stop: copying the library's source text into the answer. That is
 * re-typing the algorithm, and the lesson's hidden tests still apply to it.
 */
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { fail } from "./checks";
import type { Exercise, TestCase, TestContext } from "./spec";

export interface OwnWork {
  /**
   * What implements this exercise's answer in the library: a module as a course path without
   * extension ("src/dlog/generic": nothing of it may be pulled in), or one exported function of
   * a module ("src/math/modular#crt": the module may be used, that function may not be reached,
   * directly or through any other library function that calls it).
   */
  forbid: string[];
  /** Appended to the message: what to do instead (e.g. "Write the square-and-multiply loop yourself."). */
  why: string;
}

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const FORBIDDEN_BUILTINS = new Set(["crypto", "node:crypto"]);

const cache = new Map<string, string | null>();
const FILE_EXTS = [".ts", ".js", ".mts", ".cts"];
/**
 * Ways to load code the bundle cannot see (a package or a library file named at run time). An
 * own-work answer has no use for them; they are refused in the learner's own files.
 */
const DYNAMIC_LOADING: Array<[RegExp, string]> = [
  [/\beval\s*\(/, "eval"],
  [/\bFunction\s*\(/, "the Function constructor"],
  [/\brequire\s*\(\s*[^"'`\s)]/, "require() of a computed name"],
  [/\bimport\s*\(\s*[^"'`\s)]/, "import() of a computed name"],
  [/\brequire\s*\.\s*(cache|resolve|main|extensions)\b/, "require's internals"],
  [/\bmodule\s*\.\s*(require|constructor|children|parent|paths)\b/, "the module object"],
  [/\bprocess\s*\.\s*(mainModule|binding|_linkedBinding|dlopen|getBuiltinModule)\b/, "process internals"],
  [/\bcreateRequire\b/, "createRequire"],
  [/\.\s*constructor\b|\[\s*["'`]constructor["'`]\s*\]|["'`]con["'`]\s*\+/, "a constructor reached by name"],
];
const MARK = "__wirelab_forbidden__";

/**
 * Course-relative module name of a library file: ".../src/math/modular.ts" or ".../dist/math/modular.js" →
 * "src/math/modular".
 */
function libraryName(file: string): string | undefined {
  const m = /[\\/](src|dist)[\\/](.+)\.(ts|js|mts|cts|mjs|cjs)$/.exec(file);
  return m ? `src/${m[2]!.split(path.sep).join("/")}` : undefined;
}

/**
 * What of the library (or npm, or node:crypto) the answer file pulls in that this exercise
 * forbids; undefined when nothing. Bundling failures return undefined: the grader reports them.
 */
export async function forbiddenUse(answerPath: string, root: string, rule: OwnWork): Promise<string | undefined> {
  let key: string;
  try {
    const st = fs.statSync(answerPath);
    key = `${answerPath}:${st.mtimeMs}:${st.size}:${rule.forbid.join(",")}`;
  } catch {
    return undefined;
  }
  if (cache.has(key)) return cache.get(key) ?? undefined;
  // esbuild is loaded only when an own-work exercise is graded (it is not needed to import the specs).

  const esbuild = require("esbuild") as typeof import("esbuild");
  const packages: string[] = [];
  const libDirs = [path.resolve(__dirname, ".."), path.join(root, "src"), path.join(root, "dist")];
  const wholeModules = new Set(rule.forbid.filter((f) => !f.includes("#")));
  const functions = new Map<string, string[]>();
  for (const f of rule.forbid.filter((x) => x.includes("#"))) {
    const [mod, fn] = f.split("#") as [string, string];
    functions.set(mod, [...(functions.get(mod) ?? []), fn]);
  }
  let result: import("esbuild").BuildResult<{ metafile: true; write: false }>;
  try {
    result = await esbuild.build({
      entryPoints: [answerPath],
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      treeShaking: true,
      logLevel: "silent",
      absWorkingDir: root,
      plugins: [
        {
          name: "wirelab-ownwork",
          setup(build: import("esbuild").PluginBuild) {
            // A relative import of the course library from a copy that has no src/ (a collect scratch
            // folder) is looked up in this library, as the grader's own bundling may do.
            build.onResolve({ filter: /^\./ }, (args) => {
              const abs = path.resolve(args.resolveDir, args.path);
              const m = /[\\/](src|dist)[\\/](.+)$/.exec(abs);
              if (!m || fs.existsSync(abs) || FILE_EXTS.some((e) => fs.existsSync(abs + e))) return undefined;
              const lib = path.resolve(__dirname, "..");
              for (const e of [...FILE_EXTS, ...FILE_EXTS.map((x) => `/index${x}`)]) {
                const c = path.join(lib, m[2]!) + e;
                if (fs.existsSync(c)) return { path: c };
              }
              return undefined;
            });
            // A forbidden function is replaced by a marker; the original body is renamed away. The bundle
            // is tree-shaken, so the marker survives exactly when the answer can reach the function.
            build.onLoad({ filter: /\.(ts|mts|cts)$/ }, (args) => {
              const name = libraryName(args.path);
              const fns = name ? functions.get(name) : undefined;
              if (!fns) return undefined;
              let text = fs.readFileSync(args.path, "utf8");
              for (const fn of fns) {
                text = text.replace(
                  new RegExp(`export function ${fn}\\(`),
                  `export function ${fn}(..._a: any[]): any { throw new Error("${MARK}${fn}"); }\nfunction ` +
                    `__wirelab_original_${fn}(`,
                );
              }
              return { contents: text, loader: "ts" };
            });
            // Packages and node:crypto count when the learner's own files import them (the library may use them).
            build.onResolve({ filter: /^[^./]/ }, (args) => {
              const fromLibrary = libDirs.some((d) => args.importer === d || args.importer.startsWith(d + path.sep));
              if (!fromLibrary && (!builtins.has(args.path) || FORBIDDEN_BUILTINS.has(args.path)))
                packages.push(args.path);
              return { path: args.path, external: true };
            });
          },
        },
      ],
    });
  } catch {
    cache.set(key, null);
    return undefined;
  }
  // The learner's own files (every input outside the library and node_modules): no dynamic loading.
  const dynamic: string[] = [];
  for (const f of Object.keys(result.metafile.inputs).map((x) => path.resolve(root, x))) {
    if (libDirs.some((d) => f.startsWith(d + path.sep)) || f.includes(`${path.sep}node_modules${path.sep}`)) continue;
    let text: string;
    try {
      text = fs.readFileSync(f, "utf8");
    } catch {
      continue;
    }
    for (const [re, what] of DYNAMIC_LOADING) if (re.test(text)) dynamic.push(`${what} in ${path.basename(f)}`);
  }
  const inputs = Object.keys(result.metafile.inputs).map((f) => libraryName(path.resolve(root, f)));
  const pulled = inputs.filter((n): n is string => n !== undefined && wholeModules.has(n));
  // Compiled (dist/*.js) modules are not tree-shaken: reaching one that holds a forbidden function counts as using it.
  const distHit = Object.keys(result.metafile.inputs).some(
    (f) => /[\\/]dist[\\/].+\.js$/.test(f) && functions.has(libraryName(path.resolve(root, f)) ?? ""),
  );
  const code = result.outputFiles?.[0]?.text ?? "";
  for (const [mod, fns] of functions) {
    for (const fn of fns)
      if (code.includes(MARK + fn) || (distHit && inputs.includes(mod))) pulled.push(`${mod}.ts (its ${fn})`);
  }
  let verdict: string | null = null;
  if (pulled.length) {
    verdict =
      `your answer reaches ` +
      `${[...new Set(pulled)].map((n) => (n.includes("(") ? n : `${n}.ts`)).join(", ")}: that is the ` +
      `library's own implementation of this exercise, and calling, wrapping or re-exporting it earns ` +
      `no credit. ${rule.why}`;
  } else if (dynamic.length) {
    verdict =
      `your answer loads code at run time (${[...new Set(dynamic)].join(", ")}): in an exercise whose ` +
      `answer is also a library function, that earns no credit, because it could reach the library's ` +
      `own implementation. ${rule.why}`;
  } else if (packages.length) {
    verdict =
      `your answer imports ${[...new Set(packages)].map((p) => JSON.stringify(p)).join(", ")}: this ` +
      `exercise is about writing the algorithm yourself, so packages (and node:crypto) earn no credit. ${rule.why}`;
  }
  cache.set(key, verdict);
  return verdict ?? undefined;
}

/**
 * Marks a code exercise as own work: every test first checks that the answer file pulls in none
 * of `rule.forbid`, no npm package and no node:crypto. Returns the exercise (wrap defineExercise).
 * A test whose answer came inline (no file) runs unchanged.
 */
export function ownWork(ex: Exercise, rule: OwnWork): Exercise {
  const wrap = (t: TestCase): TestCase => {
    const run = t.run;
    return {
      ...t,
      async run(answer: unknown, ctx: TestContext) {
        if (ctx?.answerPath && /\.(ts|js|mts|cts|mjs|cjs)$/.test(ctx.answerPath)) {
          const v = await forbiddenUse(ctx.answerPath, ctx.root, rule);
          if (v) return fail(v);
        }
        return run(answer, ctx);
      },
    };
  };
  ex.public = ex.public.map(wrap);
  ex.hidden = ex.hidden.map(wrap);
  ex.ownWork = rule;
  return ex;
}

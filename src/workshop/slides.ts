/**
 * Offline slides: executes notebooks with the wirelab kernel (src/jupyter/runner.ts) and turns
 * them into reveal.js decks with nbconvert's slides exporter from the project .venv.
 *
 * Offline means every script, style sheet and font the deck loads sits in the deck's own folder:
 * reveal.js (npm reveal.js, the 4.0.2 line nbconvert's template targets), require.js (npm
 * requirejs), jQuery (npm jquery) and MathJax 2 (npm mathjax; the template calls the MathJax 2
 * API) are copied into `<out>/vendor/`, and nbconvert's URL options point there. The template
 * (templates/nbconvert/wirelab-reveal) extends nbconvert's reveal template and drops its Mermaid
 * CDN import. Charts appear through the SVG the kernel's `show()` puts in every chart output.
 * Slide structure comes from each cell's `slideshow.slide_type` metadata; `notes` cells become
 * speaker notes (press S in the deck).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readNotebook } from "../jupyter/nbformat";
import { runNotebook } from "../jupyter/runner";
import { jupyterEnv, venvBin } from "../setup/python";
import { InputError, WirelabError } from "../util/errors";

/** Notebooks of the course: notebooks/*.ipynb, sorted. */
export function courseNotebooks(root: string): string[] {
  const dir = path.join(root, "notebooks");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Resolves notebook names given on the command line: a path, a file name, a name without
 * `.ipynb`, or its number prefix ("00"). Unknown names list the valid ones.
 */
export function resolveNotebooks(root: string, names: string[]): string[] {
  const all = courseNotebooks(root);
  if (names.length === 0) return all;
  return names.map((n) => {
    const asPath = path.resolve(n);
    if (n.endsWith(".ipynb") && fs.existsSync(asPath)) return asPath;
    const base = path.basename(n).replace(/\.ipynb$/, "");
    const hits = all.filter((f) => {
      const b = path.basename(f, ".ipynb");
      return b === base || b.split("-")[0] === base;
    });
    if (hits.length === 1) return hits[0]!;
    throw new InputError(hits.length ? "ambiguous notebook name" : "unknown notebook", {
      value: n,
      hint: `Valid notebooks: ${all.map((f) => path.basename(f, ".ipynb")).join(", ") || "(none)"}`,
    });
  });
}

interface SlideCell {
  cell_type: string;
  metadata?: { slideshow?: { slide_type?: string } };
}

/**
 * How many reveal slides (horizontal + vertical) a notebook makes: each slide/subslide start, the first shown cell
 * always starting one.
 */
export function expectedSlideCount(nb: { cells: SlideCell[] }): number {
  let n = 0;
  let first = true;
  for (const c of nb.cells) {
    const t = c.metadata?.slideshow?.slide_type ?? "-";
    if (t === "skip" || t === "notes") continue;
    if (first || t === "slide" || t === "subslide") n++;
    first = false;
  }
  return n;
}

/** The vendor files a deck needs, from node_modules: [source, destination under vendor/]. */
export function vendorFiles(root: string): Array<[string, string]> {
  const nm = path.join(root, "node_modules");
  const need = (p: string) => {
    const f = path.join(nm, p);
    if (!fs.existsSync(f))
      throw new WirelabError(`missing ${path.join("node_modules", p)}: run npm ci (the slides need it offline)`);
    return f;
  };
  const out: Array<[string, string]> = [];
  const tree = (srcRel: string, dstRel: string, filter: (f: string) => boolean = () => true) => {
    const base = need(srcRel);
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (filter(p)) out.push([p, path.join(dstRel, path.relative(base, p))]);
      }
    };
    walk(base);
  };
  tree("reveal.js/dist", "reveal.js/dist", (f) => !f.endsWith(".map") && !f.endsWith(".esm.js"));
  tree("reveal.js/plugin/notes", "reveal.js/plugin/notes", (f) => !f.endsWith(".esm.js"));
  out.push([need("requirejs/require.js"), "require.js"]);
  out.push([need("jquery/dist/jquery.min.js"), "jquery.min.js"]);
  out.push([need("mathjax/MathJax.js"), "mathjax/MathJax.js"]);
  tree("mathjax/config", "mathjax/config", (f) => f.endsWith("TeX-AMS_CHTML-full.js") || f.endsWith("Safe.js"));
  tree("mathjax/extensions", "mathjax/extensions");
  tree("mathjax/jax/input/TeX", "mathjax/jax/input/TeX");
  tree("mathjax/jax/output/CommonHTML", "mathjax/jax/output/CommonHTML");
  tree("mathjax/jax/element", "mathjax/jax/element");
  tree("mathjax/fonts/HTML-CSS/TeX/woff", "mathjax/fonts/HTML-CSS/TeX/woff");
  out.push([path.join(root, "templates", "slides.css"), "wirelab-slides.css"]);
  return out;
}

/**
 * Copies the vendor files into `<out>/vendor`; style sheets lose any `@import` of a remote font (some reveal themes
 * pull Google Fonts).
 */
export function copyVendor(root: string, out: string): number {
  let n = 0;
  for (const [src, rel] of vendorFiles(root)) {
    const dst = path.join(out, "vendor", rel);
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    if (src.endsWith(".css"))
      fs.writeFileSync(
        dst,
        fs.readFileSync(src, "utf8").replace(/@import\s+url\(\s*["']?(?:https?:)?\/\/[^)]*\)\s*;?/g, ""),
      );
    else fs.copyFileSync(src, dst);
    n++;
  }
  return n;
}

/** Scripts, style sheets, imports and fonts a page would load from another host (links a reader clicks are fine). */
export function remoteLoads(html: string): string[] {
  const pats = [
    /<script[^>]*\ssrc\s*=\s*["']((?:https?:)?\/\/[^"']+)/gi,
    /<link[^>]*\shref\s*=\s*["']((?:https?:)?\/\/[^"']+)/gi,
    /@import\s+(?:url\()?["']?((?:https?:)?\/\/[^"')]+)/gi,
    /\bimport\s+[\w{}\s,*]+\s+from\s+["']((?:https?:)?\/\/[^"']+)/g,
  ];
  return pats.flatMap((p) => [...html.matchAll(p)].map((m) => m[1]!));
}

export interface DeckReport {
  notebook: string;
  deck: string;
  slides: number;
  executed: "ok" | "error";
  errors: string[];
  ms: number;
}

export interface SlidesOptions {
  root: string;
  notebooks: string[];
  out: string;
  timeoutPerCellMs?: number;
  /**
   * A folder of executed copies (e.g. artifacts/notebooks from the notebook test): a copy newer than its notebook
   * is used instead of executing again.
   */
  reuseExecuted?: string;
  log?: (s: string) => void;
}

/**
 * Executes and exports each notebook; returns one report per deck. Throws only for setup problems (no .venv, no
 * vendor files).
 */
export async function buildSlides(opts: SlidesOptions): Promise<DeckReport[]> {
  const root = path.resolve(opts.root);
  const out = path.resolve(opts.out);
  const log = opts.log ?? (() => undefined);
  const jupyter = venvBin(root, "jupyter");
  if (!fs.existsSync(jupyter))
    throw new WirelabError(`JupyterLab/nbconvert is not installed in .venv (${jupyter} is missing)`, {
      hint: "Run `npx wirelab setup` (or npm start) first.",
    });
  fs.mkdirSync(out, { recursive: true });
  copyVendor(root, out);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "wl-slides-"));
  const reports: DeckReport[] = [];
  try {
    for (const nbFile of opts.notebooks) {
      const t0 = Date.now();
      const name = path.basename(nbFile, ".ipynb");
      const executed = path.join(work, `${name}.ipynb`);
      const ready = opts.reuseExecuted ? path.join(opts.reuseExecuted, `${name}.ipynb`) : "";
      let errors: string[];
      if (ready && fs.existsSync(ready) && fs.statSync(ready).mtimeMs > fs.statSync(nbFile).mtimeMs) {
        log(`slides: reusing the executed copy ${ready}`);
        fs.copyFileSync(ready, executed);
        errors = readNotebook(executed).cells.flatMap((c, i) =>
          c.cell_type !== "code"
            ? []
            : c.outputs
                .filter((o) => o.output_type === "error")
                .map((o) => `cell ${i + 1} error: ${o.output_type === "error" ? `${o.ename}: ${o.evalue}` : ""}`),
        );
      } else {
        log(`slides: executing ${name}…`);
        const run = await runNotebook(nbFile, {
          root,
          write: executed,
          timeoutPerCellMs: opts.timeoutPerCellMs ?? 120_000,
        });
        errors = run.cells
          .filter((c) => c.status !== "ok")
          .map((c) => `cell ${c.number} ${c.status}${c.error ? `: ${c.error.ename}: ${c.error.evalue}` : ""}`);
      }
      const args = [
        "nbconvert",
        "--to",
        "slides",
        executed,
        "--output-dir",
        out,
        "--output",
        name,
        `--TemplateExporter.extra_template_basedirs=${path.join(root, "templates", "nbconvert")}`,
        "--template=wirelab-reveal",
        "--SlidesExporter.reveal_url_prefix=vendor/reveal.js",
        "--SlidesExporter.require_js_url=vendor/require.js",
        "--SlidesExporter.jquery_url=vendor/jquery.min.js",
        "--SlidesExporter.mathjax_url=vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        "--SlidesExporter.reveal_theme=white",
        "--SlidesExporter.reveal_transition=none",
        "--SlidesExporter.reveal_scroll=True",
      ];
      const r = spawnSync(jupyter, args, { cwd: root, env: jupyterEnv(root), encoding: "utf8", timeout: 120_000 });
      if (r.status !== 0)
        throw new WirelabError(
          `nbconvert failed on ${name}: ` +
            `${(r.stderr || String(r.error ?? "")).trim().split("\n").slice(-4).join(" | ")}`,
        );
      const deck = path.join(out, `${name}.slides.html`);
      const html = fs.readFileSync(deck, "utf8");
      const remote = remoteLoads(html);
      if (remote.length)
        throw new WirelabError(`the deck ${name} still references remote files: ${remote.slice(0, 3).join(", ")}`);
      const slides = expectedSlideCount(readNotebook(executed) as unknown as { cells: SlideCell[] });
      reports.push({
        notebook: nbFile,
        deck,
        slides,
        executed: errors.length ? "error" : "ok",
        errors,
        ms: Date.now() - t0,
      });
      log(
        `slides: ${path.relative(process.cwd(), deck) || deck} (${slides} slides, ` +
          `${((Date.now() - t0) / 1000).toFixed(1)} ` +
          `s)${errors.length ? ` — ${errors.length} cell error(s): ${errors[0]}` : ""}`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  fs.writeFileSync(
    path.join(out, "slides.json"),
    JSON.stringify(
      reports.map((r) => ({ ...r, notebook: path.basename(r.notebook), deck: path.basename(r.deck) })),
      null,
      2,
    ) + "\n",
  );
  return reports;
}

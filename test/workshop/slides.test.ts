/**
 * `wirelab slides` in a real browser: every notebook of the course is executed and exported, then
 * Debian chromium (playwright-core) opens each deck from file:// with every non-file request
 * blocked. reveal.js must initialise, the slide count must match the notebook's slide metadata,
 * no request may fail, speaker notes must be there, and a chart slide's screenshot must show ink.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { it, expect, beforeAll, afterAll } from "vitest";
import type { Browser } from "playwright-core";
import { main } from "../../src/cli/main";
import {
  buildSlides,
  courseNotebooks,
  expectedSlideCount,
  remoteLoads,
  resolveNotebooks,
  type DeckReport,
} from "../../src/workshop/slides";
import { chromiumMissing, evidence, guard, launch, pixelStats } from "./browser";

const ROOT = path.resolve(__dirname, "..", "..");
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), "wl-slides-test-"));
const skip = chromiumMissing();
let decks: DeckReport[] = [];
let browser: Browser | undefined;

beforeAll(async () => {
  decks = await buildSlides({
    root: ROOT,
    notebooks: courseNotebooks(ROOT),
    out: OUT,
    timeoutPerCellMs: 120_000,
    reuseExecuted: process.env.WIRELAB_TEST ? path.join(ROOT, "artifacts", "notebooks") : undefined,
  });
  if (!skip) browser = await launch();
}, 900_000);
afterAll(async () => {
  await browser?.close();
  fs.rmSync(OUT, { recursive: true, force: true });
});

it("unknown notebook names list the valid ones", { timeout: 30_000 }, async () => {
  expect(() => resolveNotebooks(ROOT, ["99-nope"])).toThrow(/unknown notebook.*99-nope.*00-start-here/s);
  const errs: string[] = [];
  expect(await main(["slides", "nope"], { out: () => undefined, err: (s) => errs.push(s), root: ROOT })).toBe(2);
  expect(errs.join("")).toMatch(/Valid notebooks: .*00-start-here/);
  expect(resolveNotebooks(ROOT, ["00"])[0]).toBe(path.join(ROOT, "notebooks", "00-start-here.ipynb"));
  // An existing output folder is not overwritten without --force (checked before any notebook runs).
  const busy = fs.mkdtempSync(path.join(os.tmpdir(), "wl-slides-busy-"));
  fs.writeFileSync(path.join(busy, "mine.html"), "x");
  errs.length = 0;
  expect(
    await main(["slides", "00", "--out", busy], { out: () => undefined, err: (s) => errs.push(s), root: ROOT }),
  ).toBe(2);
  expect(errs.join("")).toMatch(/already exists.*--force/s);
  expect(fs.readFileSync(path.join(busy, "mine.html"), "utf8")).toBe("x");
  fs.rmSync(busy, { recursive: true, force: true });
});

it("every notebook has slide metadata and becomes an offline deck", { timeout: 60_000 }, () => {
  expect(decks.length).toBe(courseNotebooks(ROOT).length);
  for (const d of decks) {
    expect(d.executed, `${path.basename(d.notebook)}: ${d.errors.join("; ")}`).toBe("ok");
    const html = fs.readFileSync(d.deck, "utf8");
    expect(remoteLoads(html), `${path.basename(d.deck)} loads remote files`).toStrictEqual([]);
    expect(html).toMatch(/vendor\/reveal\.js\/dist\/reveal\.js/);
    const nb = JSON.parse(fs.readFileSync(d.notebook, "utf8")); // the committed source notebook
    expect(
      nb.cells.every((c: { metadata?: { slideshow?: { slide_type?: string } } }) => c.metadata?.slideshow?.slide_type),
      "slide metadata on every cell",
    ).toBeTruthy();
    expect(d.slides).toBe(expectedSlideCount(nb));
    if (
      nb.cells.some(
        (c: { metadata: { slideshow: { slide_type: string } } }) => c.metadata.slideshow.slide_type === "notes",
      )
    )
      expect(html).toMatch(/<aside class="notes">/);
  }
  for (const f of [
    "reveal.js/dist/reveal.js",
    "reveal.js/plugin/notes/notes.js",
    "require.js",
    "jquery.min.js",
    "mathjax/MathJax.js",
  ])
    expect(fs.existsSync(path.join(OUT, "vendor", f)), f).toBeTruthy();
});

it(
  "each deck opens offline in chromium: reveal ready, slide count, no failed request, a chart visible",
  { timeout: 600_000 },
  async (ctx) => {
    if (skip) ctx.skip(skip);
    let charts = 0;
    for (const d of decks) {
      const name = path.basename(d.deck);
      const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
      const g = await guard(page, ["file://", "data:", "blob:"]);
      try {
        await page.goto(pathToFileURL(d.deck).href, { waitUntil: "load", timeout: 60_000 });
        // reveal.js is loaded as an AMD module (no global): fetch the same instance through require.js.
        await page.waitForFunction(() => document.querySelector(".reveal.ready") !== null, null, { timeout: 60_000 });
        await page.evaluate(
          () =>
            new Promise<void>((ok) =>
              (window as any).require(
                ["vendor/reveal.js/dist/reveal.js"],
                (R: unknown) => (((window as any).RevealForTest = R), ok()),
              ),
            ),
        );
        expect(await page.evaluate(() => (window as any).RevealForTest.isReady()), `${name}: reveal is not ready`).toBe(
          true,
        );
        const total = await page.evaluate(() => (window as any).RevealForTest.getTotalSlides() as number);
        expect(total, `${name}: reveal counts ${total} slides, the notebook metadata says ${d.slides}`).toBe(d.slides);
        const mj = await page.evaluate(
          () => typeof (window as unknown as { MathJax?: { Hub?: unknown } }).MathJax?.Hub,
        );
        expect(mj, `${name}: MathJax did not load from vendor/`).toBe("object");
        // A chart: the SVG that show() puts in each chart output.
        const where = await page.evaluate(() => {
          // nbconvert embeds SVG outputs as <img src="data:image/svg+xml;base64,…">; a vega chart's SVG has "role-mark" groups.
          const svg = [...document.querySelectorAll(".jp-RenderedSVG img, .jp-RenderedSVG svg")].find((el) =>
            (el.tagName === "IMG" ? atob((el as HTMLImageElement).src.split(",")[1] ?? "") : el.outerHTML).includes(
              "role-mark",
            ),
          );
          if (!svg) return null;
          svg.setAttribute("data-wl-chart", "1");
          const sec = svg.closest("section")!;
          const idx = (window as any).RevealForTest.getIndices(sec) as { h: number; v?: number };
          return { h: idx.h, v: idx.v ?? 0 };
        });
        if (where) {
          await page.evaluate(
            ([h, v]) => {
              (window as any).RevealForTest.configure({ fragments: false }); // show every fragment of the slide
              (window as any).RevealForTest.slide(h, v);
            },
            [where.h, where.v],
          );
          await page.waitForTimeout(300);
          const el = page.locator("[data-wl-chart]");
          const shot = await el.screenshot({ timeout: 30_000 });
          const st = await pixelStats(page, shot);
          expect(st.width > 100 && st.height > 50, `${name}: chart is ${st.width}x${st.height}`).toBeTruthy();
          expect(
            st.colours >= 3 && st.inked > 200,
            `${name}: the chart screenshot looks blank (${JSON.stringify(st)})`,
          ).toBeTruthy();
          charts++;
        }
        await page.waitForTimeout(500);
        expect(g.failed, `${name}: failed requests`).toStrictEqual([]);
        expect(g.blocked, `${name}: requests to the network`).toStrictEqual([]);
        expect(g.pageErrors, `${name}: page errors`).toStrictEqual([]);
      } catch (e) {
        await evidence(page, `slides-${name}`);
        throw e;
      } finally {
        await page.close();
      }
    }
    expect(charts >= 1, "no deck had a chart slide").toBeTruthy();
  },
);

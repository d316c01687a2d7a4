/**
 * Shared real-browser helpers for the workshop tests: Debian chromium driven by playwright-core,
 * launched headless with no network services, and a page guard that blocks every request except
 * the allowed origins and records failures.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = path.resolve(__dirname, "..", "..", "artifacts", "workshop");

/** Why the browser tests cannot run here (learner machine without chromium), or undefined. Throws under CI. */
export function chromiumMissing(): string | undefined {
  if (fs.existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} is not installed (apt-get install chromium)`;
  if (process.env.CI === "true") throw new Error(why);
  return why;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
}

export interface Guard {
  blocked: string[];
  failed: string[];
  pageErrors: string[];
}

/** Blocks every request whose URL does not start with one of `allow`; records blocked/failed requests and page errors. */
export async function guard(page: Page, allow: string[]): Promise<Guard> {
  const g: Guard = { blocked: [], failed: [], pageErrors: [] };
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (allow.some((a) => url.startsWith(a))) return route.continue();
    g.blocked.push(url);
    return route.abort("blockedbyclient");
  });
  page.on("requestfailed", (r) => {
    if (!g.blocked.includes(r.url())) g.failed.push(`${r.url()}: ${r.failure()?.errorText ?? "failed"}`);
  });
  page.on("pageerror", (e) => g.pageErrors.push(String(e.message ?? e)));
  return g;
}

/** Saves a screenshot under artifacts/workshop for a failed check (best effort). */
export async function evidence(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const f = path.join(ARTIFACTS, `${name.replace(/[^A-Za-z0-9._-]+/g, "_")}.png`);
  await page.screenshot({ path: f, fullPage: true }).catch(() => undefined);
  return f;
}

/** Decodes a PNG screenshot in the page (canvas) and counts its distinct colours and non-white pixels. */
export async function pixelStats(
  page: Page,
  png: Buffer,
): Promise<{ width: number; height: number; colours: number; inked: number }> {
  return page.evaluate(async (b64: string) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    let inked = 0;
    for (let i = 0; i < d.length; i += 4) {
      colours.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
      if (d[i]! < 200 || d[i + 1]! < 200 || d[i + 2]! < 200) inked++;
    }
    return { width: c.width, height: c.height, colours: colours.size, inked };
  }, png.toString("base64"));
}

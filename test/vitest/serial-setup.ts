/**
 * vitest setupFile, run in every test file's worker before the file's own hooks: a file listed as
 * serial in vitest.config.mts waits for the lock of test/vitest/serial-server.ts before its first
 * hook and test, and releases it after its last hook (afterAll hooks run in reverse order, so this
 * one runs last). Other files pass straight through.
 */
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Files (paths relative to the root) or folders (ending in "/") that run one at a time. */
    serialFiles: string[];
    /** Path of the Unix socket of the serial-files lock. */
    serialLock: string;
  }
}

/** How long a serial file may wait for the others (they are bounded by their own time limits). */
const WAIT_MS = 3 * 3600_000;

export function isSerial(rel: string, list: string[]): boolean {
  const f = rel.split(path.sep).join("/");
  return list.some((p) => (p.endsWith("/") ? f.startsWith(p) : f === p));
}

let conn: net.Socket | undefined;

// vitest 4: the first argument of a hook holds fixtures (destructured), the second the suite.
// eslint-disable-next-line no-empty-pattern
beforeAll(async ({}, suite) => {
  const file = suite.file.filepath;
  const root = path.resolve(__dirname, "..", "..");
  if (!isSerial(path.relative(root, file), inject("serialFiles"))) return;
  const sock = inject("serialLock");
  const c = net.connect(sock);
  conn = c;
  await new Promise<void>((resolve, reject) => {
    c.once("data", () => resolve());
    c.once("error", (e) => reject(new Error(`serial-files lock at ${sock}: ${e.message}`)));
    c.once("close", () => reject(new Error(`serial-files lock at ${sock} closed before it was granted`)));
  });
}, WAIT_MS);

afterAll(() => {
  conn?.destroy();
  conn = undefined;
});

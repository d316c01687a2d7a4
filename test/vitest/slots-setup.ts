/**
 * vitest setupFile, run in each test file's worker before the file itself is loaded: waits for a
 * slot from test/vitest/slots-server.ts (and for the file's shared resources, if any), and gives
 * it back after the file's last hook (afterAll hooks run in reverse order of registration, so this
 * one runs last). The worker process exits after its file, which also releases the slot.
 */
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, expect, inject } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

/** The shared resources of a test file (path relative to the root) and its rank in SHARED. */
export function sharedOf(rel: string, shared: Array<[string, string[]]>): { resources: string[]; rank: number | null } {
  const f = rel.split(path.sep).join("/");
  const i = shared.findIndex(([p]) => (p.endsWith("/") ? f.startsWith(p) : f === p));
  return i < 0 ? { resources: [], rank: null } : { resources: shared[i]![1], rank: i };
}

async function acquire(): Promise<net.Socket> {
  const file = path.relative(ROOT, expect.getState().testPath ?? "");
  const sock = inject("slotsSocket");
  const c = net.connect(sock);
  await new Promise<void>((resolve, reject) => {
    c.once("connect", () => c.write(JSON.stringify({ file, ...sharedOf(file, inject("sharedResources")) }) + "\n"));
    c.once("data", () => resolve());
    c.once("error", (e) => reject(new Error(`test slots server at ${sock}: ${e.message}`)));
    c.once("close", () => reject(new Error(`test slots server at ${sock} closed before ${file} got a slot`)));
  });
  return c;
}

const conn = await acquire();

afterAll(() => {
  conn.destroy();
});

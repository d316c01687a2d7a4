/**
 * vitest globalSetup: the lock that makes the test files sharing a resource (JupyterLab and
 * kernels, network namespaces, the FRR / Open vSwitch / ISC DHCP / Kea daemons, chromium) run one
 * at a time, while the other files keep both workers busy (vitest.config.mts lists the files).
 *
 * A FIFO mutex served on a Unix socket in this vitest process: a serial file connects before its
 * first hook (test/vitest/serial-setup.ts), runs when it reads "go", and releases by closing the
 * connection, which also happens if its worker dies. One socket per vitest run, so runs started by
 * other people on the same machine do not wait for each other.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the Unix socket of the serial-files lock. */
    serialLock: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wirelab-vitest-"));
  const sock = path.join(dir, "serial.sock");
  const queue: net.Socket[] = [];
  const grant = () => {
    const next = queue[0];
    if (next && !next.destroyed) next.write("go\n");
  };
  const server = net.createServer((s) => {
    queue.push(s);
    if (queue.length === 1) grant();
    const release = () => {
      const i = queue.indexOf(s);
      if (i < 0) return;
      queue.splice(i, 1);
      if (i === 0) grant();
    };
    s.on("close", release);
    s.on("error", release);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(sock, resolve);
  });
  project.provide("serialLock", sock);
  return async () => {
    for (const s of queue) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

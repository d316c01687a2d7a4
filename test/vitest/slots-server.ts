/**
 * vitest globalSetup: the scheduler that keeps the suite within its CPU budget and runs the test
 * files sharing a resource one at a time.
 *
 * Every test file, in its own worker process, asks this server for a slot before its module is
 * even loaded (test/vitest/slots-setup.ts) and holds it until its last hook has run. At most
 * `testSlots` files run at once (2: the CI machine has 2 cores); a file that uses a shared resource
 * (vitest.config.mts, SHARED: JupyterLab, notebook execution and kernels; network namespaces with
 * the FRR, Open vSwitch, ISC DHCP and Kea daemons; chromium) also waits until no other running file
 * holds that resource. Files waiting on a resource do not hold a slot, so the other files keep both
 * slots busy meanwhile; when a slot frees, files with a shared resource go first (they form the
 * longest chain), in the order of SHARED.
 *
 * A Unix socket in a fresh temporary folder, one per vitest run: a file releases by closing its
 * connection, which also happens when its worker exits or dies. Runs started by other people on
 * the same machine have their own server and do not wait for each other.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** How many test files run at once. */
    testSlots: number;
    /** Shared resources per test file or folder (ending in "/"), in the order the files should run. */
    sharedResources: Array<[string, string[]]>;
    /** Path of the Unix socket of this server. */
    slotsSocket: string;
  }
}

interface Request {
  socket: net.Socket;
  file: string;
  resources: string[];
  /** Position of the file's entry in SHARED (shared files only), else Infinity. */
  rank: number;
  arrival: number;
  granted: boolean;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const slots = project.getProvidedContext().testSlots;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wirelab-vitest-"));
  const sock = path.join(dir, "slots.sock");
  const requests: Request[] = [];
  let arrivals = 0;

  const schedule = () => {
    for (;;) {
      const running = requests.filter((r) => r.granted);
      if (running.length >= slots) return;
      const busy = new Set(running.flatMap((r) => r.resources));
      const next = requests
        .filter((r) => !r.granted && r.resources.every((x) => !busy.has(x)))
        .sort((a, b) => a.rank - b.rank || a.arrival - b.arrival)[0];
      if (!next) return;
      next.granted = true;
      next.socket.write("go\n");
    }
  };

  const server = net.createServer((socket) => {
    let buf = "";
    let req: Request | undefined;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      if (req) return;
      buf += chunk;
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      try {
        const m = JSON.parse(buf.slice(0, nl)) as { file: string; resources: string[]; rank: number | null };
        req = {
          socket,
          file: m.file,
          resources: m.resources,
          rank: m.rank ?? Infinity,
          arrival: arrivals++,
          granted: false,
        };
      } catch {
        socket.destroy();
        return;
      }
      requests.push(req);
      schedule();
    });
    const release = () => {
      const i = req ? requests.indexOf(req) : -1;
      if (i < 0) return;
      requests.splice(i, 1);
      schedule();
    };
    socket.on("close", release);
    socket.on("error", release);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(sock, resolve);
  });
  project.provide("slotsSocket", sock);
  return async () => {
    for (const r of requests) r.socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * Index calculus, relation collection on worker threads. The rows c1 of the linear sieve
 * (ic-sieve.ts) are independent, so a range of rows is split between this thread and the workers,
 * and the hits are joined back in row order: the relations, and so the database, are the same for
 * any number of workers.
 *
 * `precompute` stays synchronous (notebook cells and the CLI call it as a function), so the pool is
 * driven synchronously too: ranges go out with postMessage, this thread sieves its own share, then
 * sleeps in Atomics.wait until a worker has posted, and reads the reply with receiveMessageOnPort.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { sieveRow, sieveSetup, type SieveHit, type SieveSetup } from "./ic-sieve";

/** The worker: the same sieve setup and `sieveRowsHere`, one reply (the hits) per range it is sent. */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
if (workerData.tsx) require(workerData.tsx);
const { sieveSetup } = require(workerData.sieveModule);
const { sieveRowsHere } = require(workerData.workersModule);
const { p, primes, width, largeBound, port, signal } = workerData;
const flag = new Int32Array(signal);
const reply = (m) => {
  port.postMessage(m);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
};
const rows = sieveRowsHere(sieveSetup(p, primes, width, largeBound));
port.on("message", ({ from, to }) => {
  try {
    reply({ hits: rows(from, to) });
  } catch (e) {
    reply({ error: String(e && e.stack || e) });
  }
});
reply({ ready: true });
`;

/** A worker's message: ready after start, the hits of a range, or the error it met. */
type Reply = { ready: true } | { hits: SieveHit[] } | { error: string };

/** The longest wait for one range (a row takes milliseconds; this only bounds a worker that died). */
const REPLY_MS = 600_000;

/** Worker threads to use by default: one per core beyond this thread's. */
export function defaultWorkers(): number {
  return Math.max(0, availableParallelism() - 1);
}

/**
 * Starts an eval worker running `source`. `modules` names modules of this folder ("./ic-sieve"); the
 * worker finds their resolved paths in workerData under the same keys, and workerData.tsx is set when
 * this runs from TypeScript sources (tests, notebooks through tsx), for the worker to register first.
 */
export function startWorker(
  source: string,
  modules: Record<string, string>,
  data: Record<string, unknown>,
  transferList: MessagePort[] = [],
): Worker {
  const req = typeof require === "function" ? require : createRequire(__filename);
  const paths = Object.fromEntries(Object.entries(modules).map(([key, name]) => [key, req.resolve(name)]));
  const tsx = Object.values(paths).some((f) => /\.[cm]?ts$/.test(f)) ? req.resolve("tsx/cjs") : null;
  const w = new Worker(source, { eval: true, workerData: { ...data, ...paths, tsx }, transferList });
  w.unref();
  // A worker that fails is noticed by its protocol (no reply, no progress); unheard, its error event
  // would end this process.
  w.on("error", () => {});
  return w;
}

/** Sieves rows [from, to) in this thread. */
export function sieveRowsHere(setup: SieveSetup): (from: number, to: number) => SieveHit[] {
  const buf = new Uint8Array(setup.width);
  const roots = new Int32Array(setup.primes.length);
  return (from, to) => {
    const out: SieveHit[] = [];
    for (let c1 = from; c1 < to; c1++) sieveRow(setup, c1, buf, roots, out);
    return out;
  };
}

/** This thread plus `workers` worker threads sieving shares of each range; `close` ends the workers. */
export class SievePool {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly here: (from: number, to: number) => SieveHit[];

  constructor(p: bigint, primes: readonly number[], width: number, largeBound: number, workers: number) {
    this.here = sieveRowsHere(sieveSetup(p, primes, width, largeBound));
    for (let i = 0; i < workers; i++) {
      const { port1, port2 } = new MessageChannel();
      const data = { p, primes: [...primes], width, largeBound, port: port2, signal: this.flag.buffer };
      const modules = { sieveModule: "./ic-sieve", workersModule: "./ic-workers" };
      const w = startWorker(WORKER_SOURCE, modules, data, [port2]);
      this.workers.push(w);
      this.ports.push(port1);
    }
    // Each worker says it is ready; one that cannot start (or is too slow to) leaves the pool.
    for (let i = this.ports.length - 1; i >= 0; i--) {
      const m = this.receive(this.ports[i]!, 30_000);
      if (m && "ready" in m) continue;
      this.ports[i]!.close();
      void this.workers[i]!.terminate();
      this.ports.splice(i, 1);
      this.workers.splice(i, 1);
    }
  }

  /** Worker threads in use. */
  get size(): number {
    return this.workers.length;
  }

  /** The hits of rows [from, to), in row order. */
  rows(from: number, to: number): SieveHit[] {
    const parts = this.workers.length + 1;
    const size = Math.ceil((to - from) / parts);
    const bounds = Array.from({ length: parts }, (_, i) => [from + i * size, Math.min(to, from + (i + 1) * size)]);
    this.ports.forEach((port, i) => port.postMessage({ from: bounds[i + 1]![0], to: bounds[i + 1]![1] }));
    const mine = this.here(bounds[0]![0]!, bounds[0]![1]!);
    const replies = this.ports.map((port, i) => {
      const m = this.receive(port, REPLY_MS);
      if (m && "hits" in m) return m.hits;
      const why = m && "error" in m ? m.error : `no reply in ${REPLY_MS / 1000} s`;
      throw new Error(`sieve worker ${i + 1} failed on rows ${bounds[i + 1]![0]}..${bounds[i + 1]![1]}: ${why}`);
    });
    return mine.concat(...replies);
  }

  /** Waits (synchronously, at most `ms`) for the next message on `port`. */
  private receive(port: MessagePort, ms: number): Reply | null {
    const deadline = performance.now() + ms;
    for (;;) {
      const seen = Atomics.load(this.flag, 0);
      const got = receiveMessageOnPort(port);
      if (got) return got.message as Reply;
      const left = deadline - performance.now();
      if (left <= 0) return null;
      Atomics.wait(this.flag, 0, seen, Math.min(left, 1000));
    }
  }

  close(): void {
    for (const port of this.ports) port.close();
    for (const w of this.workers) void w.terminate();
  }
}

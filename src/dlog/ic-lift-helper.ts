/**
 * Index calculus, the ℓ-adic lifting of ic-lift.ts on two threads. Dixon's digits come one after
 * another, but nothing ties the lifting to one prime: a worker factors the same system modulo a
 * second prime ℓ' and lifts ℓ'-adic digits while this thread lifts ℓ-adic ones. At each checkpoint
 * the two expansions are joined by the Chinese remainder theorem (y modulo ℓ^t·ℓ'^t'), so rational
 * reconstruction is reached with about half the digits per thread. Both threads must solve the same
 * n - 1 rows (an LU picks its rows by the residues it meets, so ℓ and ℓ' could pick differently):
 * the worker's choice is compared once, and a worker that chose other rows is stopped and ignored.
 *
 * Shared memory, written by the worker only: its state and digit count (control), the rows it chose
 * (order) and its digits (unknown k's digit i at k·stride + i). Its digits up to the count it
 * published are final, so this thread reads them without locks.
 */
import type { Worker } from "node:worker_threads";
import { factorRows, liftStep, primeBelow, type LiftHelper, type StartHelper, type Stream } from "./ic-lift";
import { startWorker } from "./ic-workers";

/** control[STATE]: 0 while factoring, then LIFTING (order is written) or FAILED; control[DIGITS]; control[STOP]. */
const STATE = 0;
const DIGITS = 1;
const STOP = 2;
const LIFTING = 1;
const FAILED = -1;

/** What the worker is given. */
interface HelperData {
  A: Float64Array[];
  anchorColumn: Float64Array;
  size: number;
  ell: number;
  stride: number;
  control: SharedArrayBuffer;
  order: SharedArrayBuffer;
  digits: SharedArrayBuffer;
}

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
if (workerData.tsx) require(workerData.tsx);
require(workerData.helperModule).helperMain(workerData);
`;

/** The worker's side: factor modulo its prime, publish the rows it chose, lift until told to stop. */
export function helperMain(w: HelperData): void {
  const control = new Int32Array(w.control);
  const { size, stride } = w;
  const f = factorRows(w.A, w.anchorColumn, size, w.ell);
  if (!f) {
    Atomics.store(control, STATE, FAILED);
    return;
  }
  new Int32Array(w.order).set(f.lu.order);
  Atomics.store(control, STATE, LIFTING);
  const r = f.b.slice();
  const rm = new Float64Array(size);
  const y = new Float64Array(size);
  const digits = new Float64Array(w.digits);
  for (let t = 0; t < stride && Atomics.load(control, STOP) === 0; t++) {
    liftStep(f.rows, f.lu, r, rm, y);
    for (let k = 0; k < size; k++) digits[k * stride + t] = y[k]!;
    Atomics.store(control, DIGITS, t + 1);
  }
}

/** The same set of rows, in any order. */
function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  const x = Int32Array.from(a).sort();
  const z = Int32Array.from(b).sort();
  return x.every((v, i) => v === z[i]);
}

class Helper implements LiftHelper {
  private readonly control: Int32Array;
  private readonly order: Int32Array;
  private readonly digits: Float64Array[];
  private agrees: boolean | null = null;

  constructor(
    private readonly worker: Worker,
    private readonly data: HelperData,
  ) {
    this.control = new Int32Array(data.control);
    this.order = new Int32Array(data.order);
    this.digits = Array.from(
      { length: data.size },
      (_, k) => new Float64Array(data.digits, k * data.stride * 8, data.stride),
    );
  }

  stream(order: Int32Array): Stream | null {
    if (this.agrees === false || Atomics.load(this.control, STATE) !== LIFTING) return null;
    if (this.agrees === null) {
      this.agrees = sameRows(order, this.order);
      if (!this.agrees) this.close();
      if (!this.agrees) return null;
    }
    return { digits: this.digits, t: Atomics.load(this.control, DIGITS), ell: this.data.ell };
  }

  close(): void {
    Atomics.store(this.control, STOP, 1);
    void this.worker.terminate();
  }
}

/** Below this many unknowns a worker's start costs more than the digits it would lift. */
const MIN_SIZE = 300;

/**
 * Starts the worker modulo the prime just below ℓ (StartHelper for liftKernel), or returns null:
 * for small systems, or when no worker can be started (a sandbox that forbids them).
 */
export const startLiftHelper: StartHelper = (A, anchorColumn, size, ell, stride) => {
  const ell2 = primeBelow(ell);
  if (size < MIN_SIZE || ell2 < 2 ** 12) return null;
  const data: HelperData = {
    A,
    anchorColumn,
    size,
    ell: ell2,
    stride,
    control: new SharedArrayBuffer(4 * 4),
    order: new SharedArrayBuffer(4 * size),
    digits: new SharedArrayBuffer(8 * size * stride),
  };
  try {
    const worker = startWorker(WORKER_SOURCE, { helperModule: "./ic-lift-helper" }, { ...data });
    return new Helper(worker, data);
  } catch {
    return null;
  }
};

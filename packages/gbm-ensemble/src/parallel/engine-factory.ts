import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type HistEngine, LocalHistEngine } from '../tree/hist-engine.js';
import { histSize } from '../tree/histogram.js';
import { BEGIN, CMD, CMD_BUILD, CMD_YIELD, CONTROL_SLOTS, DONE, END, ERROR, featureRange, GEN, READY, type SetupMessage } from './control.js';

/** A histogram engine plus the shared buffers the trainer fills (order, gradients, hessians). */
export interface TrainingEngine extends HistEngine {
  readonly order: Int32Array;
  readonly grad: Float32Array;
  readonly hess: Float32Array;
  /** Lets the workers go back to idling; call once training ends (also after an error). */
  release(): void;
}

// Below this many (row, feature) cells a node is built on the calling thread: waking a worker
// costs tens of microseconds.
const PARALLEL_CELLS = 1 << 16;

const workers: Worker[] = [];

function workerFile(): string | undefined {
  for (const rel of ['./hist-worker.js', '../../dist/hist-worker.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Threads that will really be used for `requested` (1 when the worker script is not built). */
export function resolveThreads(requested: number | 'auto'): number {
  const n = requested === 'auto' ? availableParallelism() : requested;
  return n > 1 && workerFile() !== undefined ? n : 1;
}

function shared<T extends Int32Array | Float32Array | Float64Array>(Ctor: new (b: SharedArrayBuffer) => T, length: number, bytes: number): T {
  return new Ctor(new SharedArrayBuffer(length * bytes));
}

/**
 * A training engine over `threads` threads: every thread reads all of a node's rows and builds
 * the histogram of its share of the features into one shared histogram, which is then copied
 * out (a memcpy; splitting rows instead would need a sum of whole histograms per node).
 * Workers are created once per process and reused by every fit.
 */
export function createHistEngine(bins: Uint8Array, cols: number, outputs: number, rows: number, requested: number | 'auto'): TrainingEngine {
  const threads = Math.min(resolveThreads(requested), cols);
  const order = shared(Int32Array, rows, 4);
  const grad = shared(Float32Array, rows * outputs, 4);
  const hess = shared(Float32Array, rows, 4);
  const local = new LocalHistEngine(bins, cols, outputs);
  local.setGradients(grad, hess);
  if (threads === 1 || !(bins.buffer instanceof SharedArrayBuffer)) {
    return { order, grad, hess, build: (o, b, e, h) => local.build(o, b, e, h), release: () => {} };
  }
  const size = histSize(cols, outputs + 1);
  const control = shared(Int32Array, CONTROL_SLOTS, 4);
  const target = shared(Float64Array, size, 8);
  const file = workerFile() as string;
  while (workers.length < threads - 1) {
    const w = new Worker(file);
    w.unref();
    workers.push(w);
  }
  for (let p = 1; p < threads; p++) {
    const msg: SetupMessage = { control, bins, cols, outputs, order, grad, hess, target, part: p, threads };
    (workers[p - 1] as Worker).postMessage(msg);
  }
  const waitFor = (slot: number, count: number): void => {
    for (;;) {
      const v = Atomics.load(control, slot);
      if (v >= count) return;
      Atomics.wait(control, slot, v, 60_000);
    }
  };
  const command = (cmd: number, begin: number, end: number): void => {
    Atomics.store(control, DONE, 0);
    Atomics.store(control, BEGIN, begin);
    Atomics.store(control, END, end);
    Atomics.store(control, CMD, cmd);
    Atomics.add(control, GEN, 1);
    Atomics.notify(control, GEN);
  };
  let ready = false;
  let released = false;
  return {
    order,
    grad,
    hess,
    build(o, begin, end, hist) {
      if (o !== order || (end - begin) * cols < PARALLEL_CELLS) {
        local.build(o, begin, end, hist);
        return;
      }
      if (!ready) {
        waitFor(READY, threads - 1);
        ready = true;
      }
      target.fill(0);
      command(CMD_BUILD, begin, end);
      const [f0, f1] = featureRange(cols, 0, threads);
      local.buildFeatures(f0, f1, o, begin, end, target);
      waitFor(DONE, threads - 1);
      if (Atomics.load(control, ERROR)) throw new Error('a histogram worker failed');
      hist.set(target);
    },
    release() {
      if (released) return;
      released = true;
      waitFor(READY, threads - 1);
      command(CMD_YIELD, 0, 0);
      waitFor(DONE, threads - 1);
    },
  };
}

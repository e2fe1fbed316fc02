import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { awaitStarted, checkInteger, rangeError, startWorker } from '@aiffel/core';
import { type KernelArgs, type KernelName, kernels } from './kernels.js';

/**
 * Row-range parallelism over both cores. The calling thread runs the first chunk itself while the
 * workers run the rest, all on SharedArrayBuffer-backed arrays, so nothing is copied per call and
 * results land in place. Workers are created once per process and unref'ed while idle, so they
 * never keep a finished program alive.
 */

interface Slot {
  worker: Worker;
  started: Promise<void>;
  pending: Map<number, { resolve: () => void; reject: (e: Error) => void }>;
}

let slots: Slot[] = [];
// Why a worker could not start; from then on every call runs on the calling thread.
let startFailure: string | undefined;
let nextId = 1;
let inFlight = 0;

function workerFile(): string | undefined {
  // In the published package the worker sits next to this module in dist/; when this file runs
  // from src/ (tests, tsx) the built worker is used if the package has been built.
  for (const rel of ['./parallel-worker.js', '../../dist/parallel-worker.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Resolves the `threads` option: 'auto' is every available core. */
export function resolveThreads(threads: unknown, name = 'options.threads'): number {
  if (threads === undefined || threads === 'auto') return availableParallelism();
  return checkInteger(name, threads, 1, 256);
}

/** How many threads can really run: fewer when the worker script is missing (unbuilt sources). */
export function usableThreads(requested: number): number {
  return requested > 1 && (startFailure !== undefined || workerFile() === undefined) ? 1 : requested;
}

function ensureWorkers(count: number): void {
  const file = workerFile();
  if (file === undefined) throw new Error('parallel worker script not found; build the package (npm run build) or use threads: 1');
  while (slots.length < count) {
    const { worker, started } = startWorker(file, { name: '@aiffel/algos worker' });
    const slot: Slot = { worker, started, pending: new Map() };
    slot.worker.on('message', (msg: { id: number; error?: { message: string; name: string } }) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if (--inFlight === 0) for (const s of slots) s.worker.unref();
      if (msg.error) {
        const e = new Error(msg.error.message);
        e.name = msg.error.name;
        p.reject(e);
      } else p.resolve();
    });
    const drop = (err: Error): void => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      slots = slots.filter((s) => s !== slot);
    };
    slot.worker.on('error', drop);
    slot.worker.on('exit', (code) => drop(new Error(`@aiffel/algos worker exited with code ${code}`)));
    slot.worker.unref();
    slots.push(slot);
  }
}

/**
 * Starts `count` workers (if not running) and waits for them. False when one could not start:
 * that is reported once as a warning and the caller runs the work itself.
 */
async function workersStarted(count: number): Promise<boolean> {
  if (startFailure !== undefined) return false;
  ensureWorkers(count);
  startFailure = await awaitStarted(
    slots.slice(0, count).map((s) => s.started),
    slots.map((s) => s.worker),
    'running on one thread',
  );
  if (startFailure !== undefined) slots = [];
  return startFailure === undefined && slots.length >= count;
}

/**
 * Starts the workers a coming parallelFor will need, so that their start-up (tens of milliseconds)
 * overlaps the caller's own preparation instead of delaying the first parallel step.
 */
export function warmUp(threads: number): void {
  if (threads > 1 && startFailure === undefined && workerFile() !== undefined) ensureWorkers(threads - 1);
}

/** Splits [0, n) into `parts` contiguous chunks of near-equal size. */
export function chunks(n: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < parts; p++) out.push([Math.floor((n * p) / parts), Math.floor((n * (p + 1)) / parts)]);
  return out;
}

/**
 * Runs `kernel` over rows [0, n) split in `threads` chunks; chunk p gets slot p (for per-thread
 * partial sums). Every typed array in `args` must be backed by a SharedArrayBuffer when threads > 1.
 */
export async function parallelFor<K extends KernelName>(kernel: K, args: KernelArgs<K>, n: number, threads: number): Promise<void> {
  const fn = kernels[kernel] as (a: KernelArgs<K>, start: number, end: number, slot: number) => void;
  if (threads <= 1 || n < 2) {
    fn(args, 0, n, 0);
    return;
  }
  const parts = chunks(n, threads);
  if (!(await workersStarted(threads - 1))) {
    // Same chunks and slots as the parallel run, so the result is the same.
    for (let p = 0; p < threads; p++) fn(args, (parts[p] as [number, number])[0], (parts[p] as [number, number])[1], p);
    return;
  }
  const waits: Promise<void>[] = [];
  for (let p = 1; p < threads; p++) {
    const slot = slots[p - 1] as Slot;
    const id = nextId++;
    const [start, end] = parts[p] as [number, number];
    waits.push(new Promise<void>((resolve, reject) => slot.pending.set(id, { resolve, reject })));
    if (inFlight++ === 0) for (const s of slots) s.worker.ref();
    slot.worker.postMessage({ id, kernel, args, start, end, slot: p });
  }
  const [s0, e0] = parts[0] as [number, number];
  let own: unknown;
  try {
    fn(args, s0, e0, 0);
  } catch (e) {
    own = e;
  }
  await Promise.all(waits);
  if (own !== undefined) throw own;
}

/** A Float64Array on shared memory when threads > 1 (plain otherwise). */
export function sharedFloat64(length: number, threads: number): Float64Array {
  return threads > 1 ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

export function sharedInt32(length: number, threads: number): Int32Array {
  return threads > 1 ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

/** The same values on shared memory (one copy) unless already shared or single-threaded. */
export function shareArray<A extends Float32Array | Float64Array>(a: A, threads: number): A {
  if (threads <= 1 || a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => A;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** Work below which a second thread costs more in messaging than it saves (multiply-adds). */
export const PARALLEL_MIN_WORK = 4e6;

export function threadsFor(work: number, threads: number): number {
  if (!Number.isFinite(work) || work < 0) throw rangeError('work', 'a non-negative number', work);
  return work < PARALLEL_MIN_WORK ? 1 : usableThreads(threads);
}

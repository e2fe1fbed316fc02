import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { awaitStarted, startWorker } from '@aiffel/core';
import { type KernelArgs, type KernelName, kernels } from './kernels.js';

/**
 * Row ranges over both cores: the calling thread runs the first range while workers run the
 * rest, on SharedArrayBuffer-backed arrays (nothing copied per call). Workers start on first use,
 * are shared by every model and are unref'ed while idle so they never keep a program alive.
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
let busy = 0;

function workerFile(): string | undefined {
  // dist/worker.js next to the built module; from src/ (tests) the built copy if there is one.
  for (const rel of ['./worker.js', '../../dist/worker.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Threads that can really run: 1 when the worker script is missing (sources not built). */
export function usableThreads(requested: number | 'auto'): number {
  const n = requested === 'auto' ? availableParallelism() : requested;
  return n > 1 && startFailure === undefined && workerFile() !== undefined ? n : 1;
}

function ensure(count: number): void {
  const file = workerFile() as string;
  while (slots.length < count) {
    const { worker, started } = startWorker(file, { name: '@aiffel/sparse-als worker' });
    const slot: Slot = { worker, started, pending: new Map() };
    slot.worker.on('message', (msg: { id: number; error?: { message: string; name: string } }) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if (--busy === 0) for (const s of slots) s.worker.unref();
      if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
      else p.resolve();
    });
    // A dead worker's slot is dropped (its calls rejected) so the next call starts a new one.
    const drop = (err: Error): void => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      slots = slots.filter((s) => s !== slot);
    };
    slot.worker.on('error', drop);
    slot.worker.on('exit', (code) => drop(new Error(`@aiffel/sparse-als worker exited with code ${code}`)));
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
  ensure(count);
  startFailure = await awaitStarted(
    slots.slice(0, count).map((s) => s.started),
    slots.map((s) => s.worker),
    'running on one thread',
  );
  if (startFailure !== undefined) slots = [];
  return startFailure === undefined && slots.length >= count;
}

/**
 * Runs `kernel(args, start, end, slot)` over [0, n) in `threads` ranges. `cost(i)` (optional)
 * balances the ranges by work rather than by count (rows with many interactions cost more).
 */
export async function parallelFor<K extends KernelName>(kernel: K, args: KernelArgs<K>, n: number, threads: number, cost?: Int32Array): Promise<void> {
  const fn = kernels[kernel] as (a: KernelArgs<K>, s: number, e: number, slot: number) => void;
  if (threads <= 1 || n < 2) {
    fn(args, 0, n, 0);
    return;
  }
  const bounds = split(n, threads, cost);
  if (!(await workersStarted(threads - 1))) {
    // Same ranges and slots as the parallel run, so the result is the same.
    for (let p = 0; p < threads; p++) fn(args, bounds[p] as number, bounds[p + 1] as number, p);
    return;
  }
  const waits: Promise<void>[] = [];
  for (let p = 1; p < threads; p++) {
    const slot = slots[p - 1] as Slot;
    const id = nextId++;
    waits.push(new Promise<void>((resolve, reject) => slot.pending.set(id, { resolve, reject })));
    if (busy++ === 0) for (const s of slots) s.worker.ref();
    slot.worker.postMessage({ id, kernel, args, start: bounds[p], end: bounds[p + 1], slot: p });
  }
  let own: unknown;
  try {
    fn(args, 0, bounds[1] as number, 0);
  } catch (e) {
    own = e;
  }
  await Promise.all(waits);
  if (own !== undefined) throw own;
}

/** Range boundaries: equal counts, or equal cumulative cost when given. */
function split(n: number, parts: number, cost?: Int32Array): number[] {
  const b = [0];
  if (!cost) {
    for (let p = 1; p < parts; p++) b.push(Math.floor((n * p) / parts));
  } else {
    let total = 0;
    for (let i = 0; i < n; i++) total += (cost[i + 1] as number) - (cost[i] as number) + 8;
    let acc = 0;
    let next = 1;
    for (let i = 0; i < n && next < parts; i++) {
      acc += (cost[i + 1] as number) - (cost[i] as number) + 8;
      if (acc >= (total * next) / parts) {
        b.push(i + 1);
        next++;
      }
    }
    while (b.length < parts) b.push(n);
  }
  b.push(n);
  return b;
}

/** A typed array's contents on shared memory (one copy) when threads > 1. */
export function shared<A extends Float32Array | Float64Array | Int32Array>(a: A, threads: number): A {
  if (threads <= 1 || a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => A;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startWorker, type WorkerStartError } from '@aiffel/core';
import { assertKnownOptions, assertPositiveInteger, typeError } from '../errors.js';
import type { RequestBody, Response } from './messages.js';

export interface WorkerPoolOptions {
  /** Number of worker threads. Default: the machine's available parallelism (2 here). */
  size?: number;
  /**
   * Longest a task of `map` / `run` may take, in ms. Past it the call rejects, the worker is
   * stopped (JavaScript cannot interrupt a running function any other way) and the next request
   * gets a new one. Default 0: no limit.
   */
  taskTimeout?: number;
}

/** A function exported by a module, to be run inside the workers. */
export interface TaskRef {
  /** Path or file URL of an ES module (or CommonJS file) the workers import. */
  module: string | URL;
  /** Name of the export. Default 'default'. */
  exportName?: string;
}

const MAX_WORKERS = 64;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

interface Slot {
  worker: Worker;
  started: Promise<void>;
  pending: Map<number, Pending>;
  dead?: Error;
  /** Rejects everything the slot holds and marks it dead (the next request replaces it). */
  fail?: (err: Error) => void;
}

/** Normalises a module reference to a URL string the worker's dynamic import accepts. */
export function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module.length === 0) throw typeError('task.module', 'a module path or file URL', module);
  if (/^(file|data|node):/.test(module)) return module;
  return pathToFileURL(module).href;
}

function workerScript(): URL {
  return new URL('./pool-worker.js', import.meta.url);
}

/**
 * A fixed pool of worker threads, each with its own tfjs engine. `map` spreads independent work
 * over them; DataParallelTrainer builds data-parallel training on the same workers.
 */
export class WorkerPool {
  readonly size: number;
  private readonly slots: Slot[];
  private readonly script: string;
  private nextId = 1;
  private closed = false;
  private readonly taskTimeout: number;

  constructor(options: WorkerPoolOptions = {}) {
    assertKnownOptions('WorkerPool options', options, ['size', 'taskTimeout']);
    const timeout = options.taskTimeout ?? 0;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0 || timeout > 2 ** 31 - 1)
      throw new RangeError(`options.taskTimeout must be an integer number of ms in [0, 2147483647] (0: no limit), got ${String(timeout)}`);
    this.taskTimeout = timeout;
    const size = options.size ?? availableParallelism();
    assertPositiveInteger('options.size', size);
    // Each worker owns a tfjs engine (tens of MB): a typo like 1e4 would exhaust memory.
    if (size > MAX_WORKERS) throw new RangeError(`options.size must be at most ${MAX_WORKERS}, got ${size}`);
    this.size = size;
    this.script = fileURLToPath(workerScript());
    this.slots = [];
    try {
      for (let i = 0; i < size; i++) this.slots.push(this.spawn());
    } catch (e) {
      for (const s of this.slots) void s.worker.terminate();
      throw e;
    }
  }

  /** Resolves once every worker has loaded; rejects with WorkerStartError when one could not. */
  ready(): Promise<void> {
    return Promise.all(this.slots.map((s) => s.started)).then(() => undefined);
  }

  private spawn(): Slot {
    // A worker that cannot start fails its slot (and every request to it) within the start-up
    // deadline instead of leaving requests waiting for an answer that never comes.
    const { worker, started } = startWorker(this.script, { name: '@aiffel/runtime pool worker' });
    const slot: Slot = { worker, started, pending: new Map() };
    slot.worker.on('message', (msg: Response) => {
      const p = slot.pending.get(msg.id);
      if (p === undefined) return;
      slot.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else {
        const err = new Error(msg.error.message);
        err.name = msg.error.name;
        if (msg.error.stack) err.stack = msg.error.stack;
        p.reject(err);
      }
    });
    const fail = (err: Error): void => {
      slot.dead ??= err;
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    };
    slot.fail = fail;
    started.catch((e: WorkerStartError) => fail(e));
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`WorkerPool: worker exited with code ${code}`));
    });
    return slot;
  }

  /** Sends one request to worker `index` and resolves with its answer. */
  request(index: number, req: RequestBody, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('WorkerPool: the pool is closed'));
    const slot = this.slots[index];
    if (slot === undefined) return Promise.reject(new RangeError(`worker index must be in [0, ${this.size}), got ${index}`));
    const id = this.nextId++;
    let target = slot;
    if (slot.dead) {
      // A worker that died (a crash, process.exit in a task) failed the requests it held; the
      // next request gets a new worker rather than the same error forever. A worker that could
      // not even start keeps failing: a new one would not start either.
      if (slot.dead.name === 'WorkerStartError') return Promise.reject(slot.dead);
      target = this.spawn();
      this.slots[index] = target;
    }
    return new Promise((resolve, reject) => {
      // An argument that cannot be cloned throws here and rejects this call only.
      target.worker.postMessage({ ...req, id }, transfer);
      if (req.kind !== 'call' || this.taskTimeout === 0) {
        target.pending.set(id, { resolve, reject });
        return;
      }
      const limit = this.taskTimeout;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let settled = false;
      // The clock starts once the worker is up: its start-up (seconds on a busy machine) is not the task's time.
      target.started.then(
        () => {
          if (settled) return;
          timer = setTimeout(() => {
            if (!target.pending.has(id)) return;
            target.fail?.(
              new Error(`WorkerPool: task ${req.exportName} took more than taskTimeout (${limit} ms); its worker was stopped and will be replaced`),
            );
            void target.worker.terminate();
          }, limit);
          timer.unref();
        },
        () => {},
      );
      const settle =
        <A>(f: (a: A) => void) =>
        (a: A) => {
          settled = true;
          if (timer !== undefined) clearTimeout(timer);
          f(a);
        };
      target.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
    });
  }

  /** Sends the same request to every worker; resolves with their answers in worker order. */
  broadcast(req: RequestBody): Promise<unknown[]> {
    return Promise.all(this.slots.map((_, w) => this.request(w, req)));
  }

  /**
   * Runs `task(item, index)` for every item across the workers and returns the results in input
   * order. Items and results are structured-cloned. The first failure rejects the whole map.
   */
  async map<T, R>(items: readonly T[], task: TaskRef): Promise<R[]> {
    if (!Array.isArray(items)) throw typeError('items', 'an array', items);
    const module = moduleUrl(task.module);
    const exportName = task.exportName ?? 'default';
    const results = new Array<R>(items.length);
    let next = 0;
    const run = async (w: number): Promise<void> => {
      while (next < items.length) {
        const i = next++;
        results[i] = (await this.request(w, { kind: 'call', module, exportName, arg: items[i], index: i })) as R;
      }
    };
    await Promise.all(this.slots.map((_, w) => run(w)));
    return results;
  }

  /**
   * Runs `task(arg, 0)` once on the worker with the fewest requests in flight (a server's way to
   * spread independent requests over the cores) and resolves with its result. `transfer` lists
   * buffers of `arg` to move instead of copy (large pixel arrays).
   */
  run<R>(arg: unknown, task: TaskRef, transfer: ArrayBuffer[] = []): Promise<R> {
    const module = moduleUrl(task.module);
    let best = 0;
    for (let w = 1; w < this.slots.length; w++) if ((this.slots[w] as Slot).pending.size < (this.slots[best] as Slot).pending.size) best = w;
    return this.request(best, { kind: 'call', module, exportName: task.exportName ?? 'default', arg, index: 0 }, transfer) as Promise<R>;
  }

  /** Terminates every worker. Pending requests reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.slots.map(async (s) => {
        for (const p of s.pending.values()) p.reject(new Error('WorkerPool: the pool is closed'));
        s.pending.clear();
        await s.worker.terminate();
      }),
    );
  }
}

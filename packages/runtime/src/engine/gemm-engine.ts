import { isMainThread, type Worker } from 'node:worker_threads';
import { startWorker, warnWorkerFallback } from '@aiffel/core';
import { type WasmMemory, wasmApi } from '../io/wasm-api.js';
import { type GemmJob, PARAM_WORDS, splitJob, writeParams } from './gemm-job.js';
import type { GemmModule } from './gemm-module.js';
import { GEMM_WORKER_SOURCE } from './gemm-worker-source.js';

/** Why products of an engine with `threads` run on one thread (undefined: they do not). */
export function threadReason(threads: number, workerBroken?: string): string | undefined {
  if (threads < 2) return isMainThread ? 'one thread asked for' : 'inside a worker thread (the pool already uses the cores)';
  return workerBroken;
}

/** The module's entry points that take a parameter block; the helper gets their index. */
export const ENGINE_FUNCTIONS = ['gemm', 'winogradFilter', 'winogradInput', 'winogradOutput', 'winogradGradOutput', 'winogradGradFilter'] as const;
export type EngineFunction = (typeof ENGINE_FUNCTIONS)[number];

interface GemmExports extends Record<EngineFunction, (params: number) => void> {
  packAFloats(): number;
  packBFloats(): number;
  scratchFloats(): number;
}

/** 64 KiB pages: the 4 GiB wasm32 limit, reserved (not committed) by the shared memory. */
const MAX_PAGES = 65536;
/** A share is never near this long: reaching it means the helper thread is gone. */
const WORKER_TIMEOUT_MS = 600_000;
// Control words shared with the helper: state (1 = posted; the helper sets 0 when done), the
// parameter block's byte offset, a failure flag, the entry point's index in ENGINE_FUNCTIONS.
const STATE = 0;
const PARAMS = 1;
const FAILED = 2;
const FUNCTION = 3;
const POSTED = 1;
/** Bytes at the bottom of memory: the two threads' parameter blocks. */
const RESERVED = 1024;

/**
 * The GEMM kernels on a shared wasm memory, run on this thread and (for large products) also on
 * one helper thread that owns a second instance over the same memory. Calls stay synchronous, as
 * tfjs kernels must be: this thread posts the helper's share, runs its own, and waits on an
 * Atomics word. Operands are copied in with `stage`, the product run with `run`, the result read
 * from `floats()`.
 */
export class GemmEngine {
  readonly memory: WasmMemory;
  private readonly k: GemmExports;
  private readonly scratchBytes: number;
  private worker: Worker | null = null;
  private workerBroken: string | undefined;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(16));
  /** Smallest product split over the two threads (engine-state's PARALLEL_MADDS unless configured). */
  parallelMadds = 1 << 21;
  /** Where staged operands end (bytes); reset by `reset()`. */
  private top: number;

  constructor(
    readonly compiled: GemmModule,
    /** 2 to use the helper thread for large products, 1 for this thread only. */
    readonly threads: number,
  ) {
    if (wasmApi === undefined) throw new Error('this JavaScript engine has no WebAssembly');
    this.memory = new wasmApi.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    this.k = new wasmApi.Instance(compiled.module, { env: { memory: this.memory, abort: () => {} } }).exports as GemmExports;
    this.scratchBytes = align(this.k.scratchFloats() * 4);
    this.top = RESERVED + 2 * this.scratchBytes;
    this.ensure(this.top);
  }

  /** Why the helper thread is not in use, or undefined when it is (or has not been needed yet). */
  get threadReason(): string | undefined {
    return threadReason(this.threads, this.workerBroken);
  }

  /** Forgets every staged operand (the next `stage` starts at the bottom again). */
  reset(): void {
    this.top = RESERVED + 2 * this.scratchBytes;
  }

  /**
   * Room for `floats` floats (plus 64 readable bytes past them: the kernel reads whole tiles of
   * bias), returned as a float offset. Views on `memory.buffer` must be taken after this call.
   */
  alloc(floats: number): number {
    const at = this.top;
    const end = at + align(floats * 4 + 64);
    if (end > MAX_PAGES * 65536) throw new RangeError(`the GEMM engine's operands need ${end} bytes, past the 4 GiB a wasm memory can hold`);
    this.ensure(end);
    this.top = end;
    return at / 4;
  }

  /** Copies `values` in and returns their float offset. */
  stage(values: Float32Array | Int32Array): number {
    const at = this.alloc(values.length);
    new Float32Array(this.memory.buffer, at * 4, values.length).set(
      values instanceof Float32Array ? values : new Float32Array(values.buffer, values.byteOffset, values.length),
    );
    return at;
  }

  floats(at: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, at * 4, length);
  }

  /** Runs `job`, split over both threads when it is large enough and the helper is available. */
  run(job: GemmJob): void {
    const madds = job.m * job.n * Math.max(job.k, 1) * job.batch;
    const shares = madds >= this.parallelMadds && this.helper() ? splitJob(job, 2) : splitJob(job, 1);
    const buffer = this.memory.buffer;
    const blocks = shares.map((share, t) => {
      const p = new Int32Array(buffer, t * PARAM_WORDS * 4, PARAM_WORDS);
      writeParams(p, job, share, this.scratchOf(t));
      return t * PARAM_WORDS * 4;
    });
    if (shares.length === 1) this.k.gemm(blocks[0] as number);
    else this.both('gemm', blocks[0] as number, blocks[1] as number);
  }

  /**
   * Runs entry point `fn` (a Winograd pass) over items [0, count): `fill(p, from, to)` writes the
   * parameter block of one share. Split in two at a multiple of `step` when `parallel` and the
   * helper is available.
   */
  pass(fn: EngineFunction, count: number, parallel: boolean, fill: (p: Int32Array, from: number, to: number) => void, step = 1): void {
    const buffer = this.memory.buffer;
    const block = (t: number) => new Int32Array(buffer, t * PARAM_WORDS * 4, PARAM_WORDS);
    const mid = Math.ceil(count / 2 / step) * step;
    if (parallel && mid > 0 && mid < count && this.helper()) {
      block(0).fill(0);
      block(1).fill(0);
      fill(block(0), 0, mid);
      fill(block(1), mid, count);
      this.both(fn, 0, PARAM_WORDS * 4);
    } else {
      block(0).fill(0);
      fill(block(0), 0, count);
      this.k[fn](0);
    }
  }

  /** Whether a helper thread is (or can be) in use for products this large. */
  splits(madds: number): boolean {
    return madds >= this.parallelMadds && this.threads >= 2 && this.workerBroken === undefined;
  }

  stop(): void {
    if (this.worker) void this.worker.terminate();
    this.worker = null;
  }

  private scratchOf(thread: number): { packA: number; packB: number; tile: number } {
    const base = RESERVED + thread * this.scratchBytes;
    // Packed A first, then packed B, then the edge tile, in the sizes the kernel defines.
    const packB = base + this.k.packAFloats() * 4;
    return { packA: base, packB, tile: packB + this.k.packBFloats() * 4 };
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
  }

  /** Starts the helper thread on first use; false (after one warning) when it cannot start. */
  private helper(): boolean {
    if (this.threads < 2 || this.workerBroken !== undefined) return false;
    if (this.worker) return true;
    try {
      const started = startWorker(
        { source: GEMM_WORKER_SOURCE },
        { name: '@aiffel/runtime GEMM worker', data: { module: this.compiled.module, memory: this.memory, ctl: this.ctl, functions: ENGINE_FUNCTIONS } },
      );
      // The kernels are synchronous: wait here, with a deadline, for the helper to load, since a
      // thread that died at start-up would otherwise leave `both` waiting on a word nobody sets.
      started.waitStartedSync();
      const worker = started.worker;
      worker.unref(); // an idle helper must not keep the process alive
      worker.on('error', (e) => {
        this.workerBroken = `the helper thread failed: ${e.message}`;
      });
      this.worker = worker;
      return true;
    } catch (e) {
      this.workerBroken = e instanceof Error ? e.message : String(e);
      warnWorkerFallback(this.workerBroken, 'the GEMM kernels run on one thread');
      return false;
    }
  }

  private both(fn: EngineFunction, mine: number, theirs: number): void {
    const ctl = this.ctl;
    Atomics.store(ctl, PARAMS, theirs);
    Atomics.store(ctl, FUNCTION, ENGINE_FUNCTIONS.indexOf(fn));
    Atomics.store(ctl, FAILED, 0);
    Atomics.store(ctl, STATE, POSTED);
    Atomics.notify(ctl, STATE);
    let mineFailed: unknown;
    try {
      this.k[fn](mine);
    } catch (err) {
      mineFailed = err;
    }
    // Wait even when this share threw: the next call must not rewrite the parameters under a running helper.
    const deadline = Date.now() + WORKER_TIMEOUT_MS;
    while (Atomics.load(ctl, STATE) === POSTED) {
      if (Atomics.wait(ctl, STATE, POSTED, Math.max(1, deadline - Date.now())) === 'timed-out' && Date.now() >= deadline) {
        this.workerBroken = 'the helper thread stopped answering';
        throw new Error('@aiffel/runtime: the GEMM worker thread stopped answering');
      }
    }
    if (mineFailed !== undefined) throw mineFailed;
    if (Atomics.load(ctl, FAILED) !== 0) {
      this.workerBroken = 'a share failed on the helper thread';
      throw new Error('@aiffel/runtime: a GEMM share failed on the worker thread');
    }
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

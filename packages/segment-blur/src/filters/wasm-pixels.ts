import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startWorker, warnWorkerFallback } from '@aiffel/core';
import { packageFile, type WasmApi, type WasmMemory, wasmApi } from '@aiffel/runtime';
import { reflect101 } from './border.js';
import { PIXEL_WORKER_SOURCE } from './pixel-worker-source.js';

/** The exports of dist/pixels.wasm (assembly/pixels.ts); every pointer is a byte offset. */
export interface PixelExports {
  boxRows(src: number, dst: number, width: number, height: number, c: number, r: number, col: number): void;
  boxColumns(src: number, dst: number, rowLen: number, height: number, r: number, scale: number, rows: number, acc: number): void;
  boxBlur4(
    src: number,
    dst: number,
    width: number,
    rx: number,
    ry: number,
    scale: number,
    col: number,
    rows: number,
    ring: number,
    acc: number,
    y0: number,
    y1: number,
    inRgb: number,
    inMask: number,
    rowIn: number,
    outBytes: number,
    cRgb: number,
    cMask: number,
    level: number,
  ): void;
  discPrefix4(src: number, prefix: number, width: number, r: number, col: number, y0: number, y1: number): void;
  discRows4(prefix: number, dst: number, width: number, r: number, scale: number, rows: number, half: number, y0: number, y1: number): void;
  packWeighted(rgb: number, mask: number, n: number, out: number): void;
  composite(rgb: number, mask: number, blurred: number, n: number, level: number, out: number): void;
  resize(
    src: number,
    sw: number,
    sh: number,
    dst: number,
    dw: number,
    dh: number,
    x0: number,
    x1: number,
    fx: number,
    tmp: number,
    y0: number,
    y1: number,
  ): void;
}
export type KernelName = keyof PixelExports;
/** Kernel names by job number (the worker gets the number). */
export const KERNELS: readonly KernelName[] = ['boxRows', 'boxColumns', 'boxBlur4', 'discPrefix4', 'discRows4', 'packWeighted', 'composite', 'resize'];

/** 64 KiB pages: the 4 GiB wasm32 limit, reserved (not committed) by the shared memory. */
const MAX_PAGES = 65536;
/**
 * Memory above this is handed back after a call (the engine is dropped and rebuilt on the next
 * one), so one huge photo does not pin a huge heap for the life of the process; a 1920x1280
 * portrait needs about 90 MB and keeps its heap between calls.
 */
const KEEP_BYTES = 256 * 2 ** 20;
/** Below this many pixels a second thread costs more in hand-off than it saves. */
const PARALLEL_PIXELS = 1 << 18;
/** A kernel on the second thread is never near this: reaching it means the worker is gone. */
const WORKER_TIMEOUT_MS = 120_000;
// Control words shared with the worker: state (1 = posted; the worker sets 0 when done), kernel
// number, failure flag; then the arguments.
const STATE = 0;
const JOB = 1;
const FAILED = 2;
const POSTED = 1;
const ARGS_AT = 16; // byte offset of the Float64 arguments in the control buffer
const MAX_ARGS = 24;

/**
 * The pixel kernels on a shared wasm memory, run on this thread and (for large images) also on
 * one worker thread that owns a second instance over the same memory. Calls stay synchronous:
 * this thread posts the worker's half, runs its own half and waits on an Atomics word.
 */
export class PixelEngine {
  readonly k: PixelExports;
  private worker: Worker | null = null;
  private workerBroken = false;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(ARGS_AT + 8 * MAX_ARGS));
  private readonly args = new Float64Array(this.ctl.buffer, ARGS_AT, MAX_ARGS);

  constructor(
    private readonly module: object,
    readonly memory: WasmMemory,
  ) {
    this.k = new (wasmApi as WasmApi).Instance(module, { env: { memory, abort: () => {} } }).exports as PixelExports;
  }

  /** Whether work on `pixels` pixels is split over two threads. */
  parallel(pixels: number): boolean {
    if (pixels < PARALLEL_PIXELS || this.workerBroken) return false;
    if (this.worker) return true;
    try {
      const started = startWorker(
        { source: PIXEL_WORKER_SOURCE },
        {
          name: 'segment-blur pixel worker',
          data: { module: this.module, memory: this.memory, ctl: this.ctl, kernels: KERNELS, argsAt: ARGS_AT, maxArgs: MAX_ARGS },
        },
      );
      // The kernels are synchronous: wait here, with a deadline, for the helper to load, since a
      // thread that died at start-up would otherwise leave `both` waiting on a word nobody sets.
      started.waitStartedSync();
      const worker = started.worker;
      worker.unref(); // an idle helper must not keep the process alive
      worker.on('error', () => {
        this.workerBroken = true;
      });
      this.worker = worker;
      return true;
    } catch (e) {
      this.workerBroken = true;
      warnWorkerFallback(e instanceof Error ? e.message : String(e), 'the pixel kernels run on one thread');
      return false;
    }
  }

  /**
   * Runs `name` with `mine` here and `theirs` on the worker at the same time, returning when both
   * are done. The two argument lists must touch disjoint output memory.
   */
  both(name: KernelName, mine: readonly number[], theirs: readonly number[]): void {
    const ctl = this.ctl;
    this.args.set(theirs);
    Atomics.store(ctl, JOB, KERNELS.indexOf(name));
    Atomics.store(ctl, FAILED, 0);
    Atomics.store(ctl, STATE, POSTED);
    Atomics.notify(ctl, STATE);
    let mineFailed: unknown;
    try {
      (this.k[name] as (...a: number[]) => void)(...mine);
    } catch (err) {
      mineFailed = err;
    }
    // Wait even when this half threw: the next call must not rewrite the arguments under a running worker.
    const deadline = Date.now() + WORKER_TIMEOUT_MS;
    while (Atomics.load(ctl, STATE) === POSTED) {
      if (Atomics.wait(ctl, STATE, POSTED, Math.max(1, deadline - Date.now())) === 'timed-out' && Date.now() >= deadline) {
        this.workerBroken = true;
        throw new Error('segment-blur: the pixel worker thread stopped answering');
      }
    }
    if (mineFailed !== undefined) throw mineFailed;
    if (Atomics.load(ctl, FAILED) !== 0) {
      this.workerBroken = true;
      throw new Error(`segment-blur: kernel ${name} failed on the worker thread`);
    }
  }

  /** Splits rows 0 .. height between the threads (or runs them all here): args(y0, y1, thread). */
  rows(name: KernelName, height: number, pixels: number, args: (y0: number, y1: number, thread: 0 | 1) => number[]): void {
    if (this.parallel(pixels) && height > 1) {
      const mid = height >> 1;
      this.both(name, args(0, mid, 0), args(mid, height, 1));
    } else {
      (this.k[name] as (...a: number[]) => void)(...args(0, height, 0));
    }
  }

  /**
   * Splits pixels 0 .. n between the threads (or runs them all here): args(from, to). The split is
   * a multiple of 4 pixels, the kernels' step.
   */
  pixels(name: 'packWeighted' | 'composite', n: number, args: (from: number, to: number) => number[]): void {
    if (this.parallel(n)) {
      const mid = (n >> 1) & ~3;
      this.both(name, args(0, mid), args(mid, n));
    } else {
      (this.k[name] as (...a: number[]) => void)(...args(0, n));
    }
  }

  stop(): void {
    if (this.worker) void this.worker.terminate();
    this.worker = null;
  }
}

let compiled: object | null | undefined;
let engine: PixelEngine | null = null;
let enabled = true;

/**
 * Turns the WebAssembly kernels off (false) or back on: the plain TypeScript filters then run,
 * which the tests use as the reference for the kernels. Returns the previous setting.
 */
export function useWasmPixels(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** The engine, or null when turned off, when dist/pixels.wasm is missing or wasm SIMD / threads are unsupported. */
export function pixelEngine(): PixelEngine | null {
  if (!enabled) return null;
  if (compiled === undefined) {
    const file = packageFile(import.meta.url, 'pixels.wasm');
    try {
      compiled = file === undefined || wasmApi === undefined ? null : new wasmApi.Module(readFileSync(file));
    } catch {
      compiled = null;
    }
  }
  if (compiled === null || wasmApi === undefined) return null;
  if (!engine) {
    try {
      engine = new PixelEngine(compiled, new wasmApi.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }));
    } catch {
      compiled = null;
      return null;
    }
  }
  return engine;
}

/**
 * Byte offsets for buffers of the given byte sizes placed from `from` (default: after a 1 KiB
 * reserve), 16-byte aligned, with the memory grown to hold them; `end` is where free memory
 * starts. Null when they would not fit in 4 GiB (the caller falls back to TypeScript). Views on
 * `memory.buffer` must be taken after this call.
 */
export function layout(e: PixelEngine, sizes: readonly number[], from = 1024): { offsets: number[]; end: number } | null {
  const offsets: number[] = [];
  let end = from;
  for (const size of sizes) {
    offsets.push(end);
    // 16 spare bytes (the byte kernels read past the end), 16-byte aligned; not `& ~15`, which
    // wraps above 2 GiB.
    end += Math.ceil((size + 16) / 16) * 16;
  }
  if (end > MAX_PAGES * 65536) return null;
  const have = e.memory.buffer.byteLength;
  try {
    if (end > have) e.memory.grow(Math.ceil((end - have) / 65536));
  } catch {
    return null; // the system would not commit that much: the TypeScript path allocates per array
  }
  return { offsets, end };
}

/** Drops an oversized heap once a call is done (see KEEP_BYTES). */
export function releaseIfLarge(e: PixelEngine): void {
  if (e.memory.buffer.byteLength > KEEP_BYTES && engine === e) {
    e.stop();
    engine = null;
  }
}

/** Copies an int32 table into wasm memory at `at`. */
export function putInt32(e: PixelEngine, at: number, values: Int32Array): void {
  new Int32Array(e.memory.buffer, at, values.length).set(values);
}

/** Int32 table of reflect101(i - r, n) * scale for i in 0 .. n + 2r (a window's source index per position). */
export function reflectTable(n: number, r: number, scale: number): Int32Array {
  const t = new Int32Array(n + 2 * r + 1);
  for (let i = 0; i < t.length; i++) t[i] = reflect101(i - r, n) * scale;
  return t;
}

/**
 * A copy of `length` elements at byte offset `at` in a fresh array. Not `subarray().slice()`:
 * V8 copies out of shared memory element by element there, several times slower than `set`.
 */
export function copyOut<T extends Float32Array | Uint8Array>(
  e: PixelEngine,
  Type: { new (buffer: ArrayBufferLike, at: number, length: number): T; new (length: number): T },
  at: number,
  length: number,
): T {
  const out = new Type(length);
  out.set(new Type(e.memory.buffer, at, length));
  return out;
}

import { isMainThread } from 'node:worker_threads';
import { assertKnownOptions, rangeError, typeError } from '../errors.js';
import { GemmEngine, threadReason } from './gemm-engine.js';
import { compileGemm, type GemmModule } from './gemm-module.js';

/** Which kernels run the wasm backend's matrix products and convolutions. */
export type KernelSet = 'aiffel' | 'xnnpack';

/** What `engineStatus()` reports. */
export interface EngineStatus {
  /** The kernel set asked for (`ready({ kernels })`). */
  kernels: KernelSet;
  /** Whether our GEMM engine runs the products (false: tfjs's XNNPACK kernels do). */
  active: boolean;
  /** Whether the relaxed-SIMD (fused multiply-add) build is in use. */
  fma: boolean;
  /** Threads one large product runs on. */
  threads: number;
  /** Why the engine, its fused multiply-add build or its second thread is not in use. */
  reasons: string[];
}

/** Above this much memory (the operands of one huge call) the engine is dropped after the call. */
const KEEP_BYTES = 1024 * 2 ** 20;

/** Products smaller than this many multiply-adds stay on XNNPACK: copying operands would cost more than it saves. */
export const ENGINE_MIN_MADDS = 1 << 18;
/** Below this many multiply-adds a second thread costs more in hand-off than it saves. */
export const PARALLEL_MADDS = 1 << 21;

let kernels: KernelSet = 'aiffel';
let minMadds = ENGINE_MIN_MADDS;
let parallelMadds = PARALLEL_MADDS;
let winogradOn = true;
let forceFma: boolean | undefined;
let threadsWanted: number | undefined;
let compiled: GemmModule | null | undefined;
let engine: GemmEngine | null | undefined;
let failure: string | undefined;

/** What `configureEngine` takes (each key optional; absent keys keep their setting). */
export interface EngineOptions {
  /** `'aiffel'` (our engine, default) or `'xnnpack'` (tfjs's kernels). */
  kernels?: KernelSet;
  /** false: the plain-SIMD build even where relaxed SIMD validates; undefined: the best that validates. */
  fma?: boolean;
  /** 1: every product on the calling thread; 2: large ones split with a helper thread. Default 2 on the main thread, 1 in workers. */
  threads?: number;
  /** Smallest product (multiply-adds) the engine takes; smaller ones go to XNNPACK. Default 2^18. */
  minMadds?: number;
  /** Smallest product split over two threads. Default 2^21. */
  parallelMadds?: number;
  /** false: 3x3 stride-1 convolutions by im2col like the others instead of Winograd F(2x2, 3x3). Default true. */
  winograd?: boolean;
}

/**
 * Chooses the kernel set and (for tests and diagnosis) the engine's build, thread count and size
 * thresholds. Changing the build or threads drops the current engine; the next product makes a
 * new one.
 */
export function configureEngine(options: EngineOptions): void {
  assertKnownOptions('configureEngine(options)', options, ['kernels', 'fma', 'threads', 'minMadds', 'parallelMadds', 'winograd']);
  if (options.winograd !== undefined && typeof options.winograd !== 'boolean') throw typeError('options.winograd', 'a boolean', options.winograd);
  if (options.winograd !== undefined) winogradOn = options.winograd;
  if (options.kernels !== undefined && options.kernels !== 'aiffel' && options.kernels !== 'xnnpack')
    throw rangeError('options.kernels', "'aiffel' or 'xnnpack'", options.kernels);
  if (options.fma !== undefined && typeof options.fma !== 'boolean') throw typeError('options.fma', 'a boolean', options.fma);
  if (options.threads !== undefined && options.threads !== 1 && options.threads !== 2) throw rangeError('options.threads', '1 or 2', options.threads);
  for (const key of ['minMadds', 'parallelMadds'] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw rangeError(`options.${key}`, 'a non-negative integer', v);
  }
  if (options.kernels !== undefined) kernels = options.kernels;
  if (options.minMadds !== undefined) minMadds = options.minMadds;
  if (options.parallelMadds !== undefined) {
    parallelMadds = options.parallelMadds;
    if (engine) engine.parallelMadds = parallelMadds;
  }
  if ('fma' in options && options.fma !== forceFma) {
    forceFma = options.fma;
    compiled = undefined;
    dropEngine();
  }
  if ('threads' in options && options.threads !== threadsWanted) {
    threadsWanted = options.threads;
    dropEngine();
  }
}

function dropEngine(): void {
  engine?.stop();
  engine = undefined;
  if (compiled !== null) failure = undefined;
}

/** The compiled module for the chosen build (cached), or null when it cannot load here (`failure` says why). */
function gemmModule(): GemmModule | null {
  if (compiled === undefined) {
    try {
      compiled = compileGemm(import.meta.url, forceFma === undefined ? {} : { fma: forceFma });
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
      compiled = null;
    }
  }
  return compiled;
}

/** Threads a new engine gets: inside a worker thread (a data-parallel pool) the other threads already use the cores. */
function threadsFor(): number {
  return threadsWanted ?? (isMainThread ? 2 : 1);
}

/**
 * The engine, made on the first product that needs it (its memory and scratch are not taken
 * before), or null when the XNNPACK set is chosen or the engine cannot load here (see `engineStatus`).
 */
export function gemmEngine(): GemmEngine | null {
  if (kernels !== 'aiffel') return null;
  if (engine === undefined) {
    const module = gemmModule();
    if (module === null) return null;
    try {
      engine = new GemmEngine(module, threadsFor());
      engine.parallelMadds = parallelMadds;
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
      engine = null;
    }
  }
  return engine;
}

/** Whether 3x3 stride-1 convolutions go by Winograd F(2x2, 3x3). */
export function winogradEnabled(): boolean {
  return winogradOn;
}

/** Whether a product of `madds` multiply-adds goes to the engine (when it is on). */
export function worthTheEngine(madds: number): boolean {
  return madds >= minMadds;
}

/** Frees the engine's memory when one call grew it past KEEP_BYTES; staged operands are forgotten either way. */
export function afterCall(e: GemmEngine): void {
  e.reset();
  if (e.memory.buffer.byteLength > KEEP_BYTES && engine === e) dropEngine();
}

/**
 * Whether our kernels are in use and, if not, why; also which build and how many threads. It
 * compiles the module (to know the build) but does not make the engine: that waits for a product.
 */
export function engineStatus(): EngineStatus {
  const module = kernels === 'aiffel' ? gemmModule() : null;
  const usable = module !== null && engine !== null;
  const reasons: string[] = [];
  if (kernels !== 'aiffel') reasons.push("kernels: 'xnnpack' was chosen");
  else if (!usable) reasons.push(failure ?? 'the engine did not load');
  if (usable && module.fmaReason !== undefined) reasons.push(`no fused multiply-add: ${module.fmaReason}`);
  const threads = engine ? engine.threads : threadsFor();
  const oneThread = usable ? (engine ? engine.threadReason : threadReason(threads)) : undefined;
  if (oneThread !== undefined) reasons.push(`one thread: ${oneThread}`);
  return { kernels, active: usable, fma: usable ? module.fma : false, threads: !usable || oneThread !== undefined ? 1 : threads, reasons };
}

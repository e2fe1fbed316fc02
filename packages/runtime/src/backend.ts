import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installChainedOps } from './chained-ops.js';
import { configureEngine, type EngineStatus, engineStatus, type KernelSet } from './engine/engine-state.js';
import { assertKnownOptions, rangeError, typeError } from './errors.js';
import { registerBatchNormGradient } from './kernels/batch-norm-grad.js';
import { ENGINE_WASM_KERNELS, registerEngineKernels, registerWasmTrainingKernels } from './kernels/register.js';

export type BackendName = 'wasm' | 'cpu';

export interface ReadyOptions {
  /** Backend to activate. Default `'wasm'` (30-50x the cpu backend on matmul-heavy work). */
  backend?: BackendName;
  /**
   * Where the `.wasm` binaries are: a URL or path prefix ending in `/`. Default in Node: the
   * `dist/` folder of the installed `@tensorflow/tfjs-backend-wasm` (no network). In a browser the
   * default is tfjs's own (next to the script); set this to serve them from your assets.
   */
  wasmPath?: string;
  /** Register the wasm gradient kernels training needs. Default true. */
  trainingKernels?: boolean;
  /** Replace slow wasm gradient kernels with faster compositions. Default true. */
  fastGradients?: boolean;
  /** Fall back to the cpu backend if wasm fails to initialise. Default false: a failure throws. */
  fallbackToCpu?: boolean;
  /**
   * Who runs the wasm backend's matrix products and convolutions: `'aiffel'` (default), our GEMM
   * engine (fused multiply-add where the engine validates relaxed SIMD, both cores on one product),
   * falling back per call to tfjs's kernels for what it does not take; `'xnnpack'`, tfjs's own.
   */
  kernels?: KernelSet;
}

export interface RuntimeInfo {
  /** The active backend. */
  backend: BackendName;
  /** Whether wasm SIMD is in use (wasm backend only). */
  simd: boolean;
  /** Kernels this runtime registered on the wasm backend. */
  registeredKernels: string[];
  /** tfjs-core version. */
  tfjsVersion: string;
  /** The GEMM engine: whether it is active, its build and threads, and why not where it is not. */
  engine: EngineStatus;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
const READY_OPTIONS = ['backend', 'wasmPath', 'trainingKernels', 'fastGradients', 'fallbackToCpu', 'kernels'] as const;

// What setWasmPaths was last given ('' = the installed files), and whether wasm has started with it.
let wasmPathsKey: string | undefined;
let wasmStarted = false;
let pending: Promise<RuntimeInfo> | undefined;
let pendingKey = '';
// Starts run one after another: two interleaved starts (wasm's is slow, cpu's quick) used to let
// the slower one switch the backend last, so `ready({ backend: 'cpu' })` reported 'cpu' while
// wasm ended up active.
let startQueue: Promise<unknown> = Promise.resolve();

/**
 * Points tfjs at the .wasm files. A failed start (a wrong `wasmPath`) must not stick: the next
 * call without a path goes back to the installed files. Once wasm has started, its files cannot
 * change (tfjs refuses), so a different `wasmPath` is an error that says so rather than ignored.
 */
async function configureWasmPaths(wasmPath: string | undefined): Promise<void> {
  if (wasmPath === undefined) {
    if (wasmStarted || wasmPathsKey === '') return;
    if (isNode) {
      const { resolveWasmDir, wasmFileMap } = await import('./wasm-paths.js');
      setWasmPaths(wasmFileMap(resolveWasmDir()));
    }
    wasmPathsKey = '';
    return;
  }
  if (wasmPathsKey === wasmPath) return;
  if (wasmStarted)
    throw rangeError(
      'options.wasmPath',
      `the files wasm already started with (${wasmPathsKey === '' ? 'the installed package' : JSON.stringify(wasmPathsKey)}); a path is chosen before the first ready()`,
      wasmPath,
    );
  // tfjs's wasm backend cannot be pointed elsewhere once a start has aborted, so a local path
  // without the files would break every later ready(): check it before tfjs sees it.
  if (isNode && !/^https?:/i.test(wasmPath)) {
    const { existsSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const dir = wasmPath.startsWith('file:') ? fileURLToPath(wasmPath) : wasmPath;
    if (!['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'].some((f) => existsSync(`${dir}${f}`)))
      throw rangeError('options.wasmPath', 'a prefix (ending in /) of a folder with tfjs-backend-wasm*.wasm files', wasmPath);
  }
  setWasmPaths(wasmPath);
  wasmPathsKey = wasmPath;
}

async function activate(options: ReadyOptions): Promise<RuntimeInfo> {
  installChainedOps();
  registerBatchNormGradient();
  const backend = options.backend ?? 'wasm';
  let registeredKernels: string[] = [];
  if (backend === 'wasm') {
    try {
      await configureWasmPaths(options.wasmPath);
      // Kernels are registered before the backend starts so their setup functions run with it.
      if (options.trainingKernels ?? true) {
        registeredKernels = registerWasmTrainingKernels({ fastGradients: options.fastGradients ?? true });
      }
      registerEngineKernels();
      registeredKernels = [...new Set([...registeredKernels, ...ENGINE_WASM_KERNELS.filter((k) => getKernel(k, 'wasm') !== undefined)])];
      configureEngine({ kernels: options.kernels ?? 'aiffel' });
      const ok = await tf.setBackend('wasm');
      if (!ok) throw new Error('tf.setBackend("wasm") returned false');
      await tf.ready();
      wasmStarted = true;
    } catch (err) {
      if (err instanceof RangeError) throw err;
      if (!options.fallbackToCpu) {
        throw new Error(`@aiffel/runtime: the wasm backend failed to initialise: ${(err as Error).message}`, { cause: err });
      }
      await tf.setBackend('cpu');
      await tf.ready();
      return { backend: 'cpu', simd: false, registeredKernels: [], tfjsVersion: tf.version_core, engine: cpuEngineStatus() };
    }
  } else {
    await tf.setBackend('cpu');
    await tf.ready();
  }
  const simd = backend === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
  return { backend, simd, registeredKernels, tfjsVersion: tf.version_core, engine: backend === 'wasm' ? engineStatus() : cpuEngineStatus() };
}

function cpuEngineStatus(): EngineStatus {
  return { kernels: 'xnnpack', active: false, fma: false, threads: 1, reasons: ['the cpu backend is active (the engine serves the wasm backend)'] };
}

/**
 * Activates a tfjs backend (wasm by default) and registers the kernels training needs. Safe to call
 * many times and from many packages: calls with the same options share one initialisation.
 *
 * @throws RangeError for an unknown backend or option; Error when wasm cannot start and
 *   `fallbackToCpu` is false.
 */
export function ready(options: ReadyOptions = {}): Promise<RuntimeInfo> {
  assertKnownOptions('ready(options)', options, READY_OPTIONS);
  const backend = options.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw rangeError('options.backend', "'wasm' or 'cpu'", backend);
  if (options.wasmPath !== undefined && typeof options.wasmPath !== 'string') {
    throw typeError('options.wasmPath', 'a string path or URL prefix', options.wasmPath);
  }
  if (options.kernels !== undefined && options.kernels !== 'aiffel' && options.kernels !== 'xnnpack')
    throw rangeError('options.kernels', "'aiffel' or 'xnnpack'", options.kernels);
  const key = JSON.stringify([
    backend,
    options.wasmPath,
    options.trainingKernels ?? true,
    options.fastGradients ?? true,
    options.fallbackToCpu ?? false,
    options.kernels ?? 'aiffel',
  ]);
  if (pending === undefined || key !== pendingKey) {
    pendingKey = key;
    const p = startQueue.then(() => activate(options));
    startQueue = p.catch(() => undefined);
    // A failed start must not be cached: the next call may be made with other options.
    p.catch(() => {
      if (pending === p) pending = undefined;
    });
    pending = p;
  }
  return pending;
}

/**
 * Makes sure some backend is active before tensors are created: starts the default (wasm) one
 * only when none is, so a caller's earlier choice (e.g. `ready({ backend: 'cpu' })`) stands.
 */
export async function ensureBackend(): Promise<void> {
  if (tf.engine().backendName) return;
  await ready();
}

export { tf };

import { getKernel, getKernelsForBackend, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { makeBatchMatMul } from './batch-matmul.js';
import { makeConv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { makeConv2DBackpropInput } from './conv2d-backprop-input.js';
import { isEngineKernel } from './engine-call.js';
import { makeEngineConv2D, makeEngineConv2DBackpropFilter, makeEngineFusedConv2D } from './engine-conv2d.js';
import { makeEngineBatchMatMul, makeEngineFusedMatMul } from './engine-matmul.js';
import { makeLeadingAxesMean, makeLeadingAxesSum } from './leading-axes-reduce.js';
import { makeMaxPoolGrad } from './max-pool-grad.js';
import { makeSharedIdentity } from './shared-identity.js';
import { makeUnsortedSegmentSum } from './unsorted-segment-sum.js';

/** Kernels tfjs-backend-wasm lacks, which training needs. */
export const ADDED_WASM_KERNELS = ['Conv2DBackpropFilter', 'UnsortedSegmentSum'] as const;
/** wasm kernels we replace with faster ones (compositions of its fast kernels, or single passes over the heap). */
export const OVERRIDDEN_WASM_KERNELS = ['Conv2DBackpropInput', 'BatchMatMul', 'MaxPoolGrad', 'Sum', 'Mean'] as const;
/** wasm kernels we replace so that training holds less memory (Identity shares instead of copying). */
export const MEMORY_WASM_KERNELS = ['Identity'] as const;
/**
 * Kernels the GEMM engine runs (when `ready({ kernels: 'aiffel' })`, the default), each handing
 * the calls it does not take to the kernel registered before it.
 */
export const ENGINE_WASM_KERNELS = ['BatchMatMul', '_FusedMatMul', 'Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter'] as const;
const ENGINE_MAKERS: Record<(typeof ENGINE_WASM_KERNELS)[number], (fallback: KernelConfig) => KernelConfig> = {
  BatchMatMul: makeEngineBatchMatMul,
  _FusedMatMul: makeEngineFusedMatMul,
  Conv2D: makeEngineConv2D,
  FusedConv2D: makeEngineFusedConv2D,
  Conv2DBackpropFilter: makeEngineConv2DBackpropFilter,
};

const ORIGINALS_KEY = Symbol.for('@aiffel/runtime.originalWasmKernels');

/**
 * The wasm backend's own kernel configs, captured before we replace any. Kept on globalThis so a
 * second copy of this module (ESM and CJS builds loaded in one process) sees the same originals
 * instead of capturing our overrides as "originals" and recursing.
 */
function originals(): Map<string, KernelConfig> {
  const g = globalThis as unknown as Record<symbol, Map<string, KernelConfig> | undefined>;
  let map = g[ORIGINALS_KEY];
  if (map === undefined) {
    map = new Map();
    for (const name of [
      ...OVERRIDDEN_WASM_KERNELS,
      ...MEMORY_WASM_KERNELS,
      '_FusedMatMul',
      'FusedConv2D',
      'Conv2D',
      'Transpose',
      'Reverse',
      'Reshape',
      'PadV2',
      'Slice',
      'StridedSlice',
      'Concat',
    ]) {
      const k = getKernel(name, 'wasm');
      if (k !== undefined) map.set(name, k);
    }
    g[ORIGINALS_KEY] = map;
  }
  return map;
}

function replace(config: KernelConfig): void {
  if (getKernel(config.kernelName, 'wasm') !== undefined) unregisterKernel(config.kernelName, 'wasm');
  registerKernel(config);
}

export interface TrainingKernelOptions {
  /** Replace the slow wasm Conv2DBackpropInput, transposed BatchMatMul, MaxPoolGrad and leading-axes Sum / Mean with faster kernels. Default true. */
  fastGradients?: boolean;
}

/**
 * Registers on the wasm backend every kernel that conv-net and embedding/LSTM training need and it
 * lacks, the sharing Identity (MEMORY_WASM_KERNELS), and (by default) the faster gradient kernels.
 * Idempotent.
 */
export function registerWasmTrainingKernels(options: TrainingKernelOptions = {}): string[] {
  const fast = options.fastGradients ?? true;
  const orig = originals();
  const configs: KernelConfig[] = [makeConv2DBackpropFilter(orig), makeUnsortedSegmentSum(), makeSharedIdentity()];
  if (fast) configs.push(makeConv2DBackpropInput(orig), makeBatchMatMul(orig), makeMaxPoolGrad(orig), makeLeadingAxesSum(orig), makeLeadingAxesMean(orig));
  else
    for (const name of OVERRIDDEN_WASM_KERNELS) {
      const k = orig.get(name);
      if (k !== undefined) replace(k);
    }
  for (const c of configs) replace(c);
  registerEngineKernels();
  return configs.map((c) => c.kernelName);
}

/**
 * Puts the GEMM engine's kernels in front of the wasm backend's (or our compositions) for
 * ENGINE_WASM_KERNELS. Whether they run is decided per call (`ready({ kernels })`), so this is
 * done once and is idempotent. Returns the names wrapped.
 */
export function registerEngineKernels(): string[] {
  originals(); // captured before any is wrapped, so "the wasm backend's own" never means ours
  const wrapped: string[] = [];
  for (const name of ENGINE_WASM_KERNELS) {
    const current = getKernel(name, 'wasm');
    if (current === undefined || isEngineKernel(current)) continue;
    replace(ENGINE_MAKERS[name](current));
    wrapped.push(name);
  }
  return wrapped;
}

/** Names of kernels registered for `backend` (for diagnostics). */
export function kernelNames(backend: string): string[] {
  return getKernelsForBackend(backend).map((k) => k.kernelName);
}

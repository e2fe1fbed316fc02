import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { afterCall, gemmEngine } from '../engine/engine-state.js';
import type { GemmEngine } from '../engine/gemm-engine.js';
import type { GemmJob } from '../engine/gemm-job.js';
import type { WasmBackendLike } from './kernel-scope.js';

const ENGINE_KERNEL = Symbol.for('@aiffel/runtime.engineKernel');

/** Whether `config` is one of the engine's kernels (so it is not wrapped twice). */
export function isEngineKernel(config: KernelConfig | undefined): boolean {
  return config !== undefined && (config as unknown as Record<symbol, unknown>)[ENGINE_KERNEL] === true;
}

/**
 * A kernel that runs on the GEMM engine when `plan` returns a job for the call and hands the call
 * to `fallback` (the kernel registered before it) when the engine is off or `plan` declines (a
 * dtype, layout, activation or size it does not take).
 */
export function engineKernel(fallback: KernelConfig, plan: (args: Parameters<KernelFunc>[0], engine: GemmEngine) => TensorInfo | null): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const engine = gemmEngine();
    const out = engine === null ? null : plan(args, engine);
    return out ?? (fallback.kernelFunc(args) as TensorInfo);
  };
  return { ...fallback, kernelFunc: kernelFunc as KernelFunc, [ENGINE_KERNEL]: true } as KernelConfig;
}

/**
 * Copies `operands` (undefined ones are skipped: offset -1) from tfjs's heap into the engine,
 * lets `compute` fill the output from their offsets, and copies the result into a new float32
 * tensor of `outShape`. The engine's staged memory is released whatever happens.
 */
export function computeOnEngine(
  backend: WasmBackendLike,
  engine: GemmEngine,
  operands: readonly (TensorInfo | undefined)[],
  outShape: number[],
  compute: (at: number[], out: number) => void,
): TensorInfo {
  try {
    const at = operands.map((t) => (t === undefined ? -1 : engine.stage(backend.typedArrayFromHeap(t) as Float32Array)));
    const size = sizeOf(outShape);
    const out = engine.alloc(size);
    compute(at, out);
    // The view on tfjs's heap is taken after makeOutput, which may grow (and so move) that heap.
    const info = backend.makeOutput(outShape, 'float32');
    (backend.typedArrayFromHeap(info) as Float32Array).set(engine.floats(out, size));
    return info;
  } finally {
    afterCall(engine);
  }
}

/** `computeOnEngine` for one product: the job `build` makes from the operands' offsets and the output's. */
export function runOnEngine(
  backend: WasmBackendLike,
  engine: GemmEngine,
  operands: readonly (TensorInfo | undefined)[],
  outShape: number[],
  build: (at: number[], out: number) => GemmJob,
): TensorInfo {
  return computeOnEngine(backend, engine, operands, outShape, (at, out) => engine.run(build(at, out)));
}

/** The engine's epilogue name for a tfjs fused activation, or undefined when the engine has none for it. */
export function engineActivation(activation: unknown): 'linear' | 'relu' | 'relu6' | undefined {
  if (activation === undefined || activation === null || activation === 'linear') return 'linear';
  if (activation === 'relu' || activation === 'relu6') return activation;
  return undefined;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

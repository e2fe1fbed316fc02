import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type WasmBackendLike, withScope } from './kernel-scope.js';

/**
 * BatchMatMul with transposeA / transposeB done as an explicit Transpose followed by a plain
 * matmul. The wasm kernel's transposed paths are far slower here: transposed A ~8x (25088x128
 * operands: 0.81 s vs 0.10 s; every dense layer's weight gradient x^T · dy takes it), transposed B
 * ~10x (1024x4000 · (256x4000)^T: 1.4 s vs 0.13 s; every dense layer's input gradient dy · W^T
 * takes it).
 */
export function makeBatchMatMul(originals: ReadonlyMap<string, KernelConfig>): KernelConfig {
  const original = originals.get('BatchMatMul');
  if (original === undefined) throw new Error('@aiffel/runtime: the wasm backend has no BatchMatMul kernel');
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc(args) as TensorInfo;
    return withScope(backend as unknown as WasmBackendLike, originals, (scope) => {
      const swapLast = (x: TensorInfo): TensorInfo => {
        const rank = x.shape.length;
        return scope.run('Transpose', { x }, { perm: [...Array(rank - 2).keys(), rank - 1, rank - 2] });
      };
      return scope.run('BatchMatMul', { a: transposeA ? swapLast(a) : a, b: transposeB ? swapLast(b) : b }, { ...attrs, transposeA: false, transposeB: false });
    });
  };
  return { ...original, kernelFunc: kernelFunc as KernelFunc };
}

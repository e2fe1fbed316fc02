import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type WasmBackendLike, withScope } from './kernel-scope.js';

/**
 * BatchMatMul with transposeA done as an explicit Transpose followed by a plain matmul. The wasm
 * kernel's transposed-A path is ~8x slower here (25088x128 operands: 0.81 s vs 0.10 s), and
 * every dense layer's weight gradient (x^T · dy) takes that path.
 */
export function makeBatchMatMul(originals: ReadonlyMap<string, KernelConfig>): KernelConfig {
  const original = originals.get('BatchMatMul');
  if (original === undefined) throw new Error('@aiffel/runtime: the wasm backend has no BatchMatMul kernel');
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    if (!(attrs as { transposeA?: boolean }).transposeA) return original.kernelFunc(args) as TensorInfo;
    return withScope(backend as unknown as WasmBackendLike, originals, (scope) => {
      const rank = a.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      const at = scope.run('Transpose', { x: a }, { perm });
      return scope.run('BatchMatMul', { a: at, b }, { ...attrs, transposeA: false });
    });
  };
  return { ...original, kernelFunc: kernelFunc as KernelFunc };
}

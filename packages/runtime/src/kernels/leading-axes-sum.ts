import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';

/**
 * Sum over leading axes (a bias gradient: dy [N, H, W, C] summed to [C]) as column sums over the
 * heap, in float64. The wasm kernel transposes the reduced axes to the end first, a full copy of
 * dy: the 13 bias gradients of a VGG-16 step at batch 8 took 0.96 s that way. Every other sum goes
 * to the wasm kernel.
 */
export function makeLeadingAxesSum(originals: ReadonlyMap<string, KernelConfig>): KernelConfig {
  const original = originals.get('Sum');
  if (original === undefined) throw new Error('@aiffel/runtime: the wasm backend has no Sum kernel');
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return original.kernelFunc(args) as TensorInfo;
    const rest = x.shape.slice(axes.length);
    const cols = util.sizeFromShape(rest);
    const rows = util.sizeFromShape(x.shape) / Math.max(cols, 1);
    const wasm = backend as unknown as WasmBackendLike;
    const out = wasm.makeOutput(keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
    // Views after makeOutput, which may grow (and so move) the heap.
    const src = wasm.typedArrayFromHeap(x) as Float32Array;
    const dst = wasm.typedArrayFromHeap(out) as Float32Array;
    const acc = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) acc[c] = (acc[c] as number) + (src[o + c] as number);
    }
    dst.set(acc);
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as KernelFunc };
}

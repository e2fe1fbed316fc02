import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';

/**
 * Sum and Mean over leading axes (a bias gradient: dy [N, H, W, C] summed to [C]; batch norm's
 * statistics and their gradients) as column sums over the heap, in float64. The wasm kernels
 * transpose the reduced axes to the end first, a full copy of the input: the 13 bias gradients
 * of a VGG-16 step at batch 8 took 0.96 s that way. Every other reduction goes to the wasm kernel.
 */
export function makeLeadingAxesSum(originals: ReadonlyMap<string, KernelConfig>): KernelConfig {
  return leadingAxesReduce(originals, 'Sum');
}

/** Mean over leading axes: the column sums divided by the rows, rounded once (see makeLeadingAxesSum). */
export function makeLeadingAxesMean(originals: ReadonlyMap<string, KernelConfig>): KernelConfig {
  return leadingAxesReduce(originals, 'Mean');
}

/** `kind` over leading axes: the column sums, divided by the reduced count for Mean. */
function leadingAxesReduce(originals: ReadonlyMap<string, KernelConfig>, kind: 'Sum' | 'Mean'): KernelConfig {
  const original = originals.get(kind);
  if (original === undefined) throw new Error(`@aiffel/runtime: the wasm backend has no ${kind} kernel`);
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
    const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
    const wasm = backend as unknown as WasmBackendLike;
    const out = wasm.makeOutput(keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
    // Views after makeOutput, which may grow (and so move) the heap.
    const sums = columnSums(wasm.typedArrayFromHeap(x) as Float32Array, rows, cols);
    // An empty batch gives 0, as the cpu backend does (not 0 / 0).
    if (kind === 'Mean' && rows > 0) for (let c = 0; c < cols; c++) sums[c] = (sums[c] as number) / rows;
    (wasm.typedArrayFromHeap(out) as Float32Array).set(sums);
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as KernelFunc };
}

/** Column sums of a row-major [rows, cols] matrix in float64, four rows per step (3x fewer accumulator writes). */
export function columnSums(src: Float32Array, rows: number, cols: number): Float64Array {
  const acc = new Float64Array(cols);
  const c2 = 2 * cols;
  const c3 = 3 * cols;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const i = o + c;
      acc[c] = (acc[c] as number) + ((src[i] as number) + (src[i + cols] as number) + (src[i + c2] as number) + (src[i + c3] as number));
    }
  }
  for (; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) acc[c] = (acc[c] as number) + (src[o + c] as number);
  }
  return acc;
}

import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';

/**
 * MaxPoolGrad in one pass over the wasm heap: each output's window is scanned once per channel row
 * (NHWC keeps a pixel's channels contiguous) and its gradient added where the first maximum is, as
 * the cpu backend picks it. tfjs-backend-wasm's own took 2.6 s of a 20 s VGG-16 training step at
 * batch 8 (five pools); this takes tens of milliseconds.
 */
export function makeMaxPoolGrad(originals: ReadonlyMap<string, KernelConfig>): KernelConfig {
  const original = originals.get('MaxPoolGrad');
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
      filterSize: [number, number] | number;
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
      if (original === undefined) throw new Error('@aiffel/runtime: the wasm backend has no MaxPoolGrad kernel');
      return original.kernelFunc(args) as TensorInfo;
    }
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const wasm = backend as unknown as WasmBackendLike;
    const out = wasm.makeOutput(input.shape, 'float32');
    // Views after makeOutput, which may grow (and so move) the heap.
    const dx = wasm.typedArrayFromHeap(out) as Float32Array;
    const x = wasm.typedArrayFromHeap(input) as Float32Array;
    const g = wasm.typedArrayFromHeap(dy) as Float32Array;
    dx.fill(0);
    scatterMaxGradients(x, g, dx, info);
    return out;
  };
  return { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}

/** dx[argmax of each window] += dy, NHWC, windows scanned row by row, first maximum wins. */
export function scatterMaxGradients(x: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  if (
    filterHeight === 2 &&
    filterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    top === 0 &&
    left === 0 &&
    2 * outHeight <= inHeight &&
    2 * outWidth <= inWidth
  ) {
    pairsOfPairs(x, dy, dx, batchSize, inHeight, inWidth, c, outHeight, outWidth);
    return;
  }
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(inWidth, x0 + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let yy = yStart; yy < yEnd; yy++) {
          for (let xx = xStart; xx < xEnd; xx++) {
            const base = ((b * inHeight + yy) * inWidth + xx) * c;
            for (let d = 0; d < c; d++) {
              const v = x[base + d] as number;
              if (v > (best[d] as number)) {
                best[d] = v;
                where[d] = base + d;
              }
            }
          }
        }
        const o = ((b * outHeight + oy) * outWidth + ox) * c;
        for (let d = 0; d < c; d++) {
          const at = where[d] as number;
          if (at >= 0) dx[at] = (dx[at] as number) + (dy[o + d] as number);
        }
      }
    }
  }
}

/**
 * The 2x2 stride-2 unpadded case (VGG's pools): windows do not overlap and lie inside the image,
 * so each output compares four values in registers and writes its pixel once (dx starts zero).
 */
function pairsOfPairs(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number, h: number, w: number, c: number, oh: number, ow: number): void {
  const row = w * c;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const a = ((b * h + 2 * oy) * w + 2 * ox) * c;
        const o = ((b * oh + oy) * ow + ox) * c;
        for (let d = 0; d < c; d++) {
          const p0 = a + d;
          const p1 = p0 + c;
          const p2 = p0 + row;
          const p3 = p2 + c;
          // Strict > in scan order from -Infinity: the first of equal maxima wins and a window of
          // NaN / -Infinity gets nothing, as the cpu backend picks it.
          let at = -1;
          let best = Number.NEGATIVE_INFINITY;
          if ((x[p0] as number) > best) {
            at = p0;
            best = x[p0] as number;
          }
          if ((x[p1] as number) > best) {
            at = p1;
            best = x[p1] as number;
          }
          if ((x[p2] as number) > best) {
            at = p2;
            best = x[p2] as number;
          }
          if ((x[p3] as number) > best) at = p3;
          if (at >= 0) dx[at] = dy[o + d] as number;
        }
      }
    }
  }
}

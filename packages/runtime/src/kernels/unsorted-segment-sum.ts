import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';

/**
 * UnsortedSegmentSum, missing from tfjs-backend-wasm and needed by the gradient of gather (every
 * embedding layer). A single pass over the wasm heap views: no copy out of the heap and no detour
 * through the cpu backend. Ids outside [0, numSegments) are dropped, as TensorFlow does.
 */
export function makeUnsortedSegmentSum(): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as unknown as { numSegments: number };
    const wasm = backend as unknown as WasmBackendLike;
    const idsRank = segmentIds.shape.length;
    const innerShape = x.shape.slice(idsRank);
    const inner = util.sizeFromShape(innerShape);
    const outShape = [numSegments, ...innerShape];
    const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
    const out = wasm.makeOutput(outShape, dtype);
    const outVals = wasm.typedArrayFromHeap(out);
    outVals.fill(0);
    const xVals = wasm.typedArrayFromHeap(x);
    const ids = wasm.typedArrayFromHeap(segmentIds);
    for (let i = 0; i < ids.length; i++) {
      const seg = ids[i] as number;
      if (seg < 0 || seg >= numSegments) continue;
      const src = i * inner;
      const dst = seg * inner;
      for (let j = 0; j < inner; j++) outVals[dst + j] = (outVals[dst + j] as number) + (xVals[src + j] as number);
    }
    return out;
  };
  return { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}

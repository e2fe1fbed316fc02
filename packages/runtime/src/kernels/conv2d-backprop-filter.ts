import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { type WasmBackendLike, withScope } from './kernel-scope.js';

/**
 * dW for a 2-D convolution, which tfjs-backend-wasm does not have.
 *
 * dW[kh, kw, :, :] = X_shift(kh, kw)^T · dY, where X_shift is the padded input sampled at the
 * output positions for that filter tap. We transpose the padded input once to channel-first so
 * each tap's window is a plain (strided) slice already laid out as [inC, N], then do one large
 * matmul per tap: fh*fw GEMMs of inC x N x outC, the same FLOPs as im2col without its
 * fh*fw-times-larger buffer.
 */
export function makeConv2DBackpropFilter(originals: ReadonlyMap<string, KernelConfig>): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: number | [number, number];
      pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    if (dataFormat === 'NCHW') {
      throw new Error('Conv2DBackpropFilter on wasm supports dataFormat NHWC only, got NCHW');
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { batchSize, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const { top, bottom, left, right } = info.padInfo;
    const n = batchSize * outHeight * outWidth;
    return withScope(backend as unknown as WasmBackendLike, originals, (scope) => {
      let xp = x;
      if (top !== 0 || bottom !== 0 || left !== 0 || right !== 0) {
        xp = scope.run(
          'PadV2',
          { x },
          {
            paddings: [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ],
            constantValue: 0,
          },
        );
      }
      const xt = scope.run('Transpose', { x: xp }, { perm: [3, 0, 1, 2] });
      const dy2 = scope.run('Reshape', { x: dy }, { shape: [1, n, outChannels] });
      const taps: TensorInfo[] = [];
      for (let kh = 0; kh < filterHeight; kh++) {
        for (let kw = 0; kw < filterWidth; kw++) {
          const begin = [0, 0, kh, kw];
          const size = [inChannels, batchSize, outHeight, outWidth];
          const window =
            strideHeight === 1 && strideWidth === 1
              ? scope.run('Slice', { x: xt }, { begin, size })
              : scope.run(
                  'StridedSlice',
                  { x: xt },
                  {
                    begin,
                    end: [inChannels, batchSize, kh + (outHeight - 1) * strideHeight + 1, kw + (outWidth - 1) * strideWidth + 1],
                    strides: [1, 1, strideHeight, strideWidth],
                    beginMask: 0,
                    endMask: 0,
                    ellipsisMask: 0,
                    newAxisMask: 0,
                    shrinkAxisMask: 0,
                  },
                );
          const a = scope.run('Reshape', { x: window }, { shape: [1, inChannels, n] });
          taps.push(scope.run('BatchMatMul', { a, b: dy2 }, { transposeA: false, transposeB: false }));
        }
      }
      const stacked = taps.length === 1 ? (taps[0] as TensorInfo) : scope.run('Concat', taps, { axis: 0 });
      return scope.run('Reshape', { x: stacked }, { shape: filterShape });
    });
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}

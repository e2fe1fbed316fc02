import * as tfc from '@tensorflow/tfjs-core';
import { type GradConfig, registerGradient, type Tensor, tidy } from '@tensorflow/tfjs-core';

/**
 * The gradient of FusedBatchNorm (what tfjs-layers' BatchNormalization runs), without the full-size
 * `tile` of tfjs-core's version: it tiles 1/sqrt(var) to the input's shape before multiplying,
 * which on the wasm backend cost a fifth of a conv net's training step. Broadcasting gives the
 * same values; the per-channel factor is folded once (scale / sqrt(var + eps)), so dx is one
 * full-size multiply.
 */
export const fusedBatchNormGrad: GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const g = dy as Tensor;
    const axes = tfc.backend_util.getReductionAxes(mean.shape, x.shape);
    // Summed back to the statistics' shape ([C] or broadcastable like [1, 1, 1, C]).
    const perChannel = (t: Tensor) => tfc.reshape(axes.length > 0 ? tfc.sum(t, axes) : t, mean.shape);
    const invStd = () => tfc.rsqrt(tfc.add(variance, varianceEpsilon));
    const scaleValue = () => scale ?? tfc.scalar(1);
    return {
      x: () => tidy(() => tfc.mul(g, tfc.mul(invStd(), scaleValue()))),
      mean: () => tidy(() => perChannel(tfc.mul(g, tfc.neg(tfc.mul(invStd(), scaleValue()))))),
      variance: () =>
        tidy(() => {
          const s = invStd();
          const factor = tfc.mul(tfc.mul(tfc.mul(s, s), s), tfc.mul(scaleValue(), -0.5));
          return perChannel(tfc.mul(tfc.mul(g, tfc.sub(x, mean)), factor));
        }),
      scale: () => tidy(() => perChannel(tfc.mul(tfc.mul(g, tfc.sub(x, mean)), invStd()))),
      offset: () => tidy(() => perChannel(g)),
    };
  },
};

/** Installs the broadcast gradient in place of tfjs-core's (for every backend). Idempotent. */
export function registerBatchNormGradient(): void {
  registerGradient(fusedBatchNormGrad);
}

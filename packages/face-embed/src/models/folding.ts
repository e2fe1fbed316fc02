import { tf } from '@aiffel/runtime';

/**
 * Folds a per-output-channel affine step (`y = x * scale + shift`, what a frozen batch norm or
 * dlib's "scale" layer is) into the filter and bias of the convolution before it, so inference
 * runs one fused conv + bias + activation kernel instead of four separate ops.
 *
 * The filter's last axis must be the output channel (conv2d `[h, w, in, out]`); for a depthwise
 * filter `[h, w, in, 1]` pass `depthwise` so the input axis is scaled.
 */
export function foldAffine(
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  scale: tf.Tensor1D,
  shift: tf.Tensor1D,
  depthwise = false,
): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  return tf.tidy(() => {
    const s = depthwise ? tf.reshape(scale, [1, 1, -1, 1]) : tf.reshape(scale, [1, 1, 1, -1]);
    const folded = tf.mul(filter, s) as tf.Tensor4D;
    const b = bias === null ? shift : (tf.add(tf.mul(bias, scale), shift) as tf.Tensor1D);
    return { filter: tf.keep(folded), bias: tf.keep(tf.clone(b)) };
  });
}

/** A frozen batch norm as `scale`/`shift`: gamma / sqrt(var + eps) and beta - mean * scale. */
export function batchNormAffine(
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  epsilon: number,
): { scale: tf.Tensor1D; shift: tf.Tensor1D } {
  return tf.tidy(() => {
    const scale = tf.div(gamma, tf.sqrt(tf.add(variance, epsilon))) as tf.Tensor1D;
    const shift = tf.sub(beta, tf.mul(mean, scale)) as tf.Tensor1D;
    return { scale: tf.keep(scale), shift: tf.keep(shift) };
  });
}

/** A convolution ready for `tf.fused.conv2d` / `tf.fused.depthwiseConv2d`. */
export interface FusedConv {
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}

export function disposeConv(c: FusedConv): void {
  c.filter.dispose();
  c.bias.dispose();
}

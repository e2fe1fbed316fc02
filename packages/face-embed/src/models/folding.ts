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

/** A depthwise 3x3 filter, then a pointwise conv with bias (tfjs `separableConv2d` + bias). */
export interface SeparableConv extends FusedConv {
  depthwise: tf.Tensor4D;
}

/** Runs a separable conv ('same' padding; the stride applies to the depthwise step). */
export function separableConv(x: tf.Tensor4D, c: SeparableConv, stride: 1 | 2 = 1): tf.Tensor4D {
  const d = tf.depthwiseConv2d(x, c.depthwise, stride, 'same');
  return tf.fused.conv2d({ x: d, filter: c.filter, strides: 1, pad: 'same', bias: c.bias });
}

export function disposeConv(c: FusedConv | SeparableConv): void {
  c.filter.dispose();
  c.bias.dispose();
  if ('depthwise' in c) c.depthwise.dispose();
}

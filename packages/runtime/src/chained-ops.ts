import * as tf from '@tensorflow/tfjs-core';
// Types only (erased at run time): the method declarations tfjs-core ships for the chained ops.
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

/**
 * tfjs-core's Node bundle does not install the chained tensor methods (`t.flatten()`, `t.add(b)`),
 * which only the umbrella `@tensorflow/tfjs` package imports; tfjs-layers calls them (the LSTM's
 * orthogonal initializer uses `flatten`). Rather than pull in the umbrella package and its WebGL
 * backend, we install them here: each is `op(this, ...args)` except the few adapters below.
 */
const DIRECT = `abs acos acosh add all any argMax argMin asin asinh atan atan2 atanh avgPool batchToSpaceND batchNorm
broadcastTo cast ceil clipByValue conv1d conv2d conv2dTranspose cos cosh cumprod cumsum depthToSpace depthwiseConv2d
dilation2d div divNoNan dot elu equal erf euclideanNorm exp expandDims expm1 fft floor floorDiv gather greater
greaterEqual ifft irfft isFinite isInf isNaN leakyRelu less lessEqual localResponseNormalization log log1p logSigmoid
logSoftmax logSumExp logicalAnd logicalNot logicalOr logicalXor matMul max maxPool maximum mean min minimum mirrorPad
mod mul neg norm notEqual oneHot onesLike pad pool pow prelu prod reciprocal relu relu6 reshape resizeBilinear
resizeNearestNeighbor reverse rfft round rsqrt selu separableConv2d sigmoid sign sin sinh slice softmax softplus
spaceToBatchND split sqrt square squaredDifference squeeze step stridedSlice sub sum tan tanh tile topk transpose
unique unsortedSegmentSum unstack zerosLike`.split(/\s+/);

type Method = (this: tf.Tensor, ...args: unknown[]) => unknown;

function adapters(): Record<string, Method> {
  return {
    flatten(this: tf.Tensor) {
      return tf.reshape(this, [this.size]);
    },
    as1D(this: tf.Tensor) {
      return tf.reshape(this, [this.size]);
    },
    as2D(this: tf.Tensor, ...s: unknown[]) {
      return tf.reshape(this, s as number[]);
    },
    as3D(this: tf.Tensor, ...s: unknown[]) {
      return tf.reshape(this, s as number[]);
    },
    as4D(this: tf.Tensor, ...s: unknown[]) {
      return tf.reshape(this, s as number[]);
    },
    as5D(this: tf.Tensor, ...s: unknown[]) {
      return tf.reshape(this, s as number[]);
    },
    asScalar(this: tf.Tensor) {
      if (this.size !== 1) throw new RangeError(`asScalar: the tensor must have exactly 1 element, got ${this.size}`);
      return tf.reshape(this, []);
    },
    reshapeAs(this: tf.Tensor, x: unknown) {
      return tf.reshape(this, (x as tf.Tensor).shape);
    },
    asType(this: tf.Tensor, dtype: unknown) {
      return tf.cast(this, dtype as tf.DataType);
    },
    toBool(this: tf.Tensor) {
      return tf.cast(this, 'bool');
    },
    toFloat(this: tf.Tensor) {
      return tf.cast(this, 'float32');
    },
    toInt(this: tf.Tensor) {
      return tf.cast(this, 'int32');
    },
    concat(this: tf.Tensor, x: unknown, axis: unknown) {
      const rest = x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]);
      return tf.concat([this, ...rest], axis as number | undefined);
    },
    stack(this: tf.Tensor, x: unknown, axis: unknown) {
      const rest = x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]);
      return tf.stack([this, ...rest], axis as number | undefined);
    },
    where(this: tf.Tensor, condition: unknown, x: unknown) {
      return tf.where(condition as tf.Tensor, this, x as tf.Tensor);
    },
  };
}

/** Installs any chained tensor method that is missing. Never replaces one that exists. */
export function installChainedOps(): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, Method | undefined>;
  const ops = tf as unknown as Record<string, ((...a: unknown[]) => unknown) | undefined>;
  for (const name of DIRECT) {
    const op = ops[name];
    if (proto[name] !== undefined || typeof op !== 'function') continue;
    proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
      this.throwIfDisposed();
      return op(this, ...args);
    };
  }
  for (const [name, fn] of Object.entries(adapters())) {
    if (proto[name] !== undefined) continue;
    proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
      this.throwIfDisposed();
      return fn.apply(this, args);
    };
  }
}

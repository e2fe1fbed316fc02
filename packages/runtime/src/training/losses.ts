import * as tf from '@tensorflow/tfjs-core';
import { rangeError } from '../errors.js';

export type LossName = 'mse' | 'mae' | 'huber' | 'binaryCrossentropy' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy';
export const LOSS_NAMES: readonly LossName[] = ['mse', 'mae', 'huber', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'];

/** A mean loss over the batch: `(yTrue, yPred) => scalar`. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/**
 * The loss for a task, as the course notes pair them: regression, a linear output and MSE (or
 * MAE / Huber); binary, one output and binary cross-entropy; multiclass, softmax outputs and
 * cross-entropy (labels one-hot, or class indices for the sparse form). With `fromLogits` the
 * model's outputs are logits and the sigmoid / softmax is folded into the loss, which is the
 * numerically stable way (log-sum-exp); otherwise they are probabilities, clipped to [1e-7, 1 - 1e-7].
 */
export function namedLoss(name: LossName, fromLogits = false): LossFn {
  switch (name) {
    case 'mse':
      return (y, p) => tf.mean(tf.square(tf.sub(p, y.reshape(p.shape)))) as tf.Scalar;
    case 'mae':
      return (y, p) => tf.mean(tf.abs(tf.sub(p, y.reshape(p.shape)))) as tf.Scalar;
    case 'huber':
      return (y, p) => tf.losses.huberLoss(y.reshape(p.shape), p) as tf.Scalar;
    case 'binaryCrossentropy':
      return (y, p) => {
        const t = y.reshape(p.shape);
        if (fromLogits) return tf.losses.sigmoidCrossEntropy(t, p) as tf.Scalar;
        const q = tf.clipByValue(p, 1e-7, 1 - 1e-7);
        return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q)))))) as tf.Scalar;
      };
    case 'categoricalCrossentropy':
    case 'sparseCategoricalCrossentropy':
      return (y, p) => {
        const k = p.shape[p.shape.length - 1] as number;
        const t = name === 'sparseCategoricalCrossentropy' ? tf.oneHot(tf.cast(y.reshape([-1]), 'int32'), k) : y.reshape(p.shape);
        if (fromLogits) return tf.losses.softmaxCrossEntropy(t, p) as tf.Scalar;
        return tf.neg(tf.mean(tf.sum(tf.mul(t, tf.log(tf.clipByValue(p, 1e-7, 1))), -1))) as tf.Scalar;
      };
    default:
      throw rangeError('options.loss', `one of ${LOSS_NAMES.join(', ')} or a function (yTrue, yPred) => scalar`, name);
  }
}

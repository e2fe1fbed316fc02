import { tf } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Kernels of the convolutions and dense layers: what the paper's L2 penalty covers (not biases or batch norm). */
export function decayedWeights(model: tfl.LayersModel): tf.Variable[] {
  const out: tf.Variable[] = [];
  // originalName: a second model in the process gets uniquified names (block1_conv1/kernel_1),
  // which `name` matching missed, silently training it without weight decay.
  for (const layer of model.layers) for (const w of layer.trainableWeights) if (w.originalName.endsWith('/kernel')) out.push(w.read() as tf.Variable);
  return out;
}

/**
 * The recipe's objective for a batch: mean cross-entropy of the model's probabilities in training
 * mode (dropout on, batch norm on batch statistics and updating its moving averages) plus
 * (weightDecay / 2) * sum of squared kernels. `crossEntropy` is the part without the penalty.
 */
export function recipeLoss(
  model: tfl.LayersModel,
  x: tf.Tensor,
  yOneHot: tf.Tensor,
  weightDecay: number,
  kernels: tf.Variable[],
): { total: tf.Scalar; crossEntropy: tf.Scalar } {
  const p = model.apply(x, { training: true }) as tf.Tensor;
  const ce = tf.neg(tf.mean(tf.sum(tf.mul(yOneHot, tf.log(tf.clipByValue(p, 1e-7, 1))), -1))) as tf.Scalar;
  if (weightDecay === 0 || kernels.length === 0) return { total: ce, crossEntropy: ce };
  const l2 = tf.addN(kernels.map((k) => tf.sum(tf.square(k))));
  return { total: tf.add(ce, tf.mul(weightDecay / 2, l2)) as tf.Scalar, crossEntropy: ce };
}

/**
 * One mini-batch step of the paper's recipe: `recipeLoss` minimised by `optimizer` (SGD with
 * momentum: v = momentum * v + g, w -= lr * v, as PyTorch with dampening 0). Returns the batch
 * loss without the penalty.
 */
export function sgdStep(model: tfl.LayersModel, optimizer: tf.Optimizer, x: tf.Tensor, yOneHot: tf.Tensor, weightDecay: number): number {
  const kernels = decayedWeights(model);
  let loss = Number.NaN;
  tf.tidy(() => {
    optimizer.minimize(() => {
      const { total, crossEntropy } = recipeLoss(model, x, yOneHot, weightDecay, kernels);
      loss = crossEntropy.dataSync()[0] as number;
      return total;
    });
  });
  return loss;
}

import type * as tf from '@tensorflow/tfjs-core';
import { rangeError, typeError } from '../errors.js';

/**
 * A model the Trainer can train: its trainable variables (in a fixed order) and a forward pass.
 * A tfjs-layers `LayersModel` is accepted as it is (its trainable weights, `apply(x, { training })`).
 */
export interface TrainableModel {
  variables: tf.Variable[];
  /** Variables the forward pass updates itself (batch norm's moving statistics); checkpointed, not trained. */
  state?: tf.Variable[];
  predict(x: tf.Tensor, training: boolean): tf.Tensor;
}

export interface LayersModelLike {
  trainableWeights: { read(): tf.Tensor }[];
  nonTrainableWeights: { read(): tf.Tensor }[];
  // tfjs-layers' apply also takes symbolic tensors; on a concrete tensor it returns a concrete one.
  apply(x: tf.Tensor, kwargs: { training: boolean }): unknown;
}

function isLayersModel(m: unknown): m is LayersModelLike {
  return m !== null && typeof m === 'object' && Array.isArray((m as LayersModelLike).trainableWeights) && typeof (m as LayersModelLike).apply === 'function';
}

/** The model as variables and a forward pass, whether given as a LayersModel or as that already (Trainer and worker tasks alike). */
export function toTrainableModel(name: string, m: TrainableModel | LayersModelLike): TrainableModel {
  let model: TrainableModel;
  if (isLayersModel(m)) {
    model = {
      variables: m.trainableWeights.map((w) => w.read() as tf.Variable),
      state: m.nonTrainableWeights.map((w) => w.read() as tf.Variable),
      predict: (x, training) => m.apply(x, { training }) as tf.Tensor,
    };
  } else if (m !== null && typeof m === 'object' && Array.isArray(m.variables) && typeof m.predict === 'function') model = m;
  else throw typeError(name, 'a tfjs LayersModel or { variables, predict(x, training) }', m);
  if (model.variables.length === 0) throw rangeError(name, 'a model with trainable variables', 0);
  return model;
}

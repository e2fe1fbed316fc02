/**
 * The data-parallel training task (a separate bundle, dist/train-task.js): each worker thread
 * rebuilds the model from its topology on its own wasm backend and computes the recipe's loss on
 * its shard of the batch; @aiffel/runtime's DataParallelTrainer sums the gradients and applies
 * SGD with momentum in every worker. The batch-norm statistics are the task's state.
 */
import { defineTrainingTask, type tf } from '@aiffel/runtime';
import * as tfl from '@tensorflow/tfjs-layers';
import { LocalResponseNorm } from '../model/lrn-layer.js';
import { decayedWeights, recipeLoss } from './sgd-step.js';

export interface VggTaskConfig {
  /** JSON.stringify(model.toJSON(null, false)): the topology only. */
  topology: string;
  weightDecay: number;
}

export const vggTask = defineTrainingTask({
  async setup(raw: unknown) {
    const { topology, weightDecay } = raw as VggTaskConfig;
    // LocalResponseNorm passed by name, so A-LRN topologies deserialise in the worker.
    const model = (await tfl.models.modelFromJSON(JSON.parse(topology), { LocalResponseNorm } as never)) as tfl.LayersModel;
    const kernels = decayedWeights(model);
    return {
      variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
      state: model.nonTrainableWeights.map((w) => w.read() as tf.Variable),
      loss: (batch: Record<string, tf.Tensor>) => recipeLoss(model, batch.x as tf.Tensor, batch.y as tf.Tensor, weightDecay, kernels).total,
    };
  },
});

/**
 * The data-parallel training task (a separate bundle, dist/train-task.js): each worker thread
 * rebuilds the model from its topology on its own wasm backend; the runtime Trainer's workers
 * compute each shard's gradient and apply the summed one (weight decay included) in every worker.
 * The batch-norm statistics are the model's state.
 */
import { defineModelTask } from '@aiffel/runtime';
import * as tfl from '@tensorflow/tfjs-layers';
import { registerLocalResponseNorm } from '../model/lrn-layer.js';

export interface VggTaskConfig {
  /** JSON.stringify(model.toJSON(null, false)): the topology only. */
  topology: string;
}

export const vggTask = defineModelTask(async (raw: unknown) => {
  const { topology } = raw as VggTaskConfig;
  // Registered (not passed as customObjects, which tfjs expects as [class, fromConfig] pairs) so
  // A-LRN topologies deserialise in the worker.
  registerLocalResponseNorm();
  const model = (await tfl.models.modelFromJSON(JSON.parse(topology))) as tfl.LayersModel;
  return { model, loss: 'sparseCategoricalCrossentropy' };
});

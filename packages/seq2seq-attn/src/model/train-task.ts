/**
 * The data-parallel training task (a separate bundle, dist/train-task.js): each worker thread
 * builds the same parameters on its own wasm backend and computes the loss of its shard of the
 * batch; @aiffel/runtime's DataParallelTrainer sums the gradients and applies Adam in every worker.
 */
import { defineTrainingTask, Rng } from '@aiffel/runtime';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Seq2SeqConfig } from './config.js';
import { batchLoss } from './network.js';
import { initParams, paramSpecs } from './params.js';

export interface TrainTaskConfig {
  config: Seq2SeqConfig;
  sourceVocabSize: number;
  targetVocabSize: number;
}

export const seq2seqTask = defineTrainingTask({
  setup(raw: unknown) {
    const { config, sourceVocabSize, targetVocabSize } = raw as TrainTaskConfig;
    const params = initParams(paramSpecs(config, sourceVocabSize, targetVocabSize), config.seed);
    return {
      variables: [...params.values()],
      loss: (batch: Record<string, Tensor>) => {
        const src = batch.source as Tensor;
        const [rows, steps] = src.shape as [number, number];
        const input = batch.targetIn as Tensor;
        const seed = (batch.seed as Tensor).dataSync()[0] as number;
        const { loss } = batchLoss(
          config,
          params,
          { ids: src.dataSync() as Int32Array, lengths: (batch.lengths as Tensor).dataSync() as Int32Array, rows, steps },
          { input: input.dataSync() as Int32Array, output: (batch.targetOut as Tensor).dataSync() as Int32Array, steps: input.shape[1] as number },
          targetVocabSize,
          new Rng(seed),
        );
        return loss as never;
      },
    };
  },
});

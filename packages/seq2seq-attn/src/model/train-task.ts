/**
 * The data-parallel training task (a separate bundle, dist/train-task.js): each worker thread
 * builds the same parameters on its own wasm backend; the runtime Trainer's workers compute each
 * shard's gradient of the teacher-forced loss and apply the summed one with Adam in every worker.
 */
import { defineModelTask } from '@aiffel/runtime';
import type { Seq2SeqConfig } from './config.js';
import { initParams, paramSpecs } from './params.js';
import { teacherForcedModel } from './teacher-forced-model.js';

export interface TrainTaskConfig {
  config: Seq2SeqConfig;
  sourceVocabSize: number;
  targetVocabSize: number;
  /** FitOptions.coverageLossWeight. */
  coverageLossWeight: number;
}

export const seq2seqTask = defineModelTask((raw: unknown) => {
  const { config, sourceVocabSize, targetVocabSize, coverageLossWeight } = raw as TrainTaskConfig;
  const params = initParams(paramSpecs(config, sourceVocabSize, targetVocabSize), config.seed);
  return teacherForcedModel(config, params, targetVocabSize, coverageLossWeight);
});

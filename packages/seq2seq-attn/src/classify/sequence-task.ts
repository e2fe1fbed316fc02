/**
 * The worker side of SequenceClassifier's data-parallel training (a separate bundle,
 * dist/sequence-task.js): each worker builds the same network and weighted loss; the Trainer
 * copies the calling thread's weights in before the first step.
 */
import { defineModelTask, weightedCrossEntropy } from '@aiffel/runtime';
import { initParams } from '../model/params.js';
import { type SequenceClassifierConfig, sequenceParamSpecs } from './sequence-config.js';
import { sequenceModel } from './sequence-network.js';

export interface SequenceTaskConfig {
  config: SequenceClassifierConfig;
  steps: number;
  channels: number;
  classes: number;
}

export const sequenceTask = defineModelTask((raw) => {
  const { config, steps, channels, classes } = raw as SequenceTaskConfig;
  const params = initParams(sequenceParamSpecs(config, channels, classes), config.seed);
  return { model: sequenceModel(config, params, steps, channels), loss: weightedCrossEntropy(classes === 2 ? 1 : classes) };
});

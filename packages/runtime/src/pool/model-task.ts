import type * as tf from '@tensorflow/tfjs-core';
import { rangeError, typeError } from '../errors.js';
import { LOSS_NAMES, type LossFn, type LossName, namedLoss } from '../training/losses.js';
import { type LayersModelLike, type TrainableModel, toTrainableModel } from '../training/trainable-model.js';
import type { TrainingTask } from './training-task.js';

/** What a model task builds in each worker: the same model and loss the Trainer was given. */
export interface ModelTaskSetup {
  /** `{ variables, state?, predict }` or a tfjs LayersModel, as the Trainer takes. */
  model: TrainableModel | LayersModelLike;
  loss: LossName | LossFn;
  /** As the Trainer's `fromLogits`. Default false. */
  fromLogits?: boolean;
}

/**
 * A training task for `Trainer({ workers })`: `build(config)` runs once in every worker and returns
 * the model and loss, and the task computes `loss(batch.y, model.predict(batch.x, true))`, so the
 * workers train exactly what the calling thread would.
 */
export function defineModelTask(build: (config: unknown) => ModelTaskSetup | Promise<ModelTaskSetup>): TrainingTask {
  if (typeof build !== 'function') throw typeError('build', 'a function (config) => { model, loss }', build);
  return {
    async setup(config: unknown) {
      const made = await build(config);
      if (made === null || typeof made !== 'object') throw typeError('the model task', '{ model, loss }', made);
      const model = toTrainableModel('the model task model', made.model);
      const loss: LossFn =
        typeof made.loss === 'function'
          ? made.loss
          : LOSS_NAMES.includes(made.loss)
            ? namedLoss(made.loss, made.fromLogits ?? false)
            : (() => {
                throw rangeError('the model task loss', `one of ${LOSS_NAMES.join(', ')} or a function`, made.loss);
              })();
      return {
        variables: model.variables,
        ...(model.state && { state: model.state }),
        loss: (batch: Record<string, tf.Tensor>) => loss(batch.y as tf.Tensor, model.predict(batch.x as tf.Tensor, true)),
      };
    },
  };
}

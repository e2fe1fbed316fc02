import type * as tf from '@tensorflow/tfjs-core';

/** What a training task's `setup` returns inside each worker. */
export interface TrainingSetup {
  /** Trainable variables, in a fixed order (the order gradients travel in). */
  variables: tf.Variable[];
  /**
   * Non-trainable variables the loss updates as a side effect (batch norm's moving mean and
   * variance): each worker updates its own from its shard; getState() reads worker 0's.
   */
  state?: tf.Variable[];
  /** Scalar loss for a batch, as tensors keyed like the batch given to `step`. */
  loss: (batch: Record<string, tf.Tensor>) => tf.Scalar;
}

/**
 * A module's export that builds the model in a worker. It runs once per worker after the runtime is
 * ready; weights are then copied from worker 0 to the others, so random initialisation need not
 * agree between workers.
 */
export interface TrainingTask {
  setup(config: unknown): TrainingSetup | Promise<TrainingSetup>;
}

/** Identity helper that gives a task object its type. */
export function defineTrainingTask(task: TrainingTask): TrainingTask {
  return task;
}

import type * as tf from '@tensorflow/tfjs-core';
import { assertKnownOptions, assertPositiveInteger, rangeError, typeError } from '../errors.js';
import { DataParallelTrainer } from '../pool/data-parallel.js';
import type { ArrayPayload, NamedArray, OptimizerSpec } from '../pool/messages.js';
import type { TaskRef } from '../pool/worker-pool.js';
import type { OptimizerConfig, OptimizerName } from './optimizers.js';

export interface TrainerWorkers {
  /** Worker threads, each with its own wasm backend; the batch is split between them. */
  count: number;
  /** An export made with `defineModelTask` that builds the same model and loss. */
  task: TaskRef;
  /** Passed to the task's build function in every worker (structured-cloned). */
  config?: unknown;
}

/** The optimizer the workers run, from the Trainer's: only what DataParallelTrainer applies. */
function workerOptimizer(spec: OptimizerName | OptimizerConfig | 'custom', learningRate: number): OptimizerSpec {
  const c: OptimizerConfig | undefined = typeof spec === 'string' ? (spec === 'custom' ? undefined : { name: spec }) : spec;
  switch (c?.name) {
    case 'sgd':
      return { name: 'sgd', learningRate };
    case 'momentum':
    case 'nesterov':
      return { name: 'momentum', learningRate, momentum: c.momentum ?? 0.9, nesterov: c.name === 'nesterov' };
    case 'adam':
      return { name: 'adam', learningRate, beta1: c.beta1 ?? 0.9, beta2: c.beta2 ?? 0.999, epsilon: c.epsilon ?? 1e-7 };
    default:
      throw rangeError(
        'options.optimizer',
        "'sgd', 'momentum', 'nesterov' or 'adam' with workers (the optimizers every worker can apply)",
        c?.name ?? 'an instance',
      );
  }
}

export function checkWorkers(v: unknown): TrainerWorkers | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object') throw typeError('options.workers', '{ count, task, config? }', v);
  assertKnownOptions('options.workers', v as Record<string, unknown>, ['count', 'task', 'config']);
  const w = v as TrainerWorkers;
  assertPositiveInteger('options.workers.count', w.count);
  if (w.count > 64) throw rangeError('options.workers.count', 'at most 64', w.count);
  if (w.task === null || typeof w.task !== 'object' || w.task.module === undefined)
    throw typeError('options.workers.task', 'a { module, exportName } reference to a defineModelTask export', w.task);
  return w;
}

/**
 * The Trainer's steps on worker threads: DataParallelTrainer computes each shard's gradient and
 * applies the summed one in every worker; the calling thread's variables are brought up to date
 * (`pull`) only where the loop reads them (validation, early stopping, the end).
 */
export class WorkerSteps {
  private constructor(private readonly dp: DataParallelTrainer) {}

  static async open(
    w: TrainerWorkers,
    model: { variables: tf.Variable[]; state?: tf.Variable[] },
    optimizer: OptimizerName | OptimizerConfig | 'custom',
    learningRate: number,
    clipNorm: number,
    weightDecay: number,
  ): Promise<WorkerSteps> {
    const dp = await DataParallelTrainer.create({
      task: w.task,
      config: w.config,
      workers: w.count,
      optimizer: workerOptimizer(optimizer, learningRate),
      clipNorm,
      weightDecay,
    });
    try {
      const mine = model.variables.map((v) => v.shape.join('x')).join(' ');
      const theirs = dp.shapes.map((s) => s.join('x')).join(' ');
      if (mine !== theirs) throw rangeError('options.workers.task', `a model with the variables [${mine}] (the Trainer's model)`, `[${theirs}]`);
      const steps = new WorkerSteps(dp);
      await steps.push(model);
      return steps;
    } catch (err) {
      await dp.close();
      throw err;
    }
  }

  step(x: tf.Tensor, y: tf.Tensor): Promise<number> {
    return this.dp.step({ x: payload(x), y: payload(y) });
  }

  /** Sends the calling thread's weights (and batch-norm state) to every worker. */
  async push(model: { variables: tf.Variable[]; state?: tf.Variable[] }): Promise<void> {
    await this.dp.setWeights(model.variables.map((v) => v.dataSync().slice() as Float32Array));
    if (model.state && model.state.length > 0) await this.dp.setState(model.state.map((v) => v.dataSync().slice() as Float32Array));
  }

  /** The workers' optimizer slots, with Adam's running powers named `power/…` (for checkpoints). */
  optimizerSlots(): Promise<NamedArray[]> {
    return this.dp.getOptimizerWeights();
  }

  setOptimizerSlots(slots: NamedArray[]): Promise<void> {
    return this.dp.setOptimizerWeights(slots);
  }

  setLearningRate(lr: number): Promise<void> {
    return this.dp.setLearningRate(lr);
  }

  /** Copies the workers' weights (and batch-norm state) into the calling thread's variables. */
  async pull(model: { variables: tf.Variable[]; state?: tf.Variable[] }, assign: (v: tf.Variable, data: Float32Array) => void): Promise<void> {
    const weights = await this.dp.getWeights();
    model.variables.forEach((v, i) => {
      assign(v, weights[i] as Float32Array);
    });
    if (model.state && model.state.length > 0) {
      const state = await this.dp.getState();
      model.state.forEach((v, i) => {
        assign(v, state[i] as Float32Array);
      });
    }
  }

  close(): Promise<void> {
    return this.dp.close();
  }
}

function payload(t: tf.Tensor): ArrayPayload {
  const data = t.dataSync();
  return { data: data as Float32Array | Int32Array, shape: t.shape, dtype: t.dtype === 'int32' ? 'int32' : 'float32' };
}

// Worker threads run the built package, so these tests use it as published (dist/).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, stepDecay, type TrainableModel, Trainer, tf } from '@aiffel/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { regression } from './helpers.js';

beforeAll(async () => {
  await ready();
});

const values = (m: TrainableModel) => m.variables.map((v) => Array.from(v.dataSync()));

describe('Trainer with workers', () => {
  const task = { module: new URL('./fixtures/linear-model-task.mjs', import.meta.url), exportName: 'linearModel' };
  const zeros = (): TrainableModel => {
    const w = tf.variable(tf.zeros([3, 1]));
    const b = tf.variable(tf.zeros([1]));
    return { variables: [w, b], predict: (x) => tf.add(tf.matMul(x as tf.Tensor2D, w), b) };
  };

  it('trains on two worker threads to what the calling thread trains, with schedules and validation', async () => {
    const data = regression(300, 5);
    const run = async (workers?: { count: number; task: typeof task; config: unknown }) => {
      const model = zeros();
      const trainer = new Trainer({
        model,
        loss: 'mse',
        optimizer: 'adam',
        learningRate: 0.05,
        schedule: stepDecay(0.1, 15, 0.5),
        metrics: ['r2'],
        ...(workers && { workers }),
      });
      const log = await trainer.fit(data, { epochs: 40, batchSize: 50, validation: 0.2, earlyStopping: { patience: 50 } });
      return { log, weights: values(model) };
    };
    const local = await run();
    const parallel = await run({ count: 2, task, config: { inputs: 3 } });
    // The shard gradients are summed in another order than one batch's: equal to float32 rounding.
    parallel.weights.flat().forEach((v, i) => {
      expect(v).toBeCloseTo(local.weights.flat()[i] as number, 3);
    });
    expect(parallel.log.epochs.map((e) => e.learningRate)).toEqual(local.log.epochs.map((e) => e.learningRate));
    expect(parallel.log.epochs.at(-1)?.validation?.r2).toBeGreaterThan(0.99);
    expect(parallel.weights[0]?.map((v) => Math.round(v * 10) / 10)).toEqual([2, -3, 0.5]);
  });

  it('applies weight decay and clipping in the workers as on one thread, and resumes a checkpoint exactly', async () => {
    const data = regression(200, 7);
    const dir = mkdtempSync(join(tmpdir(), 'trainer-workers-'));
    const make = (model: TrainableModel, workers?: typeof w) =>
      new Trainer({ model, loss: 'mse', optimizer: 'momentum', learningRate: 0.05, weightDecay: 0.05, clipNorm: 2, ...(workers && { workers }) });
    const w = { count: 2, task, config: { inputs: 3 } };
    const local = zeros();
    await make(local).fit(data, { epochs: 6, batchSize: 40 });
    const straight = zeros();
    await make(straight, w).fit(data, { epochs: 6, batchSize: 40 });
    // Decay pulls the weights towards 0 (the data's are [2, -3, 0.5]): a missing decay is far off.
    values(straight)
      .flat()
      .forEach((v, i) => {
        expect(v).toBeCloseTo(values(local).flat()[i] as number, 4);
      });
    const ck = join(dir, 'run.ckpt');
    const first = zeros();
    await make(first, w).fit(data, { epochs: 3, batchSize: 40, checkpoint: ck });
    const resumed = zeros();
    const log = await make(resumed, w).fit(data, { epochs: 6, batchSize: 40, resume: ck });
    expect(log.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    // Momentum buffers travel through the checkpoint: bit for bit the uninterrupted run.
    expect(values(resumed)).toEqual(values(straight));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses what the workers cannot do, by name', async () => {
    const workers = { count: 2, task, config: { inputs: 3 } };
    expect(() => new Trainer({ model: zeros(), loss: 'mse', workers, optimizer: tf.train.sgd(0.1) })).toThrow(/options.optimizer must be a name/);
    expect(() => new Trainer({ model: zeros(), loss: 'mse', workers: { count: 0, task } })).toThrow(/options.workers.count must be a positive integer/);
    expect(() => new Trainer({ model: zeros(), loss: 'mse', workers: { count: 2 } as never })).toThrow(/options.workers.task must be/);
    await expect(new Trainer({ model: zeros(), loss: 'mse', workers, optimizer: 'rmsprop' }).fit(regression(20, 1))).rejects.toThrow(
      /options.optimizer must be 'sgd', 'momentum', 'nesterov' or 'adam' with workers/,
    );
    const wrong = { count: 2, task, config: { inputs: 5 } };
    await expect(new Trainer({ model: zeros(), loss: 'mse', workers: wrong }).fit(regression(20, 1))).rejects.toThrow(
      /options.workers.task must be a model with the variables \[3x1 1\]/,
    );
  });
});

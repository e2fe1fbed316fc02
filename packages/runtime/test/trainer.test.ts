import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { binaryAuc, computeMetric, ReduceOnPlateau, Rng, ready, stepDecay, type TrainableModel, Trainer, type TrainingProgress, tf } from '../src/index.js';
import { regression } from './helpers.js';

beforeAll(async () => {
  await ready();
});

/** A dense layer y = xW + b as a TrainableModel with fixed initial weights. */
function linear(inputs: number, outputs: number, seed = 1, bias = 0): TrainableModel {
  const rng = new Rng(seed);
  const w = tf.variable(
    tf.tensor2d(
      Float32Array.from({ length: inputs * outputs }, () => rng.normal(0, 0.1)),
      [inputs, outputs],
    ),
  );
  const b = tf.variable(tf.fill([outputs], bias));
  return { variables: [w, b], predict: (x) => tf.add(tf.matMul(x as tf.Tensor2D, w), b) };
}

/** Two Gaussian blobs per class side: label 1 when x0 + x1 > 0. */
function binary(n: number, seed: number) {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    x.set([a, b], i * 2);
    y[i] = a + b > 0 ? 1 : 0;
  }
  return { x: { data: x, shape: [n, 2] }, y };
}

const values = (m: TrainableModel) => m.variables.map((v) => Array.from(v.dataSync()));

describe('Trainer', () => {
  it('fits a linear regression with MSE to the true coefficients', async () => {
    const model = linear(3, 1);
    const trainer = new Trainer({ model, loss: 'mse', optimizer: 'adam', learningRate: 0.05, metrics: ['mse', 'r2'] });
    const log = await trainer.fit(regression(512, 3), { epochs: 60, batchSize: 64 });
    const [w, b] = values(model);
    expect(w?.map((v) => Number(v.toFixed(2)))).toEqual([2, -3, 0.5]);
    expect(b?.[0]).toBeCloseTo(1, 2);
    const last = log.epochs.at(-1);
    expect(last?.metrics?.r2).toBeGreaterThan(0.9999);
    expect(last?.loss).toBeLessThan(1e-3);
    expect(log.epochs).toHaveLength(60);
  });

  it('trains a binary head on logits with BCE; accuracy and AUC on validation match the formulas', async () => {
    const model = linear(2, 1);
    const trainer = new Trainer({ model, loss: 'binaryCrossentropy', fromLogits: true, optimizer: 'sgd', learningRate: 0.5, metrics: ['accuracy', 'auc'] });
    const val = binary(200, 9);
    const log = await trainer.fit(binary(400, 8), { epochs: 20, batchSize: 32, validation: val });
    const v = log.epochs.at(-1)?.validation;
    expect(v?.accuracy).toBeGreaterThan(0.97);
    const p = trainer.predict(val.x);
    expect(v?.accuracy).toBe(computeMetric('accuracy', p.data, 1, val.y, 0));
    expect(v?.auc).toBeCloseTo(binaryAuc(p.data, val.y), 12);
    // A hand-checked AUC: scores 0.1 0.4 0.35 0.8 with labels 0 0 1 1 give 0.75.
    expect(binaryAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('trains a tfjs-layers model (dense, batch norm, dropout, softmax) with sparse cross-entropy', async () => {
    const rng = new Rng(4);
    const n = 300;
    const x = new Float32Array(n * 2);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      y[i] = c;
      x.set([c + rng.normal(0, 0.2), -c + rng.normal(0, 0.2)], i * 2);
    }
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [2], units: 16, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
        tfl.layers.batchNormalization(),
        tfl.layers.dropout({ rate: 0.1 }),
        tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const trainer = new Trainer({ model, loss: 'sparseCategoricalCrossentropy', learningRate: 0.02, metrics: ['accuracy'] });
    const log = await trainer.fit({ x: { data: x, shape: [n, 2] }, y }, { epochs: 30, batchSize: 32, validation: 0.2 });
    expect(log.epochs.at(-1)?.validation?.accuracy).toBeGreaterThan(0.95);
    // Batch norm's moving statistics moved away from their initial 0 / 1.
    const movingMean = model.nonTrainableWeights
      .find((w) => w.name.includes('moving_mean'))
      ?.read()
      .dataSync() as Float32Array;
    expect(Math.max(...Array.from(movingMean).map(Math.abs))).toBeGreaterThan(0.01);
  });

  it('reports progress in one shape, epochs and batches counted from 1', async () => {
    const seen: TrainingProgress[] = [];
    const trainer = new Trainer({ model: linear(3, 1), loss: 'mse' });
    await trainer.fit(regression(50, 1), { epochs: 2, batchSize: 20, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => `${p.phase}:${p.epoch}/${p.epochs}:${p.batch}/${p.batches}`)).toEqual([
      'batch:1/2:1/3',
      'batch:1/2:2/3',
      'batch:1/2:3/3',
      'epoch:1/2:3/3',
      'batch:2/2:1/3',
      'batch:2/2:2/3',
      'batch:2/2:3/3',
      'epoch:2/2:3/3',
    ]);
  });

  it('steps a schedule per epoch or per batch, and ReduceOnPlateau on the monitored loss', async () => {
    const perEpoch = new Trainer({ model: linear(3, 1), loss: 'mse', schedule: stepDecay(0.1, 2, 0.5) });
    const a = await perEpoch.fit(regression(40, 1), { epochs: 5, batchSize: 40 });
    expect(a.epochs.map((e) => e.learningRate)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    const lrs: number[] = [];
    const perBatch = new Trainer({ model: linear(3, 1), loss: 'mse', schedule: (s) => 0.01 * (s + 1), scheduleStep: 'batch' });
    await perBatch.fit(regression(40, 1), { epochs: 2, batchSize: 10, onProgress: (p) => p.phase === 'batch' && lrs.push(p.learningRate) });
    expect(lrs.map((v) => Number(v.toFixed(4)))).toEqual([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08]);
    // A constant target the model reaches at once: the loss stops improving and the rate is cut.
    const plateau = new Trainer({
      model: linear(3, 1),
      loss: 'mse',
      learningRate: 0.1,
      schedule: new ReduceOnPlateau(0.1, { patience: 0, factor: 0.5, minDelta: 10 }),
    });
    const c = await plateau.fit(regression(40, 1), { epochs: 3, batchSize: 40 });
    // Epoch 1 sets the best; epochs 2 and 3 do not improve by 10, so each cuts the rate for the next.
    expect(c.epochs.map((e) => e.learningRate)).toEqual([0.1, 0.1, 0.05]);
    expect(plateau.learningRate).toBe(0.025);
    expect(() => new Trainer({ model: linear(3, 1), loss: 'mse', schedule: new ReduceOnPlateau(0.1), scheduleStep: 'batch' })).toThrow(
      /'epoch' for a ReduceOnPlateau/,
    );
    const bad = new Trainer({ model: linear(3, 1), loss: 'mse', schedule: () => Number.NaN });
    await expect(bad.fit(regression(10, 1), { epochs: 1 })).rejects.toThrow(/the learning-rate schedule must be a positive finite rate, got NaN/);
  });

  it('a schedule really changes the rate the step uses, for every optimizer (SGD and momentum cache it in a tensor)', async () => {
    for (const optimizer of ['sgd', 'momentum', 'nesterov', 'adam', 'rmsprop'] as const) {
      const scheduled = linear(3, 1);
      const fixed = linear(3, 1);
      await new Trainer({ model: scheduled, loss: 'mse', optimizer, learningRate: 0.5, schedule: () => 0.01 }).fit(regression(40, 1), {
        epochs: 2,
        batchSize: 10,
      });
      await new Trainer({ model: fixed, loss: 'mse', optimizer, learningRate: 0.01 }).fit(regression(40, 1), { epochs: 2, batchSize: 10 });
      expect(values(scheduled), optimizer).toEqual(values(fixed));
    }
  });

  it('stops early after `patience` epochs without improvement and restores the best weights', async () => {
    // Validation labels are the opposite of the training labels: validation loss rises from epoch 1.
    const train = binary(200, 2);
    const val = { x: train.x, y: train.y.map((v) => 1 - v) };
    const model = linear(2, 1);
    const trainer = new Trainer({ model, loss: 'binaryCrossentropy', fromLogits: true, optimizer: 'sgd', learningRate: 0.5 });
    const log = await trainer.fit(train, { epochs: 20, batchSize: 200, shuffle: false, validation: val, earlyStopping: { patience: 2 } });
    expect(log.stoppedEarly).toBe(true);
    expect(log.epochs).toHaveLength(3); // best at 1, then the 2nd epoch in a row without improvement is the last (Keras)
    expect(log.bestEpoch).toBe(1);
    // The restored weights are those after epoch 1: the same as a one-epoch run.
    const once = linear(2, 1);
    await new Trainer({ model: once, loss: 'binaryCrossentropy', fromLogits: true, optimizer: 'sgd', learningRate: 0.5 }).fit(train, {
      epochs: 1,
      batchSize: 200,
      shuffle: false,
    });
    expect(values(model)).toEqual(values(once));
    await expect(trainer.fit(train, { epochs: 1, earlyStopping: { monitor: 'auc' } })).rejects.toThrow(
      /monitor must be 'loss' or one of the trainer's metrics \(none\)/,
    );
  });

  it('applies weight decay to kernels only: coupled for SGD, decoupled for AdamW', async () => {
    // A loss with zero gradient isolates the decay.
    const zero = (_y: tf.Tensor, p: tf.Tensor) => tf.mul(tf.sum(p), 0) as tf.Scalar;
    for (const optimizer of ['sgd', 'adamw'] as const) {
      const model = linear(3, 1, 5, 0.7);
      const before = values(model);
      await new Trainer({ model, loss: zero, optimizer, learningRate: 0.1, weightDecay: 0.5 }).fit(regression(10, 1), { epochs: 2, batchSize: 10 });
      const [w, b] = values(model);
      for (const [i, v] of (before[0] ?? []).entries()) expect(w?.[i]).toBeCloseTo(v * 0.95 ** 2, 6);
      expect(b).toEqual(before[1]);
    }
  });

  it('clips the gradient to clipNorm: one SGD step moves the weights by lr x clipNorm', async () => {
    const model = linear(3, 1);
    const before = values(model).flat();
    const huge = (_y: tf.Tensor, p: tf.Tensor) => tf.mul(tf.sum(p), 1e6) as tf.Scalar;
    await new Trainer({ model, loss: huge, optimizer: 'sgd', learningRate: 0.1, clipNorm: 2 }).fit(regression(4, 1), { epochs: 1, batchSize: 4 });
    const after = values(model).flat();
    const moved = Math.hypot(...after.map((v, i) => v - (before[i] as number)));
    expect(moved).toBeCloseTo(0.2, 4);
  });

  it('stops on an AbortSignal with an AbortError that carries the log so far', async () => {
    const ac = new AbortController();
    const trainer = new Trainer({ model: linear(3, 1), loss: 'mse' });
    const err = await trainer
      .fit(regression(100, 1), { epochs: 10, batchSize: 10, signal: ac.signal, onProgress: (p) => p.phase === 'epoch' && p.epoch === 2 && ac.abort() })
      .then(
        () => null,
        (e: Error & { log?: { epochs: unknown[] } }) => e,
      );
    expect(err?.name).toBe('AbortError');
    expect(err?.message).toBe('training was aborted after 2 complete epoch(s)');
    expect(err?.log?.epochs).toHaveLength(2);
  });

  it('trains from a TrainingSource exactly as from the same rows in memory, with a source for validation', async () => {
    const data = regression(60, 3);
    const x = data.x as { data: Float32Array; shape: number[] };
    const y = data.y as Float32Array;
    // The same seeded order as in-memory shuffling, produced by the caller as tensors.
    const source = {
      size: 60,
      *batches(batchSize: number, epoch: number, seed: number) {
        const order = new Rng(seed * 1_000_003 + epoch).permutation(60);
        for (let s = 0; s < 60; s += batchSize) {
          const ids = Array.from(order.subarray(s, Math.min(60, s + batchSize)));
          yield {
            x: tf.tensor2d(
              ids.flatMap((i) => Array.from(x.data.subarray(i * 3, i * 3 + 3))),
              [ids.length, 3],
            ),
            y: tf.tensor2d(
              ids.map((i) => y[i] as number),
              [ids.length, 1],
            ),
          };
        }
      },
    };
    const validation = { size: 60, batches: (b: number) => source.batches(b, 0, 99) };
    const a = linear(3, 1);
    const b = linear(3, 1);
    const before = tf.memory().numTensors;
    const logA = await new Trainer({ model: a, loss: 'mse', metrics: ['r2'], learningRate: 0.05 }).fit(data, { epochs: 4, batchSize: 16, validation: data });
    const logB = await new Trainer({ model: b, loss: 'mse', metrics: ['r2'], learningRate: 0.05 }).fit(source, { epochs: 4, batchSize: 16, validation });
    expect(values(b)).toEqual(values(a));
    expect(logB.epochs.map((e) => e.loss)).toEqual(logA.epochs.map((e) => e.loss));
    expect(logB.epochs.at(-1)?.validation?.r2).toBeCloseTo(logA.epochs.at(-1)?.validation?.r2 as number, 6);
    // Every batch tensor the source gave was disposed: what remains is each Adam's 2 moments per variable and 2 powers.
    expect(tf.memory().numTensors).toBe(before + 2 * (2 * 2 + 2));
    const bad = {
      size: 4,
      *batches() {
        yield { x: tf.zeros([4, 3]), y: tf.zeros([3, 1]) };
      },
    };
    await expect(new Trainer({ model: linear(3, 1), loss: 'mse' }).fit(bad)).rejects.toThrow(/data batch y rows must be 4 \(the rows of its x\), got 3/);
    await expect(new Trainer({ model: linear(3, 1), loss: 'mse' }).fit({ size: 0, batches: () => [] })).rejects.toThrow(/data.size must be a positive number/);
    await expect(new Trainer({ model: linear(3, 1), loss: 'mse' }).fit({ size: 3, batches: () => [] })).rejects.toThrow(/epoch 1 gave none/);
    await expect(new Trainer({ model: linear(3, 1), loss: 'mse' }).fit(source, { validation: 0.2 })).rejects.toThrow(/a fraction needs matrices/);
  });

  it("with abort: 'endEpoch' finishes the epoch in progress (validated, checkpointed) and resolves", async () => {
    const ac = new AbortController();
    const dir = mkdtempSync(join(tmpdir(), 'trainer-abort-'));
    const saved: number[] = [];
    const log = await new Trainer({ model: linear(3, 1), loss: 'mse' }).fit(regression(100, 1), {
      epochs: 10,
      batchSize: 10,
      validation: regression(20, 2),
      signal: ac.signal,
      abort: 'endEpoch',
      checkpoint: join(dir, 'a.ckpt'),
      checkpointEvery: 5,
      onCheckpoint: ({ epoch }) => {
        saved.push(epoch);
      },
      onProgress: (p) => p.phase === 'batch' && p.epoch === 2 && p.batch === 4 && ac.abort(),
    });
    expect(log.aborted).toBe(true);
    expect(log.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(log.epochs[1]?.validation?.loss).toBeGreaterThan(0);
    // The cut epoch is checkpointed even off the checkpointEvery grid.
    expect(saved).toEqual([2]);
    const again = await new Trainer({ model: linear(3, 1), loss: 'mse' }).fit(regression(100, 1), { epochs: 10, signal: ac.signal, abort: 'endEpoch' });
    expect(again.epochs).toHaveLength(0);
    await expect(new Trainer({ model: linear(3, 1), loss: 'mse' }).fit(regression(10, 1), { abort: 'later' as 'throw' })).rejects.toThrow(
      /options.abort must be 'throw' or 'endEpoch'/,
    );
  });

  it('ReduceOnPlateau with maxReductions stops training at the plateau after its last cut, on the monitor chosen', async () => {
    const plateau = new ReduceOnPlateau(0.1, { patience: 0, factor: 0.5, minDelta: 10, mode: 'max', maxReductions: 2 });
    const trainer = new Trainer({ model: linear(3, 1), loss: 'mse', learningRate: 0.1, schedule: plateau, metrics: ['r2'], monitor: 'r2' });
    const log = await trainer.fit(regression(40, 1), { epochs: 10, batchSize: 40, validation: regression(20, 2) });
    // r2 never improves by 10: epochs 2 and 3 cut the rate, epoch 4's plateau has no cut left.
    expect(log.epochs.map((e) => e.learningRate)).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(log.stoppedEarly).toBe(true);
    expect(plateau.state()).toMatchObject({ reductions: 2, exhausted: true });
    expect(() => new Trainer({ model: linear(3, 1), loss: 'mse', monitor: 'auc' })).toThrow(/options.monitor must be 'loss' or one of the metrics \(none\)/);
    expect(() => new ReduceOnPlateau(0.1, { maxReductions: -1 })).toThrow(/maxReductions must be a non-negative integer/);
  });

  it('resumes a checkpoint exactly: weights, Adam slots, schedule, early stopping and log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainer-ck-'));
    const data = regression(120, 7);
    const options = (model: TrainableModel) => ({
      model,
      loss: 'mse' as const,
      optimizer: 'adam' as const,
      learningRate: 0.05,
      schedule: new ReduceOnPlateau(0.05, { patience: 1 }),
    });
    const fitOpts = { batchSize: 16, seed: 3, validation: 0.25, earlyStopping: { patience: 50 } };
    const straight = linear(3, 1);
    const full = await new Trainer(options(straight)).fit(data, { ...fitOpts, epochs: 6 });
    const ck = join(dir, 'run.ckpt');
    const first = linear(3, 1);
    await new Trainer(options(first)).fit(data, { ...fitOpts, epochs: 3, checkpoint: ck });
    // A fresh model (other initial weights) continues from the file.
    const resumed = linear(3, 1, 99);
    const rest = await new Trainer(options(resumed)).fit(data, { ...fitOpts, epochs: 6, resume: ck, checkpoint: ck });
    expect(values(resumed)).toEqual(values(straight));
    expect(rest.epochs.map((e) => e.loss)).toEqual(full.epochs.map((e) => e.loss));
    expect(readdirSync(dir)).toEqual(['run.ckpt']);
    // Another run's settings, a truncated file and a foreign file are refused by name.
    await expect(new Trainer(options(linear(3, 1))).fit(data, { ...fitOpts, batchSize: 8, epochs: 6, resume: ck })).rejects.toThrow(
      /batchSize must be the checkpoint's 16/,
    );
    const bytes = readFileSync(ck);
    writeFileSync(join(dir, 'cut.ckpt'), bytes.subarray(0, bytes.length - 10));
    await expect(new Trainer(options(linear(3, 1))).fit(data, { ...fitOpts, epochs: 6, resume: join(dir, 'cut.ckpt') })).rejects.toThrow(
      /the file is truncated/,
    );
    writeFileSync(join(dir, 'png.ckpt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    await expect(new Trainer(options(linear(3, 1))).fit(data, { ...fitOpts, epochs: 6, resume: join(dir, 'png.ckpt') })).rejects.toThrow(
      /is not an @aiffel training checkpoint/,
    );
  });

  it('refuses bad input and options by name, and a diverging loss', async () => {
    const ok = regression(10, 1);
    const t = () => new Trainer({ model: linear(3, 1), loss: 'mse' });
    expect(() => new Trainer({ model: linear(3, 1), loss: 'hinge' as 'mse' })).toThrow(/options.loss must be one of mse/);
    expect(() => new Trainer({ model: linear(3, 1), loss: 'mse', optimizer: 'lbfgs' as 'sgd' })).toThrow(
      /options.optimizer must be one of sgd, momentum, nesterov, adam, adamw, rmsprop/,
    );
    expect(() => new Trainer({ model: linear(3, 1), loss: 'mse', learningRate: -1 })).toThrow(/options.learningRate/);
    expect(() => new Trainer({ model: linear(3, 1), loss: 'mse', metrics: ['f1' as 'mse'] })).toThrow(/options.metrics\[0\] must be one of/);
    expect(() => new Trainer({ model: {} as TrainableModel, loss: 'mse' })).toThrow(/options.model must be a tfjs LayersModel/);
    expect(() => new Trainer({ model: linear(3, 1), loss: 'mse', lr: 1 } as never)).toThrow(/unknown option "lr"/);
    const nan = { x: { data: Float32Array.from([1, 2, Number.NaN, 4, 5, 6]), shape: [2, 3] }, y: [1, 2] };
    await expect(t().fit(nan)).rejects.toThrow(/data.x must be finite values, got "NaN at row 0"/);
    await expect(t().fit({ x: ok.x, y: [1, 2] })).rejects.toThrow(/data.y rows must be 10/);
    await expect(
      t().fit({
        x: [
          [1, 2, 3],
          [4, 5],
        ],
        y: [1, 2],
      }),
    ).rejects.toThrow(/data.x\[1\] must be a row of 3 numbers/);
    await expect(t().fit(ok, { epochs: 0 })).rejects.toThrow(/options.epochs must be a positive integer, got 0/);
    await expect(t().fit(ok, { validation: 1.5 })).rejects.toThrow(/options.validation must be a fraction in \(0, 1\)/);
    await expect(t().fit(ok, { shuffel: true } as never)).rejects.toThrow(/unknown option "shuffel"/);
    const wild = new Trainer({ model: linear(3, 1), loss: 'mse', optimizer: 'sgd', learningRate: 1e6 });
    await expect(wild.fit(regression(64, 1), { epochs: 20, batchSize: 8 })).rejects.toThrow(/training diverged: the loss is (NaN|Infinity)/);
  });
});

import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, ready, tf } from '../src/index.js';

beforeAll(async () => {
  const info = await ready();
  expect(info.backend).toBe('wasm');
});

/** Trains `model` for `steps` full-batch steps and returns the losses. */
async function lossCurve(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, steps: number): Promise<number[]> {
  const h = await model.fit(x, y, { epochs: steps, batchSize: x.shape[0], shuffle: false, verbose: 0 });
  return h.history.loss as number[];
}

describe('training on the wasm backend', () => {
  it('trains a small VGG-style conv net (conv, batch norm, pooling, dropout, dense, SGD momentum) with a decreasing loss', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const rng = new Rng(1);
    const n = 32;
    // Two classes that differ in where the bright blob is: learnable by a conv net in a few steps.
    const xs = new Float32Array(n * 12 * 12 * 3);
    const ys = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const cls = i % 2;
      ys[i * 2 + cls] = 1;
      for (let p = 0; p < 12 * 12 * 3; p++) {
        const r = Math.floor(p / 36);
        xs[i * 432 + p] = rng.normal(0, 0.3) + (cls === 0 ? (r < 6 ? 1 : 0) : r >= 6 ? 1 : 0);
      }
    }
    const init = { kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) };
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [12, 12, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', ...init }),
        tfl.layers.batchNormalization(),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', ...init }),
        tfl.layers.averagePooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.1, seed: 4 }),
        tfl.layers.dense({ units: 2, activation: 'softmax', ...init }),
      ],
    });
    model.compile({ optimizer: tf.train.momentum(0.02, 0.9), loss: 'categoricalCrossentropy' });
    const losses = await lossCurve(model, tf.tensor4d(xs, [n, 12, 12, 3]), tf.tensor2d(ys, [n, 2]), 8);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1] as number).toBeLessThan((losses[0] as number) * 0.7);
  });

  it('trains an embedding + LSTM model (Adam) with a decreasing loss', async () => {
    const n = 24;
    const steps = 6;
    const ids = new Float32Array(n * steps);
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const cls = i % 3;
      ys[i] = cls;
      for (let t = 0; t < steps; t++) ids[i * steps + t] = 1 + cls * 5 + ((i + t) % 5);
    }
    const model = tfl.sequential({
      layers: [
        tfl.layers.embedding({
          inputDim: 16,
          outputDim: 8,
          inputLength: steps,
          embeddingsInitializer: tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 5 }),
        }),
        tfl.layers.lstm({
          units: 12,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 6 }),
          recurrentInitializer: tfl.initializers.orthogonal({ seed: 7 }),
        }),
        tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.03), loss: 'sparseCategoricalCrossentropy' });
    const losses = await lossCurve(model, tf.tensor2d(ids, [n, steps]), tf.tensor1d(ys), 8);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1] as number).toBeLessThan((losses[0] as number) * 0.8);
  });
});

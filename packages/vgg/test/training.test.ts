import { ready, Trainer, tf } from '@aiffel/runtime';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, train, vgg } from '../src/index.js';
import { quadrantImages } from './helpers.js';

beforeAll(async () => {
  await ready();
});

/** softmax(x W + b) for 2x2 W, by hand in float64. */
function forward(x: number[][], W: number[][], b: number[]): number[][] {
  return x.map((row) => {
    const z = [0, 1].map((j) => (row[0] as number) * (W[0]?.[j] as number) + (row[1] as number) * (W[1]?.[j] as number) + (b[j] as number));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, c) => a + c, 0);
    return e.map((v) => v / s);
  });
}

describe('training recipe', () => {
  it('two SGD steps with momentum and weight decay match a hand computation', async () => {
    const W = [
      [0.1, -0.2],
      [0.3, 0.4],
    ];
    const b = [0.05, -0.05];
    const x = [
      [1, 2],
      [-1, 0.5],
    ];
    const y = [
      [1, 0],
      [0, 1],
    ];
    const lr = 0.1;
    const mom = 0.9;
    const wd = 0.01;
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
    model.setWeights([tf.tensor2d(W), tf.tensor1d(b)]);
    // train()'s step is the runtime Trainer with these settings: momentum SGD and L2 decay on kernels.
    const trainer = new Trainer({ model, loss: 'categoricalCrossentropy', optimizer: { name: 'momentum', momentum: mom }, learningRate: lr, weightDecay: wd });
    // Expected: g_W = x^T (p - y) / n + wd W (no decay on the bias); v = mom v + g; w -= lr v.
    let w = W.map((r) => [...r]);
    let bb = [...b];
    const vW = [
      [0, 0],
      [0, 0],
    ];
    const vb = [0, 0];
    for (let step = 0; step < 2; step++) {
      const p = forward(x, w, bb);
      const dz = p.map((row, i) => row.map((v, j) => (v - (y[i]?.[j] as number)) / x.length));
      for (let r = 0; r < 2; r++)
        for (let c = 0; c < 2; c++) {
          const g = (x[0]?.[r] as number) * (dz[0]?.[c] as number) + (x[1]?.[r] as number) * (dz[1]?.[c] as number) + wd * (w[r]?.[c] as number);
          (vW[r] as number[])[c] = mom * (vW[r]?.[c] as number) + g;
        }
      for (let c = 0; c < 2; c++) vb[c] = mom * (vb[c] as number) + (dz[0]?.[c] as number) + (dz[1]?.[c] as number);
      w = w.map((row, r) => row.map((v, c) => v - lr * (vW[r]?.[c] as number)));
      bb = bb.map((v, c) => v - lr * (vb[c] as number));
    }
    await trainer.fit({ x, y }, { epochs: 2, batchSize: 2, shuffle: false });
    const [gotW, gotB] = model.getWeights().map((t) => Array.from(t.dataSync()));
    expect(gotW?.length).toBe(4);
    for (const [i, v] of w.flat().entries()) expect(gotW?.[i]).toBeCloseTo(v, 6);
    for (const [i, v] of bb.entries()) expect(gotB?.[i]).toBeCloseTo(v, 6);
  });

  it('trains a small VGG with the recipe: validation accuracy rises, the rate drops on plateaus', async () => {
    const n = 64;
    const classes = 4;
    const { data, labels } = quadrantImages(n, 11, 1, 0.3, 0.5);
    const x = tf.tensor4d(data, [n, 32, 32, 3]);
    // Glorot-initialised classifier: the default N(0, 0.01^2) one starts this tiny network very slowly.
    const model = vgg({
      config: 'A',
      inputShape: [32, 32, 3],
      numClasses: classes,
      classifierWidth: 32,
      widthMultiplier: 0.125,
      batchNorm: true,
      init: 'glorot',
      seed: 2,
    });
    const before = await accuracy(model, { x, y: labels });
    const rates: number[] = [];
    const logs = await train(
      model,
      { x, y: labels },
      { epochs: 15, batchSize: 16, learningRate: 0.05, validation: { x, y: labels }, patience: 2, onEpoch: (l) => rates.push(l.learningRate) },
    );
    expect(logs.length).toBeGreaterThan(2);
    expect(logs.at(-1)?.valAccuracy).toBeGreaterThan(Math.max(before, 0.9));
    expect(logs.at(-1)?.loss).toBeLessThan(logs[0]?.loss as number);
    // Rates only ever go down by factors of 10.
    for (let i = 1; i < rates.length; i++) expect([1, 0.1].some((f) => Math.abs((rates[i] as number) - (rates[i - 1] as number) * f) < 1e-12)).toBe(true);
  });

  it('rejects bad data and options before touching the weights', async () => {
    const model = vgg({ config: 'A', inputShape: [32, 32, 3], numClasses: 3, classifierWidth: 8, widthMultiplier: 0.125 });
    const before = model.getWeights()[0]?.dataSync().slice();
    const x = tf.zeros([4, 32, 32, 3]) as tf.Tensor4D;
    await expect(train(model, { x, y: [0, 1, 2] }, { schedule: (e) => 0.01 / (e + 1) })).rejects.toThrow(/data.y.length must be 4 \(images in data.x\), got 3/);
    await expect(train(model, { x, y: [0, 1, 2, 3] }, { schedule: () => 0.01 })).rejects.toThrow(/data.y\[3\] must be a class id in \[0, 2\], got 3/);
    await expect(train(model, { x, y: [0, 1, 2, 0] })).rejects.toThrow(/validation must be a held-out set when schedule is 'plateau'/);
    await expect(train(model, { x, y: [0, 1, 2, 0] }, { schedule: () => 0.01, batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer, got 0/);
    // @ts-expect-error: unknown option
    await expect(train(model, { x, y: [0, 1, 2, 0] }, { lr: 0.1 })).rejects.toThrow(/unknown option "lr"/);
    expect(Array.from(model.getWeights()[0]?.dataSync() ?? [])).toEqual(Array.from(before ?? []));
  });
});

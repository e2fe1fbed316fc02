import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLayersModel, ready, saveLayersModel, tf } from '@aiffel/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureExtractor, LocalResponseNorm, summarize, tapLayerName, type VggOptions, vgg, vggCifar, warmStart } from '../src/index.js';
import { quadrantImages } from './helpers.js';

// Small widths keep the networks light; the structure is the paper's.
const tiny: VggOptions = { inputShape: [32, 32, 3], numClasses: 4, classifierWidth: 16, widthMultiplier: 0.125 };

beforeAll(async () => {
  await ready();
});

describe('VGG models on tfjs (wasm backend)', () => {
  it('every configuration builds with the analytic parameter count, Keras layer names and output shape', () => {
    for (const config of ['A', 'A-LRN', 'B', 'C', 'D', 'E'] as const)
      for (const batchNorm of [false, true]) {
        const m = vgg({ ...tiny, config, batchNorm });
        const s = summarize({ ...tiny, config, batchNorm });
        expect(m.countParams()).toBe(s.params + s.nonTrainable);
        expect(m.outputs[0]?.shape).toEqual([null, 4]);
        const names = m.layers.map((l) => l.name);
        expect(names).toContain('block1_conv1');
        expect(names).toContain('predictions');
        expect(names.includes('block1_lrn')).toBe(config === 'A-LRN');
        expect(names.includes('block1_conv1_bn')).toBe(batchNorm);
        m.dispose();
      }
  });

  it('predicts probabilities; without the top it ends at the pooled features', () => {
    const m = vggCifar({ widthMultiplier: 0.125, classifierWidth: 16 });
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 1);
    const p = m.predict(x) as tf.Tensor;
    expect(p.shape).toEqual([2, 10]);
    const sums = tf.sum(p, 1).dataSync();
    for (const v of sums) expect(v).toBeCloseTo(1, 5);
    const f = vgg({ ...tiny, includeTop: false, pooling: 'max' });
    expect((f.predict(x) as tf.Tensor).shape).toEqual([2, 64]);
    tf.dispose([x, p]);
  });

  it('LRN computes x / (k + alpha * window sum of squares)^beta across channels', () => {
    const layer = new LocalResponseNorm({ depthRadius: 1, bias: 1, alpha: 0.5, beta: 0.5 });
    const x = tf.tensor4d([1, 2, 3], [1, 1, 1, 3]);
    const y = (layer.apply(x) as tf.Tensor).dataSync();
    // channel 0 sees channels 0-1, channel 1 sees 0-2, channel 2 sees 1-2.
    const expected = [1 / Math.sqrt(1 + 0.5 * 5), 2 / Math.sqrt(1 + 0.5 * 14), 3 / Math.sqrt(1 + 0.5 * 13)];
    for (let i = 0; i < 3; i++) expect(y[i]).toBeCloseTo(expected[i] as number, 5);
    x.dispose();
  });

  it('the same seed gives the same initial weights; a saved A-LRN model loads back and predicts the same', async () => {
    const a = vgg({ ...tiny, config: 'A-LRN', seed: 3 });
    const b = vgg({ ...tiny, config: 'A-LRN', seed: 3 });
    expect(Array.from(a.getWeights()[0]?.dataSync() ?? [])).toEqual(Array.from(b.getWeights()[0]?.dataSync() ?? []));
    const dir = mkdtempSync(join(tmpdir(), 'vgg-'));
    await saveLayersModel(a, dir);
    const back = await loadLayersModel(dir);
    const x = tf.randomUniform([1, 32, 32, 3], 0, 1, 'float32', 2);
    const pa = (a.predict(x) as tf.Tensor).dataSync();
    const pb = (back.predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < pa.length; i++) expect(pb[i]).toBeCloseTo(pa[i] as number, 6);
  });

  it('a small VGG with batch norm fits a tiny labelled set to 100% training accuracy', async () => {
    const n = 16;
    const classes = 4;
    const { data, labels } = quadrantImages(n, 7, 0.8, 0.2, 0);
    const m = vgg({ ...tiny, config: 'A', batchNorm: true, dropout: 0, seed: 1 });
    m.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = tf.tensor4d(data, [n, 32, 32, 3]);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
    // shuffle: false: tfjs shuffles with Math.random, which would make the run differ from one time to the next.
    const h = await m.fit(x, y, { epochs: 80, batchSize: n, verbose: 0, shuffle: false });
    expect(h.history.acc?.at(-1)).toBe(1);
    // Let batch norm's moving statistics catch up with the final weights (learning rate ~0).
    m.compile({ optimizer: tf.train.sgd(1e-9), loss: 'categoricalCrossentropy' });
    await m.fit(x, y, { epochs: 50, batchSize: n, verbose: 0, shuffle: false });
    // Inference mode (moving statistics), as a user would evaluate.
    const pred = tf.argMax(m.predict(x) as tf.Tensor, 1).dataSync();
    expect(Array.from(pred)).toEqual(labels);
  });
});

describe('feature taps', () => {
  it('taps Keras names and Caffe/torch aliases, sharing the weights of the VGG', () => {
    const m = vgg({ config: 'D', inputShape: [32, 32, 3], numClasses: 3, classifierWidth: 8, widthMultiplier: 0.125, batchNorm: true, seed: 1 });
    const f = featureExtractor(m, ['block3_conv3', 'relu4_2', 'pool5', 'predictions']);
    expect(tapLayerName(m, 'relu4_2')).toBe('block4_conv2_relu');
    expect(tapLayerName(m, 'conv4_2')).toBe('block4_conv2');
    expect(tapLayerName(m, 'pool5')).toBe('block5_pool');
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 3);
    const outs = f.predict(x) as tf.Tensor[];
    expect(outs.map((o) => o.shape)).toEqual([
      [2, 8, 8, 32],
      [2, 4, 4, 64],
      [2, 1, 1, 64],
      [2, 3],
    ]);
    // The last tap is the model's own output, and relu4_2 is non-negative.
    const p = (m.predict(x) as tf.Tensor).dataSync();
    const q = (outs[3] as tf.Tensor).dataSync();
    for (let i = 0; i < p.length; i++) expect(q[i]).toBeCloseTo(p[i] as number, 5);
    expect(tf.min(outs[1] as tf.Tensor).dataSync()[0]).toBeGreaterThanOrEqual(0);
    // Without batch norm the ReLU is fused into the convolution: both aliases name it.
    const plain = vgg({ config: 'A', inputShape: [32, 32, 3], widthMultiplier: 0.125, classifierWidth: 8 });
    expect([tapLayerName(plain, 'relu3_2'), tapLayerName(plain, 'conv3_2')]).toEqual(['block3_conv2', 'block3_conv2']);
    expect(() => featureExtractor(m, ['relu9_9'])).toThrow(/taps must be layer names of the model/);
    expect(() => featureExtractor(m, [])).toThrow(/taps must be a non-empty list/);
  });
});

describe('warm start (paper section 3.1)', () => {
  it("copies net A's first four convolutions and the classifier into the same places of a deeper net", () => {
    const small = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 3, classifierWidth: 8, widthMultiplier: 0.125 };
    const a = vgg({ ...small, config: 'A', seed: 1 });
    const e = vgg({ ...small, config: 'E', seed: 2 });
    const before = e.getLayer('block1_conv2').getWeights()[0]?.dataSync().slice() as Float32Array;
    const report = warmStart(e, a);
    expect(report.copied).toEqual(['block1_conv1', 'block2_conv1', 'block3_conv1', 'block3_conv2', 'fc1', 'fc2', 'predictions']);
    expect(report.initialised).toContain('block1_conv2');
    expect(report.initialised).toContain('block3_conv3');
    for (const name of report.copied) {
      const [wa] = a.getLayer(name).getWeights();
      const [we] = e.getLayer(name).getWeights();
      expect(Array.from((we as tf.Tensor).dataSync())).toEqual(Array.from((wa as tf.Tensor).dataSync()));
    }
    expect(Array.from(e.getLayer('block1_conv2').getWeights()[0]?.dataSync() as Float32Array)).toEqual(Array.from(before));
  });

  it('refuses a source of another width and leaves the target untouched', () => {
    const a = vgg({ config: 'A', inputShape: [32, 32, 3], classifierWidth: 8, widthMultiplier: 0.25 });
    const d = vgg({ config: 'D', inputShape: [32, 32, 3], classifierWidth: 8, widthMultiplier: 0.125, seed: 5 });
    const before = d.getLayer('block1_conv1').getWeights()[0]?.dataSync().slice() as Float32Array;
    expect(() => warmStart(d, a)).toThrow(/layer block1_conv1 must be weights of shapes 3x3x3x8, 8 in the source, got "3x3x3x16, 16"/);
    expect(Array.from(d.getLayer('block1_conv1').getWeights()[0]?.dataSync() as Float32Array)).toEqual(Array.from(before));
  });
});

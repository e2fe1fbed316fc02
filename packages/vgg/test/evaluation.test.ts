import { ready, tf } from '@aiffel/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseEvaluate, denseModel, multiCropEvaluate, multiScaleDenseEvaluate, topKError, vgg } from '../src/index.js';

beforeAll(async () => {
  await ready();
});

describe('evaluation', () => {
  it('dense evaluation equals the crop prediction when the image is exactly the crop size', () => {
    // 64x64 input: fc1 sees a 2x2x(channels) map, so the kernel reshape's ordering is exercised.
    for (const batchNorm of [false, true]) {
      const m = vgg({ config: 'A', inputShape: [64, 64, 3], numClasses: 5, classifierWidth: 8, widthMultiplier: 0.125, batchNorm, seed: 4 });
      const dense = denseModel(m);
      const x = tf.randomUniform([3, 64, 64, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
      const a = (m.predict(x) as tf.Tensor).dataSync();
      const b = denseEvaluate(dense, x).dataSync();
      expect(b.length).toBe(a.length);
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i] as number, 5);
    }
  });

  it('runs on larger images (a map of class scores averaged) and with flips; probabilities sum to one', () => {
    const m = vgg({ config: 'A', inputShape: [32, 32, 3], numClasses: 4, classifierWidth: 8, widthMultiplier: 0.125 });
    const dense = denseModel(m);
    const x = tf.randomUniform([2, 96, 64, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const p = denseEvaluate(dense, x, { flip: true });
    expect(p.shape).toEqual([2, 4]);
    const sums = tf.sum(p, 1).dataSync();
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    // Flipping a left-right symmetric image changes nothing.
    const sym = tf.concat([x, tf.reverse(x, 2)], 2) as tf.Tensor4D;
    const a = denseEvaluate(dense, sym).dataSync();
    const b = denseEvaluate(dense, sym, { flip: true }).dataSync();
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i] as number, 5);
  });

  it('rejects a model without its top', () => {
    expect(() => denseModel(vgg({ config: 'A', inputShape: [32, 32, 3], includeTop: false, widthMultiplier: 0.125 }))).toThrow(
      /model must be a VGG with its top/,
    );
  });

  it('top-k error: hand-computed cases, ties count against the true class', () => {
    const scores = [0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0.3, 0.3, 0.4];
    expect(topKError(scores, [1, 1, 1], 3, 1)).toBeCloseTo(2 / 3, 12);
    // Row 2: class 1 ties with class 0 at 0.3 and class 2 is higher: outside the top 2.
    expect(topKError(scores, [1, 1, 1], 3, 2)).toBeCloseTo(1 / 3, 12);
    expect(topKError(scores, [1, 1, 1], 3, 3)).toBe(0);
    expect(topKError(scores, [0, 0, 0], 3, 2)).toBeCloseTo(2 / 3, 12);
    expect(() => topKError(scores, [1, 1, 1], 3, 4)).toThrow(/k must be an integer in \[1, 3\], got 4/);
    expect(() => topKError(scores, [1, 1], 3, 1)).toThrow(/scores length must be 6/);
    expect(() => topKError(scores, [1, 1, 7], 3, 1)).toThrow(/labels\[2\] must be a class in \[0, 2\], got 7/);
  });
});

describe('multi-crop and multi-scale evaluation', () => {
  // Built after ready() (beforeAll above): tensors made at collect time would precede the backend.
  let m: ReturnType<typeof vgg>;
  beforeAll(() => {
    m = vgg({ config: 'A', inputShape: [32, 32, 3], numClasses: 4, classifierWidth: 8, widthMultiplier: 0.125, seed: 2 });
  });

  it('one centre crop of an image already at the crop size is the plain prediction', () => {
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const a = (m.predict(x) as tf.Tensor).dataSync();
    const b = multiCropEvaluate(m, x, { scales: [32], grid: 1, flip: false }).dataSync();
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i] as number, 5);
  });

  it('averages a grid of crops and their mirror images: the mean of the crops predicted one by one', () => {
    const x = tf.randomUniform([1, 40, 48, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const p = multiCropEvaluate(m, x, { scales: [40], grid: 2, flip: true });
    // Scale 40 keeps the 40x48 image; a 2x2 grid puts crops at the corners.
    const crops = [
      [0, 0],
      [0, 16],
      [8, 0],
      [8, 16],
    ].flatMap(([t, l]) => {
      const c = tf.slice(x, [0, t as number, l as number, 0], [1, 32, 32, 3]);
      return [c, tf.reverse(c, 2)];
    });
    const mean = tf.div(tf.addN(crops.map((c) => m.predict(c) as tf.Tensor)), crops.length).dataSync();
    const got = p.dataSync();
    for (let i = 0; i < mean.length; i++) expect(got[i]).toBeCloseTo(mean[i] as number, 5);
    expect(tf.sum(p).dataSync()[0]).toBeCloseTo(1, 5);
  });

  it('dense evaluation over several scales averages the single-scale posteriors', () => {
    const dense = denseModel(m);
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const one = denseEvaluate(dense, x).dataSync();
    const same = multiScaleDenseEvaluate(dense, x, { scales: [32] }).dataSync();
    for (let i = 0; i < one.length; i++) expect(same[i]).toBeCloseTo(one[i] as number, 5);
    const two = multiScaleDenseEvaluate(dense, x, { scales: [32, 64], flip: true });
    const expected = tf
      .div(tf.add(denseEvaluate(dense, x, { flip: true }), denseEvaluate(dense, tf.image.resizeBilinear(x, [64, 64], false, true), { flip: true })), 2)
      .dataSync();
    const got = two.dataSync();
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i] as number, 5);
  });

  it('rejects scales below the crop size, an empty scale list and a bad grid', () => {
    const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    expect(() => multiCropEvaluate(m, x, { scales: [16] })).toThrow(/options.scales must be integers >= 32/);
    expect(() => multiCropEvaluate(m, x, { scales: [] })).toThrow(/options.scales must be a non-empty list/);
    expect(() => multiCropEvaluate(m, x, { grid: 0 })).toThrow(/options.grid must be a positive integer/);
    expect(() => multiScaleDenseEvaluate(m, x, { scales: [32] })).toThrow(/dense must be a model made by denseModel/);
    expect(() => multiScaleDenseEvaluate(denseModel(m), x, { scales: [20] })).toThrow(/options.scales must be integers >= 32/);
  });
});

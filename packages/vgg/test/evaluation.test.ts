import { ready, tf } from '@aiffel/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseEvaluate, denseModel, topKError, vgg } from '../src/index.js';

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

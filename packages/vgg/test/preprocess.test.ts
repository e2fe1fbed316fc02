import { ready, tf } from '@aiffel/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGENET_MEAN_RGB, meanPixel, preprocessPixels, preprocessTensor } from '../src/index.js';

beforeAll(async () => {
  await ready();
});

describe('preprocessing modes', () => {
  const px = [255, 128, 0, 10, 20, 30];

  it("caffe: BGR order minus the mean pixel on 0..255 (Keras' preprocess_input)", () => {
    const out = preprocessPixels(px, { mode: 'caffe' });
    const [mr, mg, mb] = IMAGENET_MEAN_RGB;
    expect(Array.from(out)).toEqual([0 - mb, 128 - mg, 255 - mr, 30 - mb, 20 - mg, 10 - mr].map(Math.fround));
    // The paper subtracts its own training set's mean.
    const own = preprocessPixels(px, { mode: 'caffe', mean: [10, 20, 30] });
    expect(Array.from(own.subarray(0, 3))).toEqual([-30, 108, 245]);
  });

  it('torch: RGB, /255, minus the ImageNet mean, over its standard deviation', () => {
    const out = preprocessPixels([255, 0, 124], { mode: 'torch' });
    expect(out[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(out[1]).toBeCloseTo((0 - 0.456) / 0.224, 5);
    expect(out[2]).toBeCloseTo((124 / 255 - 0.406) / 0.225, 5);
    expect(Array.from(preprocessPixels(px, { mode: 'none' }))).toEqual(px);
  });

  it('the tensor version equals the pixel version', () => {
    for (const mode of ['caffe', 'torch', 'none'] as const) {
      const t = preprocessTensor(tf.tensor3d(px, [1, 2, 3]), { mode });
      const a = t.dataSync();
      const b = preprocessPixels(px, { mode });
      for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 4);
      t.dispose();
    }
  });

  it('meanPixel is the per-channel mean over all images', () => {
    expect(meanPixel([Uint8Array.of(0, 10, 20), Uint8Array.of(2, 10, 40, 4, 10, 60)])).toEqual([2, 10, 40]);
  });

  it('rejects bad input, naming it', () => {
    // @ts-expect-error: unknown mode
    expect(() => preprocessPixels(px, { mode: 'tf' })).toThrow(/mode must be 'caffe', 'torch' or 'none', got "tf"/);
    expect(() => preprocessPixels([1, 2], {})).toThrow(/pixels length must be a multiple of 3/);
    expect(() => preprocessTensor(tf.zeros([2, 2, 4]))).toThrow(/input channels \(last axis\) must be 3 \(RGB\), got 4/);
    // @ts-expect-error: two values
    expect(() => preprocessPixels(px, { mean: [1, 2] })).toThrow(/mean must be three finite numbers/);
    expect(() => meanPixel([])).toThrow(/images must be at least one pixel/);
  });
});

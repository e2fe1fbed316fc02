import type { ImageArray } from '@aiffel/runtime';
import { Rng } from '@aiffel/runtime';
import { describe, expect, it } from 'vitest';
import { augment, cropImage, flipHorizontal, IMAGENET_PCA, pcaColourShift, sampleScale } from '../src/index.js';

/** An RGB image whose pixel (x, y) is (x, y, 7) so positions can be read back. */
function ramp(width: number, height: number): ImageArray {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      data[p] = x;
      data[p + 1] = y;
      data[p + 2] = 7;
    }
  return { data, width, height, channels: 3, shape: [height, width, 3] };
}

describe('augmentation', () => {
  it('flip mirrors columns and is its own inverse; crop takes the window at the offset', () => {
    const img = ramp(5, 4);
    const f = flipHorizontal(img);
    expect(f.data[0]).toBe(4);
    expect(Array.from(flipHorizontal(f).data)).toEqual(Array.from(img.data));
    const c = cropImage(img, 1, 2, 2);
    expect(Array.from(c.data)).toEqual([1, 2, 7, 2, 2, 7, 1, 3, 7, 2, 3, 7]);
    expect(() => cropImage(img, 4, 0, 2)).toThrow(/crop window must be inside the 5x4 image/);
  });

  it('scale jittering draws S uniformly from [Smin, Smax]', () => {
    const rng = new Rng(1);
    const draws = Array.from({ length: 20000 }, () => sampleScale([256, 512], rng));
    expect(Math.min(...draws)).toBe(256);
    expect(Math.max(...draws)).toBe(512);
    // Standard error of the mean: 74 / sqrt(20000) = 0.52; allow four of them.
    expect(Math.abs(draws.reduce((a, b) => a + b, 0) / draws.length - 384)).toBeLessThan(2.1);
    expect(sampleScale(384, rng)).toBe(384);
  });

  it('PCA colour shift: one shift per image along the principal components, zero mean over draws', () => {
    const rng = new Rng(2);
    const sum = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const img = ramp(2, 2);
      img.data.fill(128);
      const s = pcaColourShift(img, rng);
      for (let c = 0; c < 3; c++) {
        sum[c] = (sum[c] as number) + (s[c] as number);
        expect(img.data[c]).toBe(Math.round(128 + (s[c] as number)));
        expect(img.data[9 + c]).toBe(img.data[c]);
      }
    }
    // The largest component moves R, G and B together (a brightness change) by about 0.1 * 55.
    for (const v of sum) expect(Math.abs(v / 4000)).toBeLessThan(0.5);
    expect(IMAGENET_PCA.eigenvalues[0]).toBeGreaterThan(IMAGENET_PCA.eigenvalues[1]);
  });

  it('a training crop: rescaled so the shorter side is S, cropped, flipped half the time; reproducible for a seed', async () => {
    const img = ramp(200, 100);
    const options = { crop: 48, scale: 64, colourStd: 0 };
    const a = await augment(img, options, new Rng(3));
    const b = await augment(img, options, new Rng(3));
    expect(a.shape).toEqual([48, 48, 3]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    // Rescaled by 0.64: the red channel (x) grows by about 1/0.64 per column, one way or the other.
    let flips = 0;
    const rng = new Rng(4);
    for (let i = 0; i < 200; i++) {
      const c = await augment(img, options, rng);
      const step = ((c.data[47 * 3] as number) - (c.data[0] as number)) / 47;
      expect(Math.abs(Math.abs(step) - 1 / 0.64)).toBeLessThan(0.1);
      if (step < 0) flips++;
    }
    expect(flips).toBeGreaterThan(70);
    expect(flips).toBeLessThan(130);
  });

  it('rejects bad options, naming them', async () => {
    const rng = new Rng(5);
    await expect(augment(ramp(10, 10), { crop: 0 }, rng)).rejects.toThrow(/crop must be a positive integer, got 0/);
    await expect(augment(ramp(10, 10), { crop: 8, scale: 4 }, rng)).rejects.toThrow(/scale must be an integer >= crop \(8\)/);
    await expect(augment(ramp(10, 10), { crop: 8, scale: [12, 9] }, rng)).rejects.toThrow(/scale must be/);
    await expect(augment(ramp(10, 10), { crop: 8, colourStd: -1 }, rng)).rejects.toThrow(/colourStd must be a finite number >= 0, got -1/);
  });
});

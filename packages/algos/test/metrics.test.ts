import { describe, expect, it } from 'vitest';
import { adjustedRandScore, silhouetteScore } from '../src/index.js';
import { makeBlobs } from './blobs.js';

describe('adjustedRandScore', () => {
  it('matches scikit-learn documented values', () => {
    expect(adjustedRandScore([0, 0, 1, 1], [0, 0, 1, 1])).toBe(1);
    expect(adjustedRandScore([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandScore([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714285715, 14);
    expect(adjustedRandScore([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
    expect(adjustedRandScore([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    expect(adjustedRandScore([3, 3, 3], [7, 7, 7])).toBe(1);
  });
  it('rejects mismatched and non-integer labels', () => {
    expect(() => adjustedRandScore([0, 1], [0])).toThrow(/labelsPred.length must be 2 \(one label per sample\), got 1/);
    expect(() => adjustedRandScore([0, 1.5], [0, 1])).toThrow(/labelsTrue\[1\] must be a 32-bit integer label, got 1.5/);
    expect(() => adjustedRandScore([], [])).toThrow(/labelsTrue must be a non-empty labeling/);
  });
});

describe('silhouetteScore', () => {
  it('equals a hand computation', () => {
    // Points 0, 1 (cluster A) and 5, 7 (cluster B) on a line.
    const x = [[0], [1], [5], [7]];
    const s = [
      (6 - 1) / 6, // a = 1, b = (5 + 7) / 2
      (5 - 1) / 5, // a = 1, b = (4 + 6) / 2
      (4.5 - 2) / 4.5, // a = 2, b = (5 + 4) / 2
      (6.5 - 2) / 6.5, // a = 2, b = (7 + 6) / 2
    ];
    expect(silhouetteScore(x, [0, 0, 1, 1])).toBeCloseTo(s.reduce((p, q) => p + q) / 4, 12);
  });
  it('is near 1 for separated blobs and a sample approximates the full score', () => {
    const { x, labels } = makeBlobs(800, 3, 4, 50, 3);
    const full = silhouetteScore(x, labels);
    expect(full).toBeGreaterThan(0.8);
    expect(Math.abs(silhouetteScore(x, labels, { sampleSize: 300, seed: 1 }) - full)).toBeLessThan(0.05);
  });
  it('rejects a single cluster and bad options', () => {
    expect(() => silhouetteScore([[0], [1]], [0, 0])).toThrow(/labels must be between 2 and n - 1 = 1 distinct labels, got "1 distinct labels"/);
    expect(() => silhouetteScore([[0], [1], [2]], [0, 1, 1], { sampleSize: 9 })).toThrow(/options.sampleSize must be an integer in \[2, 3\]/);
    expect(() => silhouetteScore([[0], [1], [2]], [0, 1])).toThrow(/labels.length must be 3/);
  });
});

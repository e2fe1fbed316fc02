import { describe, expect, it } from 'vitest';
import { chooseMaxLength, lengthStats, padSequences } from '../src/index.js';

describe('lengthStats', () => {
  it('gives nearest-rank percentiles and the share within a max length', () => {
    const s = lengthStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 8);
    expect(s).toMatchObject({ count: 10, min: 1, max: 10, mean: 5.5, p50: 5, p90: 9, p95: 10, p99: 10, shareWithin: 0.8 });
    expect(lengthStats(['a b c', 'a', ['x', 'y']]).max).toBe(3);
    expect(chooseMaxLength([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });
  it('rejects bad input', () => {
    expect(() => lengthStats([])).toThrow(/samples must be a non-empty array/);
    expect(() => lengthStats([{} as unknown as number])).toThrow(/samples\[0\] must be a text/);
    expect(() => chooseMaxLength([1], 0)).toThrow(/share must be a number in \(0, 1\]/);
  });
});

describe('padSequences', () => {
  it('refuses a padded size that would allocate more than 2^27 ids, before allocating', () => {
    expect(() => padSequences([[1], [2], [3], [4]], 1e9)).toThrow(
      /maxLength must be at most 33554432 for 4 sequences \(134217728 ids in all\), got 1000000000/,
    );
  });

  it('pads and reports every truncation', () => {
    const p = padSequences([[5, 6, 7, 8], [9], [1, 2, 3]], 3);
    expect([...p.ids]).toEqual([5, 6, 7, 9, 0, 0, 1, 2, 3]);
    expect([...p.lengths]).toEqual([3, 1, 3]);
    expect(p.report).toEqual({ truncated: [0], tokensDropped: 1, share: 1 / 3 });
  });
  it('pads in front and truncates at the front when asked', () => {
    const p = padSequences([[5, 6, 7, 8], [9]], 3, { padding: 'pre', truncating: 'pre' });
    expect([...p.ids]).toEqual([6, 7, 8, 0, 0, 9]);
  });
  it('rejects bad input', () => {
    expect(() => padSequences([[1]], 0)).toThrow(/maxLength must be a positive integer/);
    expect(() => padSequences([[1.5]], 2)).toThrow(/sequences\[0\]\[0\] must be a non-negative integer id/);
    expect(() => padSequences([[1]], 2, { padding: 'mid' as 'pre' })).toThrow(/padding must be 'post' or 'pre'/);
  });
});

import { describe, expect, it } from 'vitest';
import { lcsLength, rouge, rougePair } from '../src/index.js';

describe('ROUGE', () => {
  // The example in google-research/rouge-score's README: target "The quick brown fox jumps over
  // the lazy dog", prediction "The quick brown dog jumps on the log."; its published output is
  // rouge1 P=0.75 R=0.6667 F=0.7059 and rougeL P=0.625 R=0.5556 F=0.5882.
  it('matches the published rouge-score values', () => {
    const s = rougePair('The quick brown dog jumps on the log.', 'The quick brown fox jumps over the lazy dog');
    expect(s.rouge1.precision).toBeCloseTo(0.75, 10);
    expect(s.rouge1.recall).toBeCloseTo(6 / 9, 10);
    expect(s.rouge1.f).toBeCloseTo(0.7058823529411765, 10);
    expect(s.rougeL.precision).toBeCloseTo(0.625, 10);
    expect(s.rougeL.recall).toBeCloseTo(0.5555555555555556, 10);
    expect(s.rougeL.f).toBeCloseTo(0.5882352941176471, 10);
    // Bigrams by hand: "the quick", "quick brown" shared; 7 candidate and 8 reference bigrams.
    expect(s.rouge2.precision).toBeCloseTo(2 / 7, 10);
    expect(s.rouge2.recall).toBeCloseTo(2 / 8, 10);
  });
  it('clips repeated n-grams and averages over pairs', () => {
    expect(rougePair('the the the', 'the cat').rouge1.precision).toBeCloseTo(1 / 3, 10);
    const m = rouge(['a b', 'x'], ['a b', 'y']);
    expect(m.rouge1.f).toBeCloseTo(0.5, 10);
    expect(lcsLength(['a', 'b', 'c', 'd'], ['b', 'd', 'a'])).toBe(2);
    expect(rougePair('', 'a').rouge1.f).toBe(0);
  });
  it('rejects mismatched input', () => {
    expect(() => rouge(['a'], [])).toThrow(/same length, got 1 and 0/);
    expect(() => rouge([], [])).toThrow(/non-empty/);
    expect(() => rouge([1 as unknown as string], ['a'])).toThrow(/candidates\[0\] must be a string/);
  });
});

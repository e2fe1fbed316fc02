import { assertPositiveInteger, rangeError, typeError } from '@aiffel/runtime';
import { tokenize } from './normalizer.js';

export interface LengthStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Percentiles by nearest rank: p50, p90, p95, p99. */
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** When `maxLength` was given: the share of samples with at most that many tokens. */
  shareWithin?: number;
  maxLength?: number;
}

function toLengths(samples: readonly (string | readonly unknown[] | number)[]): number[] {
  if (!Array.isArray(samples)) throw typeError('samples', 'an array of texts, token arrays or lengths', samples);
  if (samples.length === 0) throw rangeError('samples', 'a non-empty array', samples);
  return samples.map((s, i) => {
    if (typeof s === 'string') return tokenize(s).length;
    if (Array.isArray(s)) return s.length;
    if (typeof s === 'number' && Number.isInteger(s) && s >= 0) return s;
    throw typeError(`samples[${i}]`, 'a text, a token array or a non-negative integer length', s);
  });
}

function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Token-length distribution of a corpus: what the exercise plots to pick maximum lengths. */
export function lengthStats(samples: readonly (string | readonly unknown[] | number)[], maxLength?: number): LengthStats {
  const lengths = toLengths(samples);
  const sorted = [...lengths].sort((a, b) => a - b);
  const stats: LengthStats = {
    count: sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99),
  };
  if (maxLength !== undefined) {
    assertPositiveInteger('maxLength', maxLength);
    stats.maxLength = maxLength;
    stats.shareWithin = lengths.filter((l) => l <= maxLength).length / lengths.length;
  }
  return stats;
}

/** The smallest length that covers `share` of the samples (e.g. 0.95). */
export function chooseMaxLength(samples: readonly (string | readonly unknown[] | number)[], share = 0.95): number {
  if (!(share > 0 && share <= 1)) throw rangeError('share', 'a number in (0, 1]', share);
  const sorted = toLengths(samples).sort((a, b) => a - b);
  return Math.max(1, nearestRank(sorted, share * 100));
}

import { rangeError } from '@aiffel/core';

/**
 * fit's `sampleWeight`: one finite, non-negative weight per row with a positive sum, as a
 * Float64Array (undefined when not given). A row's gradient and hessian are multiplied by its
 * weight, so weight 2 counts the row twice and weight 0 leaves it out.
 */
export function checkSampleWeight(w: ArrayLike<number> | undefined, rows: number): Float64Array | undefined {
  if (w === undefined) return undefined;
  if (w === null || typeof w !== 'object' || typeof w.length !== 'number') throw rangeError('sampleWeight', 'an array of numbers', w);
  if (w.length !== rows) throw rangeError('sampleWeight.length', `${rows} (the number of rows of X)`, w.length);
  const out = new Float64Array(rows);
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const v = w[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw rangeError(`sampleWeight[${i}]`, 'a finite number >= 0', v);
    out[i] = v;
    sum += v;
  }
  if (!(sum > 0)) throw rangeError('sampleWeight', 'weights with a positive sum', 'all zeros');
  return out;
}

/** The value at which the weights below reach half of all weight (the plain median for equal weights). */
export function weightedMedian(values: Float64Array, weights: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i] as number;
  let acc = 0;
  for (let j = 0; j < n; j++) {
    const i = idx[j] as number;
    acc += weights[i] as number;
    // Exactly half: midway to the next value, as the unweighted median of an even count.
    if (acc === total / 2 && j + 1 < n) return ((values[i] as number) + (values[idx[j + 1] as number] as number)) / 2;
    if (acc > total / 2) return values[i] as number;
  }
  return values[idx[n - 1] as number] as number;
}

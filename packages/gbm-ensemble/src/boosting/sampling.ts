import type { Rng } from '../core/rng.js';

/**
 * Row samples for one boosting iteration. Rows in the sample go to `order[0..n)` in ascending
 * order (sequential reads of the binned matrix); `weight` is the multiplier of each row's
 * gradient and hessian (GOSS re-weights the sampled small-gradient rows by (1 - a) / b).
 */
export interface RowSample {
  n: number;
  order: Int32Array;
  /** Per row (indexed by row id); undefined when every sampled row has weight 1. */
  weight: Float32Array | undefined;
  /** Rows not in the sample (their scores are updated by walking the tree). */
  outside: Int32Array;
}

export function allRows(rows: number): RowSample {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  return { n: rows, order, weight: undefined, outside: new Int32Array(0) };
}

/** Bagging: exactly round(fraction * rows) rows without replacement (selection sampling). */
export function bagRows(rows: number, fraction: number, rng: Rng): RowSample {
  const order = new Int32Array(rows);
  const want = Math.max(1, Math.round(fraction * rows));
  const outside = new Int32Array(rows - want);
  let n = 0;
  let o = 0;
  for (let i = 0; i < rows; i++) {
    if (rng.random() * (rows - i) < want - n) order[n++] = i;
    else outside[o++] = i;
  }
  return { n, order, weight: undefined, outside };
}

/**
 * Gradient-based one-side sampling (Ke et al. 2017, as in LightGBM): keep the topRate share of
 * rows with the largest |g * h| (summed over outputs), sample otherRate of all rows from the
 * rest and scale their gradients by (1 - topRate) / otherRate so the split gains stay unbiased.
 */
export function gossRows(rows: number, outputs: number, grad: Float32Array, hess: Float32Array, topRate: number, otherRate: number, rng: Rng): RowSample {
  const order = new Int32Array(rows);
  const score = new Float32Array(rows);
  for (let k = 0; k < outputs; k++) {
    const off = k * rows;
    for (let i = 0; i < rows; i++) score[i] = (score[i] as number) + Math.abs((grad[off + i] as number) * (hess[off + i] as number));
  }
  const topK = Math.max(1, Math.floor(topRate * rows));
  const otherK = Math.max(1, Math.floor(otherRate * rows));
  const threshold = kthLargest(Float32Array.from(score), topK);
  const weight = new Float32Array(rows);
  const outside = new Int32Array(rows);
  const multiplier = (1 - topRate) / otherRate;
  let n = 0;
  let o = 0;
  // Rows tied at the threshold fill the top set in row order; the rest compete for otherK.
  let above = 0;
  for (let i = 0; i < rows; i++) if ((score[i] as number) > threshold) above++;
  let ties = topK - above;
  const restTotal = rows - topK;
  let restSeen = 0;
  let restTaken = 0;
  for (let i = 0; i < rows; i++) {
    const s = score[i] as number;
    if (s > threshold || (s === threshold && ties > 0)) {
      if (s === threshold) ties--;
      order[n++] = i;
      weight[i] = 1;
      continue;
    }
    if (rng.random() * (restTotal - restSeen) < otherK - restTaken) {
      order[n++] = i;
      weight[i] = multiplier;
      restTaken++;
    } else outside[o++] = i;
    restSeen++;
  }
  return { n, order, weight, outside: outside.subarray(0, o) };
}

/** k-th largest value (1-based) by quickselect on a scratch copy. */
export function kthLargest(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) > pivot) i++;
      while ((a[j] as number) < pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target] as number;
}

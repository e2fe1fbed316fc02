import type { FloatArray } from '../core/matrix.js';

/** Metrics with a closed form: an index can prune with them because each is a norm of x - y. */
export type NormMetric = 'euclidean' | 'manhattan' | 'chebyshev';

/** Distance between rows i and j of `x` (d columns) under a norm metric. */
export function normDistance(metric: NormMetric, x: FloatArray, d: number): (i: number, j: number) => number {
  if (metric === 'manhattan') {
    return (i, j) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += Math.abs((x[i * d + t] as number) - (x[j * d + t] as number));
      return s;
    };
  }
  if (metric === 'chebyshev') {
    return (i, j) => {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = Math.abs((x[i * d + t] as number) - (x[j * d + t] as number));
        if (v > s) s = v;
      }
      return s;
    };
  }
  // Euclidean compared squared: callers square eps once instead of taking n^2 square roots.
  return (i, j) => {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = (x[i * d + t] as number) - (x[j * d + t] as number);
      s += v * v;
    }
    return s;
  };
}

/** The radius in the units normDistance returns (squared for euclidean). */
export function comparableRadius(metric: NormMetric, eps: number): number {
  return metric === 'euclidean' ? eps * eps : eps;
}

import { checkInteger, checkOneOf, checkOptions, rangeError } from '@aiffel/core';
import { unitRows } from '../cluster/row-norms.js';
import { type MatrixInput, toMatrix } from '../core/matrix.js';

export interface TrustworthinessOptions {
  /** Neighbourhood size k; must be below n / 2. Default 5. */
  nNeighbors?: number;
  /** Metric of the original space: 'euclidean' (default) or 'cosine'. The embedding is always euclidean. */
  metric?: 'euclidean' | 'cosine';
}

/**
 * Trustworthiness (Venna and Kaski 2001), as scikit-learn's `trustworthiness`: 1 minus a penalty
 * for every point among a row's k nearest neighbours in the embedding that is not among its k
 * nearest in the original space, weighted by how far down the original ranking it is. 1 means
 * every embedded neighbourhood is a true one. O(n^2 d) time, O(n) memory.
 */
export function trustworthiness(x: MatrixInput, embedding: MatrixInput, options: TrustworthinessOptions = {}): number {
  checkOptions('trustworthiness options', options, ['nNeighbors', 'metric']);
  let a = toMatrix(x, 'x');
  const b = toMatrix(embedding, 'embedding');
  if (a.rows !== b.rows) throw rangeError('embedding', `${a.rows} rows like x`, `${b.rows} rows`);
  const n = a.rows;
  const k = checkInteger('options.nNeighbors', options.nNeighbors ?? 5, 1);
  if (k >= n / 2) throw rangeError('options.nNeighbors', `less than n / 2 = ${n / 2}`, k);
  if (checkOneOf('options.metric', options.metric ?? 'euclidean', ['euclidean', 'cosine']) === 'cosine') a = unitRows(a, 'x');
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  const nearest = new Int32Array(k);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    squaredDistances(a.data, a.cols, i, n, dx);
    squaredDistances(b.data, b.cols, i, n, dy);
    // k nearest in the embedding (self excluded, ties by index, as a stable argsort).
    let found = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const v = dy[j] as number;
      let pos = found < k ? found++ : k;
      if (pos === k && !(v < (dy[nearest[k - 1] as number] as number))) continue;
      if (pos === k) pos = k - 1;
      while (pos > 0 && v < (dy[nearest[pos - 1] as number] as number)) {
        nearest[pos] = nearest[pos - 1] as number;
        pos--;
      }
      nearest[pos] = j;
    }
    for (let t = 0; t < k; t++) {
      const j = nearest[t] as number;
      const dj = dx[j] as number;
      let rank = 1;
      for (let m = 0; m < n; m++) {
        if (m === i || m === j) continue;
        const dm = dx[m] as number;
        if (dm < dj || (dm === dj && m < j)) rank++;
      }
      if (rank > k) penalty += rank - k;
    }
  }
  return 1 - (penalty * 2) / (n * k * (2 * n - 3 * k - 1));
}

function squaredDistances(data: Float32Array | Float64Array, d: number, i: number, n: number, out: Float64Array): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = (data[i * d + t] as number) - (data[j * d + t] as number);
      s += v * v;
    }
    out[j] = s;
  }
}

import { rangeError } from '../errors.js';

export type MetricName = 'accuracy' | 'auc' | 'mse' | 'mae' | 'r2';
export const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'auc', 'mse', 'mae', 'r2'];

/** Whether a bigger value of the metric is better (for early stopping on it). */
export function metricMode(name: MetricName | 'loss'): 'min' | 'max' {
  return name === 'accuracy' || name === 'auc' || name === 'r2' ? 'max' : 'min';
}

/**
 * A metric over predictions `p` (rows x k, row-major) and targets `y`. For one output column,
 * accuracy thresholds at `threshold` (0.5 on probabilities, 0 on logits) and AUC ranks the
 * scores; for k > 1, accuracy compares the argmax with the class index (or the one-hot argmax).
 */
export function computeMetric(name: MetricName, p: Float32Array, k: number, y: Float32Array, threshold = 0.5): number {
  const n = p.length / k;
  if (!Number.isInteger(n) || n === 0) throw rangeError('predictions', 'a non-empty rows x outputs array', p.length);
  const sparse = y.length === n;
  const label = (i: number): number => {
    if (sparse) return y[i] as number;
    let best = 0;
    for (let c = 1; c < k; c++) if ((y[i * k + c] as number) > (y[i * k + best] as number)) best = c;
    return best;
  };
  switch (name) {
    case 'accuracy': {
      let hits = 0;
      for (let i = 0; i < n; i++) {
        let pred: number;
        if (k === 1) pred = (p[i] as number) >= threshold ? 1 : 0;
        else {
          pred = 0;
          for (let c = 1; c < k; c++) if ((p[i * k + c] as number) > (p[i * k + pred] as number)) pred = c;
        }
        if (pred === label(i)) hits++;
      }
      return hits / n;
    }
    case 'auc': {
      if (k !== 1) throw rangeError('metrics', "'auc' for one output (binary); got outputs", k);
      return binaryAuc(p, y);
    }
    case 'mse':
    case 'mae':
    case 'r2': {
      if (y.length !== p.length) throw rangeError('targets', `${p.length} values (one per output)`, y.length);
      let se = 0;
      let ae = 0;
      let mean = 0;
      for (let i = 0; i < y.length; i++) mean += (y[i] as number) / y.length;
      let tot = 0;
      for (let i = 0; i < y.length; i++) {
        const d = (p[i] as number) - (y[i] as number);
        se += d * d;
        ae += Math.abs(d);
        tot += ((y[i] as number) - mean) ** 2;
      }
      if (name === 'mse') return se / y.length;
      if (name === 'mae') return ae / y.length;
      return tot === 0 ? 0 : 1 - se / tot;
    }
  }
}

/** ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted half. */
export function binaryAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      if ((labels[order[t] as number] as number) === 1) {
        pos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

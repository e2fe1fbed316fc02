import { rangeError, typeError } from '@aiffel/core';
import { argmaxAt } from '../core/argmax.js';
import { accuracy, logLoss, rocAuc } from './classification.js';
import { meanAbsoluteError, meanSquaredError, r2Score, rmse, rmsle } from './regression.js';

/**
 * A metric for early stopping and search: `fn(yTrue, prediction)` where prediction is the
 * model's output per row (regression values, P(class 1) for binary, a flat rows x classes
 * probability array for multiclass), and the direction in which it improves.
 */
export interface EvalMetric {
  name: string;
  higherIsBetter: boolean;
  fn: (yTrue: Float64Array, pred: Float64Array) => number;
}

function argmaxRows(p: Float64Array, n: number): Float64Array {
  const K = p.length / n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = argmaxAt(p, i * K, K);
    out[i] = b;
  }
  return out;
}

function labelsOf(p: Float64Array, n: number): Float64Array {
  return p.length === n ? p.map((v) => (v > 0.5 ? 1 : 0)) : argmaxRows(p, n);
}

const BUILT_IN: Record<string, EvalMetric> = {
  rmse: { name: 'rmse', higherIsBetter: false, fn: rmse },
  mse: { name: 'mse', higherIsBetter: false, fn: meanSquaredError },
  mae: { name: 'mae', higherIsBetter: false, fn: meanAbsoluteError },
  r2: { name: 'r2', higherIsBetter: true, fn: r2Score },
  rmsle: { name: 'rmsle', higherIsBetter: false, fn: rmsle },
  logloss: { name: 'logloss', higherIsBetter: false, fn: (y, p) => logLoss(y, p) },
  auc: { name: 'auc', higherIsBetter: true, fn: rocAuc },
  accuracy: { name: 'accuracy', higherIsBetter: true, fn: (y, p) => accuracy(y, labelsOf(p, y.length)) },
  error: { name: 'error', higherIsBetter: false, fn: (y, p) => 1 - accuracy(y, labelsOf(p, y.length)) },
};

export const METRIC_NAMES = Object.keys(BUILT_IN);

/** A metric given by name or as `{ name, higherIsBetter, fn }`. */
export function resolveMetric(m: string | EvalMetric, name = 'metric'): EvalMetric {
  if (typeof m === 'string') {
    const found = Object.hasOwn(BUILT_IN, m) ? BUILT_IN[m] : undefined;
    if (!found) throw rangeError(name, `one of ${METRIC_NAMES.join(', ')} or { name, higherIsBetter, fn }`, m);
    return found;
  }
  if (m === null || typeof m !== 'object' || typeof m.fn !== 'function' || typeof m.higherIsBetter !== 'boolean')
    throw typeError(name, 'a metric name or { name, higherIsBetter, fn }', m);
  return m;
}

import { rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import type { Label } from '../boosting/labels.js';
import { type EvalMetric, resolveMetric } from '../metrics/named-metrics.js';

/** Anything with scikit-learn's fit / predict: our models and user-written ones. */
export interface Estimator<Y extends Label = number> {
  fit(X: FeatureInput, y: ArrayLike<Y>): unknown;
  predict(X: FeatureInput): ArrayLike<Y>;
  /** Classifiers: rows x classes probabilities in the order of `classes`. */
  predictProba?(X: FeatureInput): Float64Array;
  readonly classes?: Y[];
}

export type Scoring = string | EvalMetric;

const PROBA_METRICS = new Set(['auc', 'logloss']);

/** Scores a fitted model on (X, y): probability metrics use predictProba, the rest predictions. */
export function scoreModel<Y extends Label>(model: Estimator<Y>, X: FeatureInput, y: ArrayLike<Y>, scoring: Scoring): number {
  const metric = resolveMetric(scoring, 'scoring');
  const classes = model.classes;
  if (classes && classes.length > 0) {
    const at = new Map<Label, number>(classes.map((c, i) => [c, i]));
    const codes = Float64Array.from(Array.from(y), (v, i) => {
      const c = at.get(v);
      if (c === undefined) throw rangeError(`y[${i}]`, 'a class the model was trained on', v);
      return c;
    });
    if (PROBA_METRICS.has(metric.name) || (typeof scoring !== 'string' && model.predictProba)) {
      if (!model.predictProba) throw rangeError('scoring', `a metric on predicted labels (the model has no predictProba for ${metric.name})`, metric.name);
      const p = model.predictProba(X);
      const K = classes.length;
      const pred = K === 2 ? Float64Array.from({ length: p.length / 2 }, (_, i) => p[2 * i + 1] as number) : p;
      return metric.fn(codes, pred);
    }
    const pred = Float64Array.from(Array.from(model.predict(X)), (v) => at.get(v) ?? -1);
    if (metric.name === 'accuracy' || metric.name === 'error') {
      let ok = 0;
      for (let i = 0; i < codes.length; i++) if (codes[i] === pred[i]) ok++;
      return metric.name === 'accuracy' ? ok / codes.length : 1 - ok / codes.length;
    }
    return metric.fn(codes, pred);
  }
  return metric.fn(Float64Array.from(y as ArrayLike<number>), Float64Array.from(model.predict(X) as ArrayLike<number>));
}

export function higherIsBetter(scoring: Scoring): boolean {
  return resolveMetric(scoring, 'scoring').higherIsBetter;
}

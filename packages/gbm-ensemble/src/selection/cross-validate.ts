import { checkOptions, rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import type { Label } from '../boosting/labels.js';
import { type Estimator, type Scoring, scoreModel } from './estimator.js';
import { rowCount, takeLabels, takeRows } from './rows.js';
import { type Fold, KFold, StratifiedKFold } from './splitters.js';

export type CvSpec = number | KFold | StratifiedKFold | Fold[];

export interface CrossValOptions {
  /** Folds: a count (default 5; stratified for classifiers), a splitter or explicit folds. */
  cv?: CvSpec;
  /** Metric name or { name, higherIsBetter, fn } (default 'r2' for regressors, 'accuracy' for classifiers). */
  scoring?: Scoring;
}

export interface CrossValResult {
  scores: number[];
  mean: number;
  std: number;
}

/** Folds for n rows; classifiers (labels with a predictProba-capable model) get stratified folds. */
export function resolveFolds<Y extends Label>(cv: CvSpec | undefined, y: ArrayLike<Y>, classifier: boolean): Fold[] {
  if (Array.isArray(cv)) {
    cv.forEach((f, i) => {
      if (!f || !(f.train instanceof Int32Array) || !(f.test instanceof Int32Array)) throw rangeError(`cv[${i}]`, '{ train: Int32Array, test: Int32Array }', f);
      for (const r of [...f.train, ...f.test]) if (r < 0 || r >= y.length) throw rangeError(`cv[${i}]`, `row indices in [0, ${y.length - 1}]`, r);
    });
    return cv;
  }
  if (cv instanceof KFold) return cv.split(y.length);
  if (cv instanceof StratifiedKFold) return cv.split(y as ArrayLike<number | string>);
  const k = cv ?? 5;
  return classifier ? new StratifiedKFold({ nSplits: k }).split(y as ArrayLike<number | string>) : new KFold({ nSplits: k }).split(y.length);
}

/** Fits a fresh model per fold (`create()`) and scores it on the held-out rows. */
export function crossValScore<Y extends Label>(create: () => Estimator<Y>, X: FeatureInput, y: ArrayLike<Y>, options: CrossValOptions = {}): CrossValResult {
  checkOptions('crossValScore options', options, ['cv', 'scoring']);
  if (typeof create !== 'function') throw rangeError('create', 'a function returning a new, unfitted model', create);
  const n = rowCount(X);
  if (n !== y.length) throw rangeError('y.length', `${n} (the number of rows of X)`, y.length);
  const probe = create();
  const classifier = typeof probe.predictProba === 'function';
  const folds = resolveFolds(options.cv, y, classifier);
  const scoring = options.scoring ?? (classifier ? 'accuracy' : 'r2');
  const scores = folds.map((f, i) => {
    const m = i === 0 ? probe : create();
    m.fit(takeRows(X, f.train), takeLabels(y, f.train));
    return scoreModel(m, takeRows(X, f.test), takeLabels(y, f.test), scoring);
  });
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
  return { scores, mean, std };
}

import { checkOneOf, checkOptions, notFitted, rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import type { Label } from '../boosting/labels.js';
import { argmaxAt } from '../core/argmax.js';
import type { Estimator } from '../selection/estimator.js';
import { checkWeights, isEstimator, type Named, namedMembers } from './members.js';

export interface VotingOptions<M> {
  estimators: readonly (M | Named<M>)[];
  /** One non-negative weight per member (default equal). */
  weights?: number[];
  /**
   * The members are already fitted: fit() is not needed and refits nothing (scikit-learn cannot
   * do this, scikit-learn#12297). Default false.
   */
  prefit?: boolean;
}

/** Weighted mean of the members' predictions. */
export class VotingRegressor {
  readonly estimators: Named<Estimator<number>>[];
  readonly weights: Float64Array;
  private fitted: boolean;

  constructor(options: VotingOptions<Estimator<number>>) {
    checkOptions('VotingRegressor options', options, ['estimators', 'weights', 'prefit']);
    this.estimators = namedMembers(options.estimators, 'estimators', isEstimator);
    this.weights = checkWeights(options.weights, this.estimators.length);
    this.fitted = options.prefit ?? false;
  }

  /** Fits every member on (X, y) (all of them, or none if one throws: a failed member is named). */
  fit(X: FeatureInput, y: ArrayLike<number>): this {
    for (const [name, m] of this.estimators) {
      try {
        m.fit(X, y);
      } catch (e) {
        throw new Error(`VotingRegressor member "${name}" failed to fit: ${(e as Error).message}`, { cause: e });
      }
    }
    this.fitted = true;
    return this;
  }

  /** Each member's predictions, by name. */
  predictMembers(X: FeatureInput): Record<string, Float64Array> {
    if (!this.fitted) throw notFitted('VotingRegressor', 'predict');
    return Object.fromEntries(this.estimators.map(([n, m]) => [n, Float64Array.from(m.predict(X))]));
  }

  predict(X: FeatureInput): Float64Array {
    const preds = Object.values(this.predictMembers(X));
    const n = (preds[0] as Float64Array).length;
    const out = new Float64Array(n);
    let wsum = 0;
    preds.forEach((p, j) => {
      if (p.length !== n) throw rangeError(`member "${(this.estimators[j] as Named<unknown>)[0]}" predictions`, `${n} values`, p.length);
      const w = this.weights[j] as number;
      wsum += w;
      for (let i = 0; i < n; i++) out[i] = (out[i] as number) + w * (p[i] as number);
    });
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) / wsum;
    return out;
  }
}

/**
 * Hard voting (weighted majority of predicted labels, ties to the first class in sorted order)
 * or soft voting (argmax of the weighted mean of predictProba, members' classes aligned by label).
 */
export class VotingClassifier<L extends Label = number> {
  readonly estimators: Named<Estimator<L>>[];
  readonly weights: Float64Array;
  readonly voting: 'hard' | 'soft';
  private fitted: boolean;
  private labels: L[] = [];

  constructor(options: VotingOptions<Estimator<L>> & { voting?: 'hard' | 'soft' }) {
    checkOptions('VotingClassifier options', options, ['estimators', 'weights', 'prefit', 'voting']);
    this.estimators = namedMembers(options.estimators, 'estimators', isEstimator);
    this.weights = checkWeights(options.weights, this.estimators.length);
    this.voting = checkOneOf('voting', options.voting ?? 'hard', ['hard', 'soft'] as const);
    if (this.voting === 'soft')
      this.estimators.forEach(([n, m]) => {
        if (typeof m.predictProba !== 'function') throw rangeError(`estimator "${n}"`, "a model with predictProba for voting 'soft'", m);
      });
    this.fitted = options.prefit ?? false;
    if (this.fitted) this.labels = this.unionClasses();
  }

  get classes(): L[] {
    return [...this.labels];
  }

  private unionClasses(): L[] {
    const all = new Set<L>();
    for (const [n, m] of this.estimators) {
      if (!m.classes) throw rangeError(`estimator "${n}"`, 'a fitted classifier exposing classes', m);
      for (const c of m.classes) all.add(c);
    }
    return [...all].sort((a, b) => (typeof a === 'number' ? (a as number) - (b as number) : String(a) < String(b) ? -1 : 1));
  }

  fit(X: FeatureInput, y: ArrayLike<L>): this {
    for (const [name, m] of this.estimators) {
      try {
        m.fit(X, y);
      } catch (e) {
        throw new Error(`VotingClassifier member "${name}" failed to fit: ${(e as Error).message}`, { cause: e });
      }
    }
    this.fitted = true;
    this.labels = this.unionClasses();
    return this;
  }

  /** Weighted mean of the members' probabilities over the union of their classes (soft voting). */
  predictProba(X: FeatureInput): Float64Array {
    if (!this.fitted) throw notFitted('VotingClassifier', 'predictProba');
    const K = this.labels.length;
    const at = new Map<L, number>(this.labels.map((c, i) => [c, i]));
    let out: Float64Array | undefined;
    let wsum = 0;
    this.estimators.forEach(([n, m], j) => {
      if (!m.predictProba) throw rangeError(`estimator "${n}"`, 'a model with predictProba', m);
      const cls = m.classes as L[];
      const p = m.predictProba(X);
      const rows = p.length / cls.length;
      out ??= new Float64Array(rows * K);
      const w = this.weights[j] as number;
      wsum += w;
      const acc = out;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cls.length; c++) {
          const i = r * K + (at.get(cls[c] as L) as number);
          acc[i] = (acc[i] as number) + w * (p[r * cls.length + c] as number);
        }
    });
    const o = out as Float64Array;
    for (let i = 0; i < o.length; i++) o[i] = (o[i] as number) / wsum;
    return o;
  }

  predict(X: FeatureInput): L[] {
    if (!this.fitted) throw notFitted('VotingClassifier', 'predict');
    const K = this.labels.length;
    let scores: Float64Array;
    if (this.voting === 'soft') scores = this.predictProba(X);
    else {
      const at = new Map<L, number>(this.labels.map((c, i) => [c, i]));
      const preds = this.estimators.map(([, m]) => Array.from(m.predict(X)));
      const rows = (preds[0] as L[]).length;
      scores = new Float64Array(rows * K);
      preds.forEach((p, j) => {
        for (let r = 0; r < rows; r++) {
          const i = r * K + (at.get(p[r] as L) as number);
          scores[i] = (scores[i] as number) + (this.weights[j] as number);
        }
      });
    }
    return Array.from({ length: scores.length / K }, (_, r) => {
      const b = argmaxAt(scores, r * K, K);
      return this.labels[b] as L;
    });
  }
}

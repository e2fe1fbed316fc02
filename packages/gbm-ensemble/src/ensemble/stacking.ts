import { checkOptions, notFitted, rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import type { Label } from '../boosting/labels.js';
import { LogisticRegression } from '../linear/logistic.js';
import { RidgeRegression } from '../linear/ridge.js';
import { type CvSpec, resolveFolds } from '../selection/cross-validate.js';
import type { Estimator } from '../selection/estimator.js';
import { rowCount, takeLabels, takeRows } from '../selection/rows.js';
import { type Named, namedMembers } from './members.js';

export interface StackingOptions<Y extends Label> {
  /** Factories of the base models: each fold and the final refit get a fresh model. */
  estimators: readonly (Named<() => Estimator<Y>> | (() => Estimator<Y>))[];
  /** Factory of the model trained on the base models' out-of-fold predictions (default ridge / logistic regression). */
  finalEstimator?: () => Estimator<Y>;
  /** Folds for the out-of-fold predictions (default 5). */
  cv?: CvSpec;
  /** Also give the final model the original features (default false). */
  passthrough?: boolean;
}

const KEYS = ['estimators', 'finalEstimator', 'cv', 'passthrough'];

/**
 * Stacked generalisation: the final model learns from predictions the base models made on rows
 * they were not trained on (out-of-fold), then the base models are refit on all rows.
 */
abstract class StackingBase<Y extends Label> {
  protected readonly factories: Named<() => Estimator<Y>>[];
  protected readonly cv: CvSpec | undefined;
  protected readonly passthrough: boolean;
  protected bases: Estimator<Y>[] = [];
  protected final: Estimator<Y> | undefined;

  constructor(options: StackingOptions<Y>, owner: string) {
    checkOptions(`${owner} options`, options, KEYS);
    this.factories = namedMembers(options.estimators, 'estimators', (f) => typeof f === 'function');
    this.cv = options.cv;
    this.passthrough = options.passthrough ?? false;
  }

  /** Meta-features of one model's predictions (columns appended to `out`). */
  protected abstract features(model: Estimator<Y>, X: FeatureInput): Float64Array[];
  protected abstract classifier(): boolean;

  protected stack(X: FeatureInput, y: ArrayLike<Y>, finalFactory: () => Estimator<Y>): void {
    const n = rowCount(X);
    if (n !== y.length) throw rangeError('y.length', `${n} (the number of rows of X)`, y.length);
    const folds = resolveFolds(this.cv, y, this.classifier());
    const columns: Float64Array[][] = this.factories.map(() => []);
    this.factories.forEach(([, make], j) => {
      for (const f of folds) {
        const m = make();
        m.fit(takeRows(X, f.train), takeLabels(y, f.train));
        const cols = this.features(m, takeRows(X, f.test));
        const target = columns[j] as Float64Array[];
        cols.forEach((c, k) => {
          target[k] ??= new Float64Array(n);
          for (let i = 0; i < f.test.length; i++) (target[k] as Float64Array)[f.test[i] as number] = c[i] as number;
        });
      }
    });
    const meta = this.metaMatrix(columns.flat(), X, n);
    const final = finalFactory();
    final.fit(meta, y);
    this.bases = this.factories.map(([, make]) => {
      const m = make();
      m.fit(X, y);
      return m;
    });
    this.final = final;
  }

  private metaMatrix(cols: Float64Array[], X: FeatureInput, n: number): FeatureInput {
    let extra: Float64Array[] = [];
    if (this.passthrough) {
      const src = takeRows(
        X,
        Int32Array.from({ length: n }, (_, i) => i),
      );
      if (!('data' in src) && !('columns' in src)) {
        const rows = src as number[][];
        extra = (rows[0] as number[]).map((_, c) => Float64Array.from(rows, (r) => r[c] as number));
      } else if ('columns' in src) extra = src.columns.map((c) => Float64Array.from(c));
      else extra = Array.from({ length: src.cols }, (_, c) => Float64Array.from({ length: n }, (_, r) => src.data[r * src.cols + c] as number));
    }
    return { columns: [...cols, ...extra] };
  }

  protected metaFor(X: FeatureInput): FeatureInput {
    if (!this.final) throw notFitted(this.constructor.name, 'predict');
    const cols = this.bases.flatMap((m) => this.features(m, X));
    return this.metaMatrix(cols, X, rowCount(X));
  }
}

export class StackingRegressor extends StackingBase<number> {
  private readonly finalFactory: () => Estimator<number>;

  constructor(options: StackingOptions<number>) {
    super(options, 'StackingRegressor');
    this.finalFactory = options.finalEstimator ?? (() => new RidgeRegression());
  }

  protected features(model: Estimator<number>, X: FeatureInput): Float64Array[] {
    return [Float64Array.from(model.predict(X))];
  }

  protected classifier(): boolean {
    return false;
  }

  fit(X: FeatureInput, y: ArrayLike<number>): this {
    this.stack(X, y, this.finalFactory);
    return this;
  }

  predict(X: FeatureInput): Float64Array {
    const meta = this.metaFor(X);
    return Float64Array.from((this.final as Estimator<number>).predict(meta));
  }
}

/** The meta-features are each base model's class probabilities (the last column dropped for two classes). */
export class StackingClassifier<L extends Label = number> extends StackingBase<L> {
  private readonly finalFactory: () => Estimator<L>;

  constructor(options: StackingOptions<L>) {
    super(options, 'StackingClassifier');
    this.finalFactory = options.finalEstimator ?? (() => new LogisticRegression<L>());
  }

  protected features(model: Estimator<L>, X: FeatureInput): Float64Array[] {
    if (!model.predictProba || !model.classes) throw rangeError('StackingClassifier estimators', 'classifiers with predictProba and classes', model);
    const p = model.predictProba(X);
    const K = model.classes.length;
    const rows = p.length / K;
    const keep = K === 2 ? 1 : K;
    return Array.from({ length: keep }, (_, k) => Float64Array.from({ length: rows }, (_, r) => p[r * K + (K === 2 ? 1 : k)] as number));
  }

  protected classifier(): boolean {
    return true;
  }

  get classes(): L[] {
    return (this.final?.classes ?? []) as L[];
  }

  fit(X: FeatureInput, y: ArrayLike<L>): this {
    this.stack(X, y, this.finalFactory);
    return this;
  }

  predictProba(X: FeatureInput): Float64Array {
    const f = this.final;
    if (!f?.predictProba) throw notFitted('StackingClassifier', 'predictProba');
    return f.predictProba(this.metaFor(X));
  }

  predict(X: FeatureInput): L[] {
    const meta = this.metaFor(X);
    return Array.from((this.final as Estimator<L>).predict(meta));
  }
}

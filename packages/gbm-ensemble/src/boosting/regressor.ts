import { checkNumber, checkOneOf } from '@aiffel/core';
import type { Dataset } from '../data/dataset.js';
import { toLabels } from '../data/matrix-source.js';
import type { FeatureInput, FitOptions } from './booster.js';
import { GradientBoostingBase, paramsFromJSON, readModel } from './gradient-boosting.js';
import type { BoostingOptions } from './params.js';

export interface RegressorOptions extends BoostingOptions {
  /** 'l2' (default), 'l1' (median regression, leaves refit to the median residual) or 'huber'. */
  objective?: 'l2' | 'l1' | 'huber';
  /** Huber: residuals beyond this are treated linearly (default 1). */
  huberDelta?: number;
}

/** Histogram gradient boosting for regression (LightGBM's algorithm, scikit-learn's API). */
export class GradientBoostingRegressor extends GradientBoostingBase {
  protected readonly kind = 'GradientBoostingRegressor';
  readonly objective: 'l2' | 'l1' | 'huber';
  readonly huberDelta: number;

  constructor(options: RegressorOptions = {}) {
    super(options, ['objective', 'huberDelta'], 'GradientBoostingRegressor');
    this.objective = checkOneOf('objective', options.objective ?? 'l2', ['l2', 'l1', 'huber'] as const);
    this.huberDelta = checkNumber('huberDelta', options.huberDelta ?? 1, (v) => v > 0, 'a positive number');
  }

  fit(X: FeatureInput | Dataset, y: ArrayLike<number>, options: FitOptions = {}): this {
    const labels = toLabels(y, Array.isArray(y) || ArrayBuffer.isView(y) ? (y as ArrayLike<number>).length : -1);
    const validY = options.validation ? toLabels(options.validation.y, (options.validation.y as ArrayLike<number>)?.length ?? -1, 'validation.y') : undefined;
    this.train(X, labels, this.objective, 1, this.huberDelta, options, validY);
    return this;
  }

  predict(X: FeatureInput | Dataset, options: { iterations?: number } = {}): Float64Array {
    return this.predictRaw(X, options);
  }

  protected override extraJSON(): Record<string, unknown> {
    return { huberDelta: this.huberDelta };
  }

  static fromJSON(json: unknown): GradientBoostingRegressor {
    const params = paramsFromJSON(json, 'GradientBoostingRegressor');
    const delta = (json as { huberDelta?: number }).huberDelta ?? 1;
    const m = new GradientBoostingRegressor({ ...(params as RegressorOptions), huberDelta: delta });
    m.restore(json, 1, delta);
    return m;
  }

  static load(path: string): GradientBoostingRegressor {
    return GradientBoostingRegressor.fromJSON(readModel(path));
  }
}

import { checkNumber, checkOptions, notFitted, rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import { toLabels, toSource } from '../data/matrix-source.js';
import { solve } from './solve.js';

/** Reads X fully as float64 rows and rejects missing values (linear models have no missing bin). */
export function denseRows(X: FeatureInput, name = 'X'): { x: Float64Array; rows: number; cols: number } {
  const src = toSource(X, name);
  const x = new Float64Array(src.rows * src.cols);
  src.block(0, src.rows, x);
  for (let i = 0; i < x.length; i++)
    if (Number.isNaN(x[i]))
      throw rangeError(`${name}[${Math.floor(i / src.cols)}][${i % src.cols}]`, 'a number (linear models do not take missing values)', Number.NaN);
  return { x, rows: src.rows, cols: src.cols };
}

/**
 * Least squares with an L2 penalty `alpha` on the weights (not the intercept), solved in closed
 * form on centred data: the default final model of StackingRegressor, as in scikit-learn.
 */
export class RidgeRegression {
  readonly alpha: number;
  coef: Float64Array | undefined;
  intercept = 0;

  constructor(options: { alpha?: number } = {}) {
    checkOptions('RidgeRegression options', options, ['alpha']);
    this.alpha = checkNumber('alpha', options.alpha ?? 1, (v) => v >= 0, 'a number >= 0');
  }

  fit(X: FeatureInput, y: ArrayLike<number>): this {
    const { x, rows, cols } = denseRows(X);
    const t = toLabels(y, rows);
    const mx = new Float64Array(cols);
    let my = 0;
    for (let r = 0; r < rows; r++) {
      my += t[r] as number;
      for (let c = 0; c < cols; c++) mx[c] = (mx[c] as number) + (x[r * cols + c] as number);
    }
    my /= rows;
    for (let c = 0; c < cols; c++) mx[c] = (mx[c] as number) / rows;
    const A = new Float64Array(cols * cols);
    const b = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      const dy = (t[r] as number) - my;
      for (let i = 0; i < cols; i++) {
        const xi = (x[r * cols + i] as number) - (mx[i] as number);
        b[i] = (b[i] as number) + xi * dy;
        for (let j = 0; j < cols; j++) A[i * cols + j] = (A[i * cols + j] as number) + xi * ((x[r * cols + j] as number) - (mx[j] as number));
      }
    }
    for (let i = 0; i < cols; i++) A[i * cols + i] = (A[i * cols + i] as number) + this.alpha + 1e-12;
    this.coef = solve(A, b, cols);
    let ic = my;
    for (let c = 0; c < cols; c++) ic -= (this.coef[c] as number) * (mx[c] as number);
    this.intercept = ic;
    return this;
  }

  predict(X: FeatureInput): Float64Array {
    if (!this.coef) throw notFitted('RidgeRegression', 'predict');
    const { x, rows, cols } = denseRows(X);
    if (cols !== this.coef.length) throw rangeError('X columns', String(this.coef.length), cols);
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = this.intercept;
      for (let c = 0; c < cols; c++) s += (this.coef[c] as number) * (x[r * cols + c] as number);
      out[r] = s;
    }
    return out;
  }
}

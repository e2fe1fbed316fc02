import { checkInteger, checkNumber, checkOptions, notFitted, rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import { encodeLabels, type Label } from '../boosting/labels.js';
import { softmaxRow } from '../boosting/objectives.js';
import { argmaxAt } from '../core/argmax.js';
import { denseRows } from './ridge.js';
import { solve } from './solve.js';

/**
 * Multinomial logistic regression with an L2 penalty of strength 1 / C on the weights, fitted by
 * Newton's method on the full (small) Hessian: the default final model of StackingClassifier.
 */
export class LogisticRegression<L extends Label = number> {
  readonly C: number;
  readonly maxIter: number;
  private w: Float64Array | undefined;
  private labels: L[] = [];
  private cols = 0;

  constructor(options: { C?: number; maxIter?: number } = {}) {
    checkOptions('LogisticRegression options', options, ['C', 'maxIter']);
    this.C = checkNumber('C', options.C ?? 1, (v) => v > 0, 'a positive number');
    this.maxIter = checkInteger('maxIter', options.maxIter ?? 50, 1);
  }

  get classes(): L[] {
    return [...this.labels];
  }

  fit(X: FeatureInput, y: ArrayLike<L>): this {
    const { x, rows, cols } = denseRows(X);
    const { classes, codes } = encodeLabels(y);
    if (codes.length !== rows) throw rangeError('y.length', String(rows), codes.length);
    const K = classes.length;
    const D = cols + 1;
    const P = K * D;
    const w = new Float64Array(P);
    const p = new Float64Array(K);
    const s = new Float64Array(K);
    const lam = 1 / this.C;
    for (let it = 0; it < this.maxIter; it++) {
      const g = new Float64Array(P);
      const H = new Float64Array(P * P);
      for (let r = 0; r < rows; r++) {
        const xr = (c: number): number => (c === cols ? 1 : (x[r * cols + c] as number));
        for (let k = 0; k < K; k++) {
          let z = 0;
          for (let c = 0; c < D; c++) z += (w[k * D + c] as number) * xr(c);
          s[k] = z;
        }
        softmaxRow(s, 0, K, p);
        for (let k = 0; k < K; k++) {
          const e = (p[k] as number) - (codes[r] === k ? 1 : 0);
          for (let c = 0; c < D; c++) g[k * D + c] = (g[k * D + c] as number) + e * xr(c);
          for (let k2 = 0; k2 < K; k2++) {
            const hk = (p[k] as number) * ((k === k2 ? 1 : 0) - (p[k2] as number));
            if (hk === 0) continue;
            for (let c = 0; c < D; c++) {
              const a = hk * xr(c);
              const row = (k * D + c) * P + k2 * D;
              for (let c2 = 0; c2 < D; c2++) H[row + c2] = (H[row + c2] as number) + a * xr(c2);
            }
          }
        }
      }
      for (let k = 0; k < K; k++)
        for (let c = 0; c < D; c++) {
          const i = k * D + c;
          // The intercept is not penalised; a tiny ridge keeps the softmax's redundant direction solvable.
          const reg = c === cols ? 1e-8 : lam;
          g[i] = (g[i] as number) + (c === cols ? 0 : lam * (w[i] as number));
          H[i * P + i] = (H[i * P + i] as number) + reg;
        }
      const step = solve(H, g, P);
      let change = 0;
      for (let i = 0; i < P; i++) {
        w[i] = (w[i] as number) - (step[i] as number);
        change = Math.max(change, Math.abs(step[i] as number));
      }
      if (change < 1e-8) break;
    }
    this.w = w;
    this.labels = classes;
    this.cols = cols;
    return this;
  }

  predictProba(X: FeatureInput): Float64Array {
    if (!this.w) throw notFitted('LogisticRegression', 'predictProba');
    const { x, rows, cols } = denseRows(X);
    if (cols !== this.cols) throw rangeError('X columns', String(this.cols), cols);
    const K = this.labels.length;
    const D = cols + 1;
    const out = new Float64Array(rows * K);
    const s = new Float64Array(K);
    const p = new Float64Array(K);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < K; k++) {
        let z = this.w[k * D + cols] as number;
        for (let c = 0; c < cols; c++) z += (this.w[k * D + c] as number) * (x[r * cols + c] as number);
        s[k] = z;
      }
      softmaxRow(s, 0, K, p);
      out.set(p, r * K);
    }
    return out;
  }

  predict(X: FeatureInput): L[] {
    const p = this.predictProba(X);
    const K = this.labels.length;
    return Array.from({ length: p.length / K }, (_, r) => {
      const b = argmaxAt(p, r * K, K);
      return this.labels[b] as L;
    });
  }
}

import { checkOptions, notFitted, rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import { toSource } from '../data/matrix-source.js';

function columns(X: FeatureInput, name: string): { cols: Float64Array[]; rows: number } {
  const src = toSource(X, name);
  const cols = Array.from({ length: src.cols }, (_, f) => {
    const c = new Float64Array(src.rows);
    src.column(f, c);
    return c;
  });
  return { cols, rows: src.rows };
}

function apply(X: FeatureInput, shift: Float64Array, scale: Float64Array, inverse: boolean, owner: string): number[][] {
  const { cols, rows } = columns(X, 'X');
  if (cols.length !== shift.length) throw rangeError('X columns', `${shift.length} (as in fit)`, cols.length);
  return Array.from({ length: rows }, (_, r) =>
    cols.map((c, f) =>
      inverse ? (c[r] as number) * (scale[f] as number) + (shift[f] as number) : ((c[r] as number) - (shift[f] as number)) / (scale[f] as number),
    ),
  ).map((row) => {
    if (row.some((v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)) throw new Error(`${owner}: non-finite result`);
    return row;
  });
}

/** (x - mean) / std per column; NaN (missing) is ignored in fit and kept by transform. */
export class StandardScaler {
  mean: Float64Array | undefined;
  scale: Float64Array | undefined;

  fit(X: FeatureInput): this {
    const { cols } = columns(X, 'X');
    this.mean = new Float64Array(cols.length);
    this.scale = new Float64Array(cols.length);
    cols.forEach((c, f) => {
      let s = 0;
      let n = 0;
      for (const v of c)
        if (!Number.isNaN(v)) {
          s += v;
          n++;
        }
      const m = n ? s / n : 0;
      let ss = 0;
      for (const v of c) if (!Number.isNaN(v)) ss += (v - m) ** 2;
      const sd = n ? Math.sqrt(ss / n) : 0;
      (this.mean as Float64Array)[f] = m;
      // A constant column is left unscaled, as scikit-learn does.
      (this.scale as Float64Array)[f] = sd > 0 ? sd : 1;
    });
    return this;
  }

  transform(X: FeatureInput): number[][] {
    if (!this.mean || !this.scale) throw notFitted('StandardScaler', 'transform');
    return apply(X, this.mean, this.scale, false, 'StandardScaler');
  }

  fitTransform(X: FeatureInput): number[][] {
    return this.fit(X).transform(X);
  }

  inverseTransform(X: FeatureInput): number[][] {
    if (!this.mean || !this.scale) throw notFitted('StandardScaler', 'inverseTransform');
    return apply(X, this.mean, this.scale, true, 'StandardScaler');
  }
}

/** (x - min) / (max - min) into `featureRange` (default [0, 1]); NaN ignored in fit. */
export class MinMaxScaler {
  readonly featureRange: [number, number];
  private shift: Float64Array | undefined;
  private factor: Float64Array | undefined;

  constructor(options: { featureRange?: [number, number] } = {}) {
    checkOptions('MinMaxScaler options', options, ['featureRange']);
    const r = options.featureRange ?? [0, 1];
    if (!Array.isArray(r) || r.length !== 2 || !(r[0] < r[1])) throw rangeError('featureRange', '[low, high] with low < high', r);
    this.featureRange = r;
  }

  fit(X: FeatureInput): this {
    const { cols } = columns(X, 'X');
    const [lo, hi] = this.featureRange;
    this.shift = new Float64Array(cols.length);
    this.factor = new Float64Array(cols.length);
    cols.forEach((c, f) => {
      let mn = Number.POSITIVE_INFINITY;
      let mx = Number.NEGATIVE_INFINITY;
      for (const v of c)
        if (!Number.isNaN(v)) {
          mn = Math.min(mn, v);
          mx = Math.max(mx, v);
        }
      if (mn === Number.POSITIVE_INFINITY) {
        mn = 0;
        mx = 1;
      }
      const span = mx - mn || 1;
      // transform: (x - shift) / factor maps [mn, mx] onto [lo, hi]
      (this.factor as Float64Array)[f] = span / (hi - lo);
      (this.shift as Float64Array)[f] = mn - lo * (span / (hi - lo));
    });
    return this;
  }

  transform(X: FeatureInput): number[][] {
    if (!this.shift || !this.factor) throw notFitted('MinMaxScaler', 'transform');
    return apply(X, this.shift, this.factor, false, 'MinMaxScaler');
  }

  fitTransform(X: FeatureInput): number[][] {
    return this.fit(X).transform(X);
  }

  inverseTransform(X: FeatureInput): number[][] {
    if (!this.shift || !this.factor) throw notFitted('MinMaxScaler', 'inverseTransform');
    return apply(X, this.shift, this.factor, true, 'MinMaxScaler');
  }
}

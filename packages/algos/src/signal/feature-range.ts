import { rangeError, typeError } from '@aiffel/core';

/**
 * UCI HAR's scaling of every feature to [-1, 1] by its minimum and maximum. Fit it on the
 * training rows only (upstream scaled train and test together, which leaks); test rows outside
 * the training range are clipped to [-1, 1].
 */
export class FeatureRange {
  private constructor(
    readonly min: Float64Array,
    readonly max: Float64Array,
  ) {}

  static fit(m: { data: ArrayLike<number>; rows: number; cols: number }): FeatureRange {
    check('m', m);
    const min = new Float64Array(m.cols).fill(Number.POSITIVE_INFINITY);
    const max = new Float64Array(m.cols).fill(Number.NEGATIVE_INFINITY);
    for (let r = 0; r < m.rows; r++) {
      for (let c = 0; c < m.cols; c++) {
        const v = m.data[r * m.cols + c] as number;
        if (!Number.isFinite(v)) throw rangeError('m.data', 'finite values', `${v} at row ${r}, column ${c}`);
        if (v < (min[c] as number)) min[c] = v;
        if (v > (max[c] as number)) max[c] = v;
      }
    }
    return new FeatureRange(min, max);
  }

  /** A scaled copy; a column constant on the training rows maps to 0. */
  transform(m: { data: ArrayLike<number>; rows: number; cols: number }): { data: Float64Array; rows: number; cols: number } {
    check('m', m);
    if (m.cols !== this.min.length) throw rangeError('m.cols', `${this.min.length} (the fitted columns)`, m.cols);
    const data = new Float64Array(m.rows * m.cols);
    for (let r = 0; r < m.rows; r++) {
      for (let c = 0; c < m.cols; c++) {
        const lo = this.min[c] as number;
        const span = (this.max[c] as number) - lo;
        const v = span > 0 ? (2 * ((m.data[r * m.cols + c] as number) - lo)) / span - 1 : 0;
        data[r * m.cols + c] = Math.max(-1, Math.min(1, v));
      }
    }
    return { data, rows: m.rows, cols: m.cols };
  }
}

function check(name: string, m: { data: ArrayLike<number>; rows: number; cols: number }): void {
  if (m === null || typeof m !== 'object' || !(ArrayBuffer.isView(m.data) || Array.isArray(m.data))) throw typeError(name, '{ data, rows, cols }', m);
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 1 || m.cols < 1 || m.data.length !== m.rows * m.cols)
    throw rangeError(name, `{ data, rows, cols } with data.length = rows * cols`, { rows: m.rows, cols: m.cols, length: m.data.length });
}

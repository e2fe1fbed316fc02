import { rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import type { ColumnMatrix, DenseMatrix } from '../data/matrix-source.js';

/** Number of rows of any accepted X. */
export function rowCount(X: FeatureInput): number {
  if (Array.isArray(X)) return X.length;
  if (X && typeof X === 'object' && 'data' in X) return (X as DenseMatrix).rows;
  if (X && typeof X === 'object' && 'columns' in X) return ((X as ColumnMatrix).columns[0] as ArrayLike<number>)?.length ?? 0;
  throw rangeError('X', 'number[][], { data, rows, cols }, { columns } or records', X);
}

/** The given rows of X, in the same form (records stay records, dense stays dense). */
export function takeRows(X: FeatureInput, idx: ArrayLike<number>): FeatureInput {
  if (Array.isArray(X)) return Array.from(idx, (i) => X[i]) as FeatureInput;
  if ('data' in X) {
    const { data, cols } = X as DenseMatrix;
    const out = new (data.constructor as Float64ArrayConstructor)(idx.length * cols);
    for (let k = 0; k < idx.length; k++) out.set(data.subarray((idx[k] as number) * cols, ((idx[k] as number) + 1) * cols), k * cols);
    return { data: out, rows: idx.length, cols };
  }
  const cols = (X as ColumnMatrix).columns;
  return { columns: cols.map((c) => Float64Array.from(idx, (i) => c[i] as number)) };
}

export function takeLabels<T>(y: ArrayLike<T>, idx: ArrayLike<number>): T[] {
  return Array.from(idx, (i) => y[i] as T);
}

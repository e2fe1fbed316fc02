import { rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import { toSource } from '../data/matrix-source.js';

function pearson(a: Float64Array, b: Float64Array): number {
  // Pairwise-complete: rows where either value is missing are skipped (pandas' default).
  let n = 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++)
    if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) {
      ma += a[i] as number;
      mb += b[i] as number;
      n++;
    }
  if (n < 2) return Number.NaN;
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? Number.NaN : sab / Math.sqrt(saa * sbb);
}

/** Average ranks (ties share their mean rank); NaN stays NaN. */
export function ranks(v: Float64Array): Float64Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).filter((i) => !Number.isNaN(v[i]));
  idx.sort((a, b) => (v[a] as number) - (v[b] as number));
  const out = new Float64Array(v.length).fill(Number.NaN);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1] as number] === v[idx[i] as number]) j++;
    for (let k = i; k <= j; k++) out[idx[k] as number] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Correlation matrix of the columns of X: Pearson, or Spearman (Pearson of ranks). */
export function correlationMatrix(X: FeatureInput, method: 'pearson' | 'spearman' = 'pearson'): number[][] {
  if (method !== 'pearson' && method !== 'spearman') throw rangeError('method', "'pearson' or 'spearman'", method);
  const src = toSource(X);
  const cols = Array.from({ length: src.cols }, (_, f) => {
    const c = new Float64Array(src.rows);
    src.column(f, c);
    return method === 'spearman' ? ranks(c) : c;
  });
  return cols.map((a, i) => cols.map((b, j) => (i === j ? 1 : pearson(a, b))));
}

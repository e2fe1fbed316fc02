import { checkInteger, checkOneOf, checkOptions, rangeError, typeError } from '@aiffel/core';

export interface GapFillOptions {
  /** 'linear' (default) or 'spline' (natural cubic spline through every known sample). */
  method?: 'linear' | 'spline';
  /** Longest run of missing samples to fill; a longer one throws. Default Infinity. */
  maxGap?: number;
}

export interface FilledGap {
  /** First missing index. */
  start: number;
  length: number;
  /** 'inner' gaps are interpolated; 'leading' / 'trailing' ones repeat the nearest known sample. */
  kind: 'inner' | 'leading' | 'trailing';
}

export interface GapFillReport {
  /** Missing samples (NaN, or undefined / null in plain arrays) that were filled. */
  filled: number;
  gaps: FilledGap[];
  method: 'linear' | 'spline';
}

/**
 * Fills missing samples (NaN) of one channel by interpolation instead of dropping them, and says
 * exactly what it filled. Samples before the first or after the last known one cannot be
 * interpolated: they repeat the nearest known value and are reported as 'leading' / 'trailing'.
 */
export function fillGaps(x: ArrayLike<number | null | undefined>, options: GapFillOptions = {}): { values: Float64Array; report: GapFillReport } {
  checkOptions('fillGaps options', options, ['method', 'maxGap']);
  if (!(Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView)))) throw typeError('x', 'an array of numbers (NaN for missing)', x);
  const method = checkOneOf('method', options.method ?? 'linear', ['linear', 'spline'] as const);
  const maxGap =
    options.maxGap === undefined || options.maxGap === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : checkInteger('maxGap', options.maxGap, 1);
  const n = x.length;
  const values = new Float64Array(n);
  const known: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v === null || v === undefined || Number.isNaN(v)) values[i] = Number.NaN;
    else if (typeof v !== 'number' || !Number.isFinite(v)) throw rangeError('x', 'finite numbers or NaN for a missing sample', `${String(v)} at index ${i}`);
    else {
      values[i] = v;
      known.push(i);
    }
  }
  const report: GapFillReport = { filled: n - known.length, gaps: [], method };
  if (known.length === n) return { values, report };
  if (known.length === 0) throw rangeError('x', 'at least one known (non-NaN) sample to fill from', `${n} missing samples`);
  for (let i = 0; i < n; ) {
    if (!Number.isNaN(values[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && Number.isNaN(values[j])) j++;
    const kind = i === 0 ? 'leading' : j === n ? 'trailing' : 'inner';
    if (j - i > maxGap) throw rangeError('x', `gaps of at most maxGap (${maxGap}) missing samples`, `${j - i} missing from index ${i}`);
    report.gaps.push({ start: i, length: j - i, kind });
    i = j;
  }
  const slopes = method === 'spline' && known.length >= 3 ? splineSecondDerivatives(known, values) : undefined;
  let k = 0; // known[k] <= i < known[k + 1]
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(values[i])) continue;
    if (i < (known[0] as number)) values[i] = values[known[0] as number] as number;
    else if (i > (known[known.length - 1] as number)) values[i] = values[known[known.length - 1] as number] as number;
    else {
      while ((known[k + 1] as number) < i) k++;
      const x0 = known[k] as number;
      const x1 = known[k + 1] as number;
      const y0 = values[x0] as number;
      const y1 = values[x1] as number;
      const t = (i - x0) / (x1 - x0);
      if (slopes === undefined) values[i] = y0 + (y1 - y0) * t;
      else {
        const h = x1 - x0;
        const m0 = slopes[k] as number;
        const m1 = slopes[k + 1] as number;
        values[i] = (1 - t) * y0 + t * y1 + ((h * h) / 6) * (((1 - t) ** 3 - (1 - t)) * m0 + (t ** 3 - t) * m1);
      }
    }
  }
  return { values, report };
}

/** Second derivatives of the natural cubic spline through (xs, values[xs]): the Thomas algorithm. */
function splineSecondDerivatives(xs: number[], values: Float64Array): Float64Array {
  const m = xs.length;
  const out = new Float64Array(m);
  const c = new Float64Array(m);
  const d = new Float64Array(m);
  for (let i = 1; i < m - 1; i++) {
    const h0 = (xs[i] as number) - (xs[i - 1] as number);
    const h1 = (xs[i + 1] as number) - (xs[i] as number);
    const rhs =
      6 *
      (((values[xs[i + 1] as number] as number) - (values[xs[i] as number] as number)) / h1 -
        ((values[xs[i] as number] as number) - (values[xs[i - 1] as number] as number)) / h0);
    const diag = 2 * (h0 + h1) - h0 * (c[i - 1] as number);
    c[i] = h1 / diag;
    d[i] = (rhs - h0 * (d[i - 1] as number)) / diag;
  }
  for (let i = m - 2; i >= 1; i--) out[i] = (d[i] as number) - (c[i] as number) * (out[i + 1] as number);
  return out;
}

import { checkOneOf, checkOptions, rangeError, typeError } from '@aiffel/core';
import type { FilterCoefficients } from './butterworth.js';

function checkCoefficients({ b, a }: FilterCoefficients): { b: Float64Array; a: Float64Array } {
  if (!(b?.length > 0) || !(a?.length > 0)) throw typeError('filter', '{ b, a } coefficient arrays', { b, a });
  const a0 = a[0] as number;
  if (!(a0 !== 0 && Number.isFinite(a0))) throw rangeError('filter.a[0]', 'a finite non-zero number', a0);
  const n = Math.max(a.length, b.length);
  const bb = new Float64Array(n);
  const aa = new Float64Array(n);
  for (let i = 0; i < b.length; i++) bb[i] = (b[i] as number) / a0;
  for (let i = 0; i < a.length; i++) aa[i] = (a[i] as number) / a0;
  return { b: bb, a: aa };
}

export function checkSignal(name: string, x: unknown): ArrayLike<number> {
  if (!(Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView)))) throw typeError(name, 'an array of numbers', x);
  const s = x as ArrayLike<number>;
  for (let i = 0; i < s.length; i++)
    if (!Number.isFinite(s[i])) throw rangeError(name, 'finite numbers (fill gaps first with fillGaps)', `${s[i]} at index ${i}`);
  return s;
}

/** Direct form II transposed, with optional initial state `zi` (length n - 1); `zf` receives the final state. */
function run(b: Float64Array, a: Float64Array, x: ArrayLike<number>, out: Float64Array, zi?: Float64Array): void {
  const n = b.length;
  const z = zi ? Float64Array.from(zi) : new Float64Array(n - 1);
  const b0 = b[0] as number;
  for (let t = 0; t < x.length; t++) {
    const xt = x[t] as number;
    const y = b0 * xt + (n > 1 ? (z[0] as number) : 0);
    for (let k = 0; k < n - 2; k++) z[k] = (b[k + 1] as number) * xt + (z[k + 1] as number) - (a[k + 1] as number) * y;
    if (n > 1) z[n - 2] = (b[n - 1] as number) * xt - (a[n - 1] as number) * y;
    out[t] = y;
  }
}

/** One forward pass of the filter (scipy.signal.lfilter with zero initial state). */
export function lfilter(filter: FilterCoefficients, x: ArrayLike<number>): Float64Array {
  const { b, a } = checkCoefficients(filter);
  const s = checkSignal('x', x);
  const out = new Float64Array(s.length);
  run(b, a, s, out);
  return out;
}

/** The steady-state initial condition for a unit step (scipy.signal.lfilter_zi). */
export function lfilterZi(filter: FilterCoefficients): Float64Array {
  const { b, a } = checkCoefficients(filter);
  const m = b.length - 1;
  if (m === 0) return new Float64Array(0);
  // (I - A^T) zi = b[1:] - a[1:] b[0], A the companion matrix of a: solved by Gaussian elimination.
  const M: Float64Array<ArrayBufferLike>[] = Array.from({ length: m }, () => new Float64Array(m + 1));
  for (let i = 0; i < m; i++) {
    const row = M[i] as Float64Array;
    row[i] = 1;
    // companion(a)^T has -a[1:] down column 0 and ones on the superdiagonal.
    row[0] = (row[0] as number) + (a[i + 1] as number);
    if (i + 1 < m) row[i + 1] = (row[i + 1] as number) - 1;
    row[m] = (b[i + 1] as number) - (a[i + 1] as number) * (b[0] as number);
  }
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs((M[r] as Float64Array)[c] as number) > Math.abs((M[p] as Float64Array)[c] as number)) p = r;
    [M[c], M[p]] = [M[p] as Float64Array, M[c] as Float64Array];
    const pivot = M[c] as Float64Array;
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const row = M[r] as Float64Array;
      const f = (row[c] as number) / (pivot[c] as number);
      if (f !== 0) for (let k = c; k <= m; k++) row[k] = (row[k] as number) - f * (pivot[k] as number);
    }
  }
  return Float64Array.from(M, (row, i) => (row[m] as number) / (row[i] as number));
}

export interface FiltfiltOptions {
  /** Edge extension before filtering: 'odd' (default, scipy's), 'even', 'constant' or 'none'. */
  padType?: 'odd' | 'even' | 'constant' | 'none';
  /** Samples added at each end. Default 3 * max(len(a), len(b)) (scipy's), capped at length - 1. */
  padLength?: number;
}

/**
 * Zero-phase filtering (scipy.signal.filtfilt with its defaults): the signal is extended at both
 * ends, filtered forward from the steady state of its first sample, then backward, so the output
 * has no delay and the filter's magnitude response squared.
 */
export function filtfilt(filter: FilterCoefficients, x: ArrayLike<number>, options: FiltfiltOptions = {}): Float64Array {
  checkOptions('filtfilt options', options, ['padType', 'padLength']);
  const { b, a } = checkCoefficients(filter);
  const s = checkSignal('x', x);
  const padType = checkOneOf('padType', options.padType ?? 'odd', ['odd', 'even', 'constant', 'none'] as const);
  const n = s.length;
  const edge = padType === 'none' ? 0 : (options.padLength ?? 3 * b.length);
  if (!Number.isInteger(edge) || edge < 0) throw rangeError('padLength', 'a non-negative integer', edge);
  if (n <= edge) throw rangeError('x', `more than padLength (${edge}) samples for this filter`, `${n} samples`);
  const ext = new Float64Array(n + 2 * edge);
  const first = s[0] as number;
  const last = s[n - 1] as number;
  for (let i = 0; i < edge; i++) {
    const l = s[edge - i] as number; // x[edge], ..., x[1]
    const r = s[n - 2 - i] as number; // x[n-2], x[n-3], ...
    ext[i] = padType === 'odd' ? 2 * first - l : padType === 'even' ? l : first;
    ext[n + edge + i] = padType === 'odd' ? 2 * last - r : padType === 'even' ? r : last;
  }
  for (let i = 0; i < n; i++) ext[edge + i] = s[i] as number;
  const zi = lfilterZi({ b, a });
  const fwd = new Float64Array(ext.length);
  run(
    b,
    a,
    ext,
    fwd,
    zi.map((z) => z * (ext[0] as number)),
  );
  fwd.reverse();
  const back = new Float64Array(ext.length);
  run(
    b,
    a,
    fwd,
    back,
    zi.map((z) => z * (fwd[0] as number)),
  );
  back.reverse();
  return back.slice(edge, edge + n);
}

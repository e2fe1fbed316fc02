import { rangeError } from '@aiffel/core';
import { toLabels } from '../data/matrix-source.js';

/**
 * log(1 + y) for skewed targets such as house prices, and its inverse for predictions. Values
 * <= -1 have no logarithm and are named in the error.
 */
export const log1pTarget = {
  transform(y: ArrayLike<number>): Float64Array {
    const t = toLabels(y, y.length);
    return t.map((v, i) => {
      if (v <= -1) throw rangeError(`y[${i}]`, 'greater than -1 for log1p', v);
      return Math.log1p(v);
    });
  },
  inverse(y: ArrayLike<number>): Float64Array {
    return Float64Array.from(y, (v) => Math.expm1(v));
  },
};

/**
 * Fills NaN by linear interpolation along `index` (time stamps, or positions when omitted), as
 * pandas' interpolate(method='index'); leading and trailing gaps take the nearest value
 * (limitDirection 'both'). A column with no value at all is an error.
 */
export function interpolateMissing(values: ArrayLike<number>, index?: ArrayLike<number>): Float64Array {
  const n = values.length;
  const out = Float64Array.from(values);
  const x = index ? Float64Array.from(index) : Float64Array.from({ length: n }, (_, i) => i);
  if (x.length !== n) throw rangeError('index.length', String(n), x.length);
  for (let i = 1; i < n; i++) if (!((x[i] as number) > (x[i - 1] as number))) throw rangeError(`index[${i}]`, 'strictly increasing', x[i]);
  const known: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = out[i] as number;
    if (!Number.isNaN(v)) {
      if (!Number.isFinite(v)) throw rangeError(`values[${i}]`, 'finite or NaN', v);
      known.push(i);
    }
  }
  if (known.length === 0) throw rangeError('values', 'at least one non-missing value', 'all NaN');
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(out[i])) continue;
    while (k + 1 < known.length && (known[k + 1] as number) < i) k++;
    const a = known[k] as number;
    const b = known.find((j) => j > i);
    if (a > i) out[i] = out[a] as number;
    else if (b === undefined) out[i] = out[a] as number;
    else {
      const t = ((x[i] as number) - (x[a] as number)) / ((x[b] as number) - (x[a] as number));
      out[i] = (out[a] as number) + t * ((out[b] as number) - (out[a] as number));
    }
  }
  return out;
}

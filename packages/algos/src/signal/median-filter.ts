import { checkInteger } from '@aiffel/core';
import { checkSignal } from './lfilter.js';

/**
 * Running median over `kernel` samples (odd), zero-padded at the ends as scipy.signal.medfilt and
 * MATLAB's medfilt1 do: the UCI HAR recipe's impulse-noise filter (kernel 3).
 */
export function medianFilter(x: ArrayLike<number>, kernel = 3): Float64Array {
  const s = checkSignal('x', x);
  const k = checkInteger('kernel', kernel, 1, 999);
  if (k % 2 === 0) throw new RangeError(`kernel must be an odd integer, got ${k}`);
  const half = (k - 1) / 2;
  const n = s.length;
  const out = new Float64Array(n);
  const buf = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = -half; j <= half; j++) {
      const t = i + j;
      buf[j + half] = t < 0 || t >= n ? 0 : (s[t] as number);
    }
    if (k === 3) {
      const a = buf[0] as number;
      const b = buf[1] as number;
      const c = buf[2] as number;
      out[i] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    } else {
      buf.sort();
      out[i] = buf[half] as number;
    }
  }
  return out;
}

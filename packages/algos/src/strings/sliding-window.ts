import { checkInteger, typeError } from '@aiffel/core';
import { checkString } from './check-string.js';

function checkValues(values: unknown): ArrayLike<number> {
  if (!(Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView)))) throw typeError('values', 'an array of numbers', values);
  return values as ArrayLike<number>;
}

/**
 * The extreme of every window of `k` consecutive values, with a monotonic deque of indices:
 * O(n) however large k is. `better(a, b)` is true when a should replace b as the extreme.
 */
function slidingExtreme(values: unknown, k: number, better: (a: number, b: number) => boolean): Float64Array {
  const v = checkValues(values);
  const n = v.length;
  checkInteger('k', k, 1);
  if (n === 0) return new Float64Array(0);
  checkInteger('k', k, 1, n);
  const out = new Float64Array(n - k + 1);
  const dq = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    if (typeof x !== 'number' || Number.isNaN(x)) throw typeError(`values[${i}]`, 'a number (not NaN)', x);
    while (tail > head && !better(v[dq[tail - 1] as number] as number, x)) tail--;
    dq[tail++] = i;
    if ((dq[head] as number) <= i - k) head++;
    if (i >= k - 1) out[i - k + 1] = v[dq[head] as number] as number;
  }
  return out;
}

/** Maximum of each window of k consecutive values (length n - k + 1). O(n). */
export function slidingWindowMax(values: ArrayLike<number>, k: number): Float64Array {
  return slidingExtreme(values, k, (a, b) => a > b);
}

/** Minimum of each window of k consecutive values (length n - k + 1). O(n). */
export function slidingWindowMin(values: ArrayLike<number>, k: number): Float64Array {
  return slidingExtreme(values, k, (a, b) => a < b);
}

/**
 * The shortest substring of `s` containing every character of `t` with its multiplicity, by code
 * point; '' when none exists. Leftmost among equally short windows. O(|s| + |t|).
 */
export function minWindowSubstring(s: string, t: string): string {
  checkString('s', s);
  checkString('t', t);
  if (t.length === 0) return '';
  const need = new Map<string, number>();
  for (const ch of t) need.set(ch, (need.get(ch) ?? 0) + 1);
  const chars = Array.from(s);
  const offsets = new Int32Array(chars.length + 1);
  for (let i = 0; i < chars.length; i++) offsets[i + 1] = (offsets[i] as number) + (chars[i] as string).length;
  let missing = need.size;
  let bestStart = -1;
  let bestEnd = 0;
  let left = 0;
  for (let right = 0; right < chars.length; right++) {
    const c = chars[right] as string;
    const r = need.get(c);
    if (r === undefined) continue;
    need.set(c, r - 1);
    if (r === 1) missing--;
    while (missing === 0) {
      if (bestStart < 0 || right + 1 - left < bestEnd - bestStart) {
        bestStart = left;
        bestEnd = right + 1;
      }
      const l = chars[left++] as string;
      const lr = need.get(l);
      if (lr !== undefined) {
        need.set(l, lr + 1);
        if (lr === 0) missing++;
      }
    }
  }
  return bestStart < 0 ? '' : s.slice(offsets[bestStart], offsets[bestEnd]);
}

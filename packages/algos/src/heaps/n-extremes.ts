import { checkFunction, checkInteger, typeError } from '@aiffel/core';
import { ascending, type Compare } from './compare.js';

/**
 * The n items that compare first, in order, in O(N log n) time and O(n) memory (one pass, a
 * bounded heap of the current best). Stable: equal items keep their input order, as Python's
 * heapq.nsmallest does.
 */
export function nSmallest<T>(items: Iterable<T>, n: number, compare: Compare<T> = ascending): T[] {
  if (items === null || typeof (items as Iterable<T>)?.[Symbol.iterator] !== 'function') throw typeError('items', 'an iterable', items);
  checkInteger('n', n, 0);
  checkFunction('compare', compare);
  if (n === 0) return [];
  // Max-heap on (value, index) so the worst kept item is at the top and ties break by arrival.
  const vals: T[] = [];
  const idx: number[] = [];
  const worse = (i: number, j: number): boolean => {
    const c = compare(vals[i] as T, vals[j] as T);
    return c > 0 || (c === 0 && (idx[i] as number) > (idx[j] as number));
  };
  const swap = (i: number, j: number): void => {
    const v = vals[i] as T;
    vals[i] = vals[j] as T;
    vals[j] = v;
    const t = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = t;
  };
  const down = (i: number): void => {
    const m = vals.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) return;
      if (c + 1 < m && worse(c + 1, c)) c++;
      if (!worse(c, i)) return;
      swap(i, c);
      i = c;
    }
  };
  let k = 0;
  for (const v of items) {
    if (vals.length < n) {
      vals.push(v);
      idx.push(k);
      let i = vals.length - 1;
      while (i > 0 && worse(i, (i - 1) >> 1)) {
        swap(i, (i - 1) >> 1);
        i = (i - 1) >> 1;
      }
    } else if (compare(v, vals[0] as T) < 0) {
      vals[0] = v;
      idx[0] = k;
      down(0);
    }
    k++;
  }
  const order = vals.map((_, i) => i).sort((a, b) => compare(vals[a] as T, vals[b] as T) || (idx[a] as number) - (idx[b] as number));
  return order.map((i) => vals[i] as T);
}

/** The n items that compare last, largest first; stable like heapq.nlargest. */
export function nLargest<T>(items: Iterable<T>, n: number, compare: Compare<T> = ascending): T[] {
  checkFunction('compare', compare);
  return nSmallest(items, n, (a, b) => compare(b, a));
}

import { typeError } from '../core/errors.js';
import { ascending, type Compare } from '../heaps/compare.js';

/**
 * Lazily merges sorted iterables: `mergeSorted(a, b, c)` or `mergeSorted(a, b, c, compare)`.
 * O(N log k) for N items from k inputs; each input is pulled only when its next item is needed,
 * so infinite or huge inputs work and taking the first m items costs O(k + m log k). Stable: equal
 * items come out in input order. An input that turns out not to be sorted throws, naming it.
 */
export function mergeSorted<T>(...iterables: Iterable<T>[]): Generator<T, void, undefined>;
export function mergeSorted<T>(...args: [...Iterable<T>[], Compare<T>]): Generator<T, void, undefined>;
export function mergeSorted<T>(...args: unknown[]): Generator<T, void, undefined> {
  let compare: Compare<T> = ascending;
  let inputs = args;
  if (typeof args[args.length - 1] === 'function') {
    compare = args[args.length - 1] as Compare<T>;
    inputs = args.slice(0, -1);
  }
  const iterators = inputs.map((it, i) => {
    if (it === null || typeof (it as Iterable<T>)?.[Symbol.iterator] !== 'function') throw typeError(`iterables[${i}]`, 'an iterable', it);
    return (it as Iterable<T>)[Symbol.iterator]();
  });
  return merge(iterators, compare);
}

function* merge<T>(iterators: Iterator<T>[], compare: Compare<T>): Generator<T, void, undefined> {
  const current: T[] = new Array(iterators.length);
  const heap: number[] = [];
  const before = (a: number, b: number): boolean => {
    const c = compare(current[a] as T, current[b] as T);
    return c < 0 || (c === 0 && a < b);
  };
  const up = (i: number): void => {
    const x = heap[i] as number;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(x, heap[p] as number)) break;
      heap[i] = heap[p] as number;
      i = p;
    }
    heap[i] = x;
  };
  const down = (i: number): void => {
    const n = heap.length;
    const x = heap[i] as number;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && before(heap[c + 1] as number, heap[c] as number)) c++;
      if (!before(heap[c] as number, x)) break;
      heap[i] = heap[c] as number;
      i = c;
    }
    heap[i] = x;
  };
  try {
    iterators.forEach((it, i) => {
      const r = it.next();
      if (!r.done) {
        current[i] = r.value;
        heap.push(i);
        up(heap.length - 1);
      }
    });
    while (heap.length > 0) {
      const i = heap[0] as number;
      const value = current[i] as T;
      yield value;
      const r = (iterators[i] as Iterator<T>).next();
      if (r.done) {
        const last = heap.pop() as number;
        if (heap.length > 0) {
          heap[0] = last;
          down(0);
        }
      } else {
        if (compare(r.value, value) < 0) throw new RangeError(`iterables[${i}] must be sorted by compare, but a value is followed by a smaller one`);
        current[i] = r.value;
        down(0);
      }
    }
  } finally {
    // Stopping early (break, return, throw) closes every input, as for...of would.
    for (const it of iterators) it.return?.();
  }
}

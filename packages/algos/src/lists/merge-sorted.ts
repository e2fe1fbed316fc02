import { typeError } from '@aiffel/core';
import { ascending, type Compare } from '../heaps/compare.js';
import { IndexHeap } from '../heaps/index-heap.js';

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
  // Ties go to the lower input index: that is what makes the merge stable.
  const heap = new IndexHeap((a, b) => {
    const c = compare(current[a] as T, current[b] as T);
    return c < 0 || (c === 0 && a < b);
  });
  try {
    iterators.forEach((it, i) => {
      const r = it.next();
      if (!r.done) {
        current[i] = r.value;
        heap.push(i);
      }
    });
    while (heap.size > 0) {
      const i = heap.top();
      const value = current[i] as T;
      yield value;
      const r = (iterators[i] as Iterator<T>).next();
      if (r.done) heap.removeTop();
      else {
        if (compare(r.value, value) < 0) throw new RangeError(`iterables[${i}] must be sorted by compare, but a value is followed by a smaller one`);
        current[i] = r.value;
        heap.siftTop();
      }
    }
  } finally {
    // Stopping early (break, return, throw) closes every input, as for...of would.
    for (const it of iterators) it.return?.();
  }
}

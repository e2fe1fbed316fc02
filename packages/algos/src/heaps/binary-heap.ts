import { checkFunction, typeError } from '@aiffel/core';
import { ascending, type Compare } from './compare.js';

/**
 * Array-backed binary heap: the item that compares first is at the top (a min-heap with the
 * default comparator; pass `(a, b) => b - a` for a max-heap). push/pop O(log n), peek O(1),
 * heapify O(n).
 */
export class BinaryHeap<T> implements Iterable<T> {
  private readonly items: T[];
  private readonly cmp: Compare<T>;

  constructor(compare: Compare<T> = ascending) {
    this.cmp = checkFunction<Compare<T>>('compare', compare);
    this.items = [];
  }

  /** Builds a heap from existing items in O(n) (Floyd's bottom-up heapify). */
  static heapify<T>(items: Iterable<T>, compare: Compare<T> = ascending): BinaryHeap<T> {
    if (items === null || typeof (items as Iterable<T>)[Symbol.iterator] !== 'function') throw typeError('items', 'an iterable', items);
    const h = new BinaryHeap<T>(compare);
    for (const it of items) h.items.push(it);
    for (let i = (h.items.length >> 1) - 1; i >= 0; i--) h.down(i);
    return h;
  }

  get size(): number {
    return this.items.length;
  }

  isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** The top item without removing it; undefined when empty. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(...values: T[]): number {
    for (const v of values) {
      this.items.push(v);
      this.up(this.items.length - 1);
    }
    return this.items.length;
  }

  /** Removes and returns the top item; undefined when empty. */
  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0] as T;
    const last = items.pop() as T;
    if (items.length > 0) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Pops the top and pushes `value` in one sift (heapq.heapreplace); throws when empty. */
  replace(value: T): T {
    if (this.items.length === 0) throw new RangeError('BinaryHeap.replace() needs a non-empty heap; use push()');
    const top = this.items[0] as T;
    this.items[0] = value;
    this.down(0);
    return top;
  }

  /** Pushes `value` then pops the top, faster than the two calls (heapq.heappushpop). */
  pushPop(value: T): T {
    const items = this.items;
    if (items.length === 0 || this.cmp(value, items[0] as T) <= 0) return value;
    const top = items[0] as T;
    items[0] = value;
    this.down(0);
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }

  /** The items in heap (not sorted) order, copied. */
  toArray(): T[] {
    return this.items.slice();
  }

  /** The items in sorted order, without changing the heap. O(n log n). */
  toSortedArray(): T[] {
    return this.items.slice().sort(this.cmp);
  }

  /** Pops every item in order. */
  *drain(): Generator<T, void, undefined> {
    while (this.items.length > 0) yield this.pop() as T;
  }

  /** Iterates in heap order without removing anything. */
  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }

  private up(i: number): void {
    const items = this.items;
    const x = items[i] as T;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p] as T;
      if (this.cmp(x, parent) >= 0) break;
      items[i] = parent;
      i = p;
    }
    items[i] = x;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const x = items[i] as T;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.cmp(items[c + 1] as T, items[c] as T) < 0) c++;
      if (this.cmp(items[c] as T, x) >= 0) break;
      items[i] = items[c] as T;
      i = c;
    }
    items[i] = x;
  }
}

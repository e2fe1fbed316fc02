import { checkFunction, typeError } from '../core/errors.js';
import { ascending, type Compare } from '../heaps/compare.js';
import type { ListNode } from './linked-list.js';

/**
 * Merges k sorted linked lists into one by relinking their nodes (no node is copied): a heap of
 * the k current heads gives O(N log k) time and O(k) extra memory, where collecting every node and
 * sorting costs O(N log N) and O(N). Stable: equal values keep the order of their lists.
 */
export function mergeKSortedLists<T>(lists: readonly (ListNode<T> | null)[], compare: Compare<T> = ascending): ListNode<T> | null {
  if (!Array.isArray(lists)) throw typeError('lists', 'an array of list heads (or null)', lists);
  checkFunction('compare', compare);
  // Heap of list indices keyed by their current head; the index breaks ties for stability.
  const heads: (ListNode<T> | null)[] = lists.slice();
  const heap: number[] = [];
  heads.forEach((h, i) => {
    if (h !== null && (typeof h !== 'object' || !('next' in h))) throw typeError(`lists[${i}]`, 'a list node or null', h);
    if (h !== null) heap.push(i);
  });
  const before = (a: number, b: number): boolean => {
    const c = compare((heads[a] as ListNode<T>).value, (heads[b] as ListNode<T>).value);
    return c < 0 || (c === 0 && a < b);
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
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let head: ListNode<T> | null = null;
  let tail: ListNode<T> | null = null;
  while (heap.length > 0) {
    const li = heap[0] as number;
    const node = heads[li] as ListNode<T>;
    const next = node.next;
    if (next !== null && compare(next.value, node.value) < 0)
      throw new RangeError(`lists[${li}] must be sorted by compare, but a value is followed by a smaller one`);
    heads[li] = next;
    if (tail === null) head = node;
    else tail.next = node;
    tail = node;
    if (next === null) {
      const last = heap.pop() as number;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    } else down(0);
  }
  if (tail !== null) tail.next = null;
  return head;
}

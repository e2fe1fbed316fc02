import { checkFunction, typeError } from '@aiffel/core';
import { ascending, type Compare } from '../heaps/compare.js';
import { IndexHeap } from '../heaps/index-heap.js';
import { iterateList, type ListNode } from './linked-list.js';

/**
 * Merges k sorted linked lists into one by relinking their nodes (no node is copied): a heap of
 * the k current heads gives O(N log k) time and O(k) extra memory, where collecting every node and
 * sorting costs O(N log N) and O(N). Stable: equal values keep the order of their lists.
 */
export function mergeKSortedLists<T>(lists: readonly (ListNode<T> | null)[], compare: Compare<T> = ascending): ListNode<T> | null {
  if (!Array.isArray(lists)) throw typeError('lists', 'an array of list heads (or null)', lists);
  checkFunction('compare', compare);
  const heads: (ListNode<T> | null)[] = lists.slice();
  // Ties go to the lower list index: that is what makes the merge stable.
  const heap = new IndexHeap((a, b) => {
    const c = compare((heads[a] as ListNode<T>).value, (heads[b] as ListNode<T>).value);
    return c < 0 || (c === 0 && a < b);
  });
  heads.forEach((h, i) => {
    if (h !== null && (typeof h !== 'object' || !('next' in h))) throw typeError(`lists[${i}]`, 'a list node or null', h);
    // A sorted cycle (equal values all round) would keep the merge going forever: one pass of
    // Brent's check per list first (O(N), no extra memory), before any node is relinked.
    try {
      for (const _ of iterateList(h)) {
        // only walking
      }
    } catch (e) {
      throw new RangeError(`lists[${i}] must not contain a cycle`, { cause: e });
    }
    if (h !== null) heap.push(i);
  });
  let head: ListNode<T> | null = null;
  let tail: ListNode<T> | null = null;
  while (heap.size > 0) {
    const li = heap.top();
    const node = heads[li] as ListNode<T>;
    const next = node.next;
    if (next !== null && compare(next.value, node.value) < 0)
      throw new RangeError(`lists[${li}] must be sorted by compare, but a value is followed by a smaller one`);
    heads[li] = next;
    if (tail === null) head = node;
    else tail.next = node;
    tail = node;
    if (next === null) heap.removeTop();
    else heap.siftTop();
  }
  if (tail !== null) tail.next = null;
  return head;
}

export { iterateList, LinkedList, type ListNode, listFromArray, listNode, listToArray } from './linked-list.js';
export { mergeKSortedLists } from './merge-k-lists.js';
export { mergeSorted } from './merge-sorted.js';

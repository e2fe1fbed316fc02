export { BinaryHeap } from './binary-heap.js';
export { ascending, type Compare } from './compare.js';
export { Deque } from './deque.js';
export { KeyedPriorityQueue } from './keyed-priority-queue.js';
export { nLargest, nSmallest } from './n-extremes.js';

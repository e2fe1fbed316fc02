import type { DenseMatrix, FloatArray } from '../core/matrix.js';
import { comparableRadius, type NormMetric, normDistance } from './distance.js';
import type { NeighborIndex } from './neighbor-index.js';

/**
 * KD-tree over a fixed point set for radius queries under a norm metric. Nodes split at the median
 * of their widest dimension and keep a bounding box, so a query prunes every box farther than eps.
 * Arrays only, O(n) memory.
 */
export class KdTree implements NeighborIndex {
  private readonly x: FloatArray;
  private readonly d: number;
  private readonly order: Int32Array;
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly boxLo: number[] = [];
  private readonly boxHi: number[] = [];
  private readonly metric: NormMetric;
  private readonly dist: (i: number, j: number) => number;
  private readonly radius: number;
  private readonly stack: Int32Array;

  constructor(m: DenseMatrix, eps: number, metric: NormMetric, leafSize = 30) {
    this.x = m.data;
    this.d = m.cols;
    this.metric = metric;
    this.dist = normDistance(metric, m.data, m.cols);
    this.radius = comparableRadius(metric, eps);
    this.order = new Int32Array(m.rows);
    for (let i = 0; i < m.rows; i++) this.order[i] = i;
    this.build(0, m.rows, leafSize);
    this.stack = new Int32Array(Math.max(64, this.start.length));
  }

  private build(s: number, e: number, leafSize: number): number {
    const { x, d, order } = this;
    const node = this.start.length;
    this.start.push(s);
    this.end.push(e);
    this.left.push(-1);
    this.right.push(-1);
    let widest = 0;
    let width = -1;
    for (let t = 0; t < d; t++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let p = s; p < e; p++) {
        const v = x[(order[p] as number) * d + t] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.boxLo.push(lo);
      this.boxHi.push(hi);
      if (hi - lo > width) {
        width = hi - lo;
        widest = t;
      }
    }
    if (e - s <= leafSize || width <= 0) return node;
    const mid = (s + e) >> 1;
    this.select(s, e, mid, widest);
    this.left[node] = this.build(s, mid, leafSize);
    this.right[node] = this.build(mid, e, leafSize);
    return node;
  }

  /** Quickselect: order[s..e) partitioned so order[k] holds the k-th smallest along dimension t. */
  private select(s: number, e: number, k: number, t: number): void {
    const { x, d, order } = this;
    let lo = s;
    let hi = e - 1;
    while (lo < hi) {
      const pivot = x[(order[(lo + hi) >> 1] as number) * d + t] as number;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while ((x[(order[i] as number) * d + t] as number) < pivot) i++;
        while ((x[(order[j] as number) * d + t] as number) > pivot) j--;
        if (i <= j) {
          const tmp = order[i] as number;
          order[i] = order[j] as number;
          order[j] = tmp;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }

  /** Lower bound on the distance from point i to node's box, in comparable units. */
  private boxDistance(node: number, i: number): number {
    const { x, d } = this;
    const o = node * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t] as number;
      const lo = this.boxLo[o + t] as number;
      const hi = this.boxHi[o + t] as number;
      const gap = v < lo ? lo - v : v > hi ? v - hi : 0;
      if (this.metric === 'euclidean') s += gap * gap;
      else if (this.metric === 'manhattan') s += gap;
      else if (gap > s) s = gap;
    }
    return s;
  }

  private query(i: number, onHit: (j: number) => boolean): void {
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top] as number;
      if (this.boxDistance(node, i) > this.radius) continue;
      const l = this.left[node] as number;
      if (l < 0) {
        const e = this.end[node] as number;
        for (let p = this.start[node] as number; p < e; p++) {
          const j = this.order[p] as number;
          if (this.dist(i, j) <= this.radius && onHit(j)) return;
        }
      } else {
        stack[top++] = this.right[node] as number;
        stack[top++] = l;
      }
    }
  }

  forEachNeighbor(i: number, visit: (j: number) => void): void {
    this.query(i, (j) => {
      visit(j);
      return false;
    });
  }

  countNeighbors(i: number, limit: number): number {
    let count = 0;
    this.query(i, () => ++count >= limit);
    return count;
  }
}

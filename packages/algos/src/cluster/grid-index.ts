import type { DenseMatrix } from '../core/matrix.js';
import { comparableRadius, type NormMetric, normDistance } from './distance.js';
import type { NeighborIndex } from './neighbor-index.js';

/**
 * Uniform grid with cells of side eps, for 1-3 dimensions: every point within eps of p lies in
 * p's cell or an adjacent one, so a query looks at 3^d cells. Points are sorted by cell, so the
 * index is three typed arrays and one Map of occupied cells: O(n) memory.
 */
export class GridIndex implements NeighborIndex {
  private readonly order: Int32Array;
  private readonly cellStart: Int32Array;
  private readonly cellOf: Map<number, number>;
  private readonly cellKey: Float64Array;
  private readonly strides: number[];
  private readonly offsets: number[];
  private readonly dist: (i: number, j: number) => number;
  private readonly radius: number;

  /** Whether a grid can index this data: few dimensions and a cell count that fits in a float64 key. */
  static suits(m: DenseMatrix, eps: number): boolean {
    if (m.cols > 3) return false;
    let cells = 1;
    for (let t = 0; t < m.cols; t++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < m.rows; i++) {
        const v = m.data[i * m.cols + t] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      cells *= Math.floor((hi - lo) / eps) + 3;
    }
    return cells < 2 ** 52;
  }

  constructor(m: DenseMatrix, eps: number, metric: NormMetric) {
    const { rows: n, cols: d, data } = m;
    this.dist = normDistance(metric, data, d);
    this.radius = comparableRadius(metric, eps);
    const lo = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
    const hi = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < d; t++) {
        const v = data[i * d + t] as number;
        if (v < (lo[t] as number)) lo[t] = v;
        if (v > (hi[t] as number)) hi[t] = v;
      }
    }
    // One empty cell of margin on each side so neighbour offsets never wrap around the key space.
    this.strides = [];
    let stride = 1;
    for (let t = d - 1; t >= 0; t--) {
      this.strides[t] = stride;
      stride *= Math.floor(((hi[t] as number) - (lo[t] as number)) / eps) + 3;
    }
    const key = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let k = 0;
      for (let t = 0; t < d; t++) k += (Math.floor(((data[i * d + t] as number) - (lo[t] as number)) / eps) + 1) * (this.strides[t] as number);
      key[i] = k;
    }
    this.cellKey = key;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => (key[a] as number) - (key[b] as number) || a - b);
    this.order = order;
    const starts: number[] = [];
    this.cellOf = new Map();
    for (let p = 0; p < n; p++) {
      const k = key[order[p] as number] as number;
      if (p === 0 || k !== key[order[p - 1] as number]) {
        this.cellOf.set(k, starts.length);
        starts.push(p);
      }
    }
    starts.push(n);
    this.cellStart = Int32Array.from(starts);
    this.offsets = [0];
    for (let t = 0; t < d; t++) {
      const next: number[] = [];
      for (const o of this.offsets) for (const s of [-1, 0, 1]) next.push(o + s * (this.strides[t] as number));
      this.offsets = next;
    }
  }

  forEachNeighbor(i: number, visit: (j: number) => void): void {
    const k = this.cellKey[i] as number;
    for (const o of this.offsets) {
      const c = this.cellOf.get(k + o);
      if (c === undefined) continue;
      const end = this.cellStart[c + 1] as number;
      for (let p = this.cellStart[c] as number; p < end; p++) {
        const j = this.order[p] as number;
        if (this.dist(i, j) <= this.radius) visit(j);
      }
    }
  }

  countNeighbors(i: number, limit: number): number {
    const k = this.cellKey[i] as number;
    let count = 0;
    for (const o of this.offsets) {
      const c = this.cellOf.get(k + o);
      if (c === undefined) continue;
      const end = this.cellStart[c + 1] as number;
      for (let p = this.cellStart[c] as number; p < end; p++) {
        if (this.dist(i, this.order[p] as number) <= this.radius && ++count >= limit) return count;
      }
    }
    return count;
  }
}

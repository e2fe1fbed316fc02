import type { FloatArray } from '../core/matrix.js';

export interface KnnArgs {
  x: FloatArray;
  xNorm: Float64Array;
  n: number;
  d: number;
  k: number;
  /** Output, n x k: neighbour indices and squared euclidean distances, nearest first. */
  indices: Int32Array;
  distances: Float64Array;
}

/**
 * Exact k nearest neighbours (excluding the row itself) of rows [start, end) by brute force:
 * distances from dot products, four query rows per pass over the data so each data row is loaded
 * once per four queries, and a bounded max-heap per query.
 */
export function knnRows(a: KnnArgs, start: number, end: number): void {
  const { x, xNorm, n, d, k, indices, distances } = a;
  const heapD = new Float64Array(4 * k);
  const heapI = new Int32Array(4 * k);
  const size = new Int32Array(4);
  for (let q0 = start; q0 < end; q0 += 4) {
    const nq = Math.min(4, end - q0);
    size.fill(0);
    const o0 = q0 * d;
    const o1 = nq > 1 ? o0 + d : o0;
    const o2 = nq > 2 ? o0 + 2 * d : o0;
    const o3 = nq > 3 ? o0 + 3 * d : o0;
    for (let j = 0; j < n; j++) {
      const oj = j * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < d; t++) {
        const v = x[oj + t] as number;
        s0 += v * (x[o0 + t] as number);
        s1 += v * (x[o1 + t] as number);
        s2 += v * (x[o2 + t] as number);
        s3 += v * (x[o3 + t] as number);
      }
      const nj = xNorm[j] as number;
      offer(q0, j, (xNorm[q0] as number) + nj - 2 * s0, 0);
      if (nq > 1) offer(q0 + 1, j, (xNorm[q0 + 1] as number) + nj - 2 * s1, 1);
      if (nq > 2) offer(q0 + 2, j, (xNorm[q0 + 2] as number) + nj - 2 * s2, 2);
      if (nq > 3) offer(q0 + 3, j, (xNorm[q0 + 3] as number) + nj - 2 * s3, 3);
    }
    for (let q = 0; q < nq; q++) {
      // Heap-sort the kept neighbours, nearest first; ties by index keep results deterministic.
      const base = q * k;
      const m = size[q] as number;
      const order = Array.from({ length: m }, (_, i) => i).sort(
        (p, r) => (heapD[base + p] as number) - (heapD[base + r] as number) || (heapI[base + p] as number) - (heapI[base + r] as number),
      );
      const out = (q0 + q) * k;
      for (let i = 0; i < m; i++) {
        indices[out + i] = heapI[base + (order[i] as number)] as number;
        distances[out + i] = heapD[base + (order[i] as number)] as number;
      }
    }
  }

  function offer(q: number, j: number, dist: number, slot: number): void {
    if (j === q) return;
    const dd = dist > 0 ? dist : 0;
    const base = slot * k;
    let m = size[slot] as number;
    if (m < k) {
      let i = m++;
      size[slot] = m;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(dd, j, base + p)) break;
        heapD[base + i] = heapD[base + p] as number;
        heapI[base + i] = heapI[base + p] as number;
        i = p;
      }
      heapD[base + i] = dd;
      heapI[base + i] = j;
      return;
    }
    if (!worse(heapD[base] as number, heapI[base] as number, -1, dd, j)) return;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      if (c + 1 < m && worse(heapD[base + c + 1] as number, heapI[base + c + 1] as number, base + c)) c++;
      if (!worse(heapD[base + c] as number, heapI[base + c] as number, -1, dd, j)) break;
      heapD[base + i] = heapD[base + c] as number;
      heapI[base + i] = heapI[base + c] as number;
      i = c;
    }
    heapD[base + i] = dd;
    heapI[base + i] = j;
  }

  /** Whether (dist, idx) ranks after heap entry `at` (or after (od, oi) when at < 0). */
  function worse(dist: number, idx: number, at: number, od = 0, oi = 0): boolean {
    const bd = at >= 0 ? (heapD[at] as number) : od;
    const bi = at >= 0 ? (heapI[at] as number) : oi;
    return dist > bd || (dist === bd && idx > bi);
  }
}

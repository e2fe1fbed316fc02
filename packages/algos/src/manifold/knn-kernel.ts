import { dot4 } from '../core/dot4.js';
import type { FloatArray } from '../core/matrix.js';
import { dotEngine, padded, stageRows } from '../wasm/dot-engine.js';

export interface KnnArgs {
  x: FloatArray;
  xNorm: Float64Array;
  n: number;
  d: number;
  k: number;
  /** Output, n x k: neighbour indices and squared euclidean distances, nearest first. */
  indices: Int32Array;
  distances: Float64Array;
  /** 1: dot products by the wasm SIMD kernel (float32 input); `dataId` tags the rows staged in wasm memory. */
  simd: number;
  dataId: number;
}

const BLOCK = 64;

/**
 * Exact k nearest neighbours (excluding the row itself) of rows [start, end) by brute force:
 * squared distances from dot products (||a||^2 + ||b||^2 - 2 a.b) for 64 query rows at a time,
 * by the SIMD kernel or in JS four queries per pass over the data, then a bounded max-heap per
 * query. Ties go to the lower index, so results are deterministic.
 */
export function knnRows(a: KnnArgs, start: number, end: number): void {
  const { x, xNorm, n, d, k } = a;
  const e = a.simd ? dotEngine() : null;
  const dist = new Float64Array(BLOCK * n);
  const heapD = new Float64Array(k);
  const heapI = new Int32Array(k);
  for (let q0 = start; q0 < end; q0 += BLOCK) {
    const nq = Math.min(BLOCK, end - q0);
    if (e) {
      const d4 = padded(d);
      const xp = stageRows(e, 'x', `${a.dataId}:0:${n}`, x, d, 0, n);
      const op = e.slot('out', BLOCK * n);
      e.dots(xp + q0 * d4 * 4, nq, xp, n, d4, op);
      const dots = e.view(op, nq * n);
      for (let q = 0; q < nq; q++) {
        const nqn = xNorm[q0 + q] as number;
        for (let j = 0; j < n; j++) dist[q * n + j] = nqn + (xNorm[j] as number) - 2 * (dots[q * n + j] as number);
      }
    } else jsBlock(a, q0, nq, dist);
    for (let q = 0; q < nq; q++) select(dist, q * n, n, q0 + q, k, heapD, heapI, a, (q0 + q) * k);
  }
}

/** Squared distances of queries q0..q0+nq-1 to every row, four queries per pass. */
function jsBlock(a: KnnArgs, q0: number, nq: number, dist: Float64Array): void {
  const { x, xNorm, n, d } = a;
  const sums = new Float64Array(4);
  for (let g = 0; g < nq; g += 4) {
    const m = Math.min(4, nq - g);
    const o0 = (q0 + g) * d;
    const o1 = m > 1 ? o0 + d : o0;
    const o2 = m > 2 ? o0 + 2 * d : o0;
    const o3 = m > 3 ? o0 + 3 * d : o0;
    for (let j = 0; j < n; j++) {
      dot4(x, j * d, x, o0, o1, o2, o3, d, sums);
      const nj = xNorm[j] as number;
      for (let q = 0; q < m; q++) dist[(g + q) * n + j] = (xNorm[q0 + g + q] as number) + nj - 2 * (sums[q] as number);
    }
  }
}

/** The k smallest of dist[o .. o + n) except index `self`, nearest first, written to the outputs at `out`. */
function select(dist: Float64Array, o: number, n: number, self: number, k: number, hd: Float64Array, hi: Int32Array, a: KnnArgs, out: number): void {
  let size = 0;
  // Max-heap on (distance, index): the worst kept neighbour on top.
  const worse = (d1: number, i1: number, d2: number, i2: number): boolean => d1 > d2 || (d1 === d2 && i1 > i2);
  for (let j = 0; j < n; j++) {
    if (j === self) continue;
    let v = dist[o + j] as number;
    if (v < 0) v = 0;
    if (size < k) {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(v, j, hd[p] as number, hi[p] as number)) break;
        hd[i] = hd[p] as number;
        hi[i] = hi[p] as number;
        i = p;
      }
      hd[i] = v;
      hi[i] = j;
      continue;
    }
    if (!worse(hd[0] as number, hi[0] as number, v, j)) continue;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && worse(hd[c + 1] as number, hi[c + 1] as number, hd[c] as number, hi[c] as number)) c++;
      if (!worse(hd[c] as number, hi[c] as number, v, j)) break;
      hd[i] = hd[c] as number;
      hi[i] = hi[c] as number;
      i = c;
    }
    hd[i] = v;
    hi[i] = j;
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((p, q) => (hd[p] as number) - (hd[q] as number) || (hi[p] as number) - (hi[q] as number));
  for (let t = 0; t < size; t++) {
    a.indices[out + t] = hi[order[t] as number] as number;
    a.distances[out + t] = hd[order[t] as number] as number;
  }
}

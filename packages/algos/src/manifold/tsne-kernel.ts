import { PACKED, type QuadTreeArrays } from './quadtree.js';

export interface TsneGradientArgs {
  /** n x 2 embedding. */
  y: Float64Array;
  tree: QuadTreeArrays;
  /** Barnes-Hut angle squared: a cell of width w at distance r is summarised when (w / r)^2 < thetaSq. */
  thetaSq: number;
  /** Joint probabilities P in CSR form, multiplied by `exaggeration` on the fly. */
  rowPtr: Int32Array;
  cols: Int32Array;
  values: Float64Array;
  exaggeration: number;
  /** Outputs: attractive and (unnormalised) repulsive forces per row, and per slot: sum of q, KL pieces. */
  attract: Float64Array;
  repulse: Float64Array;
  sumQ: Float64Array;
  klTerm: Float64Array;
  pSum: Float64Array;
  /** 1 when the KL divergence is wanted this iteration (it costs a log per edge). */
  computeError: number;
}

const TINY = 1.1754943508222875e-38;

/**
 * Barnes-Hut t-SNE gradient pieces for rows [start, end): exact attractive forces over the sparse
 * P, and repulsive forces where every far enough quadtree cell acts as one point at its centre of
 * mass (van der Maaten 2014). The caller combines them: grad = 4 (attract - repulse / sumQ).
 */
export function tsneGradient(a: TsneGradientArgs, start: number, end: number, slot: number): void {
  const { y, tree, thetaSq, rowPtr, cols, values, exaggeration, attract, repulse } = a;
  const { packed, order } = tree;
  const stack = new Int32Array(4 * 64 + 8);
  let sumQ = 0;
  let kl = 0;
  let pSum = 0;
  for (let r = start; r < end; r++) {
    // Rows in the tree's leaf order: neighbouring queries open nearly the same cells.
    const i = order[r] as number;
    const yi0 = y[2 * i] as number;
    const yi1 = y[2 * i + 1] as number;
    let ax = 0;
    let ay = 0;
    const fEnd = rowPtr[i + 1] as number;
    for (let f = rowPtr[i] as number; f < fEnd; f++) {
      const j = cols[f] as number;
      const p = (values[f] as number) * exaggeration;
      const dx = yi0 - (y[2 * j] as number);
      const dy = yi1 - (y[2 * j + 1] as number);
      const q = 1 / (1 + dx * dx + dy * dy);
      const pq = p * q;
      ax += pq * dx;
      ay += pq * dy;
      if (a.computeError) {
        kl += p * Math.log(Math.max(p, TINY) / Math.max(q, TINY));
        pSum += p;
      }
    }
    attract[2 * i] = ax;
    attract[2 * i + 1] = ay;

    let rx = 0;
    let ry = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const o = (stack[--top] as number) * PACKED;
      const c = packed[o + 2] as number;
      if (c === 0) continue;
      const first = packed[o + 4] as number;
      const dx = yi0 - (packed[o] as number);
      const dy = yi1 - (packed[o + 1] as number);
      const d2 = dx * dx + dy * dy;
      if (first < 0) {
        if (packed[o + 5] === i || d2 === 0) {
          // The point's own leaf (coincident points share one): the others sit at distance 0, so
          // they add q = 1 each to the normalisation and no force; the point itself adds nothing.
          sumQ += c - 1;
          continue;
        }
      } else if ((packed[o + 3] as number) >= thetaSq * d2) {
        stack[top++] = first;
        stack[top++] = first + 1;
        stack[top++] = first + 2;
        stack[top++] = first + 3;
        continue;
      }
      const q = 1 / (1 + d2);
      const cq = c * q;
      sumQ += cq;
      const f = cq * q;
      rx += f * dx;
      ry += f * dy;
    }
    repulse[2 * i] = rx;
    repulse[2 * i + 1] = ry;
  }
  a.sumQ[slot] = sumQ;
  a.klTerm[slot] = kl;
  a.pSum[slot] = pSum;
}

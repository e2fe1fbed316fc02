import { dot4 } from '../core/dot4.js';
import type { FloatArray } from '../core/matrix.js';
import { type DotEngine, dotEngine, padded, stageRows } from '../wasm/dot-engine.js';

/**
 * Row-range kernels of k-means, run on both cores by parallelFor. Each writes only its rows'
 * labels/bounds and its own slot of the partial sums, so threads never contend.
 */

export interface LloydArgs {
  x: FloatArray;
  /** Squared norm of each row. */
  xNorm: Float64Array;
  d: number;
  k: number;
  /** k x d, and their squared norms. */
  centers: Float64Array;
  cNorm: Float64Array;
  labels: Int32Array;
  /** Squared distance of each row to its centre. */
  minDist: Float64Array;
  /** Per slot: k x d sums of the rows assigned to each centre, k counts, inertia, changed labels. */
  sums: Float64Array;
  counts: Float64Array;
  inertia: Float64Array;
  changed: Float64Array;
  /** 1: dot products by the wasm SIMD kernel (float32 input only); `dataId` tags this fit's rows staged in wasm memory. */
  simd: number;
  dataId: number;
}

/** Squared distances from row i to centres c..c+3 via ||x||^2 - 2 x.c + ||c||^2, four at a time so each x value is loaded once. */
const sums = new Float64Array(4);

function nearest(a: LloydArgs, i: number, out: { best: number; dist: number }): void {
  const { x, d, k, centers, cNorm } = a;
  const xo = i * d;
  const xn = a.xNorm[i] as number;
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  let c = 0;
  for (; c + 4 <= k; c += 4) {
    const o0 = c * d;
    dot4(x, xo, centers, o0, o0 + d, o0 + 2 * d, o0 + 3 * d, d, sums);
    const d0 = xn - 2 * (sums[0] as number) + (cNorm[c] as number);
    const d1 = xn - 2 * (sums[1] as number) + (cNorm[c + 1] as number);
    const d2 = xn - 2 * (sums[2] as number) + (cNorm[c + 2] as number);
    const d3 = xn - 2 * (sums[3] as number) + (cNorm[c + 3] as number);
    if (d0 < bestD) {
      bestD = d0;
      best = c;
    }
    if (d1 < bestD) {
      bestD = d1;
      best = c + 1;
    }
    if (d2 < bestD) {
      bestD = d2;
      best = c + 2;
    }
    if (d3 < bestD) {
      bestD = d3;
      best = c + 3;
    }
  }
  for (; c < k; c++) {
    const o = c * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += (x[xo + j] as number) * (centers[o + j] as number);
    const dc = xn - 2 * s + (cNorm[c] as number);
    if (dc < bestD) {
      bestD = dc;
      best = c;
    }
  }
  out.best = best;
  out.dist = bestD > 0 ? bestD : 0;
}

function nearestFromDots(a: LloydArgs, i: number, dots: Float32Array, o: number, out: { best: number; dist: number }): void {
  const xn = a.xNorm[i] as number;
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  for (let c = 0; c < a.k; c++) {
    const dc = xn - 2 * (dots[o + c] as number) + (a.cNorm[c] as number);
    if (dc < bestD) {
      bestD = dc;
      best = c;
    }
  }
  out.best = best;
  out.dist = bestD > 0 ? bestD : 0;
}

function accumulate(a: LloydArgs, i: number, c: number, slot: number): void {
  const { x, d, k } = a;
  const so = (slot * k + c) * d;
  const xo = i * d;
  const sums = a.sums;
  for (let j = 0; j < d; j++) sums[so + j] = (sums[so + j] as number) + (x[xo + j] as number);
  a.counts[slot * k + c] = (a.counts[slot * k + c] as number) + 1;
}

/**
 * The M-step sums of rows [start, end) (labels already set) by the SIMD kernel over the rows this
 * thread staged for its dot products: the same additions in the same order as accumulate().
 */
function simdClusterSums(e: DotEngine, a: LloydArgs, start: number, end: number, slot: number): void {
  const { d, k } = a;
  const d4 = padded(d);
  const n = end - start;
  const xp = stagedRows(e, a, start, end);
  const lp = e.slot('labels', n);
  const sp = e.slot('sums', 2 * k * d4);
  // Views only after the last slot(): growing the memory detaches earlier ones.
  e.int32View(lp, n).set(a.labels.subarray(start, end));
  const sums = e.float64View(sp, k * d4);
  sums.fill(0);
  e.clusterSums(xp, n, d4, lp, sp);
  const out = a.sums;
  for (let c = 0; c < k; c++) {
    const so = (slot * k + c) * d;
    for (let j = 0; j < d; j++) out[so + j] = sums[c * d4 + j] as number;
  }
}

function clearSlot(a: LloydArgs, slot: number): void {
  a.sums.fill(0, slot * a.k * a.d, (slot + 1) * a.k * a.d);
  a.counts.fill(0, slot * a.k, (slot + 1) * a.k);
  a.inertia[slot] = 0;
  a.changed[slot] = 0;
}

/** This thread's rows of x in wasm memory (copied once per fit and thread), and their address. */
function stagedRows(e: DotEngine, a: { x: FloatArray; d: number; dataId: number }, start: number, end: number): number {
  return stageRows(e, 'x', `${a.dataId}:${start}:${end}`, a.x, a.d, start, end);
}

/** Dot products of rows [start, end) with `count` rows of `b` (d columns), by the SIMD kernel: a rows x count view. */
function simdDots(
  e: DotEngine,
  a: { x: FloatArray; d: number; dataId: number },
  start: number,
  end: number,
  b: ArrayLike<number>,
  count: number,
): Float32Array {
  const d4 = padded(a.d);
  const xp = stagedRows(e, a, start, end);
  e.tags.delete('b');
  const bp = stageRows(e, 'b', '', b, a.d, 0, count);
  const op = e.slot('out', (end - start) * count);
  e.dots(xp, end - start, bp, count, d4, op);
  return e.view(op, (end - start) * count);
}

/** One Lloyd E-step over rows [start, end) plus the partial sums of the M-step. */
export function lloydAssign(a: LloydArgs, start: number, end: number, slot: number): void {
  clearSlot(a, slot);
  const r = { best: 0, dist: 0 };
  let inertia = 0;
  let changed = 0;
  const e = a.simd ? dotEngine() : null;
  const dots = e ? simdDots(e, a, start, end, a.centers, a.k) : undefined;
  for (let i = start; i < end; i++) {
    if (dots) nearestFromDots(a, i, dots, (i - start) * a.k, r);
    else nearest(a, i, r);
    if (a.labels[i] !== r.best) changed++;
    a.labels[i] = r.best;
    a.minDist[i] = r.dist;
    inertia += r.dist;
    if (e) a.counts[slot * a.k + r.best] = (a.counts[slot * a.k + r.best] as number) + 1;
    else accumulate(a, i, r.best, slot);
  }
  if (e) simdClusterSums(e, a, start, end, slot);
  a.inertia[slot] = inertia;
  a.changed[slot] = changed;
}

export interface ElkanArgs extends LloydArgs {
  /** Upper bound on each row's distance to its centre, and k lower bounds per row (true distances, not squared). */
  upper: Float64Array;
  lower: Float64Array;
  /** k x k distances between centres, half the distance from each centre to its nearest other one, and how far each centre moved last step. */
  cc: Float64Array;
  halfNearest: Float64Array;
  shift: Float64Array;
  /** 1 on the first pass: compute every distance and initialise the bounds. */
  initial: number;
}

function exactDistance(a: LloydArgs, i: number, c: number): number {
  const { x, d, centers } = a;
  const xo = i * d;
  const co = c * d;
  let s = 0;
  for (let j = 0; j < d; j++) s += (x[xo + j] as number) * (centers[co + j] as number);
  const d2 = (a.xNorm[i] as number) - 2 * s + (a.cNorm[c] as number);
  return d2 > 0 ? Math.sqrt(d2) : 0;
}

/**
 * One Elkan (2003) step over rows [start, end): bounds are first moved by last step's centre
 * shifts, then the triangle inequality skips every distance that cannot change the assignment.
 */
export function elkanAssign(a: ElkanArgs, start: number, end: number, slot: number): void {
  clearSlot(a, slot);
  const { k, upper, lower, cc, halfNearest, shift, labels } = a;
  let changed = 0;
  // The first pass needs every distance, like a Lloyd step: the SIMD kernel computes them in one call.
  const e = a.initial && a.simd ? dotEngine() : null;
  const dots = e ? simdDots(e, a, start, end, a.centers, k) : undefined;
  for (let i = start; i < end; i++) {
    const lo = i * k;
    if (a.initial) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        let dc: number;
        if (dots) {
          const d2 = (a.xNorm[i] as number) - 2 * (dots[(i - start) * k + c] as number) + (a.cNorm[c] as number);
          dc = d2 > 0 ? Math.sqrt(d2) : 0;
        } else dc = exactDistance(a, i, c);
        lower[lo + c] = dc;
        if (dc < bestD) {
          bestD = dc;
          best = c;
        }
      }
      if (labels[i] !== best) changed++;
      labels[i] = best;
      upper[i] = bestD;
    } else {
      let lab = labels[i] as number;
      for (let c = 0; c < k; c++) {
        const l = (lower[lo + c] as number) - (shift[c] as number);
        lower[lo + c] = l > 0 ? l : 0;
      }
      let u = (upper[i] as number) + (shift[lab] as number);
      if (u > (halfNearest[lab] as number)) {
        let tight = false;
        for (let c = 0; c < k; c++) {
          if (c === lab || u <= (lower[lo + c] as number) || u <= 0.5 * (cc[lab * k + c] as number)) continue;
          if (!tight) {
            u = exactDistance(a, i, lab);
            lower[lo + lab] = u;
            tight = true;
            if (u <= (lower[lo + c] as number) || u <= 0.5 * (cc[lab * k + c] as number)) continue;
          }
          const dc = exactDistance(a, i, c);
          lower[lo + c] = dc;
          if (dc < u) {
            u = dc;
            lab = c;
          }
        }
      }
      upper[i] = u;
      if (labels[i] !== lab) changed++;
      labels[i] = lab;
    }
    accumulate(a, i, labels[i] as number, slot);
  }
  a.changed[slot] = changed;
}

export interface SeedArgs {
  x: FloatArray;
  xNorm: Float64Array;
  d: number;
  /** Candidate row indices and, per candidate, every row's squared distance to its nearest chosen centre if the candidate were added. */
  candidates: Int32Array;
  closest: Float64Array;
  trial: Float64Array;
  /** Per slot and candidate: the potential (sum of trial distances). */
  potential: Float64Array;
  simd: number;
  dataId: number;
}

/**
 * k-means++ candidate scoring over rows [start, end): each row is loaded once and scored against
 * up to four candidates at a time (a candidate-outer loop streams the whole matrix per candidate,
 * which made seeding cost more than the iterations).
 */
export function seedDistances(a: SeedArgs, start: number, end: number, slot: number): void {
  const { x, d, candidates, closest, trial, xNorm } = a;
  const n = closest.length;
  const t = candidates.length;
  const pots = new Float64Array(t);
  const e = a.simd ? dotEngine() : null;
  if (e) {
    const rows = new Float32Array(t * d);
    for (let c = 0; c < t; c++) rows.set(x.subarray((candidates[c] as number) * d, ((candidates[c] as number) + 1) * d), c * d);
    const dots = simdDots(e, a, start, end, rows, t);
    for (let i = start; i < end; i++) {
      const xn = xNorm[i] as number;
      const best = closest[i] as number;
      for (let c = 0; c < t; c++) {
        let d2 = xn - 2 * (dots[(i - start) * t + c] as number) + (xNorm[candidates[c] as number] as number);
        if (d2 < 0) d2 = 0;
        const v = d2 < best ? d2 : best;
        trial[c * n + i] = v;
        pots[c] = (pots[c] as number) + v;
      }
    }
    for (let c = 0; c < t; c++) a.potential[slot * t + c] = pots[c] as number;
    return;
  }
  for (let c0 = 0; c0 < t; c0 += 4) {
    const m = Math.min(4, t - c0);
    // Missing candidates of the last group repeat the first one; their results are not stored.
    const q0 = (candidates[c0] as number) * d;
    const q1 = m > 1 ? (candidates[c0 + 1] as number) * d : q0;
    const q2 = m > 2 ? (candidates[c0 + 2] as number) * d : q0;
    const q3 = m > 3 ? (candidates[c0 + 3] as number) * d : q0;
    const n0 = xNorm[q0 / d] as number;
    const n1 = xNorm[q1 / d] as number;
    const n2 = xNorm[q2 / d] as number;
    const n3 = xNorm[q3 / d] as number;
    const norms = [n0, n1, n2, n3];
    for (let i = start; i < end; i++) {
      dot4(x, i * d, x, q0, q1, q2, q3, d, sums);
      const xn = xNorm[i] as number;
      const best = closest[i] as number;
      for (let c = 0; c < m; c++) {
        let d2 = xn - 2 * (sums[c] as number) + (norms[c] as number);
        if (d2 < 0) d2 = 0;
        const v = d2 < best ? d2 : best;
        trial[(c0 + c) * n + i] = v;
        pots[c0 + c] = (pots[c0 + c] as number) + v;
      }
    }
  }
  for (let c = 0; c < t; c++) a.potential[slot * t + c] = pots[c] as number;
}

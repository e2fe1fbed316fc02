import { BIN_STRIDE } from './histogram.js';

/** The regularisation and size limits a split must satisfy (see the README's option table). */
export interface SplitParams {
  lambdaL1: number;
  lambdaL2: number;
  minChildSamples: number;
  minChildWeight: number;
  minSplitGain: number;
  /** Categorical: added to the hessian when ordering categories by gradient ratio. */
  catSmooth: number;
  /** Categorical: extra L2 in the gain of a many-vs-many category split. */
  catL2: number;
  /** Categorical: at most this many categories on the left side. */
  maxCatThreshold: number;
  /** Categorical: with at most this many categories, try each one against the rest. */
  maxCatToOnehot: number;
}

/** The best split of one node; `gain` is -Infinity when nothing satisfies the limits. */
export class SplitInfo {
  gain = Number.NEGATIVE_INFINITY;
  feature = -1;
  categorical = false;
  thresholdBin = 0;
  defaultLeft = false;
  /** Categorical: bitset over bins (256 bits) of the categories that go left. */
  readonly catBins = new Uint32Array(8);
  readonly leftG: Float64Array;
  readonly rightG: Float64Array;
  leftH = 0;
  rightH = 0;
  leftCount = 0;
  rightCount = 0;

  constructor(readonly outputs: number) {
    this.leftG = new Float64Array(outputs);
    this.rightG = new Float64Array(outputs);
  }

  reset(): void {
    this.gain = Number.NEGATIVE_INFINITY;
    this.feature = -1;
  }

  /** A split's gain, child hessians and (estimated) child counts. */
  setSizes(gain: number, leftH: number, rightH: number, leftCount: number, rightCount: number): void {
    this.gain = gain;
    this.leftH = leftH;
    this.rightH = rightH;
    this.leftCount = leftCount;
    this.rightCount = rightCount;
  }

  /** A single-output numeric split: bins <= thresholdBin left, missing values by defaultLeft. */
  setNumeric1(feature: number, thresholdBin: number, defaultLeft: boolean, leftG: number, G: number): void {
    this.feature = feature;
    this.categorical = false;
    this.thresholdBin = thresholdBin;
    this.defaultLeft = defaultLeft;
    this.leftG[0] = leftG;
    this.rightG[0] = G - leftG;
  }

  copyFrom(o: SplitInfo): void {
    this.gain = o.gain;
    this.feature = o.feature;
    this.categorical = o.categorical;
    this.thresholdBin = o.thresholdBin;
    this.defaultLeft = o.defaultLeft;
    this.catBins.set(o.catBins);
    this.leftG.set(o.leftG);
    this.rightG.set(o.rightG);
    this.leftH = o.leftH;
    this.rightH = o.rightH;
    this.leftCount = o.leftCount;
    this.rightCount = o.rightCount;
  }
}

function thresholdL1(g: number, l1: number): number {
  if (l1 <= 0) return g;
  return g > l1 ? g - l1 : g < -l1 ? g + l1 : 0;
}

/** Gain of a leaf: sum over outputs of T(G)^2 / (H + lambda2), T the L1 soft threshold. */
export function leafGain(g: ArrayLike<number>, h: number, l1: number, l2: number): number {
  let s = 0;
  for (let c = 0; c < g.length; c++) {
    const t = thresholdL1(g[c] as number, l1);
    s += t * t;
  }
  return s / (h + l2);
}

function leafGain1(g: number, h: number, l1: number, l2: number): number {
  const t = thresholdL1(g, l1);
  return (t * t) / (h + l2);
}

/** Leaf output -T(G) / (H + lambda2) for each output channel. */
export function leafOutput(g: ArrayLike<number>, h: number, l1: number, l2: number, out: Float64Array, at: number): void {
  for (let c = 0; c < g.length; c++) out[at + c] = -thresholdL1(g[c] as number, l1) / (h + l2);
}

/** Node totals that split searches compare against. */
export interface NodeStats {
  g: Float64Array;
  h: number;
  count: number;
}

/**
 * Best threshold of a numeric feature, trying missing values on either side (the side that wins
 * becomes the learned default direction) and, when there are missing values, the split
 * "missing vs everything else".
 */
export function findNumericSplit(
  hist: Float64Array,
  f: number,
  numBins: number,
  missingBin: number,
  node: NodeStats,
  p: SplitParams,
  best: SplitInfo,
  scratch: Float64Array,
): void {
  if (node.g.length === 1) findNumericSplit1(hist, f, numBins, missingBin, node, p, best);
  else findNumericSplitN(hist, f, numBins, missingBin, node, p, best, scratch);
}

/** One output channel: the boosting case, kept free of per-channel loops. */
function findNumericSplit1(hist: Float64Array, f: number, numBins: number, missingBin: number, node: NodeStats, p: SplitParams, best: SplitInfo): void {
  const base = f * BIN_STRIDE * 2;
  const G = node.g[0] as number;
  const H = node.h;
  const { lambdaL1: l1, lambdaL2: l2, minChildWeight: mcw } = p;
  const parentGain = leafGain1(G, H, l1, l2);
  const missG = hist[base + missingBin * 2] as number;
  const missH = hist[base + missingBin * 2 + 1] as number;
  let bestGain = Math.max(best.gain, p.minSplitGain);
  for (let dir = 0; dir < 2; dir++) {
    const missLeft = dir === 1;
    if (missLeft && missH <= 0) break;
    let lg = missLeft ? missG : 0;
    let lh = missLeft ? missH : 0;
    const last = missLeft ? numBins - 1 : missH > 0 ? numBins : numBins - 1;
    for (let t = 0, o = base; t < last; t++, o += 2) {
      lg += hist[o] as number;
      lh += hist[o + 1] as number;
      const rh = H - lh;
      if (lh < mcw || rh < mcw) continue;
      const gain = leafGain1(lg, lh, l1, l2) + leafGain1(G - lg, rh, l1, l2) - parentGain;
      if (gain > bestGain && record(best, node, gain, lh, rh, p)) {
        bestGain = gain;
        best.setNumeric1(f, t, missLeft, lg, G);
      }
    }
  }
}

/** Checks the child sizes of a would-be best split and records its gain and hessians. */
function record(best: SplitInfo, node: NodeStats, gain: number, lh: number, rh: number, p: SplitParams): boolean {
  // Counts are estimated from hessians (LightGBM's way) only for would-be best splits.
  const lc = Math.round((lh * node.count) / node.h);
  const rc = node.count - lc;
  if (lc < p.minChildSamples || rc < p.minChildSamples) return false;
  best.setSizes(gain, lh, rh, lc, rc);
  return true;
}

function findNumericSplitN(
  hist: Float64Array,
  f: number,
  numBins: number,
  missingBin: number,
  node: NodeStats,
  p: SplitParams,
  best: SplitInfo,
  scratch: Float64Array,
): void {
  const C = node.g.length;
  const S = C + 1;
  const base = f * BIN_STRIDE * S;
  const parentGain = leafGain(node.g, node.h, p.lambdaL1, p.lambdaL2);
  const mo = base + missingBin * S;
  const missH = hist[mo + C] as number;
  const { lambdaL1: l1, lambdaL2: l2 } = p;
  for (let dir = 0; dir < 2; dir++) {
    const missLeft = dir === 1;
    if (missLeft && missH <= 0) break;
    let lh = 0;
    for (let c = 0; c < C; c++) scratch[c] = missLeft ? (hist[mo + c] as number) : 0;
    if (missLeft) lh = missH;
    const last = missLeft ? numBins - 1 : missH > 0 ? numBins : numBins - 1;
    for (let t = 0; t < last; t++) {
      const o = base + t * S;
      for (let c = 0; c < C; c++) scratch[c] = (scratch[c] as number) + (hist[o + c] as number);
      lh += hist[o + C] as number;
      const rh = node.h - lh;
      if (lh < p.minChildWeight || rh < p.minChildWeight) continue;
      let sl = 0;
      let sr = 0;
      for (let c = 0; c < C; c++) {
        const a = thresholdL1(scratch[c] as number, l1);
        const b = thresholdL1((node.g[c] as number) - (scratch[c] as number), l1);
        sl += a * a;
        sr += b * b;
      }
      const gain = sl / (lh + l2) + sr / (rh + l2) - parentGain;
      if (gain > best.gain && gain > p.minSplitGain && record(best, node, gain, lh, rh, p)) {
        best.feature = f;
        best.categorical = false;
        // t === numBins - 1 only when missing values go right alone: "all values left".
        best.thresholdBin = t;
        best.defaultLeft = missLeft;
        for (let c = 0; c < C; c++) {
          best.leftG[c] = scratch[c] as number;
          best.rightG[c] = (node.g[c] as number) - (scratch[c] as number);
        }
      }
    }
  }
}

/**
 * Best category split, LightGBM's way: with few categories one category against the rest;
 * otherwise categories ordered by G / (H + catSmooth) and the best prefix from either end taken
 * as the left set. Missing values and categories without a bin of their own go right. Prefix sums
 * grow one category at a time (each end's k-th candidate adds one bin to the (k-1)-th).
 */
export function findCategoricalSplit(
  hist: Float64Array,
  f: number,
  numBins: number,
  node: NodeStats,
  p: SplitParams,
  best: SplitInfo,
  scratch: Float64Array,
): void {
  const C = node.g.length;
  const S = C + 1;
  const base = f * BIN_STRIDE * S;
  const used: number[] = [];
  for (let b = 0; b < numBins; b++) if ((hist[base + b * S + C] as number) > 0) used.push(b);
  if (used.length < 2) return;
  const oneHot = used.length <= p.maxCatToOnehot || C > 1;
  const l2 = oneHot ? p.lambdaL2 : p.lambdaL2 + p.catL2;
  const parentGain = leafGain(node.g, node.h, p.lambdaL1, l2);
  /** The left side's sums are in scratch and lh; its categories are used[from, to). */
  const consider = (lh: number, from: number, to: number): void => {
    const rh = node.h - lh;
    if (lh < p.minChildWeight || rh < p.minChildWeight) return;
    let sl = 0;
    let sr = 0;
    for (let c = 0; c < C; c++) {
      const a = thresholdL1(scratch[c] as number, p.lambdaL1);
      const b = thresholdL1((node.g[c] as number) - (scratch[c] as number), p.lambdaL1);
      sl += a * a;
      sr += b * b;
    }
    const gain = sl / (lh + l2) + sr / (rh + l2) - parentGain;
    if (gain > best.gain && gain > p.minSplitGain && record(best, node, gain, lh, rh, p)) {
      best.feature = f;
      best.categorical = true;
      best.defaultLeft = false;
      best.catBins.fill(0);
      for (let i = from; i < to; i++) {
        const b = used[i] as number;
        best.catBins[b >>> 5] = (best.catBins[b >>> 5] as number) | (1 << (b & 31));
      }
      for (let c = 0; c < C; c++) {
        best.leftG[c] = scratch[c] as number;
        best.rightG[c] = (node.g[c] as number) - (scratch[c] as number);
      }
    }
  };
  if (oneHot) {
    for (let i = 0; i < used.length; i++) {
      const o = base + (used[i] as number) * S;
      for (let c = 0; c < C; c++) scratch[c] = hist[o + c] as number;
      consider(hist[o + C] as number, i, i + 1);
    }
    return;
  }
  const ratio = new Float64Array(numBins);
  for (const b of used) ratio[b] = (hist[base + b * S] as number) / ((hist[base + b * S + 1] as number) + p.catSmooth);
  used.sort((a, b) => (ratio[a] as number) - (ratio[b] as number) || a - b);
  const n = used.length;
  const maxLeft = Math.min(p.maxCatThreshold, n - 1);
  // One channel here (oneHot covers C > 1): the two ends' running sums.
  let headG = 0;
  let headH = 0;
  let tailG = 0;
  let tailH = 0;
  for (let k = 1; k <= maxLeft; k++) {
    const h = base + (used[k - 1] as number) * S;
    headG += hist[h] as number;
    headH += hist[h + 1] as number;
    scratch[0] = headG;
    consider(headH, 0, k);
    const t = base + (used[n - k] as number) * S;
    tailG += hist[t] as number;
    tailH += hist[t + 1] as number;
    scratch[0] = tailG;
    consider(tailH, n - k, n);
  }
}

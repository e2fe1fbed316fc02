import type { Rng } from '../core/rng.js';

/**
 * Row samples for one boosting iteration. Rows in the sample go to `order[0..n)` in ascending
 * order (sequential reads of the binned matrix); `weight` is the multiplier of each row's
 * gradient and hessian (GOSS re-weights the sampled small-gradient rows by (1 - a) / b).
 */
export interface RowSample {
  n: number;
  order: Int32Array;
  /** Per row (indexed by row id); undefined when every sampled row has weight 1. */
  weight: Float32Array | undefined;
  /** Rows not in the sample (their scores are updated by walking the tree). */
  outside: Int32Array;
}

export function allRows(rows: number): RowSample {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  return { n: rows, order, weight: undefined, outside: new Int32Array(0) };
}

/** Bagging: exactly round(fraction * rows) rows without replacement (selection sampling). */
export function bagRows(rows: number, fraction: number, rng: Rng): RowSample {
  const order = new Int32Array(rows);
  const want = Math.max(1, Math.round(fraction * rows));
  const outside = new Int32Array(rows - want);
  let n = 0;
  let o = 0;
  for (let i = 0; i < rows; i++) {
    if (rng.random() * (rows - i) < want - n) order[n++] = i;
    else outside[o++] = i;
  }
  return { n, order, weight: undefined, outside };
}

/**
 * Gradient-based one-side sampling (Ke et al. 2017, as in LightGBM): keep the topRate share of
 * rows with the largest |g * h| (summed over outputs), sample otherRate of all rows from the
 * rest and scale their gradients by (1 - topRate) / otherRate so the split gains stay unbiased.
 * Buffers are kept from one round to the next (a fresh set was 20 MB of allocation per round on
 * a million rows).
 */
export class GossSampler {
  private readonly order: Int32Array;
  private readonly weight: Float32Array;
  private readonly outside: Int32Array;
  private readonly score: Float32Array;
  private readonly counts = new Int32Array(1 << 16);

  constructor(private readonly rows: number) {
    this.order = new Int32Array(rows);
    this.weight = new Float32Array(rows);
    this.outside = new Int32Array(rows);
    this.score = new Float32Array(rows);
  }

  sample(outputs: number, grad: Float32Array, hess: Float32Array, topRate: number, otherRate: number, rng: Rng): RowSample {
    const { rows, order, weight, outside, score } = this;
    score.fill(0);
    for (let k = 0; k < outputs; k++) {
      const off = k * rows;
      for (let i = 0; i < rows; i++) score[i] = (score[i] as number) + Math.abs((grad[off + i] as number) * (hess[off + i] as number));
    }
    const topK = Math.max(1, Math.floor(topRate * rows));
    const otherK = Math.max(1, Math.floor(otherRate * rows));
    const threshold = this.kthLargest(topK);
    weight.fill(0);
    const multiplier = (1 - topRate) / otherRate;
    let n = 0;
    let o = 0;
    // Rows tied at the threshold fill the top set in row order; the rest compete for otherK.
    let above = 0;
    for (let i = 0; i < rows; i++) above += +((score[i] as number) > threshold);
    let ties = topK - above;
    const restTotal = rows - topK;
    let restSeen = 0;
    let restTaken = 0;
    for (let i = 0; i < rows; i++) {
      const v = score[i] as number;
      if (v > threshold || (v === threshold && ties > 0)) {
        if (v === threshold) ties--;
        order[n++] = i;
        weight[i] = 1;
        continue;
      }
      if (rng.random() * (restTotal - restSeen) < otherK - restTaken) {
        order[n++] = i;
        weight[i] = multiplier;
        restTaken++;
      } else outside[o++] = i;
      restSeen++;
    }
    return { n, order, weight, outside: outside.subarray(0, o) };
  }

  /**
   * k-th largest score (1-based) by radix select: scores are non-negative floats, whose bit
   * patterns sort like their values, so two counting passes over 16-bit halves find it exactly
   * (a quickselect over a copy took three times as long).
   */
  private kthLargest(k: number): number {
    const bits = new Uint32Array(this.score.buffer, this.score.byteOffset, this.rows);
    const counts = this.counts;
    counts.fill(0);
    for (let i = 0; i < bits.length; i++) counts[(bits[i] as number) >>> 16] = (counts[(bits[i] as number) >>> 16] as number) + 1;
    let need = k;
    let high = 0xffff;
    while ((counts[high] as number) < need) need -= counts[high--] as number;
    counts.fill(0);
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i] as number;
      if (b >>> 16 === high) counts[b & 0xffff] = (counts[b & 0xffff] as number) + 1;
    }
    let low = 0xffff;
    while ((counts[low] as number) < need) need -= counts[low--] as number;
    return new Float32Array(Uint32Array.of(((high << 16) | low) >>> 0).buffer)[0] as number;
  }
}

/** One GOSS sample (a sampler used once; training keeps one sampler for all rounds). */
export function gossRows(rows: number, outputs: number, grad: Float32Array, hess: Float32Array, topRate: number, otherRate: number, rng: Rng): RowSample {
  return new GossSampler(rows).sample(outputs, grad, hess, topRate, otherRate, rng);
}

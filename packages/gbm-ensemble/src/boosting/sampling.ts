import type { Rng } from '@aiffel/core';

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

/** The counts of one GOSS round over `rows` rows. */
export interface GossPlan {
  topK: number;
  /** Rows drawn from the rest (at most all of them). */
  otherK: number;
  restTotal: number;
  /** The drawn rows' gradient and hessian factor, (1 - topRate) / otherRate as f32. */
  multiplier: number;
}

export function gossPlan(rows: number, topRate: number, otherRate: number): GossPlan {
  const topK = Math.max(1, Math.floor(topRate * rows));
  const restTotal = rows - topK;
  const otherK = Math.min(restTotal, Math.max(1, Math.floor(otherRate * rows)));
  return { topK, otherK, restTotal, multiplier: Math.fround((1 - topRate) / otherRate) };
}

/**
 * `k` of `total` ranks uniformly without replacement, as bits of `bits` (cleared first): Floyd's
 * algorithm, k draws whatever the total.
 */
export function chooseRanks(bits: Uint32Array, k: number, total: number, rng: Rng): void {
  bits.fill(0, 0, (total >>> 5) + 1);
  for (let j = total - k; j < total; j++) {
    let t = below(j + 1, rng);
    if (((bits[t >>> 5] as number) >>> (t & 31)) & 1) t = j;
    bits[t >>> 5] = (bits[t >>> 5] as number) | (1 << (t & 31));
  }
}

/**
 * Uniform integer in [0, n), by Lemire's multiply-and-reject: the high part of a 32-bit draw
 * times n, redrawn in the rare case the low part falls in the biased sliver. Rng.int computes a
 * float modulo on every call, and GOSS draws a hundred thousand per round. Past 2^21 the product
 * would not be exact in a double, and Rng.int takes over.
 */
function below(n: number, rng: Rng): number {
  if (n > 1 << 21) return rng.int(n);
  for (;;) {
    const m = rng.uint32() * n;
    const low = m >>> 0;
    if (low >= n || low >= (4294967296 - n) % n) return (m - low) / 4294967296;
  }
}

/**
 * Radix select over 16-bit digit counts: the digit holding the need-th largest value, scanning
 * from the top, and how many are still needed within it.
 */
export function selectDigit(counts: ArrayLike<number>, need: number): [digit: number, need: number] {
  let d = 0xffff;
  let left = need;
  while ((counts[d] as number) < left) left -= counts[d--] as number;
  return [d, left];
}

/**
 * Gradient-based one-side sampling (Ke et al. 2017, as in LightGBM): keep the topRate share of
 * rows with the largest |g * h| (summed over outputs), draw otherRate of all rows from the rest
 * and scale their gradients by (1 - topRate) / otherRate so the split gains stay unbiased. Rows
 * tied at the threshold fill the top set in row order. The engine's WebAssembly twin
 * (assembly/goss.ts) makes the same sample from the same random draws. Buffers are kept from one
 * round to the next (a fresh set was 20 MB of allocation per round on a million rows).
 */
export class GossSampler {
  private readonly order: Int32Array;
  private readonly weight: Float32Array;
  private readonly outside: Int32Array;
  private readonly score: Float32Array;
  private readonly counts = new Int32Array(1 << 16);
  private readonly chosen: Uint32Array;

  constructor(private readonly rows: number) {
    this.order = new Int32Array(rows);
    this.weight = new Float32Array(rows);
    this.outside = new Int32Array(rows);
    this.score = new Float32Array(rows);
    this.chosen = new Uint32Array((rows >>> 5) + 1);
  }

  sample(outputs: number, grad: Float32Array, hess: Float32Array, topRate: number, otherRate: number, rng: Rng): RowSample {
    const { rows, order, weight, outside, score, chosen } = this;
    score.fill(0);
    for (let k = 0; k < outputs; k++) {
      const off = k * rows;
      for (let i = 0; i < rows; i++) score[i] = (score[i] as number) + Math.abs((grad[off + i] as number) * (hess[off + i] as number));
    }
    const plan = gossPlan(rows, topRate, otherRate);
    const [threshold, ties] = this.kthLargest(plan.topK);
    chooseRanks(chosen, plan.otherK, plan.restTotal, rng);
    weight.fill(0);
    let left = ties;
    let n = 0;
    let o = 0;
    let rest = 0;
    for (let i = 0; i < rows; i++) {
      const v = score[i] as number;
      if (v > threshold || (v === threshold && left > 0)) {
        if (v === threshold) left--;
        order[n++] = i;
        weight[i] = 1;
        continue;
      }
      if (((chosen[rest >>> 5] as number) >>> (rest & 31)) & 1) {
        order[n++] = i;
        weight[i] = plan.multiplier;
      } else outside[o++] = i;
      rest++;
    }
    return { n, order, weight, outside: outside.subarray(0, o) };
  }

  /**
   * The k-th largest score (1-based) and how many rows equal to it belong to the top k, by radix
   * select: scores are non-negative floats, whose bit patterns sort like their values, so two
   * counting passes over 16-bit halves find it exactly (a quickselect over a copy took three
   * times as long).
   */
  private kthLargest(k: number): [threshold: number, ties: number] {
    const bits = new Uint32Array(this.score.buffer, this.score.byteOffset, this.rows);
    const counts = this.counts;
    counts.fill(0);
    for (let i = 0; i < bits.length; i++) counts[(bits[i] as number) >>> 16] = (counts[(bits[i] as number) >>> 16] as number) + 1;
    const [high, need] = selectDigit(counts, k);
    counts.fill(0);
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i] as number;
      if (b >>> 16 === high) counts[b & 0xffff] = (counts[b & 0xffff] as number) + 1;
    }
    const [low, ties] = selectDigit(counts, need);
    return [new Float32Array(Uint32Array.of(((high << 16) | low) >>> 0).buffer)[0] as number, ties];
  }
}

/** One GOSS sample (a sampler used once; training keeps one sampler for all rounds). */
export function gossRows(rows: number, outputs: number, grad: Float32Array, hess: Float32Array, topRate: number, otherRate: number, rng: Rng): RowSample {
  return new GossSampler(rows).sample(outputs, grad, hess, topRate, otherRate, rng);
}

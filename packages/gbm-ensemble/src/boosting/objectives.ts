import { weightedMedian } from './sample-weight.js';

/**
 * Losses, their first and second derivatives with respect to the raw score, the constant a
 * model starts from, and the link from raw score to prediction. Scores are row-major
 * rows x outputs (outputs = classes for softmax, else 1); gradients are written per output
 * channel (grad[k * rows + r]) because one tree is grown per channel.
 */
export type ObjectiveName = 'l2' | 'l1' | 'huber' | 'binary' | 'multiclass';

export interface Objective {
  readonly name: ObjectiveName;
  readonly outputs: number;
  /** Raw score every row starts from (the boosted constant; with sample weights, the weighted one). */
  initScore(y: Float64Array, w?: Float64Array): Float64Array;
  gradients(y: Float64Array, scores: Float64Array, grad: Float32Array, hess: Float32Array): void;
  /** Mean loss of raw scores (used for the monotone-improvement report). */
  loss(y: Float64Array, scores: Float64Array): number;
  /** Raw score(s) -> prediction in place (sigmoid / softmax / identity). */
  link(scores: Float64Array): void;
  /** L1 refits leaf values to the median residual, as LightGBM does; others return undefined. */
  readonly refitsLeaves: boolean;
}

function mean(y: Float64Array, w?: Float64Array): number {
  let s = 0;
  let t = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? (w[i] as number) : 1;
    s += wi * (y[i] as number);
    t += wi;
  }
  return s / t;
}

/** Median by sorting a copy (called once per fit, or once per leaf on its residuals). */
export function median(v: Float64Array): number {
  if (v.length === 0) return 0;
  const s = Float64Array.from(v).sort();
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * 1 / (1 + e^-x) without a branch: for large negative x, e^-x overflows to Infinity and the
 * result is the correct 0, never NaN. (A branch on the sign of the score is mispredicted half
 * the time and cost twice as much over a million rows.)
 */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function makeObjective(name: ObjectiveName, numClasses: number, huberDelta: number): Objective {
  switch (name) {
    case 'l2':
      return {
        name,
        outputs: 1,
        refitsLeaves: false,
        initScore: (y, w) => Float64Array.of(mean(y, w)),
        gradients(y, s, g, h) {
          for (let i = 0; i < y.length; i++) {
            g[i] = (s[i] as number) - (y[i] as number);
            h[i] = 1;
          }
        },
        loss(y, s) {
          let t = 0;
          for (let i = 0; i < y.length; i++) t += ((s[i] as number) - (y[i] as number)) ** 2;
          return t / y.length;
        },
        link() {},
      };
    case 'l1':
      return {
        name,
        outputs: 1,
        refitsLeaves: true,
        initScore: (y, w) => Float64Array.of(w ? weightedMedian(y, w) : median(y)),
        gradients(y, s, g, h) {
          for (let i = 0; i < y.length; i++) {
            const d = (s[i] as number) - (y[i] as number);
            g[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
            h[i] = 1;
          }
        },
        loss(y, s) {
          let t = 0;
          for (let i = 0; i < y.length; i++) t += Math.abs((s[i] as number) - (y[i] as number));
          return t / y.length;
        },
        link() {},
      };
    case 'huber':
      return {
        name,
        outputs: 1,
        refitsLeaves: false,
        initScore: (y, w) => Float64Array.of(mean(y, w)),
        gradients(y, s, g, h) {
          for (let i = 0; i < y.length; i++) {
            const d = (s[i] as number) - (y[i] as number);
            g[i] = d > huberDelta ? huberDelta : d < -huberDelta ? -huberDelta : d;
            h[i] = 1;
          }
        },
        loss(y, s) {
          let t = 0;
          for (let i = 0; i < y.length; i++) {
            const a = Math.abs((s[i] as number) - (y[i] as number));
            t += a <= huberDelta ? 0.5 * a * a : huberDelta * (a - 0.5 * huberDelta);
          }
          return t / y.length;
        },
        link() {},
      };
    case 'binary':
      return {
        name,
        outputs: 1,
        refitsLeaves: false,
        initScore(y, w) {
          const p = Math.min(Math.max(mean(y, w), 1e-15), 1 - 1e-15);
          return Float64Array.of(Math.log(p / (1 - p)));
        },
        gradients(y, s, g, h) {
          for (let i = 0; i < y.length; i++) {
            const p = sigmoid(s[i] as number);
            g[i] = p - (y[i] as number);
            h[i] = Math.max(p * (1 - p), 1e-16);
          }
        },
        loss(y, s) {
          let t = 0;
          for (let i = 0; i < y.length; i++) {
            const z = s[i] as number;
            // log(1 + e^z) - y z, stable for large |z|
            t += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - (y[i] as number) * z;
          }
          return t / y.length;
        },
        link(s) {
          for (let i = 0; i < s.length; i++) s[i] = sigmoid(s[i] as number);
        },
      };
    case 'multiclass': {
      const K = numClasses;
      // LightGBM's factor K/(K-1) on the diagonal hessian makes K = 2 match the binary loss.
      const factor = K / (K - 1);
      return {
        name,
        outputs: K,
        refitsLeaves: false,
        initScore(y, w) {
          const counts = new Float64Array(K);
          let total = 0;
          for (let i = 0; i < y.length; i++) {
            const wi = w ? (w[i] as number) : 1;
            counts[y[i] as number] = (counts[y[i] as number] as number) + wi;
            total += wi;
          }
          return counts.map((c) => Math.log(Math.max(c / total, 1e-15)));
        },
        gradients(y, s, g, h) {
          const n = y.length;
          const p = new Float64Array(K);
          for (let i = 0; i < n; i++) {
            softmaxRow(s, i * K, K, p);
            const yi = y[i] as number;
            for (let k = 0; k < K; k++) {
              const pk = p[k] as number;
              g[k * n + i] = pk - (k === yi ? 1 : 0);
              h[k * n + i] = Math.max(factor * pk * (1 - pk), 1e-16);
            }
          }
        },
        loss(y, s) {
          let t = 0;
          const p = new Float64Array(K);
          for (let i = 0; i < y.length; i++) {
            softmaxRow(s, i * K, K, p);
            t -= Math.log(Math.max(p[y[i] as number] as number, 1e-15));
          }
          return t / y.length;
        },
        link(s) {
          const p = new Float64Array(K);
          for (let i = 0; i < s.length; i += K) {
            softmaxRow(s, i, K, p);
            s.set(p, i);
          }
        },
      };
    }
  }
}

export function softmaxRow(s: Float64Array, at: number, K: number, out: Float64Array): void {
  let m = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) m = Math.max(m, s[at + k] as number);
  let z = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp((s[at + k] as number) - m);
    out[k] = e;
    z += e;
  }
  for (let k = 0; k < K; k++) out[k] = (out[k] as number) / z;
}

import { checkInteger, checkNumber, checkOneOf, checkOptions } from '@aiffel/core';

export type FilterType = 'lowpass' | 'highpass' | 'bandpass';

export interface ButterworthOptions {
  /** 'lowpass' (default), 'highpass' or 'bandpass' (cutoff [low, high]). */
  type?: FilterType;
  /** Sampling rate in Hz; cutoffs are in Hz. Default 2 (cutoffs as a fraction of Nyquist, as scipy's default). */
  fs?: number;
}

/** Transfer-function coefficients: a[0] = 1. */
export interface FilterCoefficients {
  b: Float64Array;
  a: Float64Array;
}

type Complex = [number, number];
const mul = (x: Complex, y: Complex): Complex => [x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0]];
const div = (x: Complex, y: Complex): Complex => {
  const d = y[0] * y[0] + y[1] * y[1];
  return [(x[0] * y[0] + x[1] * y[1]) / d, (x[1] * y[0] - x[0] * y[1]) / d];
};
const csqrt = ([re, im]: Complex): Complex => {
  const r = Math.hypot(re, im);
  const s = Math.sqrt((r + re) / 2);
  const t = Math.sqrt(Math.max(0, (r - re) / 2));
  return [s, im < 0 ? -t : t];
};

/** Coefficients of prod (x - r) for roots r, highest power first (numpy's poly). */
function poly(roots: Complex[]): Complex[] {
  let c: Complex[] = [[1, 0]];
  for (const r of roots) {
    const next: Complex[] = c.map((v) => [v[0], v[1]]);
    next.push([0, 0]);
    for (let i = 1; i < next.length; i++) {
      const t = mul(c[i - 1] as Complex, r);
      (next[i] as Complex)[0] -= t[0];
      (next[i] as Complex)[1] -= t[1];
    }
    c = next;
  }
  return c;
}

/**
 * A digital Butterworth filter of `order`, designed as scipy.signal.butter does: the analog
 * prototype's poles, frequencies pre-warped for the bilinear transform, the low-, high- or
 * band-pass transform in zero-pole-gain form, then the bilinear transform. Working in zpk form
 * and multiplying out only at the end is what keeps low cutoffs (0.3 Hz at 50 Hz) accurate.
 */
export function butterworth(order: number, cutoff: number | readonly [number, number], options: ButterworthOptions = {}): FilterCoefficients {
  checkOptions('butterworth options', options, ['type', 'fs']);
  const N = checkInteger('order', order, 1, 16);
  const type = checkOneOf('type', options.type ?? 'lowpass', ['lowpass', 'highpass', 'bandpass'] as const);
  const fs = checkNumber('fs', options.fs ?? 2, (v) => v > 0 && Number.isFinite(v), 'a positive sampling rate in Hz');
  const nyquist = fs / 2;
  const edges = typeof cutoff === 'number' ? [cutoff] : Array.isArray(cutoff) ? [...cutoff] : [Number.NaN];
  if (type === 'bandpass' ? edges.length !== 2 : edges.length !== 1)
    throw new RangeError(
      `cutoff must be ${type === 'bandpass' ? '[low, high] in Hz' : 'one frequency in Hz'} for a ${type} filter, got ${JSON.stringify(cutoff)}`,
    );
  for (const [i, f] of edges.entries())
    checkNumber(edges.length > 1 ? `cutoff[${i}]` : 'cutoff', f, (v) => v > 0 && v < nyquist, `a frequency in (0, ${nyquist}) Hz (below Nyquist)`);
  if (edges.length === 2 && !((edges[0] as number) < (edges[1] as number)))
    throw new RangeError(`cutoff must be [low, high] with low < high, got ${JSON.stringify(cutoff)}`);
  // Analog prototype: poles on the left half of the unit circle, no zeros, unit gain.
  let poles: Complex[] = [];
  for (let m = -N + 1; m < N; m += 2) poles.push([-Math.cos((Math.PI * m) / (2 * N)), -Math.sin((Math.PI * m) / (2 * N))]);
  let zeros: Complex[] = [];
  let gain = 1;
  const fs2 = 4; // scipy designs with fs = 2 internally: 2 * fs
  const warp = (f: number) => fs2 * Math.tan((Math.PI * (f / nyquist)) / 2);
  if (type === 'lowpass') {
    const wo = warp(edges[0] as number);
    poles = poles.map((p) => [p[0] * wo, p[1] * wo]);
    gain *= wo ** N;
  } else if (type === 'highpass') {
    const wo = warp(edges[0] as number);
    let prod: Complex = [1, 0];
    for (const p of poles) prod = mul(prod, [-p[0], -p[1]]);
    gain *= div([1, 0], prod)[0];
    poles = poles.map((p) => div([wo, 0], p));
    zeros = poles.map(() => [0, 0]);
  } else {
    const w1 = warp(edges[0] as number);
    const w2 = warp(edges[1] as number);
    const bw = w2 - w1;
    const wo2 = w1 * w2;
    const lp = poles.map((p): Complex => [(p[0] * bw) / 2, (p[1] * bw) / 2]);
    const root = lp.map((p) => csqrt([p[0] * p[0] - p[1] * p[1] - wo2, 2 * p[0] * p[1]]));
    poles = [
      ...lp.map((p, i): Complex => [p[0] + (root[i] as Complex)[0], p[1] + (root[i] as Complex)[1]]),
      ...lp.map((p, i): Complex => [p[0] - (root[i] as Complex)[0], p[1] - (root[i] as Complex)[1]]),
    ];
    zeros = Array.from({ length: N }, (): Complex => [0, 0]);
    gain *= bw ** N;
  }
  // Bilinear transform.
  let num: Complex = [1, 0];
  let den: Complex = [1, 0];
  for (const z of zeros) num = mul(num, [fs2 - z[0], -z[1]]);
  for (const p of poles) den = mul(den, [fs2 - p[0], -p[1]]);
  gain *= div(num, den)[0];
  const zd: Complex[] = zeros.map((z) => div([fs2 + z[0], z[1]], [fs2 - z[0], -z[1]]));
  const pd: Complex[] = poles.map((p) => div([fs2 + p[0], p[1]], [fs2 - p[0], -p[1]]));
  while (zd.length < pd.length) zd.push([-1, 0]);
  const b = Float64Array.from(poly(zd), (c) => c[0] * gain);
  const a = Float64Array.from(poly(pd), (c) => c[0]);
  return { b, a };
}

import { rangeError, typeError } from '@aiffel/core';
import { arBurg } from './burg.js';
import type { HarSignals } from './har-signals.js';
import { magnitudeSpectrum } from './spectrum.js';
import { angle, correlation, energy, histogramEntropy, kurtosis, mean, medianAbsDeviation, quantileInPlace, skewness, std } from './window-stats.js';

const AXES = ['X', 'Y', 'Z'] as const;
/** bandsEnergy intervals over 64 bins, 1-based inclusive, in UCI's order. */
const BANDS: readonly [number, number][] = [
  [1, 8],
  [9, 16],
  [17, 24],
  [25, 32],
  [33, 40],
  [41, 48],
  [49, 56],
  [57, 64],
  [1, 16],
  [17, 32],
  [33, 48],
  [49, 64],
  [1, 24],
  [25, 48],
];

type TimeAxes = 'bodyAcc' | 'gravityAcc' | 'bodyAccJerk' | 'bodyGyro' | 'bodyGyroJerk';
type TimeMag = 'bodyAccMag' | 'gravityAccMag' | 'bodyAccJerkMag' | 'bodyGyroMag' | 'bodyGyroJerkMag';
const T_AXES: [string, TimeAxes][] = [
  ['tBodyAcc', 'bodyAcc'],
  ['tGravityAcc', 'gravityAcc'],
  ['tBodyAccJerk', 'bodyAccJerk'],
  ['tBodyGyro', 'bodyGyro'],
  ['tBodyGyroJerk', 'bodyGyroJerk'],
];
const T_MAG: [string, TimeMag][] = [
  ['tBodyAccMag', 'bodyAccMag'],
  ['tGravityAccMag', 'gravityAccMag'],
  ['tBodyAccJerkMag', 'bodyAccJerkMag'],
  ['tBodyGyroMag', 'bodyGyroMag'],
  ['tBodyGyroJerkMag', 'bodyGyroJerkMag'],
];
const F_AXES: [string, TimeAxes][] = [
  ['fBodyAcc', 'bodyAcc'],
  ['fBodyAccJerk', 'bodyAccJerk'],
  ['fBodyGyro', 'bodyGyro'],
];
// Upstream's names, "BodyBody" typo included, so columns line up with features.txt.
const F_MAG: [string, TimeMag][] = [
  ['fBodyAccMag', 'bodyAccMag'],
  ['fBodyBodyAccJerkMag', 'bodyAccJerkMag'],
  ['fBodyBodyGyroMag', 'bodyGyroMag'],
  ['fBodyBodyGyroJerkMag', 'bodyGyroJerkMag'],
];

function featureNames(): string[] {
  const out: string[] = [];
  const per = (p: string, stat: string) => AXES.map((a) => `${p}-${stat}-${a}`);
  for (const [p] of T_AXES) {
    for (const s of ['mean()', 'std()', 'mad()', 'max()', 'min()']) out.push(...per(p, s));
    out.push(`${p}-sma()`);
    for (const s of ['energy()', 'iqr()', 'entropy()']) out.push(...per(p, s));
    for (const a of AXES) for (let k = 1; k <= 4; k++) out.push(`${p}-arCoeff()-${a},${k}`);
    out.push(`${p}-correlation()-X,Y`, `${p}-correlation()-X,Z`, `${p}-correlation()-Y,Z`);
  }
  for (const [p] of T_MAG) {
    for (const s of ['mean()', 'std()', 'mad()', 'max()', 'min()', 'sma()', 'energy()', 'iqr()', 'entropy()']) out.push(`${p}-${s}`);
    for (let k = 1; k <= 4; k++) out.push(`${p}-arCoeff()${k}`);
  }
  for (const [p] of F_AXES) {
    for (const s of ['mean()', 'std()', 'mad()', 'max()', 'min()']) out.push(...per(p, s));
    out.push(`${p}-sma()`);
    for (const s of ['energy()', 'iqr()', 'entropy()', 'maxInds', 'meanFreq()']) out.push(...per(p, s));
    for (const a of AXES) out.push(`${p}-skewness()-${a}`, `${p}-kurtosis()-${a}`);
    // Upstream names the bands without the axis, so these 42 names repeat three times.
    for (let a = 0; a < 3; a++) for (const [lo, hi] of BANDS) out.push(`${p}-bandsEnergy()-${lo},${hi}`);
  }
  for (const [p] of F_MAG) {
    for (const s of [
      'mean()',
      'std()',
      'mad()',
      'max()',
      'min()',
      'sma()',
      'energy()',
      'iqr()',
      'entropy()',
      'maxInds',
      'meanFreq()',
      'skewness()',
      'kurtosis()',
    ])
      out.push(`${p}-${s}`);
  }
  out.push(
    'angle(tBodyAccMean,gravity)',
    'angle(tBodyAccJerkMean),gravityMean)',
    'angle(tBodyGyroMean,gravityMean)',
    'angle(tBodyGyroJerkMean,gravityMean)',
    'angle(X,gravityMean)',
    'angle(Y,gravityMean)',
    'angle(Z,gravityMean)',
  );
  return out;
}

/** The 561 feature names, in UCI HAR's features.txt order and spelling (its typos included). */
export const HAR_FEATURE_NAMES: readonly string[] = Object.freeze(featureNames());

/** Reusable per-window buffers: no allocation inside the feature loop. */
class Scratch {
  readonly sorted: Float64Array;
  readonly tmp: Float64Array;
  readonly spectra: [Float64Array, Float64Array, Float64Array];
  readonly ar = new Float64Array(4);
  constructor(readonly size: number) {
    this.sorted = new Float64Array(size);
    this.tmp = new Float64Array(size);
    const bins = size >> 1;
    this.spectra = [new Float64Array(bins), new Float64Array(bins), new Float64Array(bins)];
  }
}

/** Order statistics and moments of one series, written where the caller's layout wants them. */
interface Summary {
  mean: number;
  std: number;
  mad: number;
  max: number;
  min: number;
  energy: number;
  iqr: number;
  entropy: number;
  absMean: number;
}

function summarize(x: Float64Array<ArrayBufferLike>, s: Scratch): Summary {
  const n = x.length;
  const mu = mean(x);
  let abs = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    abs += Math.abs(v);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const buf = s.sorted;
  buf.set(x);
  const q1 = quantileInPlace(buf, n, 0.25);
  const q3 = quantileInPlace(buf, n, 0.75);
  return {
    mean: mu,
    std: std(x, mu),
    mad: medianAbsDeviation(x, s.tmp),
    max: hi,
    min: lo,
    energy: energy(x),
    iqr: q3 - q1,
    entropy: histogramEntropy(x, lo, hi),
    absMean: abs / n,
  };
}

/**
 * Writes the 561 UCI HAR features of the window [start, start + size) of `signals` into
 * `out` at `offset`: time-domain statistics, Burg AR(4) coefficients and axis correlations;
 * statistics of the FFT magnitudes (first size / 2 bins), the peak bin, the magnitude-weighted mean
 * frequency in Hz, skewness, kurtosis and band energies; and the angles between mean vectors.
 * Values are raw (not scaled); see `FeatureRange` for UCI's [-1, 1] scaling.
 */
export function harWindowFeatures(signals: HarSignals, start: number, size: number, out: Float64Array, offset = 0, scratch = new Scratch(size)): void {
  let o = offset;
  const put = (v: number) => {
    out[o++] = v;
  };
  // Views, not copies: every statistic below copies what it reorders into the scratch buffers itself.
  const win = (x: Float64Array) => x.subarray(start, start + size);
  const bins = size >> 1;
  const means: Record<string, [number, number, number]> = {};
  for (const [, key] of T_AXES) {
    const w = signals[key].map(win);
    const sums = w.map((x) => summarize(x, scratch));
    for (const f of ['mean', 'std', 'mad', 'max', 'min'] as const) for (const s of sums) put(s[f]);
    put(sums.reduce((n, s) => n + s.absMean, 0));
    for (const f of ['energy', 'iqr', 'entropy'] as const) for (const s of sums) put(s[f]);
    for (const x of w) for (const c of arBurg(x, 4, scratch.ar)) put(c);
    put(correlation(w[0] as Float64Array, w[1] as Float64Array));
    put(correlation(w[0] as Float64Array, w[2] as Float64Array));
    put(correlation(w[1] as Float64Array, w[2] as Float64Array));
    means[key] = sums.map((s) => s.mean) as [number, number, number];
  }
  for (const [, key] of T_MAG) {
    const x = win(signals[key]);
    const s = summarize(x, scratch);
    put(s.mean);
    put(s.std);
    put(s.mad);
    put(s.max);
    put(s.min);
    put(s.absMean);
    put(s.energy);
    put(s.iqr);
    put(s.entropy);
    for (const c of arBurg(x, 4, scratch.ar)) put(c);
  }
  const hz = signals.fs / size;
  const spectral = (m: Float64Array) => {
    let peak = 0;
    let num = 0;
    let den = 0;
    for (let k = 0; k < m.length; k++) {
      if ((m[k] as number) > (m[peak] as number)) peak = k;
      num += k * hz * (m[k] as number);
      den += m[k] as number;
    }
    const mu = mean(m);
    return { maxInds: peak, meanFreq: den > 0 ? num / den : 0, skewness: skewness(m, mu), kurtosis: kurtosis(m, mu) };
  };
  for (const [, key] of F_AXES) {
    const mags = signals[key].map((x, a) => magnitudeSpectrum(win(x), bins, scratch.spectra[a])) as Float64Array[];
    const sums = mags.map((m) => summarize(m, scratch));
    for (const f of ['mean', 'std', 'mad', 'max', 'min'] as const) for (const s of sums) put(s[f]);
    put(sums.reduce((n, s) => n + s.absMean, 0));
    for (const f of ['energy', 'iqr', 'entropy'] as const) for (const s of sums) put(s[f]);
    const sp = mags.map(spectral);
    for (const s of sp) put(s.maxInds);
    for (const s of sp) put(s.meanFreq);
    for (const s of sp) {
      put(s.skewness);
      put(s.kurtosis);
    }
    for (const m of mags) {
      for (const [lo, hi] of BANDS) {
        // Band edges are defined on 64 bins; other window sizes scale them.
        const a = Math.floor(((lo - 1) * bins) / 64);
        const b = Math.max(a + 1, Math.floor((hi * bins) / 64));
        let e = 0;
        for (let k = a; k < b; k++) e += (m[k] as number) ** 2;
        put(e / bins);
      }
    }
  }
  for (const [, key] of F_MAG) {
    const m = magnitudeSpectrum(win(signals[key]), bins, scratch.spectra[0]);
    const s = summarize(m, scratch);
    const sp = spectral(m);
    for (const v of [s.mean, s.std, s.mad, s.max, s.min, s.absMean, s.energy, s.iqr, s.entropy, sp.maxInds, sp.meanFreq, sp.skewness, sp.kurtosis]) put(v);
  }
  const gravity = means.gravityAcc as [number, number, number];
  put(angle(means.bodyAcc as [number, number, number], gravity));
  put(angle(means.bodyAccJerk as [number, number, number], gravity));
  put(angle(means.bodyGyro as [number, number, number], gravity));
  put(angle(means.bodyGyroJerk as [number, number, number], gravity));
  put(angle([1, 0, 0], gravity));
  put(angle([0, 1, 0], gravity));
  put(angle([0, 0, 1], gravity));
}

/** Row-major features: rows x cols, with the column names. */
export interface FeatureMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
  names: readonly string[];
}

/** The 561 features of every window of one recording's signals. */
export function harFeatures(signals: HarSignals, windows: readonly { start: number; end: number }[]): FeatureMatrix {
  if (signals === null || typeof signals !== 'object' || !(signals.bodyAcc?.[0] instanceof Float64Array))
    throw typeError('signals', 'the result of harSignals()', signals);
  if (!Array.isArray(windows)) throw typeError('windows', 'an array of { start, end }', windows);
  const cols = HAR_FEATURE_NAMES.length;
  const data = new Float64Array(windows.length * cols);
  let scratch: Scratch | undefined;
  windows.forEach((w, i) => {
    const size = w?.end - w?.start;
    if (!Number.isInteger(w?.start) || !Number.isInteger(w?.end) || size < 8 || w.start < 0 || w.end > signals.length)
      throw rangeError(`windows[${i}]`, `at least 8 samples within the recording's ${signals.length}`, w);
    if (scratch === undefined || scratch.size !== size) scratch = new Scratch(size);
    harWindowFeatures(signals, w.start, size, data, i * cols, scratch);
  });
  return { data, rows: windows.length, cols, names: HAR_FEATURE_NAMES };
}

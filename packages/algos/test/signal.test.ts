import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  arBurg,
  butterworth,
  FeatureRange,
  fillGaps,
  filtfilt,
  gridWindows,
  HAR_FEATURE_NAMES,
  harFeatures,
  harSignals,
  inertialWindows,
  lfilterZi,
  magnitudeSpectrum,
  medianFilter,
  Rng,
  segmentWindows,
} from '../src/index.js';

// A 40-sample test signal; every reference below is scipy 1.10 / numpy on exactly these values.
const X = [
  0.0, 0.39552, 0.76464, 1.08333, 1.33204, 1.49749, 1.57385, 1.56321, 1.47546, 1.32738, 1.14112, 0.94225, 0.75748, 0.61223, 0.52842, 0.52247, 0.60384, -0.92581,
  -0.67276, -0.35069, 0.02058, 0.41681, 0.81154, 1.17844, 1.49367, 1.738, 1.89854, 1.96989, 1.9546, 1.86297, 1.71212, 1.52445, 1.32567, 1.14246, -0.69987,
  -0.7797, -0.78094, -0.69455, -0.51933, -0.26198,
];
const close = (got: ArrayLike<number>, want: number[], digits: number) => {
  expect(got.length).toBe(want.length);
  for (const [i, w] of want.entries()) expect(got[i] as number).toBeCloseTo(w, digits);
};

describe('Butterworth design (scipy.signal.butter)', () => {
  it('matches scipy for low-, high- and band-pass, including a 0.3 Hz cutoff at 50 Hz', () => {
    const lp = butterworth(3, 20, { fs: 50 });
    close(lp.b, [0.5276243825019432, 1.5828731475058295, 1.5828731475058295, 0.5276243825019432], 12);
    close(lp.a, [1.0, 1.7600418803431688, 1.1828932620378303, 0.2780599176345463], 12);
    const g = butterworth(3, 0.3, { fs: 50 });
    close(g.b, [6.451849129090928e-6, 1.9355547387272784e-5, 1.9355547387272784e-5, 6.451849129090928e-6], 15);
    close(g.a, [1.0, -2.9246062354506974, 2.852027818593894, -0.9273699683501638], 12);
    const hp = butterworth(3, 0.3, { type: 'highpass', fs: 50 });
    close(hp.b, [0.9630005027993442, -2.8890015083980325, 2.8890015083980325, -0.9630005027993442], 12);
    const bp = butterworth(2, [0.5, 5], { type: 'bandpass', fs: 50 });
    close(bp.b, [0.05644846226073646, 0, -0.11289692452147292, 0, 0.05644846226073646], 12);
    close(bp.a, [1.0, -3.1594633021191667, 3.792684422850939, -2.0825733171836003, 0.45044543005604054], 12);
    const unit = butterworth(4, 0.1);
    close(unit.a, [1.0, -3.180638548874719, 3.8611943489942133, -2.112155355110969, 0.43826514226197977], 12);
    close(lfilterZi(unit), [0.9995834007957773, -2.1827215448971535, 1.6759732088713306, -0.43784854305765386], 10);
    close(lfilterZi(g), [0.9999935481508766, -1.9246320428472248, 0.9273764201992982], 10);
  });

  it('filtfilt equals scipy.signal.filtfilt (odd padding, steady-state start) and medfilt', () => {
    const band = filtfilt(butterworth(3, [2, 8], { type: 'bandpass', fs: 50 }), X);
    close(
      band.filter((_, i) => i % 7 === 0),
      [-0.0208274247, 0.6349463607, -0.0961019829, -0.3405089433, 0.7908892393, -1.3403452018],
      7,
    );
    const low = filtfilt(butterworth(3, 0.3, { fs: 50 }), X);
    close(
      low.filter((_, i) => i % 7 === 0),
      [-0.3005859962, -0.2562466273, -0.2218102617, -0.1978783859, -0.1836058242, -0.1768720965],
      7,
    );
    close(medianFilter(X, 3).subarray(0, 6), [0.0, 0.39552, 0.76464, 1.08333, 1.33204, 1.49749], 12);
    // A constant signal passes a low-pass filter unchanged: the steady-state start has no transient.
    const flat = filtfilt(butterworth(3, 0.3, { fs: 50 }), new Float64Array(200).fill(0.98));
    for (const v of flat) expect(v).toBeCloseTo(0.98, 9);
  });

  it('refuses bad designs and signals by name', () => {
    expect(() => butterworth(0, 10, { fs: 50 })).toThrow(/order must be an integer/);
    expect(() => butterworth(3, 30, { fs: 50 })).toThrow(/cutoff must be a frequency in \(0, 25\) Hz/);
    expect(() => butterworth(3, 5, { type: 'bandpass', fs: 50 })).toThrow(/cutoff must be \[low, high\]/);
    expect(() => butterworth(3, [8, 2], { type: 'bandpass', fs: 50 })).toThrow(/low < high/);
    expect(() => butterworth(3, 5, { type: 'notch' as 'lowpass' })).toThrow(/type must be one of/);
    expect(() => filtfilt(butterworth(3, 5, { fs: 50 }), [1, Number.NaN, 3, ...X])).toThrow(
      /x must be finite numbers \(fill gaps first with fillGaps\), got "NaN at index 1"/,
    );
    expect(() => filtfilt(butterworth(3, 5, { fs: 50 }), [1, 2, 3])).toThrow(/x must be more than padLength \(12\) samples/);
    expect(() => medianFilter(X, 4)).toThrow(/kernel must be an odd integer/);
  });
});

describe('window statistics', () => {
  it('Burg AR coefficients recover a known AR(2) process (MATLAB arburg sign convention)', () => {
    const rng = new Rng(4);
    const n = 20000;
    const x = new Float64Array(n);
    for (let t = 2; t < n; t++) x[t] = 0.75 * (x[t - 1] as number) - 0.5 * (x[t - 2] as number) + (rng.random() - 0.5);
    const a = arBurg(x, 4);
    expect(a[0]).toBeCloseTo(-0.75, 1);
    expect(a[1]).toBeCloseTo(0.5, 1);
    expect(Math.abs(a[2] as number)).toBeLessThan(0.05);
    // Hand-computed first reflection on [1, 2, 3]: k = -2 (1*2 + 2*3) / (4 + 9 + 1 + 4) = -8/9.
    expect(arBurg([1, 2, 3], 1)[0]).toBeCloseTo(-8 / 9, 12);
    // A constant window is predicted exactly by x[t] = x[t-1]; an all-zero one has nothing to fit.
    close(arBurg(new Float64Array(16).fill(2), 4), [-1, 0, 0, 0], 12);
    close(arBurg(new Float64Array(16), 4), [0, 0, 0, 0], 12);
  });

  it('spectra match numpy.fft.rfft magnitudes for a power of two (fft.js) and any other length (DFT)', () => {
    close(
      magnitudeSpectrum(X.slice(0, 32), 16).filter((_, i) => i % 3 === 0),
      [30.75308, 3.94672456, 2.27722704, 1.77464442, 0.62574997, 1.66441153],
      6,
    );
    close(
      magnitudeSpectrum(X.slice(0, 30), 15).filter((_, i) => i % 3 === 0),
      [27.51651, 5.15570546, 0.75549205, 2.14869065, 1.60389301],
      6,
    );
  });
});

describe('windows and gap filling', () => {
  it('cuts windows inside segments only (floor((len - size) / step) + 1 each) and labels grid windows', () => {
    const w = segmentWindows(
      [
        { start: 0, end: 300, label: 1 },
        { start: 300, end: 400, label: 2 },
        { start: 400, end: 592, label: 3 },
      ],
      { size: 128, step: 64 },
    );
    expect(w.map((x) => [x.start, x.label])).toEqual([
      [0, 1],
      [64, 1],
      [128, 1],
      [400, 3],
      [464, 3],
    ]);
    const labels = [...Array(10).fill(0), ...Array(6).fill(1), ...Array(4).fill(-1)];
    expect(gridWindows(labels, { size: 4, step: 4, unlabelled: -1 }).map((x) => x.label)).toEqual([0, 0, 1]);
    expect(gridWindows(labels, { size: 4, step: 4, boundary: 'majority', unlabelled: -1 }).map((x) => [x.start, x.label])).toEqual([
      [0, 0],
      [4, 0],
      [8, 0],
      [12, 1],
    ]);
    expect(() => segmentWindows([{ start: 5, end: 2, label: 1 }])).toThrow(/segments\[0\] must be \{ start, end \}/);
    expect(() => segmentWindows([], { size: 0 })).toThrow(/size must be a positive integer, got 0/);
  });

  it('fills gaps by linear and spline interpolation and reports every one', () => {
    const { values, report } = fillGaps([Number.NaN, 1, Number.NaN, Number.NaN, 4, 5, Number.NaN]);
    expect(Array.from(values)).toEqual([1, 1, 2, 3, 4, 5, 5]);
    expect(report).toEqual({
      filled: 4,
      method: 'linear',
      gaps: [
        { start: 0, length: 1, kind: 'leading' },
        { start: 2, length: 2, kind: 'inner' },
        { start: 6, length: 1, kind: 'trailing' },
      ],
    });
    // A cubic through known samples of a smooth signal: the spline is far closer than a line.
    const truth = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i / 9));
    const holed = Array.from(truth, (v, i) => (i % 10 >= 3 && i % 10 < 7 && i > 5 && i < 190 ? Number.NaN : v));
    const err = (m: 'linear' | 'spline') => {
      const f = fillGaps(holed, { method: m }).values;
      return Math.max(...Array.from(f, (v, i) => Math.abs(v - (truth[i] as number))));
    };
    expect(err('spline')).toBeLessThan(err('linear') / 5);
    expect(fillGaps(holed, { method: 'spline' }).report.filled).toBe(holed.filter(Number.isNaN).length);
    expect(() => fillGaps([1, Number.NaN, Number.NaN, 4], { maxGap: 1 })).toThrow(/x must be gaps of at most maxGap \(1\)/);
    expect(() => fillGaps([Number.NaN, Number.NaN])).toThrow(/at least one known/);
    expect(() => fillGaps([1, Number.POSITIVE_INFINITY])).toThrow(/finite numbers or NaN/);
  });
});

/** A synthetic 50 Hz recording: gravity on one axis, a 2 Hz walk-like body motion on the others. */
function synthetic(n: number, seed = 1) {
  const rng = new Rng(seed);
  const acc = [0, 1, 2].map((a) =>
    Float64Array.from({ length: n }, (_, t) => (a === 0 ? 1 : 0) + 0.3 * Math.sin((2 * Math.PI * 2 * t) / 50 + a) + 0.01 * (rng.random() - 0.5)),
  );
  const gyro = [0, 1, 2].map((a) => Float64Array.from({ length: n }, (_, t) => 0.5 * Math.cos((2 * Math.PI * 2 * t) / 50 + a)));
  return { acc: acc as [Float64Array, Float64Array, Float64Array], gyro: gyro as [Float64Array, Float64Array, Float64Array] };
}

describe('UCI HAR features', () => {
  it('computes 561 named features whose values follow from their definitions', () => {
    const { acc, gyro } = synthetic(1000);
    const s = harSignals(acc, gyro);
    const f = harFeatures(s, [{ start: 400, end: 528 }]);
    expect(f.cols).toBe(561);
    const at = (name: string) => f.data[HAR_FEATURE_NAMES.indexOf(name)] as number;
    // Gravity stays on X; body acceleration has mean ~0 and a 2 Hz peak: bin 2 Hz * 128 / 50 = 5.12 -> 5.
    expect(at('tGravityAcc-mean()-X')).toBeCloseTo(1, 2);
    expect(Math.abs(at('tBodyAcc-mean()-Y'))).toBeLessThan(0.02);
    expect(at('fBodyAcc-maxInds-Y')).toBe(5);
    expect(at('angle(X,gravityMean)')).toBeCloseTo(0, 1);
    expect(at('angle(Z,gravityMean)')).toBeCloseTo(Math.PI / 2, 1);
    // A 0.3 amplitude sine: std 0.3 / sqrt 2, energy 0.045.
    expect(at('tBodyAcc-std()-Y')).toBeCloseTo(0.3 / Math.SQRT2, 2);
    expect(at('tBodyAcc-energy()-Y')).toBeCloseTo(0.045, 2);
    // The eight narrow bands add up to the spectrum's energy.
    const y = HAR_FEATURE_NAMES.indexOf('fBodyAcc-bandsEnergy()-1,8') + 14;
    let bands = 0;
    for (let k = 0; k < 8; k++) bands += f.data[y + k] as number;
    expect(bands).toBeCloseTo(at('fBodyAcc-energy()-Y'), 6);
    const r = FeatureRange.fit(
      harFeatures(s, [
        { start: 0, end: 128 },
        { start: 64, end: 192 },
        { start: 400, end: 528 },
      ]),
    );
    for (const v of r.transform(f).data) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    const raw = inertialWindows(s, [{ start: 0, end: 128 }]);
    expect(raw.shape).toEqual([1, 128, 9]);
    expect(raw.data[6]).toBeCloseTo(s.totalAcc[0][0] as number, 6);
  });

  it('refuses mismatched sensors, NaN samples and windows outside the recording', () => {
    const { acc, gyro } = synthetic(300);
    expect(() => harSignals([acc[0], acc[1]] as never, gyro)).toThrow(/acc must be three axes/);
    expect(() => harSignals(acc, [gyro[0], gyro[1], gyro[2].subarray(1)])).toThrow(/gyro\[2\] must be 300 samples/);
    const bad = Float64Array.from(acc[0]);
    bad[7] = Number.NaN;
    expect(() => harSignals([bad, acc[1], acc[2]], gyro)).toThrow(/acc\[0\] must be finite numbers \(fill gaps first with fillGaps\), got "NaN at index 7"/);
    const s = harSignals(acc, gyro);
    expect(() => harFeatures(s, [{ start: 250, end: 378 }])).toThrow(/windows\[0\] must be at least 8 samples within the recording's 300/);
  });
});

const HAPT = join(import.meta.dirname, '../../../../shared/data/har/uci-hapt-raw');
describe.skipIf(!existsSync(HAPT))('UCI HAPT raw recordings', () => {
  it('names the features exactly as UCI HAR features.txt and cuts the published 10,929 windows', () => {
    const names = readFileSync(join(HAPT, '../uci-har-partial/features.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(' ')[1]);
    expect(HAR_FEATURE_NAMES).toEqual(names);
    const labels = readFileSync(join(HAPT, 'RawData/labels.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number, number, number]);
    const w = segmentWindows(labels.map(([, , label, start, end]) => ({ start: start - 1, end, label })));
    expect(w.length).toBe(10929);
    // One real recording end to end: finite features for every window.
    const read = (f: string) => {
      const rows = gunzipSync(readFileSync(join(HAPT, 'RawData', f)))
        .toString('utf8')
        .trim()
        .split('\n');
      const axes = [0, 1, 2].map(() => new Float64Array(rows.length));
      for (const [i, r] of rows.entries()) for (const [a, v] of r.split(' ').entries()) (axes[a] as Float64Array)[i] = Number(v);
      return axes as [Float64Array, Float64Array, Float64Array];
    };
    const s = harSignals(read('acc_exp01_user01.txt.gz'), read('gyro_exp01_user01.txt.gz'));
    const mine = segmentWindows(labels.filter((l) => l[0] === 1).map(([, , label, start, end]) => ({ start: start - 1, end, label })));
    const f = harFeatures(s, mine);
    expect(f.rows).toBe(mine.length);
    for (const v of f.data) expect(Number.isFinite(v)).toBe(true);
  });
});

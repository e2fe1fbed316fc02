import { checkInteger, checkNumber, checkOptions, rangeError, typeError } from '@aiffel/core';
import { butterworth } from './butterworth.js';
import { checkSignal, filtfilt } from './lfilter.js';
import { medianFilter } from './median-filter.js';

/** Three axes of one sensor, one array per axis, all the same length. */
export type Triaxial = readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
type Axes = [Float64Array, Float64Array, Float64Array];

/** The UCI HAR time-domain signals of one recording (continuous, before windowing). */
export interface HarSignals {
  fs: number;
  length: number;
  /** Accelerometer after the noise filters: gravity + body (UCI's total_acc). */
  totalAcc: Axes;
  bodyAcc: Axes;
  gravityAcc: Axes;
  bodyAccJerk: Axes;
  bodyGyro: Axes;
  bodyGyroJerk: Axes;
  bodyAccMag: Float64Array;
  gravityAccMag: Float64Array;
  bodyAccJerkMag: Float64Array;
  bodyGyroMag: Float64Array;
  bodyGyroJerkMag: Float64Array;
}

export interface HarSignalOptions {
  /** Sampling rate in Hz. Default 50. */
  fs?: number;
  /** Median filter kernel against impulse noise. Default 3. */
  medianKernel?: number;
  /** Noise low-pass cutoff in Hz. Default 20. */
  noiseCutoff?: number;
  /** Gravity / body separation cutoff in Hz. Default 0.3. */
  gravityCutoff?: number;
  /** Butterworth order of both filters. Default 3. */
  order?: number;
}

function checkAxes(name: string, v: unknown): Triaxial {
  if (!Array.isArray(v) || v.length !== 3) throw typeError(name, 'three axes [x, y, z], one array each', v);
  const n = (v[0] as ArrayLike<number>)?.length;
  v.forEach((axis, i) => {
    checkSignal(`${name}[${i}]`, axis);
    if ((axis as ArrayLike<number>).length !== n) throw rangeError(`${name}[${i}]`, `${n} samples (as ${name}[0])`, (axis as ArrayLike<number>).length);
  });
  return v as unknown as Triaxial;
}

const magnitude = (a: Axes): Float64Array => {
  const out = new Float64Array(a[0].length);
  for (let i = 0; i < out.length; i++) {
    const x = a[0][i] as number;
    const y = a[1][i] as number;
    const z = a[2][i] as number;
    out[i] = Math.sqrt(x * x + y * y + z * z);
  }
  return out;
};

/** Time derivative by first differences (units per second); the first sample repeats the second's. */
function jerk(x: Float64Array, fs: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let t = 1; t < x.length; t++) out[t] = ((x[t] as number) - (x[t - 1] as number)) * fs;
  if (x.length > 1) out[0] = out[1] as number;
  return out;
}

/**
 * The UCI HAR pre-processing of one recording: a median filter and a 20 Hz low-pass Butterworth
 * (zero-phase) on every axis against noise, the accelerometer split into gravity (0.3 Hz low-pass)
 * and body (the rest), jerks as time derivatives, and Euclidean magnitudes. Filtering the whole
 * recording before windowing, as upstream did, keeps filter edge effects out of the windows.
 */
export function harSignals(acc: Triaxial, gyro: Triaxial, options: HarSignalOptions = {}): HarSignals {
  checkOptions('harSignals options', options, ['fs', 'medianKernel', 'noiseCutoff', 'gravityCutoff', 'order']);
  checkAxes('acc', acc);
  checkAxes('gyro', gyro);
  if (gyro[0].length !== acc[0].length) throw rangeError('gyro', `${acc[0].length} samples per axis (as acc)`, gyro[0].length);
  const fs = checkNumber('fs', options.fs ?? 50, (v) => v > 0 && Number.isFinite(v), 'a positive sampling rate in Hz');
  const kernel = checkInteger('medianKernel', options.medianKernel ?? 3, 1);
  const order = checkInteger('order', options.order ?? 3, 1, 8);
  const noise = butterworth(order, options.noiseCutoff ?? 20, { fs });
  const gravityFilter = butterworth(order, options.gravityCutoff ?? 0.3, { fs });
  const n = acc[0].length;
  if (n <= 9 * order + 3) throw rangeError('acc', `more than ${9 * order + 3} samples to filter`, `${n} samples`);
  const clean = (x: ArrayLike<number>) => filtfilt(noise, medianFilter(x, kernel));
  const totalAcc = acc.map(clean) as Axes;
  const gravityAcc = totalAcc.map((x) => filtfilt(gravityFilter, x)) as Axes;
  const bodyAcc = totalAcc.map((x, a) => Float64Array.from(x, (v, i) => v - ((gravityAcc[a] as Float64Array)[i] as number))) as Axes;
  const bodyGyro = gyro.map(clean) as Axes;
  const bodyAccJerk = bodyAcc.map((x) => jerk(x, fs)) as Axes;
  const bodyGyroJerk = bodyGyro.map((x) => jerk(x, fs)) as Axes;
  return {
    fs,
    length: n,
    totalAcc,
    bodyAcc,
    gravityAcc,
    bodyAccJerk,
    bodyGyro,
    bodyGyroJerk,
    bodyAccMag: magnitude(bodyAcc),
    gravityAccMag: magnitude(gravityAcc),
    bodyAccJerkMag: magnitude(bodyAccJerk),
    bodyGyroMag: magnitude(bodyGyro),
    bodyGyroJerkMag: magnitude(bodyGyroJerk),
  };
}

/** UCI's "Inertial Signals" channel order: body_acc x y z, body_gyro x y z, total_acc x y z. */
export const INERTIAL_CHANNELS = [
  'body_acc_x',
  'body_acc_y',
  'body_acc_z',
  'body_gyro_x',
  'body_gyro_y',
  'body_gyro_z',
  'total_acc_x',
  'total_acc_y',
  'total_acc_z',
] as const;

/**
 * Raw windows for a sequence model: [windows, size, 9] float32, time-major within each window, in
 * INERTIAL_CHANNELS order.
 */
export function inertialWindows(
  signals: HarSignals,
  windows: readonly { start: number; end: number }[],
): { data: Float32Array; shape: [number, number, number] } {
  if (!Array.isArray(windows) || windows.length === 0) throw rangeError('windows', 'a non-empty array of { start, end }', windows);
  const size = (windows[0] as { start: number; end: number }).end - (windows[0] as { start: number; end: number }).start;
  const channels = [...signals.bodyAcc, ...signals.bodyGyro, ...signals.totalAcc];
  const C = channels.length;
  const data = new Float32Array(windows.length * size * C);
  windows.forEach((w, i) => {
    if (w.end - w.start !== size) throw rangeError(`windows[${i}]`, `${size} samples (as windows[0])`, w.end - w.start);
    if (w.start < 0 || w.end > signals.length) throw rangeError(`windows[${i}]`, `a window within the ${signals.length} samples`, w);
    for (let t = 0; t < size; t++) {
      const o = (i * size + t) * C;
      for (let c = 0; c < C; c++) data[o + c] = (channels[c] as Float64Array)[w.start + t] as number;
    }
  });
  return { data, shape: [windows.length, size, C] };
}

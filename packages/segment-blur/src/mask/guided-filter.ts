import { assertKnownOptions, assertPositiveInteger, assertPositiveNumber, type ImageArray, rangeError } from '@aiffel/runtime';
import { boxBlur } from '../filters/box-blur.js';
import type { Mask } from './mask.js';
import { resizeMask } from './resize.js';

export interface GuidedFilterOptions {
  /** Window radius in pixels of the full image. Default: 1% of the longer side, at least 2. */
  radius?: number;
  /** Regularisation: larger keeps the mask smoother, smaller follows photo edges more. Default 1e-3. */
  eps?: number;
  /** Work at 1/subsample resolution (He's fast guided filter). Default: radius / 4, at least 1. */
  subsample?: number;
}

/**
 * Edge-aware mask refinement (He, Sun, Tang, "Guided Image Filtering", with the fast subsampled
 * variant): locally the output is a linear function of the photo's brightness, so the mask edge
 * snaps to the photo's edges (hair, fingers) instead of the model's coarse 256-pixel outline.
 */
export function guidedFilter(mask: Mask, guide: ImageArray, options: GuidedFilterOptions = {}): Mask {
  assertKnownOptions('guidedFilter options', options, ['radius', 'eps', 'subsample']);
  const { width, height } = mask;
  if (guide.width !== width || guide.height !== height) throw rangeError('guide', `a ${width}x${height} image like the mask`, `${guide.width}x${guide.height}`);
  const radius = options.radius ?? Math.max(2, Math.round(0.01 * Math.max(width, height)));
  assertPositiveInteger('options.radius', radius);
  const eps = options.eps ?? 1e-3;
  assertPositiveNumber('options.eps', eps);
  const s = options.subsample ?? Math.max(1, Math.floor(radius / 4));
  assertPositiveInteger('options.subsample', s);

  const grey = greyOf(guide);
  const sw = Math.max(1, Math.round(width / s));
  const sh = Math.max(1, Math.round(height / s));
  const small = s === 1 ? grey : resizeMask(grey, sw, sh);
  const smallMask = s === 1 ? mask : resizeMask(mask, sw, sh);
  const r = Math.max(1, Math.round(radius / s));
  const n = sw * sh;
  // Means of I, p, I*I and I*p in one 4-channel box pass.
  const stats = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const I = small.data[i] as number;
    const p = smallMask.data[i] as number;
    stats[4 * i] = I;
    stats[4 * i + 1] = p;
    stats[4 * i + 2] = I * I;
    stats[4 * i + 3] = I * p;
  }
  const m = boxBlur({ data: stats, width: sw, height: sh, channels: 4 }, r).data;
  const ab = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const mI = m[4 * i] as number;
    const mp = m[4 * i + 1] as number;
    const varI = (m[4 * i + 2] as number) - mI * mI;
    const cov = (m[4 * i + 3] as number) - mI * mp;
    const a = cov / (varI + eps);
    ab[2 * i] = a;
    ab[2 * i + 1] = mp - a * mI;
  }
  const mab = boxBlur({ data: ab, width: sw, height: sh, channels: 2 }, r).data;
  const aSmall = new Float32Array(n);
  const bSmall = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    aSmall[i] = mab[2 * i] as number;
    bSmall[i] = mab[2 * i + 1] as number;
  }
  const A = s === 1 ? aSmall : resizeMask({ data: aSmall, width: sw, height: sh }, width, height).data;
  const B = s === 1 ? bSmall : resizeMask({ data: bSmall, width: sw, height: sh }, width, height).data;
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const q = (A[i] as number) * (grey.data[i] as number) + (B[i] as number);
    out[i] = q < 0 ? 0 : q > 1 ? 1 : q;
  }
  return { data: out, width, height };
}

/** Luma (BT.601) in 0..1 of an 8-bit grey, RGB or RGBA image. */
export function greyOf(img: ImageArray): Mask {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const c = img.channels;
  const d = img.data;
  if (c === 1) for (let i = 0; i < n; i++) out[i] = (d[i] as number) / 255;
  else for (let i = 0; i < n; i++) out[i] = (0.299 * (d[c * i] as number) + 0.587 * (d[c * i + 1] as number) + 0.114 * (d[c * i + 2] as number)) / 255;
  return { data: out, width: img.width, height: img.height };
}

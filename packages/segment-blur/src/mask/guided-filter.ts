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
  /**
   * 'colour' (default) regresses the mask on the photo's R, G and B together, so an edge between
   * two colours of equal brightness (dark hair on a dark wall of another hue) still guides it;
   * 'grey' uses brightness only (cheaper: one channel instead of three).
   */
  guide?: 'colour' | 'grey';
}

/**
 * Edge-aware mask refinement (He, Sun, Tang, "Guided Image Filtering", with the fast subsampled
 * variant): locally the output is a linear function of the photo's brightness, so the mask edge
 * snaps to the photo's edges (hair, fingers) instead of the model's coarse 256-pixel outline.
 */
export function guidedFilter(mask: Mask, guide: ImageArray, options: GuidedFilterOptions = {}): Mask {
  assertKnownOptions('guidedFilter options', options, ['radius', 'eps', 'subsample', 'guide']);
  const { width, height } = mask;
  if (guide.width !== width || guide.height !== height) throw rangeError('guide', `a ${width}x${height} image like the mask`, `${guide.width}x${guide.height}`);
  const radius = options.radius ?? Math.max(2, Math.round(0.01 * Math.max(width, height)));
  assertPositiveInteger('options.radius', radius);
  const eps = options.eps ?? 1e-3;
  assertPositiveNumber('options.eps', eps);
  const s = options.subsample ?? Math.max(1, Math.floor(radius / 4));
  assertPositiveInteger('options.subsample', s);
  const kind = options.guide ?? 'colour';
  if (kind !== 'colour' && kind !== 'grey') throw rangeError('options.guide', "'colour' or 'grey'", kind);
  if (kind === 'colour' && guide.channels >= 3) return colourGuidedFilter(mask, guide, radius, eps, s);

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

/** One channel of an 8-bit image in 0..1. */
function channelOf(img: ImageArray, k: number): Mask {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const c = img.channels;
  for (let i = 0; i < n; i++) out[i] = (img.data[c * i + k] as number) / 255;
  return { data: out, width: img.width, height: img.height };
}

/**
 * He et al.'s guided filter with a colour guide: in each window the mask is a linear function
 * a . (R, G, B) + b, with a from the 3x3 colour covariance (regularised by eps) times the
 * colour-mask covariance. The 13 window means come from four 4-channel box passes.
 */
function colourGuidedFilter(mask: Mask, guide: ImageArray, radius: number, eps: number, s: number): Mask {
  const { width, height } = mask;
  const sw = Math.max(1, Math.round(width / s));
  const sh = Math.max(1, Math.round(height / s));
  const full = [0, 1, 2].map((k) => channelOf(guide, k)) as [Mask, Mask, Mask];
  const [R, G, B] = full.map((ch) => (s === 1 ? ch.data : resizeMask(ch, sw, sh).data)) as [Float32Array, Float32Array, Float32Array];
  const P = s === 1 ? mask.data : resizeMask(mask, sw, sh).data;
  const r = Math.max(1, Math.round(radius / s));
  const n = sw * sh;
  const planes = [0, 1, 2, 3].map(() => new Float32Array(4 * n)) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const [p1, p2, p3, p4] = planes;
  for (let i = 0; i < n; i++) {
    const ir = R[i] as number;
    const ig = G[i] as number;
    const ib = B[i] as number;
    const p = P[i] as number;
    const o = 4 * i;
    p1.set([ir, ig, ib, p], o);
    p2.set([ir * p, ig * p, ib * p, ir * ir], o);
    p3.set([ir * ig, ir * ib, ig * ig, ig * ib], o);
    p4[o] = ib * ib;
  }
  const [m1, m2, m3, m4] = planes.map((data) => boxBlur({ data, width: sw, height: sh, channels: 4 }, r).data) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const ab = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const o = 4 * i;
    const mr = m1[o] as number;
    const mg = m1[o + 1] as number;
    const mb = m1[o + 2] as number;
    const mp = m1[o + 3] as number;
    // Covariance of the colour with the mask, and the colour's own covariance plus eps.
    const cr = (m2[o] as number) - mr * mp;
    const cg = (m2[o + 1] as number) - mg * mp;
    const cb = (m2[o + 2] as number) - mb * mp;
    const srr = (m2[o + 3] as number) - mr * mr + eps;
    const srg = (m3[o] as number) - mr * mg;
    const srb = (m3[o + 1] as number) - mr * mb;
    const sgg = (m3[o + 2] as number) - mg * mg + eps;
    const sgb = (m3[o + 3] as number) - mg * mb;
    const sbb = (m4[o] as number) - mb * mb + eps;
    // Symmetric 3x3 inverse by cofactors; eps keeps it positive definite.
    const i00 = sgg * sbb - sgb * sgb;
    const i01 = srb * sgb - srg * sbb;
    const i02 = srg * sgb - srb * sgg;
    const i11 = srr * sbb - srb * srb;
    const i12 = srb * srg - srr * sgb;
    const i22 = srr * sgg - srg * srg;
    const det = srr * i00 + srg * i01 + srb * i02;
    const ar = (i00 * cr + i01 * cg + i02 * cb) / det;
    const ag = (i01 * cr + i11 * cg + i12 * cb) / det;
    const abl = (i02 * cr + i12 * cg + i22 * cb) / det;
    ab.set([ar, ag, abl, mp - ar * mr - ag * mg - abl * mb], o);
  }
  const mab = boxBlur({ data: ab, width: sw, height: sh, channels: 4 }, r).data;
  const coef = [0, 1, 2, 3].map((k) => {
    const c = new Float32Array(n);
    for (let i = 0; i < n; i++) c[i] = mab[4 * i + k] as number;
    return s === 1 ? c : resizeMask({ data: c, width: sw, height: sh }, width, height).data;
  }) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const q =
      (coef[0][i] as number) * (full[0].data[i] as number) +
      (coef[1][i] as number) * (full[1].data[i] as number) +
      (coef[2][i] as number) * (full[2].data[i] as number) +
      (coef[3][i] as number);
    out[i] = q < 0 ? 0 : q > 1 ? 1 : q;
  }
  return { data: out, width, height };
}

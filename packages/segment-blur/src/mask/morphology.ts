import { assertRadius } from '../filters/radius.js';
import type { Mask } from './mask.js';

/**
 * Grey-level erosion / dilation with a (2r+1) square, separable into a row pass and a column pass,
 * each in O(1) per pixel (van Herk / Gil-Werman). Pixels outside the image are ignored, as with
 * OpenCV's default morphology border. Works on soft masks too (min / max filters).
 */
function extremeFilter(mask: Mask, r: number, max: boolean): Mask {
  const { width, height } = mask;
  const tmp = new Float32Array(mask.data.length);
  const out = new Float32Array(mask.data.length);
  const line = new LineFilter(Math.max(width, height), r, max);
  for (let y = 0; y < height; y++) line.run(mask.data, tmp, y * width, 1, width);
  for (let x = 0; x < width; x++) line.run(tmp, out, x, width, height);
  return { data: out, width, height };
}

class LineFilter {
  private readonly padded: Float32Array;
  private readonly g: Float32Array;
  private readonly h: Float32Array;
  constructor(
    n: number,
    private readonly r: number,
    private readonly max: boolean,
  ) {
    const k = 2 * r + 1;
    const len = Math.ceil((n + 2 * r) / k) * k;
    this.padded = new Float32Array(len);
    this.g = new Float32Array(len);
    this.h = new Float32Array(len);
  }

  run(src: Float32Array, dst: Float32Array, offset: number, step: number, n: number): void {
    const { padded, g, h, r, max } = this;
    const k = 2 * r + 1;
    const identity = max ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    const len = Math.ceil((n + 2 * r) / k) * k;
    padded.fill(identity, 0, len);
    for (let i = 0; i < n; i++) padded[i + r] = src[offset + i * step] as number;
    // g: running extreme from each block's start; h: from each block's end.
    for (let b = 0; b < len; b += k) {
      g[b] = padded[b] as number;
      for (let i = b + 1; i < b + k; i++) g[i] = max ? Math.max(g[i - 1] as number, padded[i] as number) : Math.min(g[i - 1] as number, padded[i] as number);
      h[b + k - 1] = padded[b + k - 1] as number;
      for (let i = b + k - 2; i >= b; i--) h[i] = max ? Math.max(h[i + 1] as number, padded[i] as number) : Math.min(h[i + 1] as number, padded[i] as number);
    }
    for (let i = 0; i < n; i++) {
      const a = h[i] as number;
      const c = g[i + 2 * r] as number;
      dst[offset + i * step] = max ? Math.max(a, c) : Math.min(a, c);
    }
  }
}

/** Shrinks the foreground by `radius` pixels (square element). */
export function erodeMask(mask: Mask, radius: number): Mask {
  assertRadius('radius', radius, mask);
  return radius === 0 ? mask : extremeFilter(mask, radius, false);
}

/** Grows the foreground by `radius` pixels (square element). */
export function dilateMask(mask: Mask, radius: number): Mask {
  assertRadius('radius', radius, mask);
  return radius === 0 ? mask : extremeFilter(mask, radius, true);
}

/** Erode then dilate: removes specks smaller than the element. */
export function openMask(mask: Mask, radius: number): Mask {
  return dilateMask(erodeMask(mask, radius), radius);
}

/** Dilate then erode: fills holes and gaps smaller than the element. */
export function closeMask(mask: Mask, radius: number): Mask {
  return erodeMask(dilateMask(mask, radius), radius);
}

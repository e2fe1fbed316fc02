import { assertPositiveInteger } from '@aiffel/runtime';
import type { Mask } from './mask.js';

/**
 * Bilinear resize with half-pixel centres and edge clamping: the same sampling as OpenCV's
 * INTER_LINEAR and tfjs's resizeBilinear(halfPixelCenters), so a mask lines up with the photo.
 */
export function resizeMask(mask: Mask, width: number, height: number): Mask {
  assertPositiveInteger('width', width);
  assertPositiveInteger('height', height);
  const { data: src, width: sw, height: sh } = mask;
  const out = new Float32Array(width * height);
  // Horizontal taps are the same for every row: compute them once.
  const x0 = new Int32Array(width);
  const x1 = new Int32Array(width);
  const fx = new Float32Array(width);
  const sx = sw / width;
  for (let x = 0; x < width; x++) {
    let p = (x + 0.5) * sx - 0.5;
    if (p < 0) p = 0;
    const i = Math.min(Math.floor(p), sw - 1);
    x0[x] = i;
    x1[x] = Math.min(i + 1, sw - 1);
    fx[x] = p - i;
  }
  const sy = sh / height;
  for (let y = 0; y < height; y++) {
    let p = (y + 0.5) * sy - 0.5;
    if (p < 0) p = 0;
    const j = Math.min(Math.floor(p), sh - 1);
    const fy = p - j;
    const r0 = j * sw;
    const r1 = Math.min(j + 1, sh - 1) * sw;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const a = x0[x] as number;
      const b = x1[x] as number;
      const f = fx[x] as number;
      const top = (src[r0 + a] as number) + f * ((src[r0 + b] as number) - (src[r0 + a] as number));
      const bottom = (src[r1 + a] as number) + f * ((src[r1 + b] as number) - (src[r1 + a] as number));
      out[o + x] = top + fy * (bottom - top);
    }
  }
  return { data: out, width, height };
}

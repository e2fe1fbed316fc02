import { gaussianBlur } from '../filters/gaussian-blur.js';
import { assertRadius } from '../filters/radius.js';
import type { Mask } from './mask.js';

/** Softens the mask's edge over about `radius` pixels (Gaussian, sigma = radius / 2). */
export function featherMask(mask: Mask, radius: number): Mask {
  assertRadius('radius', radius, mask);
  if (radius === 0) return mask;
  const out = gaussianBlur({ data: mask.data, width: mask.width, height: mask.height, channels: 1 }, radius / 2);
  // The running sums of the box passes drift by a few float32 ulps (1 + 6e-7 seen): clamp, so the
  // result is a valid mask for every effect.
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] = Math.min(1, Math.max(0, d[i] as number));
  return { data: d, width: mask.width, height: mask.height };
}

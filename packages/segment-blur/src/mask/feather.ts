import { gaussianBlur } from '../filters/gaussian-blur.js';
import { assertRadius } from '../filters/radius.js';
import type { Mask } from './mask.js';

/** Softens the mask's edge over about `radius` pixels (Gaussian, sigma = radius / 2). */
export function featherMask(mask: Mask, radius: number): Mask {
  assertRadius('radius', radius, mask);
  if (radius === 0) return mask;
  const out = gaussianBlur({ data: mask.data, width: mask.width, height: mask.height, channels: 1 }, radius / 2);
  return { data: out.data, width: mask.width, height: mask.height };
}

import type { ImageArray } from '@aiffel/runtime';
import type { Mask } from '../mask/mask.js';
import { assertSameSize, toRgb } from './rgb.js';

/** The person alone: RGBA with the mask as alpha (save as PNG or WebP to keep transparency). */
export function cutout(image: ImageArray, mask: Mask): ImageArray {
  assertSameSize(image, mask);
  const rgb = toRgb(image);
  const n = rgb.width * rgb.height;
  const out = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) {
    out[4 * i] = rgb.data[3 * i] as number;
    out[4 * i + 1] = rgb.data[3 * i + 1] as number;
    out[4 * i + 2] = rgb.data[3 * i + 2] as number;
    out[4 * i + 3] = Math.round((mask.data[i] as number) * 255);
  }
  return { data: out, width: rgb.width, height: rgb.height, channels: 4, shape: [rgb.height, rgb.width, 4] };
}

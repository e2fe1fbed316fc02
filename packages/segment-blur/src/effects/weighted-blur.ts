import type { ImageArray } from '@aiffel/runtime';
import { type BlurKind, blurPlanes } from '../filters/blur.js';
import type { Mask } from '../mask/mask.js';

/**
 * The background as it would look blurred with the person taken out: each background pixel is
 * weighted by (1 - mask), blurred together with its weight, and divided by the blurred weight
 * (normalised convolution). Person pixels contribute nothing, so no person colour bleeds into
 * the blurred background: the dark or bright halo of the naive pipeline cannot form. Where no
 * background pixel is within reach (deep inside the person) the pixel keeps its own colour; those pixels
 * are covered by the person when compositing anyway.
 *
 * @returns an RGB float image (0..255) of the image's size.
 */
export function maskWeightedBlur(rgb: ImageArray, mask: Mask, kind: BlurKind, radius: number): Float32Array {
  const n = rgb.width * rgb.height;
  const planes = new Float32Array(4 * n);
  const d = rgb.data;
  const m = mask.data;
  for (let i = 0; i < n; i++) {
    const w = 1 - (m[i] as number);
    planes[4 * i] = w * (d[3 * i] as number);
    planes[4 * i + 1] = w * (d[3 * i + 1] as number);
    planes[4 * i + 2] = w * (d[3 * i + 2] as number);
    planes[4 * i + 3] = w;
  }
  const blurred = blurPlanes({ data: planes, width: rgb.width, height: rgb.height, channels: 4 }, kind, radius).data;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const w = blurred[4 * i + 3] as number;
    if (w > 1e-4) {
      const inv = 1 / w;
      out[3 * i] = (blurred[4 * i] as number) * inv;
      out[3 * i + 1] = (blurred[4 * i + 1] as number) * inv;
      out[3 * i + 2] = (blurred[4 * i + 2] as number) * inv;
    } else {
      out[3 * i] = d[3 * i] as number;
      out[3 * i + 1] = d[3 * i + 1] as number;
      out[3 * i + 2] = d[3 * i + 2] as number;
    }
  }
  return out;
}

/** Plain blur of the whole RGB image (what the exercise does), as a float image. */
export function plainBlur(rgb: ImageArray, kind: BlurKind, radius: number): Float32Array {
  return blurPlanes({ data: Float32Array.from(rgb.data), width: rgb.width, height: rgb.height, channels: 3 }, kind, radius).data;
}

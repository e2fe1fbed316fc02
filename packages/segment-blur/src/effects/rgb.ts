import { type ImageArray, rangeError } from '@aiffel/runtime';
import type { Mask } from '../mask/mask.js';

/** The 3-channel view of an image: grey is expanded, alpha dropped (effects work on RGB). */
export function toRgb(img: ImageArray): ImageArray {
  if (img.channels === 3) return img;
  const n = img.width * img.height;
  const out = new Uint8Array(3 * n);
  const c = img.channels;
  for (let i = 0; i < n; i++) {
    const s = c * i;
    out[3 * i] = img.data[s] as number;
    out[3 * i + 1] = img.data[c === 1 ? s : s + 1] as number;
    out[3 * i + 2] = img.data[c === 1 ? s : s + 2] as number;
  }
  return { data: out, width: img.width, height: img.height, channels: 3, shape: [img.height, img.width, 3] };
}

export function rgbImage(data: Uint8Array, width: number, height: number): ImageArray {
  return { data, width, height, channels: 3, shape: [height, width, 3] };
}

/** Float rounding in a caller's own mask arithmetic (blurs, averages) is not an error. */
const MASK_TOLERANCE = 1e-5;

/**
 * Throws unless the mask covers the image pixel for pixel and every value is in 0..1, give or
 * take float rounding (a NaN or a 2 would otherwise come out as black or overflowed pixels,
 * silently).
 */
export function assertSameSize(image: ImageArray, mask: Mask): void {
  if (mask.width !== image.width || mask.height !== image.height)
    throw rangeError('mask', `a ${image.width}x${image.height} mask (the image's size; use resizeMask)`, `${mask.width}x${mask.height}`);
  const m = mask.data;
  for (let i = 0; i < m.length; i++) {
    const v = m[i] as number;
    if (!(v >= -MASK_TOLERANCE && v <= 1 + MASK_TOLERANCE)) throw rangeError(`mask.data[${i}]`, 'a value in 0..1', v);
  }
}

/**
 * Alpha-blends: out = m * fg + (1 - m) * bg per pixel, rounding to 8 bits. `bg` is an RGB float
 * image of the same size.
 */
export function composite(fg: ImageArray, bg: Float32Array, mask: Mask): ImageArray {
  const n = fg.width * fg.height;
  const out = new Uint8Array(3 * n);
  const f = fg.data;
  const m = mask.data;
  for (let i = 0; i < n; i++) {
    const a = m[i] as number;
    const b = 1 - a;
    const j = 3 * i;
    out[j] = a * (f[j] as number) + b * (bg[j] as number) + 0.5;
    out[j + 1] = a * (f[j + 1] as number) + b * (bg[j + 1] as number) + 0.5;
    out[j + 2] = a * (f[j + 2] as number) + b * (bg[j + 2] as number) + 0.5;
  }
  return rgbImage(out, fg.width, fg.height);
}

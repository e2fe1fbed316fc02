import { assertKnownOptions, assertNonNegativeInteger, type ImageArray, rangeError } from '@aiffel/runtime';
import { BLUR_KINDS, type BlurKind } from '../filters/blur.js';
import { assertRadius } from '../filters/radius.js';
import { pixelEngine } from '../filters/wasm-pixels.js';
import type { Mask } from '../mask/mask.js';
import { thresholdMask } from '../mask/threshold.js';
import { blurCompositeInHeap } from './heap-composite.js';
import { assertSameSize, composite, rgbImage, toRgb } from './rgb.js';
import { maskWeightedBlur, plainBlur } from './weighted-blur.js';

export interface BlurBackgroundOptions {
  /** 'box' (the exercise's), 'gaussian' (default) or 'disc' (lens-like bokeh). */
  mode?: BlurKind;
  /** Blur radius in pixels. Default: `strength` times the image's longer side. */
  radius?: number;
  /** Radius relative to the longer side, used when `radius` is not given. Default 0.015. */
  strength?: number;
  /**
   * 'weighted' (default) blurs the background with the person removed, so nothing of the person
   * bleeds into it; 'naive' blurs the whole photo as the exercise does (shows the halo).
   */
  background?: 'weighted' | 'naive';
}

/**
 * The blur options that need no image, so `portrait()` (and the CLI, on its flags) can check them
 * before a model is loaded. The radius's upper bound depends on the image: `resolveRadius`.
 */
export function checkBlurOptions(options: Pick<BlurBackgroundOptions, 'mode' | 'radius' | 'strength'>): void {
  const { mode, radius, strength } = options;
  if (mode !== undefined && !BLUR_KINDS.includes(mode)) throw rangeError('options.mode', `one of ${BLUR_KINDS.join(', ')}`, mode);
  if (radius !== undefined) assertNonNegativeInteger('options.radius', radius);
  if (strength !== undefined && !(typeof strength === 'number' && strength >= 0 && strength <= 0.5))
    throw rangeError('options.strength', 'a number in 0..0.5 (a fraction of the longer side)', strength);
}

function resolveRadius(image: { width: number; height: number }, radius: number | undefined, strength: number | undefined): number {
  if (radius !== undefined) {
    assertRadius('options.radius', radius, image);
    return radius;
  }
  return Math.round((strength ?? 0.015) * Math.max(image.width, image.height));
}

/**
 * Portrait mode: keeps the person (mask = 1) sharp and blurs the background, alpha-blending with
 * the soft mask. The mask must have the image's size.
 */
export function blurBackground(image: ImageArray, mask: Mask, options: BlurBackgroundOptions = {}): ImageArray {
  assertKnownOptions('blurBackground options', options, ['mode', 'radius', 'strength', 'background']);
  assertSameSize(image, mask);
  checkBlurOptions(options);
  const mode = options.mode ?? 'gaussian';
  const background = options.background ?? 'weighted';
  if (background !== 'weighted' && background !== 'naive') throw rangeError('options.background', "'weighted' or 'naive'", background);
  const radius = resolveRadius(image, options.radius, options.strength);
  const rgb = toRgb(image);
  const e = pixelEngine();
  const fast = e && blurCompositeInHeap(e, rgb, mask, mode, radius, background === 'weighted');
  if (fast) return fast;
  const bg = background === 'weighted' ? maskWeightedBlur(rgb, mask, mode, radius) : plainBlur(rgb, mode, radius);
  return composite(rgb, bg, mask);
}

/**
 * The common naive pipeline, kept for comparison (and as the OpenCV benchmark's workload):
 * threshold the mask at 0.5, blur the whole photo with a (2r+1) box (13x13 by default), and paste
 * the sharp photo where the mask is set. The person's colours are blurred into the background next
 * to them: that is the halo. `exercisePortrait` is the variant the exercise's code runs.
 */
export function naivePortrait(image: ImageArray, mask: Mask, radius = 6): ImageArray {
  assertSameSize(image, mask);
  assertRadius('radius', radius, image);
  const rgb = toRgb(image);
  const e = pixelEngine();
  const fast = e && blurCompositeInHeap(e, rgb, mask, 'box', radius, false, 0.5);
  if (fast) return fast;
  return composite(rgb, plainBlur(rgb, 'box', radius), thresholdMask(mask));
}

/**
 * The exercise's code as its author ran it: the thresholded mask inverted (`cv2.bitwise_not`)
 * blacks the person out of a copy of the photo (`cv2.bitwise_and`), that copy is blurred with a
 * (2r+1) box (`cv2.blur(img, (13, 13))`), and the sharp photo is pasted where the mask is set
 * (`np.where`). The blacked-out person is blurred into the background next to them: a dark shadow
 * around the person, which is what the exercise's author saw.
 */
export function exercisePortrait(image: ImageArray, mask: Mask, radius = 6): ImageArray {
  assertSameSize(image, mask);
  assertRadius('radius', radius, image);
  const rgb = toRgb(image);
  const hard = thresholdMask(mask);
  const blackedOut = new Uint8Array(rgb.data.length);
  for (let p = 0; p < hard.data.length; p++)
    if (hard.data[p] === 0) {
      blackedOut[3 * p] = rgb.data[3 * p] as number;
      blackedOut[3 * p + 1] = rgb.data[3 * p + 1] as number;
      blackedOut[3 * p + 2] = rgb.data[3 * p + 2] as number;
    }
  return composite(rgb, plainBlur(rgbImage(blackedOut, rgb.width, rgb.height), 'box', radius), hard);
}

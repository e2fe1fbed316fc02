import { rangeError } from '@aiffel/runtime';
import { boxBlur, type Planes } from './box-blur.js';
import { discBlur } from './disc-blur.js';
import { gaussianBlur } from './gaussian-blur.js';

/** `'box'` is the exercise's blur (cv2.blur), `'gaussian'` a soft camera blur, `'disc'` lens-like bokeh. */
export type BlurKind = 'box' | 'gaussian' | 'disc';

export const BLUR_KINDS: readonly BlurKind[] = ['box', 'gaussian', 'disc'];

/**
 * Blurs with the chosen kernel at a "radius" in pixels: the box's half-size (a 13x13 box is
 * radius 6), the disc's radius, and for a Gaussian sigma = radius / 2 (so the visible extent is
 * comparable across kinds).
 */
export function blurPlanes(img: Planes, kind: BlurKind, radius: number): Planes {
  switch (kind) {
    case 'box':
      return boxBlur(img, radius);
    case 'gaussian':
      return radius === 0 ? img : gaussianBlur(img, radius / 2);
    case 'disc':
      return discBlur(img, radius);
    default:
      throw rangeError('mode', `one of ${BLUR_KINDS.join(', ')}`, kind);
  }
}

import { type Rng, rangeError } from '@aiffel/runtime';
import type { Affine } from '../image/warp.js';
import { squareTransform } from '../image/warp.js';
import type { ChipGeometry } from './chip.js';

/** Random changes applied to a face chip to make more training examples of it. */
export interface AugmentOptions {
  /** Augmented copies per face (the plain chip is always included as well). Default 4. */
  copies?: number;
  /** Maximum rotation in degrees, either way. Default 10. */
  rotation?: number;
  /** Mirror half the copies. Default true. */
  flip?: boolean;
  /** Maximum relative brightness change, either way (0.2: x0.8 .. x1.2). Default 0.2. */
  brightness?: number;
  /** Maximum horizontal shear (x += shear * y), either way. Default 0.1. */
  shear?: number;
  /** Seed of the random changes. Default 0. */
  seed?: number;
}

export function resolveAugment(o: AugmentOptions): Required<AugmentOptions> {
  const r = { copies: 4, rotation: 10, flip: true, brightness: 0.2, shear: 0.1, seed: 0, ...o };
  if (!Number.isInteger(r.copies) || r.copies < 0 || r.copies > 100) throw rangeError('augment.copies', 'an integer in 0..100', r.copies);
  if (!(r.rotation >= 0 && r.rotation <= 45)) throw rangeError('augment.rotation', 'a number of degrees in 0..45', r.rotation);
  if (typeof r.flip !== 'boolean') throw rangeError('augment.flip', 'a boolean', r.flip);
  if (!(r.brightness >= 0 && r.brightness < 1)) throw rangeError('augment.brightness', 'a number in [0, 1)', r.brightness);
  if (!(r.shear >= 0 && r.shear <= 0.5)) throw rangeError('augment.shear', 'a number in 0..0.5', r.shear);
  if (!Number.isInteger(r.seed)) throw rangeError('augment.seed', 'an integer', r.seed);
  return r;
}

/** One random augmentation: the chip's sampling transform and a brightness factor. */
export function augmentTransform(g: ChipGeometry, size: number, o: Required<AugmentOptions>, rng: Rng): { t: Affine; gain: number } {
  const rot = (rng.uniform(-1, 1) * o.rotation * Math.PI) / 180;
  const mirror = o.flip && rng.random() < 0.5;
  const base = squareTransform(g.cx, g.cy, g.side, g.angle + rot, size, mirror);
  // Shear the output grid about its centre: u' = u + k (v - h).
  const k = rng.uniform(-1, 1) * o.shear;
  const h = (size - 1) / 2;
  const t = { a: base.a, b: base.b + base.a * k, c: base.c - base.a * k * h, d: base.d, e: base.e + base.d * k, f: base.f - base.d * k * h };
  return { t, gain: 1 + rng.uniform(-1, 1) * o.brightness };
}

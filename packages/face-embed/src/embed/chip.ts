import type { Rng } from '@aiffel/runtime';
import { eyeAndMouthCentres, type Point } from '../detect/face.js';
import type { Affine } from '../image/warp.js';
import { squareTransform } from '../image/warp.js';

/**
 * Where the face chip lies in the image: a square around the landmarks, turned by the face's
 * roll so the eyes are level (face-api.js crops an upright box and so leaves tilted heads
 * tilted; dlib levels them).
 */
export interface ChipGeometry {
  cx: number;
  cy: number;
  side: number;
  angle: number;
}

/** Padding around the landmarks' bounding box, as a share of its size (face-api.js uses 0.2). */
export const CHIP_PADDING = 0.2;

export function chipGeometry(landmarks: Point[], align: 'roll' | 'upright'): ChipGeometry {
  const { left, right } = eyeAndMouthCentres(landmarks);
  const angle = align === 'roll' ? Math.atan2(right.y - left.y, right.x - left.x) : 0;
  // Landmark extent in the face's own frame (rotated back by the roll about the eye midpoint).
  const ox = (left.x + right.x) / 2;
  const oy = (left.y + right.y) / 2;
  const cos = Math.cos(-angle);
  const sin = Math.sin(-angle);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of landmarks) {
    const x = cos * (p.x - ox) - sin * (p.y - oy);
    const y = sin * (p.x - ox) + cos * (p.y - oy);
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const side = Math.max(x1 - x0, y1 - y0) * (1 + CHIP_PADDING);
  const mx = (x0 + x1) / 2;
  const my = (y0 + y1) / 2;
  // Back to image coordinates.
  return { cx: ox + Math.cos(angle) * mx - Math.sin(angle) * my, cy: oy + Math.sin(angle) * mx + Math.cos(angle) * my, side, angle };
}

/** The chip's sampling transform; `jitter` perturbs it like dlib's jitter_image. */
export function chipTransform(g: ChipGeometry, size: number, jitter?: Rng): Affine {
  if (jitter === undefined) return squareTransform(g.cx, g.cy, g.side, g.angle, size);
  // dlib: random rotation within ±3 degrees, scale within ±5%, shift within ±2% of the side, and a mirror half the time.
  const rot = (jitter.uniform(-1, 1) * 3 * Math.PI) / 180;
  const scale = 1 + jitter.uniform(-1, 1) * 0.05;
  const dx = jitter.uniform(-1, 1) * 0.02 * g.side;
  const dy = jitter.uniform(-1, 1) * 0.02 * g.side;
  const mirror = jitter.random() < 0.5;
  return squareTransform(g.cx + dx, g.cy + dy, g.side * scale, g.angle + rot, size, mirror);
}

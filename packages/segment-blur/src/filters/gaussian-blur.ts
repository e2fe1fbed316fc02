import { boxBlur, type Planes } from './box-blur.js';
import { blurPlanesInHeap } from './heap-blur.js';
import { assertPlanes, assertSigma } from './radius.js';
import { pixelEngine } from './wasm-pixels.js';

/**
 * Box sizes whose three successive passes approximate a Gaussian of standard deviation `sigma`
 * (Kovesi, "Fast almost-Gaussian filtering", 2010). Three passes are within a few percent of the
 * true kernel and cost O(1) per pixel, where a direct kernel costs O(sigma).
 */
export function gaussianBoxRadii(sigma: number, passes = 3): number[] {
  const ideal = Math.sqrt((12 * sigma * sigma) / passes + 1);
  let lower = Math.floor(ideal);
  if (lower % 2 === 0) lower--;
  const upper = lower + 2;
  const m = Math.round((12 * sigma * sigma - passes * lower * lower - 4 * passes * lower - 3 * passes) / (-4 * lower - 4));
  const radii: number[] = [];
  for (let i = 0; i < passes; i++) radii.push(((i < m ? lower : upper) - 1) / 2);
  return radii;
}

/** Gaussian blur (three box passes) of an interleaved float image, reflect-101 borders. */
export function gaussianBlur(img: Planes, sigma: number): Planes {
  assertPlanes('img', img);
  assertSigma('sigma', sigma, img);
  const e = pixelEngine();
  const fast = e && blurPlanesInHeap(e, img, 'gaussian', 2 * sigma);
  if (fast) return fast;
  let out = img;
  for (const r of gaussianBoxRadii(sigma)) out = boxBlur(out, r);
  return out;
}

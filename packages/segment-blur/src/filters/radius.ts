import { assertNonNegativeInteger, assertPositiveNumber, rangeError } from '@aiffel/runtime';

/**
 * The largest radius (or sigma) for an image: twice its longer side, and at least 256. A window
 * that size already covers the whole image in every direction; a radius of 1e9 would only
 * allocate and loop for minutes, so it is refused instead.
 */
export function radiusLimit(size: { width: number; height: number }): number {
  return Math.max(256, 2 * Math.max(size.width, size.height));
}

/** A blur or morphology radius: a non-negative integer up to radiusLimit. */
export function assertRadius(name: string, radius: number, size: { width: number; height: number }): void {
  assertNonNegativeInteger(name, radius);
  const max = radiusLimit(size);
  if (radius > max) throw rangeError(name, `at most ${max} (twice the image's longer side, at least 256)`, radius);
}

/** A Gaussian sigma: positive, up to radiusLimit. */
export function assertSigma(name: string, sigma: number, size: { width: number; height: number }): void {
  assertPositiveNumber(name, sigma);
  const max = radiusLimit(size);
  if (sigma > max) throw rangeError(name, `at most ${max} (twice the image's longer side, at least 256)`, sigma);
}

import { assertIntegerInRange, assertNonNegativeInteger, assertPositiveNumber, rangeError, typeError } from '@aiffel/runtime';

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

/**
 * The planes a filter reads: channels 0 used to pass and return an empty image, a data length
 * that disagrees with the size reads past the end.
 */
export function assertPlanes(name: string, img: { data: unknown; width: number; height: number; channels: number }): void {
  if (img === null || typeof img !== 'object') throw typeError(name, 'planes { data: Float32Array, width, height, channels }', img);
  if (!(img.data instanceof Float32Array)) throw typeError(`${name}.data`, 'a Float32Array', img.data);
  assertIntegerInRange(`${name}.width`, img.width, 1, 1 << 20);
  assertIntegerInRange(`${name}.height`, img.height, 1, 1 << 20);
  assertIntegerInRange(`${name}.channels`, img.channels, 1, 4);
  const n = img.width * img.height * img.channels;
  if (img.data.length !== n) throw rangeError(`${name}.data.length`, `${n} (${img.width}x${img.height}x${img.channels})`, img.data.length);
}

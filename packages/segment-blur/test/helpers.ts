import type { ImageArray } from '@aiffel/runtime';
import type { Mask } from '../src/index.js';

/** A w x h RGB image filled by `f(x, y) -> [r, g, b]`. */
export function makeImage(width: number, height: number, f: (x: number, y: number) => [number, number, number]): ImageArray {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = f(x, y);
      const i = 3 * (y * width + x);
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
    }
  return { data, width, height, channels: 3, shape: [height, width, 3] };
}

export function makeMask(width: number, height: number, f: (x: number, y: number) => number): Mask {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { data, width, height };
}

/** The synthetic scene of the halo test: a bright square person on a dark background. */
export function brightSquareScene(size = 64, lo = 16, hi = 48) {
  const inside = (x: number, y: number) => x >= lo && x < hi && y >= lo && y < hi;
  return {
    image: makeImage(size, size, (x, y) => (inside(x, y) ? [250, 250, 250] : [10, 20, 30])),
    mask: makeMask(size, size, (x, y) => (inside(x, y) ? 1 : 0)),
    inside,
  };
}

export const sharedData = new URL('../../../../shared/data/', import.meta.url).pathname;

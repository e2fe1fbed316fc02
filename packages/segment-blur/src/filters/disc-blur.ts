import { reflect101 } from './border.js';
import type { Planes } from './box-blur.js';
import { blurPlanesInHeap } from './heap-blur.js';
import { assertPlanes, assertRadius } from './radius.js';
import { pixelEngine } from './wasm-pixels.js';

/**
 * Lens-like bokeh: the mean over a disc of `radius` pixels. A disc is a stack of horizontal runs,
 * so with per-row prefix sums each output costs 2 * radius + 1 lookups instead of radius^2.
 */
export function discBlur(img: Planes, radius: number): Planes {
  assertPlanes('img', img);
  assertRadius('radius', radius, img);
  const e = img.channels === 4 ? pixelEngine() : null;
  const fast = e && blurPlanesInHeap(e, img, 'disc', radius);
  if (fast) return fast;
  const { data, width, height, channels: c } = img;
  const r = radius;
  const stride = (width + 2 * r + 1) * c;
  // prefix[y][x + r + 1] = sum of columns -r .. x of row y (reflected); prefix[y][0] = 0.
  const prefix = new Float32Array(height * stride);
  for (let y = 0; y < height; y++) {
    const row = y * width * c;
    const p = y * stride;
    for (let i = 0; i < width + 2 * r; i++) {
      const s = row + reflect101(i - r, width) * c;
      for (let k = 0; k < c; k++) prefix[p + (i + 1) * c + k] = (prefix[p + i * c + k] as number) + (data[s + k] as number);
    }
  }
  const { halfWidths, count } = discHalfWidths(r);
  const scale = 1 / count;
  const out = new Float32Array(data.length);
  const acc = new Float64Array(width * c);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    for (let dy = -r; dy <= r; dy++) {
      const w = halfWidths[dy + r] as number;
      const p = reflect101(y + dy, height) * stride;
      // Columns x - w .. x + w sit at prefix positions x - w + r .. x + w + r + 1.
      const hi = p + (r + w + 1) * c;
      const lo = p + (r - w) * c;
      for (let i = 0; i < width * c; i++) acc[i] = (acc[i] as number) + (prefix[hi + i] as number) - (prefix[lo + i] as number);
    }
    const o = y * width * c;
    for (let i = 0; i < width * c; i++) out[o + i] = (acc[i] as number) * scale;
  }
  return { data: out, width, height, channels: c };
}

/** The disc's half-width on each row offset -r .. r, and the number of pixels it covers. */
export function discHalfWidths(r: number): { halfWidths: Int32Array; count: number } {
  const halfWidths = new Int32Array(2 * r + 1);
  let count = 0;
  for (let dy = -r; dy <= r; dy++) {
    const w = Math.floor(Math.sqrt(r * r - dy * dy) + 1e-9);
    halfWidths[dy + r] = w;
    count += 2 * w + 1;
  }
  return { halfWidths, count };
}

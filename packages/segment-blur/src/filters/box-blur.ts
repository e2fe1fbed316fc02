import { reflect101 } from './border.js';
import { blurPlanesInHeap } from './heap-blur.js';
import { assertPlanes, assertRadius } from './radius.js';
import { pixelEngine } from './wasm-pixels.js';

/** An interleaved float image: `channels` values per pixel, row-major. */
export interface Planes {
  data: Float32Array;
  width: number;
  height: number;
  channels: number;
}

/**
 * Mean over a (2rx+1) x (2ry+1) window with reflect-101 borders (cv2.blur's behaviour), in
 * O(1) per value whatever the radius: a running sum along each row, then a running sum of whole
 * rows down the image (row-at-a-time, so the vertical pass streams through memory).
 */
export function boxBlur(img: Planes, rx: number, ry = rx): Planes {
  assertPlanes('img', img);
  assertRadius('radius x', rx, img);
  assertRadius('radius y', ry, img);
  const e = pixelEngine();
  const fast = e && blurPlanesInHeap(e, img, 'box', rx, ry);
  if (fast) return fast;
  const tmp = horizontalBoxSum(img, rx);
  return verticalBoxMean(tmp, img.width, img.height, img.channels, ry, 1 / ((2 * rx + 1) * (2 * ry + 1)));
}

function horizontalBoxSum(img: Planes, r: number): Float32Array {
  const { data, width, height, channels: c } = img;
  const out = new Float32Array(data.length);
  const rowLen = width * c;
  // Source column for each position of the sliding window, borders reflected once up front.
  const col = new Int32Array(width + 2 * r + 1);
  for (let i = 0; i < col.length; i++) col[i] = reflect101(i - r, width) * c;
  // One pass per channel with a scalar accumulator: V8 keeps it in a register, where a
  // per-pixel loop over an accumulator array costs ~3x.
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < height; y++) {
      const row = y * rowLen + k;
      let acc = 0;
      for (let i = 0; i < 2 * r + 1; i++) acc += data[row + (col[i] as number)] as number;
      // Interior positions read their neighbours directly; only the edges need the table.
      const lo = Math.min(width, r);
      const hi = Math.max(lo, width - r - 1);
      for (let x = 0; x < lo; x++) {
        out[row + x * c] = acc;
        acc += (data[row + (col[x + 2 * r + 1] as number)] as number) - (data[row + (col[x] as number)] as number);
      }
      const ahead = (r + 1) * c;
      const behind = r * c;
      for (let x = lo, p = row + lo * c; x < hi; x++, p += c) {
        out[p] = acc;
        acc += (data[p + ahead] as number) - (data[p - behind] as number);
      }
      for (let x = hi; x < width; x++) {
        out[row + x * c] = acc;
        acc += (data[row + (col[x + 2 * r + 1] as number)] as number) - (data[row + (col[x] as number)] as number);
      }
    }
  }
  return out;
}

function verticalBoxMean(src: Float32Array, width: number, height: number, c: number, r: number, scale: number): Planes {
  const rowLen = width * c;
  const out = new Float32Array(src.length);
  const acc = new Float64Array(rowLen);
  for (let i = -r; i <= r; i++) {
    const s = reflect101(i, height) * rowLen;
    for (let k = 0; k < rowLen; k++) acc[k] = (acc[k] as number) + (src[s + k] as number);
  }
  for (let y = 0; y < height; y++) {
    const o = y * rowLen;
    for (let k = 0; k < rowLen; k++) out[o + k] = (acc[k] as number) * scale;
    if (y + 1 === height) break;
    const add = reflect101(y + r + 1, height) * rowLen;
    const sub = reflect101(y - r, height) * rowLen;
    for (let k = 0; k < rowLen; k++) acc[k] = (acc[k] as number) + (src[add + k] as number) - (src[sub + k] as number);
  }
  return { data: out, width, height, channels: c };
}

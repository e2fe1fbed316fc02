import { assertNonNegativeInteger } from '@aiffel/runtime';
import { reflect101 } from './border.js';

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
  assertNonNegativeInteger('radius x', rx);
  assertNonNegativeInteger('radius y', ry);
  const tmp = horizontalBoxSum(img, rx);
  return verticalBoxMean(tmp, img.width, img.height, img.channels, ry, 1 / ((2 * rx + 1) * (2 * ry + 1)));
}

function horizontalBoxSum(img: Planes, r: number): Float32Array {
  const { data, width, height, channels: c } = img;
  const out = new Float32Array(data.length);
  const acc = new Float64Array(c);
  const rowLen = width * c;
  // Source column for each position of the sliding window, borders reflected once up front.
  const col = new Int32Array(width + 2 * r + 1);
  for (let i = 0; i < col.length; i++) col[i] = reflect101(i - r, width) * c;
  for (let y = 0; y < height; y++) {
    const row = y * rowLen;
    acc.fill(0);
    for (let i = 0; i < 2 * r + 1; i++) {
      const s = row + (col[i] as number);
      for (let k = 0; k < c; k++) acc[k] = (acc[k] as number) + (data[s + k] as number);
    }
    for (let x = 0; x < width; x++) {
      const o = row + x * c;
      for (let k = 0; k < c; k++) out[o + k] = acc[k] as number;
      const add = row + (col[x + 2 * r + 1] as number);
      const sub = row + (col[x] as number);
      if (x + 1 < width) for (let k = 0; k < c; k++) acc[k] = (acc[k] as number) + (data[add + k] as number) - (data[sub + k] as number);
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

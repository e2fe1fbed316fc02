import { assertPositiveInteger } from '@aiffel/runtime';
import { copyOut, layout, type PixelEngine, pixelEngine, releaseIfLarge } from '../filters/wasm-pixels.js';
import type { Mask } from './mask.js';

/**
 * Bilinear resize with half-pixel centres and edge clamping: the same sampling as OpenCV's
 * INTER_LINEAR and tfjs's resizeBilinear(halfPixelCenters), so a mask lines up with the photo.
 */
export function resizeMask(mask: Mask, width: number, height: number): Mask {
  assertPositiveInteger('width', width);
  assertPositiveInteger('height', height);
  const { data: src, width: sw, height: sh } = mask;
  const e = pixelEngine();
  const fast = e && resizeInHeap(e, mask, width, height);
  if (fast) return fast;
  const out = new Float32Array(width * height);
  const { x0, x1, fx } = horizontalTaps(sw, width);
  const sy = sh / height;
  for (let y = 0; y < height; y++) {
    let p = (y + 0.5) * sy - 0.5;
    if (p < 0) p = 0;
    const j = Math.min(Math.floor(p), sh - 1);
    const fy = p - j;
    const r0 = j * sw;
    const r1 = Math.min(j + 1, sh - 1) * sw;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const a = x0[x] as number;
      const b = x1[x] as number;
      const f = fx[x] as number;
      const top = (src[r0 + a] as number) + f * ((src[r0 + b] as number) - (src[r0 + a] as number));
      const bottom = (src[r1 + a] as number) + f * ((src[r1 + b] as number) - (src[r1 + a] as number));
      out[o + x] = top + fy * (bottom - top);
    }
  }
  return { data: out, width, height };
}

/** The same resize in wasm: each output row blends two source rows once, then takes two taps per pixel; large masks on two threads. */
function resizeInHeap(e: PixelEngine, mask: Mask, width: number, height: number): Mask | null {
  const { data: src, width: sw, height: sh } = mask;
  const { x0, x1, fx } = horizontalTaps(sw, width);
  const placed = layout(e, [4 * sw * sh, 4 * width * height, 4 * width, 4 * width, 4 * width, 4 * sw, 4 * sw]);
  if (!placed) return null;
  const [srcAt, dstAt, x0At, x1At, fxAt, tmp0, tmp1] = placed.offsets as [number, number, number, number, number, number, number];
  const buf = e.memory.buffer;
  new Float32Array(buf, srcAt, sw * sh).set(src);
  new Int32Array(buf, x0At, width).set(x0);
  new Int32Array(buf, x1At, width).set(x1);
  new Float32Array(buf, fxAt, width).set(fx);
  e.rows('resize', height, width * height, (y0, y1, t) => [srcAt, sw, sh, dstAt, width, height, x0At, x1At, fxAt, t ? tmp1 : tmp0, y0, y1]);
  const data = copyOut(e, Float32Array, dstAt, width * height);
  releaseIfLarge(e);
  return { data, width, height };
}

/** Each output column's left and right source column and the right one's weight: the same for every row, so computed once. */
function horizontalTaps(sw: number, width: number): { x0: Int32Array; x1: Int32Array; fx: Float32Array } {
  const x0 = new Int32Array(width);
  const x1 = new Int32Array(width);
  const fx = new Float32Array(width);
  const sx = sw / width;
  for (let x = 0; x < width; x++) {
    let p = (x + 0.5) * sx - 0.5;
    if (p < 0) p = 0;
    const i = Math.min(Math.floor(p), sw - 1);
    x0[x] = i;
    x1[x] = Math.min(i + 1, sw - 1);
    fx[x] = p - i;
  }
  return { x0, x1, fx };
}

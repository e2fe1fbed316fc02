import type { ImageArray } from '@aiffel/runtime';
import type { BlurKind } from '../filters/blur.js';
import { gaussianBoxRadii } from '../filters/gaussian-blur.js';
import { blurInHeap, boxPass, type FusedEnds } from '../filters/heap-blur.js';
import { copyOut, layout, type PixelEngine, releaseIfLarge } from '../filters/wasm-pixels.js';
import type { Mask } from '../mask/mask.js';
import { rgbImage } from './rgb.js';

/**
 * Blur-and-composite in one trip through wasm memory, the same result as blurring with
 * maskWeightedBlur / plainBlur and then compositing: pack (R*w, G*w, B*w, w) per pixel, blur all
 * four channels as one SIMD vector, divide by the blurred weight and alpha-blend into bytes;
 * large images on two threads. Box and Gaussian blurs fuse the packing into their first pass
 * and the compositing into their last, so a box blur never writes a full-size float image.
 *
 * `weighted` false blurs the whole photo (w = 1, the exercise's background); `level` >= 0
 * composites with the mask thresholded at that level, as the exercise does. Null when the image
 * does not fit in wasm memory (the caller falls back to TypeScript).
 */
export function blurCompositeInHeap(
  e: PixelEngine,
  rgb: ImageArray,
  mask: Mask,
  kind: BlurKind,
  radius: number,
  weighted: boolean,
  level = -1,
): ImageArray | null {
  const { width, height } = rgb;
  const n = width * height;
  const passes = kind === 'box' ? [radius] : kind === 'gaussian' && radius > 0 ? gaussianBoxRadii(radius / 2) : [];
  const fused = passes.length > 0 && passes.every((r) => r > 0);
  // Full-size float images: none for a fused box blur, two otherwise.
  const planeBytes = fused && passes.length === 1 ? 0 : 16 * n;
  const placed = layout(e, [3 * n, 4 * n, 3 * n, planeBytes, planeBytes]);
  if (!placed) return null;
  const [rgbAt, maskAt, outAt, planesAt, scratchAt] = placed.offsets as [number, number, number, number, number];
  new Uint8Array(e.memory.buffer, rgbAt, 3 * n).set(rgb.data);
  new Float32Array(e.memory.buffer, maskAt, n).set(mask.data);
  const ends: FusedEnds = { inRgb: rgbAt, inMask: weighted ? maskAt : 0, outBytes: outAt, cRgb: rgbAt, cMask: maskAt, level };
  let ok = true;
  if (fused) {
    let at = planesAt;
    let other = scratchAt;
    passes.forEach((r, i) => {
      const first = i === 0;
      const last = i === passes.length - 1;
      const step = { ...(first && { inRgb: ends.inRgb, inMask: ends.inMask }), ...(last && { outBytes: outAt, cRgb: rgbAt, cMask: maskAt, level }) };
      ok &&= boxPass(e, { at, width, height, channels: 4 }, other, placed.end, r, r, step) !== null;
      [at, other] = [other, at];
    });
  } else {
    byPixels(e, n, (from, to) => [rgbAt + 3 * from, weighted ? maskAt + 4 * from : 0, to - from, planesAt + 16 * from], 'packWeighted');
    const blurred = blurInHeap(e, { at: planesAt, width, height, channels: 4 }, scratchAt, placed.end, kind, radius);
    ok = blurred !== null;
    if (blurred !== null)
      byPixels(e, n, (from, to) => [rgbAt + 3 * from, maskAt + 4 * from, blurred + 16 * from, to - from, level, outAt + 3 * from], 'composite');
  }
  const out = ok ? copyOut(e, Uint8Array, outAt, 3 * n) : null;
  releaseIfLarge(e);
  return out && rgbImage(out, width, height);
}

/** Runs a per-pixel kernel over pixels 0 .. n, split in two halves over two threads when large. */
function byPixels(e: PixelEngine, n: number, args: (from: number, to: number) => number[], name: 'packWeighted' | 'composite'): void {
  if (e.parallel(n)) {
    const mid = (n >> 1) & ~3;
    e.both(name, args(0, mid), args(mid, n));
  } else {
    (e.k[name] as (...a: number[]) => void)(...args(0, n));
  }
}

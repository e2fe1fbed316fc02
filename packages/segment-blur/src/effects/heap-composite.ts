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
  let ok = true;
  if (fused) {
    let at = planesAt;
    let other = scratchAt;
    for (const [i, r] of passes.entries()) {
      // The first pass packs rows from the photo and mask; the last composites into bytes.
      const step: Partial<FusedEnds> = {
        ...(i === 0 && { inRgb: rgbAt, inMask: weighted ? maskAt : 0 }),
        ...(i === passes.length - 1 && { outBytes: outAt, cRgb: rgbAt, cMask: maskAt, level }),
      };
      if (boxPass(e, { at, width, height, channels: 4 }, other, placed.end, r, r, step) === null) {
        ok = false;
        break;
      }
      [at, other] = [other, at];
    }
  } else {
    e.pixels('packWeighted', n, (from, to) => [rgbAt + 3 * from, weighted ? maskAt + 4 * from : 0, to - from, planesAt + 16 * from]);
    const blurred = blurInHeap(e, { at: planesAt, width, height, channels: 4 }, scratchAt, placed.end, kind, radius);
    ok = blurred !== null;
    if (blurred !== null)
      e.pixels('composite', n, (from, to) => [rgbAt + 3 * from, maskAt + 4 * from, blurred + 16 * from, to - from, level, outAt + 3 * from]);
  }
  const out = ok ? copyOut(e, Uint8Array, outAt, 3 * n) : null;
  releaseIfLarge(e);
  return out && rgbImage(out, width, height);
}

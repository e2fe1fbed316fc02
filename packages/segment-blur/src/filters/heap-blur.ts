import type { BlurKind } from './blur.js';
import type { Planes } from './box-blur.js';
import { discHalfWidths } from './disc-blur.js';
import { gaussianBoxRadii } from './gaussian-blur.js';
import { copyOut, layout, type PixelEngine, putInt32, reflectTable, releaseIfLarge } from './wasm-pixels.js';

/** An image of `channels` floats per pixel held in wasm memory at byte offset `at`. */
export interface HeapImage {
  at: number;
  width: number;
  height: number;
  channels: number;
}

/**
 * Blurs an image in wasm memory, with `scratch` (same size) for the other half of each pass and
 * memory from `free` on for tables. The same filters as the TypeScript ones: box (O(1) running
 * sums), Gaussian (three boxes) and disc (row prefix sums; four channels only). Null when the
 * tables do not fit (the caller falls back to TypeScript).
 *
 * @returns the byte offset holding the result: `img.at` or `scratch`.
 */
export function blurInHeap(e: PixelEngine, img: HeapImage, scratch: number, free: number, kind: BlurKind, radius: number): number | null {
  if (radius === 0) return img.at;
  if (kind === 'box') return boxPass(e, img, scratch, free, radius, radius);
  if (kind === 'disc') return discPass(e, img, scratch, free, radius) ? scratch : null;
  let at = img.at;
  let other = scratch;
  for (const r of gaussianBoxRadii(radius / 2)) {
    const result = boxPass(e, { ...img, at }, other, free, r, r);
    if (result === null) return null;
    if (result === other) [at, other] = [other, at];
  }
  return at;
}

/**
 * Where a fused box pass reads from and writes to instead of full float images (see boxBlur4 in
 * assembly/pixels.ts): `inRgb` packs rows from RGB bytes and `inMask` (0: weight 1); `outBytes`
 * composites each output row with `cRgb`, `cMask` and `level` into RGB bytes.
 */
export interface FusedEnds {
  inRgb: number;
  inMask: number;
  outBytes: number;
  cRgb: number;
  cMask: number;
  level: number;
}

/**
 * One box blur of the image at `img.at`, using `scratch`. Four channels go through the one-sweep
 * kernel into `scratch` (or through `ends`), in two row bands on two threads for large images;
 * other channel counts take a row pass into `scratch` and a column pass back, on this thread.
 *
 * @returns the byte offset holding the result, or null when the tables do not fit.
 */
export function boxPass(e: PixelEngine, img: HeapImage, scratch: number, free: number, rx: number, ry: number, ends?: Partial<FusedEnds>): number | null {
  const { width, height, channels: c } = img;
  if (rx === 0 && ry === 0 && !ends) return img.at;
  const col = reflectTable(width, rx, c);
  const rows = reflectTable(height, ry, 1);
  const scale = 1 / ((2 * rx + 1) * (2 * ry + 1));
  const rowBytes = width * c * 4;
  const ring = c === 4 ? (2 * ry + 1) * rowBytes : 0;
  const rowIn = ends?.inRgb ? rowBytes : 0;
  const rowOut = ends?.outBytes ? rowBytes : 0;
  // acc, ring and the row buffers once per thread.
  const placed = layout(e, [col.byteLength, rows.byteLength, rowBytes, rowBytes, ring, ring, rowIn, rowIn, rowOut, rowOut], free);
  if (!placed) return null;
  const [colAt, rowsAt, acc0, acc1, ring0, ring1, in0, in1, out0, out1] = placed.offsets as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  putInt32(e, colAt, col);
  putInt32(e, rowsAt, rows);
  if (c === 4) {
    const f = { inRgb: 0, inMask: 0, outBytes: 0, cRgb: 0, cMask: 0, level: -1, ...ends };
    e.rows('boxBlur4', height, width * height, (y0, y1, t) => [
      img.at,
      f.outBytes ? (t ? out1 : out0) : scratch,
      width,
      rx,
      ry,
      scale,
      colAt,
      rowsAt,
      t ? ring1 : ring0,
      t ? acc1 : acc0,
      y0,
      y1,
      f.inRgb,
      f.inMask,
      t ? in1 : in0,
      f.outBytes,
      f.cRgb,
      f.cMask,
      f.level,
    ]);
    return scratch;
  }
  e.k.boxRows(img.at, scratch, width, height, c, rx, colAt);
  e.k.boxColumns(scratch, img.at, width * c, height, ry, scale, rowsAt, acc0);
  return img.at;
}

/** A disc blur from the image into scratch: row prefix sums, then the disc sums (each split by rows). */
function discPass(e: PixelEngine, img: HeapImage, scratch: number, free: number, r: number): boolean {
  const { width, height, channels } = img;
  if (channels !== 4) throw new Error(`internal: the wasm disc blur takes 4 channels, got ${channels}`);
  const { halfWidths, count } = discHalfWidths(r);
  const col = reflectTable(width, r, 4);
  const rows = reflectTable(height, r, 1);
  const prefixBytes = height * (width + 2 * r + 1) * 16;
  const placed = layout(e, [col.byteLength, rows.byteLength, halfWidths.byteLength, prefixBytes], free);
  if (!placed) return false;
  const [colAt, rowsAt, halfAt, prefixAt] = placed.offsets as [number, number, number, number];
  putInt32(e, colAt, col);
  putInt32(e, rowsAt, rows);
  putInt32(e, halfAt, halfWidths);
  const n = width * height;
  e.rows('discPrefix4', height, n, (y0, y1) => [img.at, prefixAt, width, r, colAt, y0, y1]);
  e.rows('discRows4', height, n, (y0, y1) => [prefixAt, scratch, width, r, 1 / count, rowsAt, halfAt, y0, y1]);
  return true;
}

/**
 * Blurs a float image in wasm memory (copied in and out): what the exported filters run when
 * the kernels load. Null when it does not fit (the caller falls back to TypeScript).
 */
export function blurPlanesInHeap(e: PixelEngine, img: Planes, kind: BlurKind, radius: number, ry = radius): Planes | null {
  const { width, height, channels } = img;
  const bytes = img.data.length * 4;
  const placed = layout(e, [bytes, bytes]);
  if (!placed) return null;
  const [at, scratch] = placed.offsets as [number, number];
  new Float32Array(e.memory.buffer, at, img.data.length).set(img.data);
  const heapImg = { at, width, height, channels };
  const result = kind === 'box' ? boxPass(e, heapImg, scratch, placed.end, radius, ry) : blurInHeap(e, heapImg, scratch, placed.end, kind, radius);
  const data = result === null ? null : copyOut(e, Float32Array, result, img.data.length);
  releaseIfLarge(e);
  return data && { data, width, height, channels };
}

import type { FloatArray } from '../core/matrix.js';
import { dotEngine, padded, stageRows } from '../wasm/dot-engine.js';

export interface GramArgs {
  x: FloatArray;
  mean: Float64Array;
  d: number;
  /** Per slot: the upper triangle of sum over rows of (x - mean)(x - mean)^T, d x d. */
  gram: Float64Array;
  /** 1: each 64-row block's product by the wasm SIMD kernel in float32 (float32 input only), summed in float64. */
  simd: number;
}

const BLOCK = 64;

/**
 * Partial scatter matrix of rows [start, end), centred on the fly. Rows are taken 64 at a time and
 * transposed into a feature-major block, so each entry (p, q) of the upper triangle is a dot
 * product of two contiguous 64-long vectors, computed for a 2 x 2 tile of entries at once: one
 * load per multiply-add and one accumulator update per 64 rows.
 */
export function gramRows(a: GramArgs, start: number, end: number, slot: number): void {
  const { x, mean, d } = a;
  const g = a.gram;
  const base = slot * d * d;
  g.fill(0, base, base + d * d);
  const e = a.simd ? dotEngine() : null;
  if (e) {
    const tp = e.slot('gram-block', d * BLOCK);
    const op = e.slot('gram-out', d * d);
    const t = e.view(tp, d * BLOCK);
    for (let i0 = start; i0 < end; i0 += BLOCK) {
      const m = Math.min(BLOCK, end - i0);
      if (m < BLOCK) t.fill(0);
      for (let r = 0; r < m; r++) {
        const xo = (i0 + r) * d;
        for (let j = 0; j < d; j++) t[j * BLOCK + r] = (x[xo + j] as number) - (mean[j] as number);
      }
      e.dots(tp, d, tp, d, BLOCK, op);
      const prod = e.view(op, d * d);
      for (let p = 0; p < d; p++) for (let q = p; q < d; q++) g[base + p * d + q] = (g[base + p * d + q] as number) + (prod[p * d + q] as number);
    }
    return;
  }
  const block = new Float64Array(d * BLOCK);
  for (let i0 = start; i0 < end; i0 += BLOCK) {
    const m = Math.min(BLOCK, end - i0);
    if (m < BLOCK) block.fill(0);
    for (let r = 0; r < m; r++) {
      const xo = (i0 + r) * d;
      for (let j = 0; j < d; j++) block[j * BLOCK + r] = (x[xo + j] as number) - (mean[j] as number);
    }
    for (let p = 0; p < d; p += 2) {
      const p1 = p + 1 < d ? p + 1 : p;
      const bp0 = p * BLOCK;
      const bp1 = p1 * BLOCK;
      for (let q = p; q < d; q += 2) {
        const q1 = q + 1 < d ? q + 1 : q;
        const bq0 = q * BLOCK;
        const bq1 = q1 * BLOCK;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let r = 0; r < BLOCK; r++) {
          const u0 = block[bp0 + r] as number;
          const u1 = block[bp1 + r] as number;
          const v0 = block[bq0 + r] as number;
          const v1 = block[bq1 + r] as number;
          s00 += u0 * v0;
          s01 += u0 * v1;
          s10 += u1 * v0;
          s11 += u1 * v1;
        }
        // Tiles on the diagonal or past the last odd column write a few entries twice: guard them.
        g[base + p * d + q] = (g[base + p * d + q] as number) + s00;
        if (q1 !== q) g[base + p * d + q1] = (g[base + p * d + q1] as number) + s01;
        if (p1 !== p && q >= p1) g[base + p1 * d + q] = (g[base + p1 * d + q] as number) + s10;
        if (p1 !== p && q1 !== q) g[base + p1 * d + q1] = (g[base + p1 * d + q1] as number) + s11;
      }
    }
  }
}

export interface ProjectArgs {
  x: FloatArray;
  mean: Float64Array;
  d: number;
  /** d x l right factor; output y is n x l. */
  w: Float64Array;
  l: number;
  y: Float64Array;
  simd: number;
  dataId: number;
}

/** y[rows] = (x[rows] - mean) w, computed as x w - mean w. */
export function projectRows(a: ProjectArgs, start: number, end: number): void {
  const { x, mean, d, w, l, y } = a;
  const shift = new Float64Array(l);
  for (let j = 0; j < d; j++) for (let c = 0; c < l; c++) shift[c] = (shift[c] as number) + (mean[j] as number) * (w[j * l + c] as number);
  const e = a.simd ? dotEngine() : null;
  if (e) {
    const d4 = padded(d);
    const xp = stageRows(e, 'x', `${a.dataId}:${start}:${end}`, x, d, start, end);
    const wp = e.slot('w', l * d4);
    const wt = e.view(wp, l * d4);
    wt.fill(0);
    for (let j = 0; j < d; j++) for (let c = 0; c < l; c++) wt[c * d4 + j] = w[j * l + c] as number;
    const op = e.slot('out', (end - start) * l);
    e.dots(xp, end - start, wp, l, d4, op);
    const out = e.view(op, (end - start) * l);
    for (let i = start; i < end; i++) for (let c = 0; c < l; c++) y[i * l + c] = (out[(i - start) * l + c] as number) - (shift[c] as number);
    return;
  }
  const acc = new Float64Array(l);
  for (let i = start; i < end; i++) {
    acc.fill(0);
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j] as number;
      const wo = j * l;
      for (let c = 0; c < l; c++) acc[c] = (acc[c] as number) + v * (w[wo + c] as number);
    }
    for (let c = 0; c < l; c++) y[i * l + c] = (acc[c] as number) - (shift[c] as number);
  }
}

export interface TransposeProductArgs {
  x: FloatArray;
  mean: Float64Array;
  d: number;
  /** n x l left operand; per slot output d x l = (x - mean)^T y over the slot's rows. */
  y: Float64Array;
  l: number;
  out: Float64Array;
  simd: number;
}

/** Partial (x - mean)^T y over rows [start, end); SIMD path: 64-row blocks transposed, one kernel call each. */
export function transposeProductRows(a: TransposeProductArgs, start: number, end: number, slot: number): void {
  const { x, mean, d, y, l } = a;
  const out = a.out;
  const base = slot * d * l;
  out.fill(0, base, base + d * l);
  const e = a.simd ? dotEngine() : null;
  if (e) {
    const tp = e.slot('tp-x', d * BLOCK);
    const yp = e.slot('tp-y', l * BLOCK);
    const op = e.slot('tp-out', d * l);
    const t = e.view(tp, d * BLOCK);
    const yt = e.view(yp, l * BLOCK);
    for (let i0 = start; i0 < end; i0 += BLOCK) {
      const m = Math.min(BLOCK, end - i0);
      if (m < BLOCK) {
        t.fill(0);
        yt.fill(0);
      }
      for (let r = 0; r < m; r++) {
        const xo = (i0 + r) * d;
        for (let j = 0; j < d; j++) t[j * BLOCK + r] = (x[xo + j] as number) - (mean[j] as number);
        for (let c = 0; c < l; c++) yt[c * BLOCK + r] = y[(i0 + r) * l + c] as number;
      }
      e.dots(tp, d, yp, l, BLOCK, op);
      const prod = e.view(op, d * l);
      for (let i = 0; i < d * l; i++) out[base + i] = (out[base + i] as number) + (prod[i] as number);
    }
    return;
  }
  for (let i = start; i < end; i++) {
    const yo = i * l;
    for (let j = 0; j < d; j++) {
      const v = (x[i * d + j] as number) - (mean[j] as number);
      const o = base + j * l;
      for (let c = 0; c < l; c++) out[o + c] = (out[o + c] as number) + v * (y[yo + c] as number);
    }
  }
}

import type { FloatArray } from '../core/matrix.js';

export interface GramArgs {
  x: FloatArray;
  mean: Float64Array;
  d: number;
  /** Per slot: the upper triangle of sum over rows of (x - mean)(x - mean)^T, d x d. */
  gram: Float64Array;
}

/**
 * Partial scatter matrix of rows [start, end), centred on the fly. Four rows per pass over the
 * triangle, so each accumulator is loaded and stored once per four rank-1 updates.
 */
export function gramRows(a: GramArgs, start: number, end: number, slot: number): void {
  const { x, mean, d } = a;
  const g = a.gram;
  const base = slot * d * d;
  g.fill(0, base, base + d * d);
  const r0 = new Float64Array(d);
  const r1 = new Float64Array(d);
  const r2 = new Float64Array(d);
  const r3 = new Float64Array(d);
  const rows = [r0, r1, r2, r3];
  for (let i = start; i < end; i += 4) {
    const nr = Math.min(4, end - i);
    for (let q = 0; q < 4; q++) {
      const r = rows[q] as Float64Array;
      if (q < nr) for (let j = 0; j < d; j++) r[j] = (x[(i + q) * d + j] as number) - (mean[j] as number);
      else r.fill(0);
    }
    for (let p = 0; p < d; p++) {
      const a0 = r0[p] as number;
      const a1 = r1[p] as number;
      const a2 = r2[p] as number;
      const a3 = r3[p] as number;
      const o = base + p * d;
      for (let q = p; q < d; q++) {
        g[o + q] = (g[o + q] as number) + a0 * (r0[q] as number) + a1 * (r1[q] as number) + a2 * (r2[q] as number) + a3 * (r3[q] as number);
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
}

/** y[rows] = (x[rows] - mean) w. */
export function projectRows(a: ProjectArgs, start: number, end: number): void {
  const { x, mean, d, w, l, y } = a;
  const acc = new Float64Array(l);
  for (let i = start; i < end; i++) {
    acc.fill(0);
    for (let j = 0; j < d; j++) {
      const v = (x[i * d + j] as number) - (mean[j] as number);
      const wo = j * l;
      for (let c = 0; c < l; c++) acc[c] = (acc[c] as number) + v * (w[wo + c] as number);
    }
    y.set(acc, i * l);
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
}

/** Partial (x - mean)^T y over rows [start, end). */
export function transposeProductRows(a: TransposeProductArgs, start: number, end: number, slot: number): void {
  const { x, mean, d, y, l } = a;
  const out = a.out;
  const base = slot * d * l;
  out.fill(0, base, base + d * l);
  for (let i = start; i < end; i++) {
    const yo = i * l;
    for (let j = 0; j < d; j++) {
      const v = (x[i * d + j] as number) - (mean[j] as number);
      const o = base + j * l;
      for (let c = 0; c < l; c++) out[o + c] = (out[o + c] as number) + v * (y[yo + c] as number);
    }
  }
}

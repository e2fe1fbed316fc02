import { cgEngine } from './wasm/cg-engine.js';

/** Dense helpers for the f x f systems of ALS (f = factors, small): float64 throughout. */

export interface GramArgs {
  factors: Float32Array;
  f: number;
  /** Per slot: the upper triangle of the partial F^T F, f x f. */
  out: Float64Array;
  /** 1: by the wasm SIMD kernel (float64 accumulators). */
  simd?: number;
}

/** Partial F^T F over rows [start, end) into slot `slot` of out (upper triangle). */
export function gramRows(a: GramArgs, start: number, end: number, slot: number): void {
  const { factors, f } = a;
  const base = slot * f * f;
  const g = a.out;
  g.fill(0, base, base + f * f);
  const e = a.simd ? cgEngine() : null;
  if (e) {
    const f4 = (f + 3) & ~3;
    const rows = end - start;
    const pRows = e.slot('gram-rows', rows * f4 * 4);
    const pOut = e.slot('gram-out', f4 * f4 * 8);
    const dst = e.f32(pRows, rows * f4);
    if (f === f4) dst.set(factors.subarray(start * f, end * f));
    else for (let r = 0; r < rows; r++) for (let k = 0; k < f4; k++) dst[r * f4 + k] = k < f ? (factors[(start + r) * f + k] as number) : 0;
    e.f64(pOut, f4 * f4).fill(0);
    e.exports.gram(pRows, rows, f4, pOut);
    const out = e.f64(pOut, f4 * f4);
    for (let p = 0; p < f; p++) for (let q = p; q < f; q++) g[base + p * f + q] = out[p * f4 + q] as number;
    return;
  }
  const row = new Float64Array(f);
  for (let i = start; i < end; i++) {
    for (let p = 0; p < f; p++) row[p] = factors[i * f + p] as number;
    for (let p = 0; p < f; p++) {
      const vp = row[p] as number;
      if (vp === 0) continue;
      const o = base + p * f;
      for (let q = p; q < f; q++) g[o + q] = (g[o + q] as number) + vp * (row[q] as number);
    }
  }
}

/** G = F^T F + reg I for the n x f row-major factors F (float32), as float64 f x f. */
export function gramPlusRidge(factors: Float32Array, n: number, f: number, reg: number, partials?: Float64Array, slots = 1): Float64Array {
  let g: Float64Array;
  if (partials) {
    g = new Float64Array(f * f);
    for (let s = 0; s < slots; s++) for (let t = 0; t < f * f; t++) g[t] = (g[t] as number) + (partials[s * f * f + t] as number);
  } else {
    g = new Float64Array(f * f);
    gramRows({ factors, f, out: g }, 0, n, 0);
  }
  for (let a = 0; a < f; a++) {
    g[a * f + a] = (g[a * f + a] as number) + reg;
    for (let b = a + 1; b < f; b++) g[b * f + a] = g[a * f + b] as number;
  }
  return g;
}

/**
 * Solves A x = b in place (b becomes x) for symmetric positive definite A (f x f, destroyed: its
 * lower triangle becomes the Cholesky factor). Returns false when A is not positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, f: number): boolean {
  for (let j = 0; j < f; j++) {
    let d = a[j * f + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * f + k] as number) ** 2;
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    a[j * f + j] = l;
    for (let i = j + 1; i < f; i++) {
      let s = a[i * f + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * f + k] as number) * (a[j * f + k] as number);
      a[i * f + j] = s / l;
    }
  }
  for (let i = 0; i < f; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (a[i * f + k] as number) * (b[k] as number);
    b[i] = s / (a[i * f + i] as number);
  }
  for (let i = f - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < f; k++) s -= (a[k * f + i] as number) * (b[k] as number);
    b[i] = s / (a[i * f + i] as number);
  }
  return true;
}

/** Dot product of row i of a (f-wide) with a float64 vector. */
export function rowDot(a: Float32Array, i: number, v: Float64Array, f: number): number {
  const o = i * f;
  let s = 0;
  for (let k = 0; k < f; k++) s += (a[o + k] as number) * (v[k] as number);
  return s;
}

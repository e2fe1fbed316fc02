import { choleskySolve, rowDot } from './linalg.js';
import { type CgEngine, cgEngine } from './wasm/cg-engine.js';

/**
 * One half-step of implicit-feedback ALS (Hu, Koren and Volinsky 2008): for every row u of the
 * interaction matrix (users, or items on the transposed matrix), the factor x_u minimising
 *   sum_i c_ui (p_ui - x_u . y_i)^2 + reg |x_u|^2,   c_ui = 1 + alpha r_ui, p_ui = [r_ui > 0],
 * over all columns i, given the other side's factors Y. With G = Y^T Y + reg I the normal
 * equations are (G + sum_{i in I_u} (c_ui - 1) y_i y_i^T) x_u = sum_{i in I_u} c_ui y_i, which
 * touch only u's non-zeros.
 */
export interface HalfStep {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
  alpha: number;
  /** The fixed side (m x f) and G = Y^T Y + reg I (f x f, float64). */
  other: Float32Array;
  gram: Float64Array;
  /** The side being solved (n x f), updated in place. */
  factors: Float32Array;
  f: number;
  cgSteps: number;
  /**
   * 1: run cgRows in the wasm SIMD kernel (float32). `block` ('users' or 'items') names the wasm
   * slots this side's rows are staged in, `fit` tells one fit's matrix from another's, so a new fit
   * reuses the slots instead of growing wasm memory.
   */
  simd?: number;
  block?: string;
  fit?: number;
}

/**
 * Conjugate gradient from the current x_u, `cgSteps` iterations (Takacs, Pilaszy and Tikk 2011;
 * implicit's fast solver): each step costs O(|I_u| f + f^2) instead of Cholesky's O(|I_u| f^2 + f^3).
 */
export function cgRows(s: HalfStep, start: number, end: number): void {
  const e = s.simd ? cgEngine() : null;
  if (e) {
    cgRowsSimd(e, s, start, end);
    return;
  }
  const { indptr, indices, data, alpha, other, gram, factors, f, cgSteps } = s;
  const x = new Float64Array(f);
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const ap = new Float64Array(f);
  for (let u = start; u < end; u++) {
    const o = u * f;
    for (let k = 0; k < f; k++) x[k] = factors[o + k] as number;
    // r = b - A x
    matVec(gram, x, r, f);
    for (let k = 0; k < f; k++) r[k] = -(r[k] as number);
    const s0 = indptr[u] as number;
    const s1 = indptr[u + 1] as number;
    for (let t = s0; t < s1; t++) {
      const i = indices[t] as number;
      const cm1 = alpha * (data[t] as number);
      const w = 1 + cm1 - cm1 * rowDot(other, i, x, f);
      axpyRow(other, i, w, r, f);
    }
    p.set(r);
    let rsold = dot(r, r, f);
    if (rsold < 1e-20) continue;
    for (let step = 0; step < cgSteps; step++) {
      matVec(gram, p, ap, f);
      for (let t = s0; t < s1; t++) {
        const i = indices[t] as number;
        const w = alpha * (data[t] as number) * rowDot(other, i, p, f);
        axpyRow(other, i, w, ap, f);
      }
      const a = rsold / dot(p, ap, f);
      for (let k = 0; k < f; k++) {
        x[k] = (x[k] as number) + a * (p[k] as number);
        r[k] = (r[k] as number) - a * (ap[k] as number);
      }
      const rsnew = dot(r, r, f);
      if (rsnew < 1e-20) break;
      const beta = rsnew / rsold;
      for (let k = 0; k < f; k++) p[k] = (r[k] as number) + beta * (p[k] as number);
      rsold = rsnew;
    }
    for (let k = 0; k < f; k++) factors[o + k] = x[k] as number;
  }
}

/** The exact least-squares solution for each row (Cholesky of the f x f system). */
export function choleskyRows(s: HalfStep, start: number, end: number): void {
  const { f, factors } = s;
  const a = new Float64Array(f * f);
  const b = new Float64Array(f);
  for (let u = start; u < end; u++) {
    exactSystem(s, u, a, b);
    if (!choleskySolve(a, b, f)) throw new RangeError(`the system of row ${u} is not positive definite; use regularization > 0`);
    for (let k = 0; k < f; k++) factors[u * f + k] = b[k] as number;
  }
}

/** A = G + sum (c - 1) y y^T and b = sum c y for row u (what explain and fold-in need too). */
export function exactSystem(
  s: Pick<HalfStep, 'indptr' | 'indices' | 'data' | 'alpha' | 'other' | 'gram' | 'f'>,
  u: number,
  a: Float64Array,
  b: Float64Array,
): void {
  const { indptr, indices, data, alpha, other, gram, f } = s;
  a.set(gram);
  b.fill(0);
  for (let t = indptr[u] as number; t < (indptr[u + 1] as number); t++) {
    const i = indices[t] as number;
    const cm1 = alpha * (data[t] as number);
    const o = i * f;
    for (let p = 0; p < f; p++) {
      const yp = other[o + p] as number;
      b[p] = (b[p] as number) + (1 + cm1) * yp;
      const w = cm1 * yp;
      for (let q = 0; q < f; q++) a[p * f + q] = (a[p * f + q] as number) + w * (other[o + q] as number);
    }
  }
}

function matVec(m: Float64Array, v: Float64Array, out: Float64Array, f: number): void {
  for (let p = 0; p < f; p++) {
    let s = 0;
    const o = p * f;
    for (let q = 0; q < f; q++) s += (m[o + q] as number) * (v[q] as number);
    out[p] = s;
  }
}

function dot(a: Float64Array, b: Float64Array, f: number): number {
  let s = 0;
  for (let k = 0; k < f; k++) s += (a[k] as number) * (b[k] as number);
  return s;
}

function axpyRow(m: Float32Array, i: number, w: number, out: Float64Array, f: number): void {
  const o = i * f;
  for (let k = 0; k < f; k++) out[k] = (out[k] as number) + w * (m[o + k] as number);
}

/** Rows padded to a multiple of 4 floats. */
function padded(f: number): number {
  return (f + 3) & ~3;
}

/** Copies rows of an f-wide float32 matrix into an f4-wide slot (zero padding). */
function stagePadded(dst: Float32Array, src: Float32Array, rowStart: number, rowEnd: number, f: number, f4: number): void {
  if (f === f4) {
    dst.set(src.subarray(rowStart * f, rowEnd * f));
    return;
  }
  for (let r = rowStart; r < rowEnd; r++) {
    const o = (r - rowStart) * f4;
    for (let k = 0; k < f; k++) dst[o + k] = src[r * f + k] as number;
    for (let k = f; k < f4; k++) dst[o + k] = 0;
  }
}

/** cgRows in the SIMD kernel: stage this thread's block (once per fit), the other side and the Gram matrix, run, copy back. */
function cgRowsSimd(e: CgEngine, s: HalfStep, start: number, end: number): void {
  const { indptr, indices, data, other, gram, factors, f } = s;
  const f4 = padded(f);
  const rows = end - start;
  const nnzStart = indptr[start] as number;
  const nnz = (indptr[end] as number) - nnzStart;
  const block = `${s.fit}:${start}:${end}`;
  const pIndptr = e.slot(`${s.block}-indptr`, (rows + 1) * 4);
  const pIndices = e.slot(`${s.block}-indices`, nnz * 4);
  const pData = e.slot(`${s.block}-data`, nnz * 4);
  const nOther = other.length / f;
  const pOther = e.slot('other', nOther * f4 * 4);
  const pGram = e.slot('gram', f4 * f4 * 4);
  const pFactors = e.slot('factors', rows * f4 * 4);
  const pScratch = e.slot('scratch', 4 * f4 * 4);
  if (e.tags.get(`${s.block}-csr`) !== block) {
    const ip = e.i32(pIndptr, rows + 1);
    for (let r = 0; r <= rows; r++) ip[r] = (indptr[start + r] as number) - nnzStart;
    e.i32(pIndices, nnz).set(indices.subarray(nnzStart, nnzStart + nnz));
    e.f32(pData, nnz).set(data.subarray(nnzStart, nnzStart + nnz));
    e.tags.set(`${s.block}-csr`, block);
  }
  stagePadded(e.f32(pOther, nOther * f4), other, 0, nOther, f, f4);
  const g = e.f32(pGram, f4 * f4);
  g.fill(0);
  for (let p = 0; p < f; p++) for (let q = 0; q < f; q++) g[p * f4 + q] = gram[p * f + q] as number;
  stagePadded(e.f32(pFactors, rows * f4), factors, start, end, f, f4);
  e.exports.cgRows(pIndptr, pIndices, pData, rows, pOther, pGram, pFactors, f4, s.alpha, s.cgSteps, pScratch);
  const out = e.f32(pFactors, rows * f4);
  for (let r = 0; r < rows; r++) for (let k = 0; k < f; k++) factors[(start + r) * f + k] = out[r * f4 + k] as number;
}

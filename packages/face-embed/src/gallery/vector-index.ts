import { createScanKernel, type ScanKernel } from './scan-kernel.js';
import { TopK } from './top-k.js';

/** `'l2'`: Euclidean distance (face_recognition's). `'cosine'`: 1 - cosine similarity. */
export type Metric = 'l2' | 'cosine';

export interface Neighbour {
  /** Row of the index. */
  index: number;
  distance: number;
}

/** The query side's int16 range; kept low enough that no int32 lane can overflow for this d. */
function queryRange(dim: number): number {
  return Math.max(1, Math.min(32767, Math.floor(2 ** 31 / ((dim / 4) * 127 * 1.01))));
}

/**
 * An exact k-nearest-neighbour index over float32 vectors.
 *
 * Every row is also stored as int8 codes (a quarter of the bytes). A search scans the codes with a
 * WebAssembly SIMD kernel, and for each row turns the approximate dot product into a guaranteed
 * interval for the true distance (the quantisation errors of query and row are bounded with
 * Cauchy-Schwarz from norms stored at insert time). Only rows whose lower bound beats the k-th
 * best upper bound are re-ranked with exact float64 arithmetic on the float32 vectors, so the
 * result equals a brute-force scan, ties broken by row.
 */
export class VectorIndex {
  private data: Float32Array;
  /** Per row: squared norm, norm, norm of the decoded codes, norm of the quantisation residual. */
  private norm2: Float64Array;
  private norm: Float64Array;
  private codeNorm: Float64Array;
  private residual: Float64Array;
  private capacity: number;
  private count = 0;
  private scale = 0;
  private readonly kernel: ScanKernel | null;
  private qOffset = 1024;
  private cOffset = 0;
  private outOffset = 0;
  private lower = new Float64Array(0);

  constructor(
    readonly dim: number,
    options: { simd?: boolean; capacity?: number } = {},
  ) {
    this.capacity = Math.max(16, options.capacity ?? 1024);
    this.data = new Float32Array(this.capacity * dim);
    this.norm2 = new Float64Array(this.capacity);
    this.norm = new Float64Array(this.capacity);
    this.codeNorm = new Float64Array(this.capacity);
    this.residual = new Float64Array(this.capacity);
    this.kernel = options.simd === false || dim % 16 !== 0 ? null : createScanKernel();
    if (this.kernel) this.layout();
  }

  get size(): number {
    return this.count;
  }

  /** True when searches use the SIMD int8 scan (false: plain JavaScript float scan). */
  get simd(): boolean {
    return this.kernel !== null;
  }

  /** Row `i` (a view: copy it before the index changes). */
  vector(i: number): Float32Array {
    return this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Appends `n` rows (row-major, n * dim values) and returns the first new row's index. */
  add(rows: Float32Array): number {
    const n = rows.length / this.dim;
    const first = this.count;
    this.reserve(this.count + n);
    if (this.scale === 0) {
      let max = 0;
      for (let i = 0; i < rows.length; i++) max = Math.max(max, Math.abs(rows[i] as number));
      // Headroom for later rows a little larger than the first ones; larger ones are clipped,
      // which only widens their error bound (it is measured per row), never breaks exactness.
      this.scale = max > 0 ? (max * 1.25) / 127 : 1;
    }
    this.data.set(rows, first * this.dim);
    for (let r = 0; r < n; r++) this.encode(first + r);
    this.count += n;
    return first;
  }

  /** Removes row `i` by moving the last row into its place; returns the moved row's old index (or -1). */
  removeAt(i: number): number {
    const last = this.count - 1;
    if (i !== last) {
      this.data.copyWithin(i * this.dim, last * this.dim, (last + 1) * this.dim);
      this.norm2[i] = this.norm2[last] as number;
      this.norm[i] = this.norm[last] as number;
      this.codeNorm[i] = this.codeNorm[last] as number;
      this.residual[i] = this.residual[last] as number;
      if (this.kernel) {
        const mem = new Int8Array(this.kernel.memory.buffer);
        mem.copyWithin(this.cOffset + i * this.dim, this.cOffset + last * this.dim, this.cOffset + (last + 1) * this.dim);
      }
    }
    this.count = last;
    return i !== last ? last : -1;
  }

  /** The k nearest rows to `query`, nearest first. */
  search(query: Float32Array, k: number, metric: Metric): Neighbour[] {
    if (this.count === 0 || k <= 0) return [];
    if (!this.kernel) return this.bruteForce(query, k, metric);
    const n = this.count;
    const d = this.dim;
    const kernel = this.kernel;
    let qNorm2 = 0;
    let qMax = 0;
    for (let j = 0; j < d; j++) {
      const v = query[j] as number;
      qNorm2 += v * v;
      qMax = Math.max(qMax, Math.abs(v));
    }
    const qNorm = Math.sqrt(qNorm2);
    const qScale = qMax > 0 ? qMax / queryRange(d) : 1;
    const q16 = new Int16Array(kernel.memory.buffer, this.qOffset, d);
    let qErr2 = 0;
    for (let j = 0; j < d; j++) {
      const c = Math.round((query[j] as number) / qScale);
      q16[j] = c;
      qErr2 += ((query[j] as number) - c * qScale) ** 2;
    }
    const qErr = Math.sqrt(qErr2);
    kernel.dotsI8(this.qOffset, this.cOffset, n, d, this.outOffset);
    const dots = new Int32Array(kernel.memory.buffer, this.outOffset, n);
    const unit = qScale * this.scale;
    if (this.lower.length < n) this.lower = new Float64Array(this.capacity);
    const lower = this.lower;
    const best = new TopK(Math.min(k, n));
    const cosine = metric === 'cosine';
    for (let i = 0; i < n; i++) {
      const approx = (dots[i] as number) * unit;
      // |q.x - approx| <= |q - q^| |x^| + |q| |x - x^|, plus float32 rounding slack of the codes.
      const bound = qErr * (this.codeNorm[i] as number) + qNorm * (this.residual[i] as number) + 1e-6 * qNorm * (this.norm[i] as number) + 1e-12;
      let lo: number;
      let hi: number;
      if (cosine) {
        const denom = qNorm * (this.norm[i] as number);
        if (denom === 0) {
          lo = 1;
          hi = 1;
        } else {
          lo = 1 - (approx + bound) / denom;
          hi = 1 - (approx - bound) / denom;
        }
      } else {
        const base = qNorm2 + (this.norm2[i] as number);
        lo = base - 2 * (approx + bound);
        hi = base - 2 * (approx - bound);
      }
      lower[i] = lo;
      best.push(hi, i);
    }
    const threshold = best.worst;
    const exact = new TopK(Math.min(k, n));
    for (let i = 0; i < n; i++) {
      if ((lower[i] as number) <= threshold) exact.push(this.exactDistance(query, qNorm, i, metric), i);
    }
    return this.finish(exact, metric);
  }

  /** Exact scan of every row in float64 (the reference the SIMD path must equal). */
  bruteForce(query: Float32Array, k: number, metric: Metric): Neighbour[] {
    let qNorm2 = 0;
    for (let j = 0; j < this.dim; j++) qNorm2 += (query[j] as number) ** 2;
    const qNorm = Math.sqrt(qNorm2);
    const top = new TopK(Math.min(k, this.count));
    for (let i = 0; i < this.count; i++) top.push(this.exactDistance(query, qNorm, i, metric), i);
    return this.finish(top, metric);
  }

  private finish(top: TopK, metric: Metric): Neighbour[] {
    return top.sorted().map(({ index, value }) => ({ index, distance: metric === 'l2' ? Math.sqrt(value) : value }));
  }

  /** The exact distance to row i; squared for l2 while ranking (callers take the root at the end). */
  private exactDistance(query: Float32Array, qNorm: number, i: number, metric: Metric): number {
    const o = i * this.dim;
    if (metric === 'l2') {
      let s = 0;
      for (let j = 0; j < this.dim; j++) {
        const diff = (query[j] as number) - (this.data[o + j] as number);
        s += diff * diff;
      }
      return s;
    }
    let dot = 0;
    for (let j = 0; j < this.dim; j++) dot += (query[j] as number) * (this.data[o + j] as number);
    const denom = qNorm * (this.norm[i] as number);
    return denom === 0 ? 1 : 1 - dot / denom;
  }

  private encode(row: number): void {
    const d = this.dim;
    const o = row * d;
    let n2 = 0;
    let c2 = 0;
    let r2 = 0;
    const codes = this.kernel ? new Int8Array(this.kernel.memory.buffer, this.cOffset + row * d, d) : null;
    for (let j = 0; j < d; j++) {
      const v = this.data[o + j] as number;
      const c = Math.max(-127, Math.min(127, Math.round(v / this.scale)));
      if (codes) codes[j] = c;
      const dec = c * this.scale;
      n2 += v * v;
      c2 += dec * dec;
      r2 += (v - dec) * (v - dec);
    }
    this.norm2[row] = n2;
    this.norm[row] = Math.sqrt(n2);
    this.codeNorm[row] = Math.sqrt(c2);
    this.residual[row] = Math.sqrt(r2);
  }

  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    let cap = this.capacity;
    while (cap < rows) cap *= 2;
    const grow = <T extends Float32Array | Float64Array>(a: T, per: number): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per);
      b.set(a);
      return b;
    };
    this.data = grow(this.data, this.dim);
    this.norm2 = grow(this.norm2, 1);
    this.norm = grow(this.norm, 1);
    this.codeNorm = grow(this.codeNorm, 1);
    this.residual = grow(this.residual, 1);
    this.capacity = cap;
    if (this.kernel) this.layout();
  }

  /** Wasm memory: [1 KiB][query int16][codes: capacity x dim int8][scan output: capacity x int32]. */
  private layout(): void {
    const kernel = this.kernel as ScanKernel;
    const align = (x: number) => (x + 15) & ~15;
    this.cOffset = align(this.qOffset + this.dim * 2);
    this.outOffset = align(this.cOffset + this.capacity * this.dim);
    const need = this.outOffset + this.capacity * 4;
    const have = kernel.memory.buffer.byteLength;
    if (need > have) kernel.memory.grow(Math.ceil((need - have) / 65536));
  }
}

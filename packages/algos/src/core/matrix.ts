import { checkInteger, describe, rangeError, typeError } from '@aiffel/core';

/** Typed arrays the numeric code works on. */
export type FloatArray = Float32Array | Float64Array;

/** A dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix<A extends FloatArray = FloatArray> {
  data: A;
  rows: number;
  cols: number;
}

/** The subset of an `ndarray` (scijs) this package reads. */
export interface NdArrayLike {
  data: ArrayLike<number>;
  shape: readonly number[];
  stride: readonly number[];
  offset?: number;
}

/** Anything accepted where a matrix of samples x features is expected. */
export type MatrixInput = DenseMatrix | readonly (readonly number[])[] | readonly FloatArray[] | NdArrayLike;

/** Wraps a row-major typed array as a matrix without copying. */
export function matrix<A extends FloatArray>(data: A, rows: number, cols: number): DenseMatrix<A> {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) throw typeError('data', 'a Float32Array or Float64Array', data);
  checkInteger('rows', rows, 0);
  checkInteger('cols', cols, 0);
  if (data.length !== rows * cols) throw rangeError('data.length', `rows * cols = ${rows * cols}`, data.length);
  return { data, rows, cols };
}

function isNdArray(x: unknown): x is NdArrayLike {
  const o = x as NdArrayLike;
  return typeof o === 'object' && o !== null && Array.isArray(o.shape) && Array.isArray(o.stride) && o.data !== undefined;
}

function isDense(x: unknown): x is DenseMatrix {
  const o = x as DenseMatrix;
  return typeof o === 'object' && o !== null && (o.data instanceof Float32Array || o.data instanceof Float64Array) && 'rows' in o && 'cols' in o;
}

/**
 * Normalises any accepted matrix input to a DenseMatrix and checks it: rectangular, not empty
 * (unless `allowEmpty`), every value finite. Typed-array input is used in place, never copied.
 */
export function toMatrix(x: unknown, name: string, options: { allowEmpty?: boolean } = {}): DenseMatrix {
  let m: DenseMatrix;
  if (isDense(x)) {
    checkInteger(`${name}.rows`, x.rows, 0);
    checkInteger(`${name}.cols`, x.cols, 0);
    if (x.data.length !== x.rows * x.cols) throw rangeError(`${name}.data.length`, `rows * cols = ${x.rows * x.cols}`, x.data.length);
    m = x;
  } else if (isNdArray(x)) {
    if (x.shape.length !== 2) throw rangeError(`${name}.shape`, 'two-dimensional (samples x features)', `shape [${x.shape.join(', ')}]`);
    const [rows = 0, cols = 0] = x.shape;
    const [s0 = 0, s1 = 0] = x.stride;
    const off = x.offset ?? 0;
    const contiguous = s1 === 1 && s0 === cols && off === 0 && (x.data instanceof Float32Array || x.data instanceof Float64Array);
    if (contiguous) m = { data: x.data as FloatArray, rows, cols };
    else {
      const data = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = x.data[off + i * s0 + j * s1] as number;
      m = { data, rows, cols };
    }
  } else if (Array.isArray(x)) {
    const rows = x.length;
    const first = x[0] as ArrayLike<number> | undefined;
    const cols = first === undefined ? 0 : first.length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = x[i] as ArrayLike<number> | undefined;
      if (row === null || typeof row !== 'object' || typeof row.length !== 'number') throw typeError(`${name}[${i}]`, 'an array of numbers', row);
      if (row.length !== cols) throw rangeError(`${name}[${i}].length`, `${cols} like row 0 (rows must all have the same length)`, row.length);
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw typeError(`${name}[${i}][${j}]`, 'a number', v);
        data[i * cols + j] = v;
      }
    }
    m = { data, rows, cols };
  } else {
    throw typeError(name, 'a matrix ({ data, rows, cols }), an array of rows or a 2-d ndarray', x);
  }
  if (!options.allowEmpty && (m.rows === 0 || m.cols === 0)) throw rangeError(name, 'a non-empty matrix', `${m.rows} x ${m.cols}`);
  const bad = m.data instanceof Float32Array ? firstNonFinite32(m.data) : firstOutOfRange64(m.data);
  if (bad >= 0 && !Number.isFinite(m.data[bad])) {
    const r = Math.floor(bad / m.cols);
    throw new RangeError(`${name} must contain only finite numbers, got ${describe(m.data[bad])} at row ${r}, column ${bad - r * m.cols}`);
  }
  if (bad >= 0) {
    const r = Math.floor(bad / m.cols);
    throw new RangeError(
      `${name} must hold values within ±1e100 (squares of larger ones overflow: distances and variances become Infinity), got ${describe(m.data[bad])} at row ${r}, column ${bad - r * m.cols}; rescale the data`,
    );
  }
  return m;
}

// One monomorphic loop per array type: over a Float32Array | Float64Array union V8 runs this
// validation pass (which touches every value of the input) about four times slower.
function firstNonFinite32(d: Float32Array): number {
  // v * 0 is ±0 for a finite v and NaN otherwise, so a block's four sums are zero exactly when the
  // block is finite: four independent chains and no branch per value instead of a compare and
  // branch on each (the pass took 40 ms of a 100,000 x 128 k-means fit). A block that fails is
  // scanned again for the first bad value.
  const n = d.length;
  for (let b = 0; b < n; b += VALIDATE_BLOCK) {
    const e = Math.min(n, b + VALIDATE_BLOCK);
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let i = b;
    for (; i + 4 <= e; i += 4) {
      a0 += (d[i] as number) * 0;
      a1 += (d[i + 1] as number) * 0;
      a2 += (d[i + 2] as number) * 0;
      a3 += (d[i + 3] as number) * 0;
    }
    for (; i < e; i++) a0 += (d[i] as number) * 0;
    if (a0 + a1 + a2 + a3 !== 0)
      for (let j = b; j < e; j++) {
        const v = d[j] as number;
        if (v - v !== 0) return j;
      }
  }
  return -1;
}
const VALIDATE_BLOCK = 4096;

/** The first value that is NaN, infinite or beyond ±MAX_MAGNITUDE (float32 cannot exceed it). */
function firstOutOfRange64(d: Float64Array): number {
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (!(v <= MAX_MAGNITUDE && v >= -MAX_MAGNITUDE)) return i;
  }
  return -1;
}

/** Beyond this, a squared distance over a few thousand features can overflow float64. */
const MAX_MAGNITUDE = 1e100;

/** Row i as a subarray view (no copy). */
export function row(m: DenseMatrix, i: number): FloatArray {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Converts a matrix to an array of plain number rows (for JSON and small displays). */
export function toRows(m: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(row(m, i)));
  return out;
}

/** Labels from any integer array-like, checked for length and integrality. */
export function toLabels(labels: unknown, name: string, n?: number): Int32Array {
  if (!(Array.isArray(labels) || ArrayBuffer.isView(labels))) throw typeError(name, 'an array of integer labels', labels);
  const a = labels as ArrayLike<number>;
  if (n !== undefined && a.length !== n) throw rangeError(`${name}.length`, `${n} (one label per sample)`, a.length);
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw rangeError(`${name}[${i}]`, 'a 32-bit integer label', v);
    out[i] = v;
  }
  return out;
}

/** Per-column means, accumulated in float64. */
export function columnMeans(m: DenseMatrix): Float64Array {
  const { rows, cols, data } = m;
  const sum = new Float64Array(cols);
  // Four rows per pass over the sums: one load and store of sum[j] per four values, not per value.
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const o = i * cols;
    for (let j = 0; j < cols; j++)
      sum[j] =
        (sum[j] as number) +
        ((data[o + j] as number) + (data[o + cols + j] as number) + ((data[o + 2 * cols + j] as number) + (data[o + 3 * cols + j] as number)));
  }
  for (; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) sum[j] = (sum[j] as number) + (data[o + j] as number);
  }
  for (let j = 0; j < cols; j++) sum[j] = (sum[j] as number) / rows;
  return sum;
}

/**
 * The sum over every value of (value - its column's mean)^2: k-means' tolerance (scaled by
 * rows x cols) and PCA's total variance (scaled by rows - 1). Four rows at a time: four independent
 * sums instead of one chain of dependent additions.
 */
export function centredSquares(m: DenseMatrix, mean: Float64Array): number {
  const { rows, cols, data } = m;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const mj = mean[j] as number;
      const v0 = (data[o + j] as number) - mj;
      const v1 = (data[o + cols + j] as number) - mj;
      const v2 = (data[o + 2 * cols + j] as number) - mj;
      const v3 = (data[o + 3 * cols + j] as number) - mj;
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
    }
  }
  for (; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = (data[o + j] as number) - (mean[j] as number);
      s0 += v * v;
    }
  }
  return s0 + s1 + (s2 + s3);
}

import { rangeError, typeError } from '@aiffel/core';

/** Row-major numeric matrix handed over as one typed array and its shape. */
export interface DenseMatrix {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/** One typed array (or plain array) per feature, all of the same length. */
export interface ColumnMatrix {
  columns: ArrayLike<number>[];
}

/** Everything `fit` and `predict` accept as a feature matrix (records go through a `Schema`). */
export type MatrixInput = number[][] | DenseMatrix | ColumnMatrix;

/**
 * A feature matrix read without converting the whole of it: binning reads one column at a time,
 * prediction reads blocks of rows, so a 1M x 28 Float32 input is never duplicated as float64.
 */
export interface MatrixSource {
  readonly rows: number;
  readonly cols: number;
  /** Column `f` into `out` (length rows). */
  column(f: number, out: Float64Array): void;
  /** Rows [start, end) row-major into `out` (length (end - start) * cols). */
  block(start: number, end: number, out: Float64Array): void;
}

class DenseSource implements MatrixSource {
  constructor(
    private readonly data: Float32Array | Float64Array,
    readonly rows: number,
    readonly cols: number,
  ) {}
  column(f: number, out: Float64Array): void {
    const { data, cols, rows } = this;
    for (let r = 0, o = f; r < rows; r++, o += cols) out[r] = data[o] as number;
  }
  block(start: number, end: number, out: Float64Array): void {
    const from = start * this.cols;
    const to = end * this.cols;
    if (this.data instanceof Float64Array) out.set(this.data.subarray(from, to));
    else for (let i = from, o = 0; i < to; i++, o++) out[o] = this.data[i] as number;
  }
}

class ColumnSource implements MatrixSource {
  readonly cols: number;
  constructor(
    private readonly columns: ArrayLike<number>[],
    readonly rows: number,
  ) {
    this.cols = columns.length;
  }
  column(f: number, out: Float64Array): void {
    const c = this.columns[f] as ArrayLike<number>;
    for (let r = 0; r < this.rows; r++) out[r] = c[r] as number;
  }
  block(start: number, end: number, out: Float64Array): void {
    const { cols } = this;
    for (let f = 0; f < cols; f++) {
      const c = this.columns[f] as ArrayLike<number>;
      for (let r = start, o = f; r < end; r++, o += cols) out[o] = c[r] as number;
    }
  }
}

function checkCell(name: string, v: unknown, r: number, f: number): void {
  if (typeof v !== 'number') throw typeError(`${name}[${r}][${f}]`, 'a number (NaN for missing)', v);
  if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) throw rangeError(`${name}[${r}][${f}]`, 'finite or NaN (missing)', v);
}

/**
 * Validates and wraps any accepted matrix form. NaN means "missing" and is allowed; Infinity is
 * not (it has no bin and usually means an upstream bug); ragged rows are named by index.
 */
export function toSource(x: unknown, name = 'X'): MatrixSource {
  if (Array.isArray(x)) {
    if (x.length === 0) throw rangeError(name, 'a non-empty matrix', x);
    const first = x[0];
    if (!Array.isArray(first) && !ArrayBuffer.isView(first)) throw typeError(name, 'an array of rows (number[][])', x);
    const cols = (first as ArrayLike<number>).length;
    if (cols === 0) throw rangeError(`${name}[0]`, 'a row with at least one feature', first);
    const data = new Float64Array(x.length * cols);
    for (let r = 0; r < x.length; r++) {
      const row = x[r] as ArrayLike<number>;
      if (row === null || typeof row !== 'object' || row.length !== cols) throw rangeError(`${name}[${r}]`, `a row of length ${cols} like row 0`, row);
      for (let f = 0; f < cols; f++) {
        const v = row[f];
        checkCell(name, v, r, f);
        data[r * cols + f] = v as number;
      }
    }
    return new DenseSource(data, x.length, cols);
  }
  if (x !== null && typeof x === 'object' && 'data' in x) {
    const { data, rows, cols } = x as DenseMatrix;
    if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) throw typeError(`${name}.data`, 'a Float32Array or Float64Array', data);
    if (!Number.isInteger(rows) || rows < 1) throw rangeError(`${name}.rows`, 'a positive integer', rows);
    if (!Number.isInteger(cols) || cols < 1) throw rangeError(`${name}.cols`, 'a positive integer', cols);
    if (data.length !== rows * cols) throw rangeError(`${name}.data`, `length rows * cols = ${rows * cols}`, data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)
        throw rangeError(`${name}[${Math.floor(i / cols)}][${i % cols}]`, 'finite or NaN (missing)', v);
    }
    return new DenseSource(data, rows, cols);
  }
  if (x !== null && typeof x === 'object' && 'columns' in x) {
    const { columns } = x as ColumnMatrix;
    if (!Array.isArray(columns) || columns.length === 0) throw rangeError(`${name}.columns`, 'a non-empty array of columns', columns);
    const rows = (columns[0] as ArrayLike<number>)?.length;
    if (!rows) throw rangeError(`${name}.columns[0]`, 'a non-empty column', columns[0]);
    for (let f = 0; f < columns.length; f++) {
      const c = columns[f] as ArrayLike<number>;
      if (c === null || typeof c !== 'object' || c.length !== rows) throw rangeError(`${name}.columns[${f}]`, `a column of length ${rows} like column 0`, c);
      for (let r = 0; r < rows; r++) checkCell(name, c[r], r, f);
    }
    return new ColumnSource(columns, rows);
  }
  throw typeError(name, 'number[][], { data, rows, cols } or { columns }', x);
}

/** Labels as float64, rejecting NaN/Infinity and a length that does not match X. */
export function toLabels(y: unknown, rows: number, name = 'y'): Float64Array {
  if (!Array.isArray(y) && !(ArrayBuffer.isView(y) && !(y instanceof DataView))) throw typeError(name, 'an array or typed array of numbers', y);
  const a = y as ArrayLike<unknown>;
  if (a.length !== rows) throw rangeError(`${name}.length`, `${rows} (the number of rows of X)`, a.length);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw rangeError(`${name}[${i}]`, 'a finite number', v);
    out[i] = v;
  }
  return out;
}

import { readFile } from 'node:fs/promises';
import { checkInteger, rangeError, writeFileAtomic } from '@aiffel/core';
import { csrFromBytes, csrToBytes } from './binary-io.js';

/** The ml-sparse-matrix surface used for conversion (duck-typed: no dependency on that ESM-only package). */
export interface MlSparseLike {
  rows: number;
  columns: number;
  forEachNonZero(cb: (i: number, j: number, v: number) => number): unknown;
}

export interface CsrStats {
  rows: number;
  cols: number;
  nnz: number;
  density: number;
  emptyRows: number;
  emptyCols: number;
  maxRowNnz: number;
  maxColNnz: number;
}

/**
 * A compressed sparse row matrix on typed arrays: row i's entries are columns
 * `indices[indptr[i]..indptr[i+1])` (ascending, no duplicates) with `data` values.
 * Its transpose is the CSC form of the same matrix.
 */
export class CsrMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly data: Float32Array,
  ) {
    checkInteger('rows', rows, 0, 2 ** 31 - 1);
    checkInteger('cols', cols, 0, 2 ** 31 - 1);
    if (!(indptr instanceof Int32Array)) throw rangeError('indptr', 'an Int32Array', indptr);
    if (!(indices instanceof Int32Array)) throw rangeError('indices', 'an Int32Array', indices);
    if (!(data instanceof Float32Array)) throw rangeError('data', 'a Float32Array', data);
    if (indptr.length !== rows + 1) throw rangeError('indptr.length', `rows + 1 = ${rows + 1}`, indptr.length);
    if (indices.length !== data.length) throw rangeError('indices.length', `data.length = ${data.length}`, indices.length);
    if (indptr[0] !== 0 || indptr[rows] !== indices.length) throw new RangeError(`indptr must start at 0 and end at nnz = ${indices.length}`);
    // Every invariant the kernels rely on, in one O(nnz) pass: a decreasing row pointer used to
    // surface later as "Invalid typed array length: -4", an out-of-range column as a wrong score.
    for (let r = 0; r < rows; r++) {
      const s = indptr[r] as number;
      const e = indptr[r + 1] as number;
      if (e < s || e > indices.length)
        throw rangeError(`indptr[${r + 1}]`, `in [indptr[${r}] = ${s}, nnz = ${indices.length}] (row pointers never decrease)`, e);
      for (let t = s; t < e; t++) {
        const c = indices[t] as number;
        if (c < 0 || c >= cols || (t > s && c <= (indices[t - 1] as number)))
          throw rangeError(`indices[${t}]`, `a column in [0, ${cols - 1}] above the previous one in row ${r}`, c);
        if (!Number.isFinite(data[t] as number)) throw rangeError(`data[${t}]`, `a finite value (row ${r}, column ${c})`, data[t]);
      }
    }
  }

  get nnz(): number {
    return this.indices.length;
  }

  get density(): number {
    return this.rows === 0 || this.cols === 0 ? 0 : this.nnz / (this.rows * this.cols);
  }

  /**
   * Builds from coordinate triplets. Duplicate (row, col) pairs are summed (play counts logged
   * twice add up). Every index must be an integer in range and every value finite.
   */
  static fromCoo(rows: number, cols: number, rowIdx: ArrayLike<number>, colIdx: ArrayLike<number>, values?: ArrayLike<number>): CsrMatrix {
    checkInteger('rows', rows, 0, 2 ** 31 - 1);
    checkInteger('cols', cols, 0, 2 ** 31 - 1);
    const n = rowIdx.length;
    if (colIdx.length !== n) throw rangeError('colIdx.length', `rowIdx.length = ${n}`, colIdx.length);
    if (values !== undefined && values.length !== n) throw rangeError('values.length', `rowIdx.length = ${n}`, values.length);
    const count = new Int32Array(rows + 1);
    for (let t = 0; t < n; t++) {
      const r = rowIdx[t] as number;
      const c = colIdx[t] as number;
      if (!Number.isInteger(r) || r < 0 || r >= rows) throw rangeError(`rowIdx[${t}]`, `an integer in [0, ${rows - 1}]`, r);
      if (!Number.isInteger(c) || c < 0 || c >= cols) throw rangeError(`colIdx[${t}]`, `an integer in [0, ${cols - 1}]`, c);
      const v = values === undefined ? 1 : (values[t] as number);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw rangeError(`values[${t}]`, 'a finite number', v);
      count[r + 1] = (count[r + 1] as number) + 1;
    }
    for (let r = 0; r < rows; r++) count[r + 1] = (count[r + 1] as number) + (count[r] as number);
    // Counting sort by row, then sort each row by column and merge duplicates.
    const fill = count.slice(0, rows);
    const order = new Int32Array(n);
    for (let t = 0; t < n; t++) {
      const r = rowIdx[t] as number;
      order[fill[r] as number] = t;
      fill[r] = (fill[r] as number) + 1;
    }
    const indptr = new Int32Array(rows + 1);
    const indices = new Int32Array(n);
    const data = new Float32Array(n);
    let out = 0;
    for (let r = 0; r < rows; r++) {
      const seg = Array.from(order.subarray(count[r] as number, count[r + 1] as number)).sort((a, b) => (colIdx[a] as number) - (colIdx[b] as number));
      let last = -1;
      for (const t of seg) {
        const c = colIdx[t] as number;
        const v = values === undefined ? 1 : (values[t] as number);
        if (c === last) data[out - 1] = (data[out - 1] as number) + v;
        else {
          indices[out] = c;
          data[out] = v;
          out++;
          last = c;
        }
      }
      indptr[r + 1] = out;
    }
    return new CsrMatrix(rows, cols, indptr, indices.slice(0, out), data.slice(0, out));
  }

  /** Row i's column indices and values (views, no copy). */
  row(i: number): { indices: Int32Array; values: Float32Array } {
    checkInteger('i', i, 0, this.rows - 1);
    const s = this.indptr[i] as number;
    const e = this.indptr[i + 1] as number;
    return { indices: this.indices.subarray(s, e), values: this.data.subarray(s, e) };
  }

  /** The value at (i, j) (0 when absent), by binary search in row i. */
  get(i: number, j: number): number {
    checkInteger('i', i, 0, this.rows - 1);
    checkInteger('j', j, 0, this.cols - 1);
    let lo = this.indptr[i] as number;
    let hi = (this.indptr[i + 1] as number) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.indices[mid] as number;
      if (c === j) return this.data[mid] as number;
      if (c < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** The transpose (equivalently, this matrix in CSC form). O(nnz). */
  transpose(): CsrMatrix {
    const { rows, cols, indptr, indices, data } = this;
    const count = new Int32Array(cols + 1);
    for (let t = 0; t < indices.length; t++) count[(indices[t] as number) + 1] = (count[(indices[t] as number) + 1] as number) + 1;
    for (let c = 0; c < cols; c++) count[c + 1] = (count[c + 1] as number) + (count[c] as number);
    const fill = count.slice(0, cols);
    const ti = new Int32Array(indices.length);
    const td = new Float32Array(indices.length);
    for (let r = 0; r < rows; r++) {
      for (let t = indptr[r] as number; t < (indptr[r + 1] as number); t++) {
        const c = indices[t] as number;
        const at = fill[c] as number;
        ti[at] = r;
        td[at] = data[t] as number;
        fill[c] = at + 1;
      }
    }
    return new CsrMatrix(cols, rows, count, ti, td);
  }

  /** Rows [start, end) as a new matrix with the same columns. */
  sliceRows(start: number, end: number): CsrMatrix {
    checkInteger('start', start, 0, this.rows);
    checkInteger('end', end, start, this.rows);
    const s = this.indptr[start] as number;
    const e = this.indptr[end] as number;
    const indptr = Int32Array.from(this.indptr.subarray(start, end + 1), (v) => v - s);
    return new CsrMatrix(end - start, this.cols, indptr, this.indices.slice(s, e), this.data.slice(s, e));
  }

  /** The given rows, in the given order. */
  selectRows(rows: ArrayLike<number>): CsrMatrix {
    const indptr = new Int32Array(rows.length + 1);
    for (let k = 0; k < rows.length; k++) {
      const r = checkInteger(`rows[${k}]`, rows[k], 0, this.rows - 1);
      indptr[k + 1] = (indptr[k] as number) + (this.indptr[r + 1] as number) - (this.indptr[r] as number);
    }
    const indices = new Int32Array(indptr[rows.length] as number);
    const data = new Float32Array(indices.length);
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k] as number;
      indices.set(this.indices.subarray(this.indptr[r] as number, this.indptr[r + 1] as number), indptr[k] as number);
      data.set(this.data.subarray(this.indptr[r] as number, this.indptr[r + 1] as number), indptr[k] as number);
    }
    return new CsrMatrix(rows.length, this.cols, indptr, indices, data);
  }

  /** This matrix times a dense cols x k matrix (row-major): a rows x k Float64Array. */
  multiply(dense: ArrayLike<number>, k: number): Float64Array {
    checkInteger('k', k, 1);
    if (dense.length !== this.cols * k) throw rangeError('dense.length', `cols * k = ${this.cols * k}`, dense.length);
    const out = new Float64Array(this.rows * k);
    for (let r = 0; r < this.rows; r++) {
      for (let t = this.indptr[r] as number; t < (this.indptr[r + 1] as number); t++) {
        const v = this.data[t] as number;
        const o = (this.indices[t] as number) * k;
        for (let c = 0; c < k; c++) out[r * k + c] = (out[r * k + c] as number) + v * (dense[o + c] as number);
      }
    }
    return out;
  }

  /** Same structure, values mapped by `fn(value, row, col)`. */
  map(fn: (v: number, row: number, col: number) => number): CsrMatrix {
    const data = new Float32Array(this.data.length);
    for (let r = 0; r < this.rows; r++) {
      for (let t = this.indptr[r] as number; t < (this.indptr[r + 1] as number); t++) data[t] = fn(this.data[t] as number, r, this.indices[t] as number);
    }
    return new CsrMatrix(this.rows, this.cols, this.indptr, this.indices, data);
  }

  /** The same matrix without stored zeros (an explicit 0 is "no interaction" to the models). */
  eliminateZeros(): CsrMatrix {
    let zeros = 0;
    for (const v of this.data) if (v === 0) zeros++;
    if (zeros === 0) return this;
    const indptr = new Int32Array(this.rows + 1);
    const indices = new Int32Array(this.nnz - zeros);
    const data = new Float32Array(this.nnz - zeros);
    let out = 0;
    for (let r = 0; r < this.rows; r++) {
      for (let t = this.indptr[r] as number; t < (this.indptr[r + 1] as number); t++) {
        if (this.data[t] === 0) continue;
        indices[out] = this.indices[t] as number;
        data[out++] = this.data[t] as number;
      }
      indptr[r + 1] = out;
    }
    return new CsrMatrix(this.rows, this.cols, indptr, indices, data);
  }

  /** Non-zeros per row. */
  rowCounts(): Int32Array {
    const out = new Int32Array(this.rows);
    for (let r = 0; r < this.rows; r++) out[r] = (this.indptr[r + 1] as number) - (this.indptr[r] as number);
    return out;
  }

  stats(): CsrStats {
    const colCount = new Int32Array(this.cols);
    for (const c of this.indices) colCount[c] = (colCount[c] as number) + 1;
    const rowCount = this.rowCounts();
    return {
      rows: this.rows,
      cols: this.cols,
      nnz: this.nnz,
      density: this.density,
      emptyRows: rowCount.filter((v) => v === 0).length,
      emptyCols: colCount.filter((v) => v === 0).length,
      maxRowNnz: rowCount.reduce((m, v) => Math.max(m, v), 0),
      maxColNnz: colCount.reduce((m, v) => Math.max(m, v), 0),
    };
  }

  /** The matrix as bytes (versioned binary format; see load/fromBytes). */
  toBytes(): Buffer {
    return csrToBytes(this);
  }

  /** From toBytes() output; every size and invariant is checked before use. */
  static fromBytes(buf: Uint8Array): CsrMatrix {
    return csrFromBytes(buf);
  }

  async save(path: string): Promise<void> {
    await writeFileAtomic(path, csrToBytes(this));
  }

  static async load(path: string): Promise<CsrMatrix> {
    return csrFromBytes(await readFile(path));
  }

  /** From an ml-sparse-matrix SparseMatrix (or anything with rows, columns and forEachNonZero). */
  static fromMlSparse(m: MlSparseLike): CsrMatrix {
    if (m === null || typeof m !== 'object' || typeof m.forEachNonZero !== 'function') throw rangeError('m', 'an ml-sparse-matrix SparseMatrix', m);
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    m.forEachNonZero((i, j, value) => {
      r.push(i);
      c.push(j);
      v.push(value);
      return value;
    });
    return CsrMatrix.fromCoo(m.rows, m.columns, r, c, v);
  }

  /** To an ml-sparse-matrix SparseMatrix: pass its class (`import { SparseMatrix } from 'ml-sparse-matrix'`). */
  toMlSparse<T extends { set(i: number, j: number, v: number): unknown }>(SparseMatrix: new (rows: number, cols: number) => T): T {
    const out = new SparseMatrix(this.rows, this.cols);
    for (let r = 0; r < this.rows; r++)
      for (let t = this.indptr[r] as number; t < (this.indptr[r + 1] as number); t++) out.set(r, this.indices[t] as number, this.data[t] as number);
    return out;
  }
}

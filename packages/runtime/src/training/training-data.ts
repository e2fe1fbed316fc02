import { rangeError, typeError } from '../errors.js';

/** Rows of numbers, float32, row-major: the Trainer's view of x and y. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  /** Values per row (the product of the shape after the first dimension). */
  cols: number;
  shape: number[];
}

/**
 * `{ data, shape }` (any typed array), `number[][]`, or a flat `number[]` / typed array (one value
 * per row) as a float32 Matrix. Refuses ragged rows, empty data and NaN / Infinity by name.
 */
export function toMatrix(name: string, v: unknown): Matrix {
  let data: Float32Array;
  let shape: number[];
  if (Array.isArray(v)) {
    if (v.length === 0) throw rangeError(name, 'at least one row', 0);
    if (Array.isArray(v[0]) || ArrayBuffer.isView(v[0])) {
      const cols = (v[0] as ArrayLike<number>).length;
      data = new Float32Array(v.length * cols);
      v.forEach((row, i) => {
        if (!(Array.isArray(row) || ArrayBuffer.isView(row)) || (row as ArrayLike<number>).length !== cols)
          throw rangeError(`${name}[${i}]`, `a row of ${cols} numbers (as row 0)`, row);
        data.set(row as ArrayLike<number>, i * cols);
      });
      shape = [v.length, cols];
    } else {
      data = Float32Array.from(v as number[]);
      shape = [v.length, 1];
    }
  } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    data = v instanceof Float32Array ? v : Float32Array.from(v as unknown as ArrayLike<number>);
    shape = [data.length, 1];
  } else if (v !== null && typeof v === 'object' && ArrayBuffer.isView((v as { data: unknown }).data) && Array.isArray((v as { shape: unknown }).shape)) {
    const p = v as { data: ArrayLike<number>; shape: number[] };
    if (!p.shape.every((d) => Number.isInteger(d) && d >= 0)) throw rangeError(`${name}.shape`, 'non-negative integers', p.shape);
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (size !== p.data.length) throw rangeError(`${name}.shape`, `a shape whose product is ${p.data.length}`, p.shape);
    data = p.data instanceof Float32Array ? p.data : Float32Array.from(p.data);
    shape = p.shape.length === 1 ? [p.shape[0] as number, 1] : [...p.shape];
  } else throw typeError(name, 'number[][], a typed array or { data, shape }', v);
  const rows = shape[0] as number;
  if (rows === 0) throw rangeError(name, 'at least one row', 0);
  for (let i = 0; i < data.length; i++)
    if (!Number.isFinite(data[i])) throw rangeError(name, 'finite values', `${data[i]} at row ${Math.floor(i / (data.length / rows))}`);
  return { data, rows, cols: data.length / rows, shape };
}

/** Rows [start, end) of `m` as a view (no copy). */
export function rowRange(m: Matrix, start: number, end: number): Matrix {
  return { data: m.data.subarray(start * m.cols, end * m.cols), rows: end - start, cols: m.cols, shape: [end - start, ...m.shape.slice(1)] };
}

/** The rows `idx` of `m`, copied into a new Matrix. */
export function takeRows(m: Matrix, idx: Int32Array): Matrix {
  const out = new Float32Array(idx.length * m.cols);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i] as number;
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { data: out, rows: idx.length, cols: m.cols, shape: [idx.length, ...m.shape.slice(1)] };
}

/** Each column's mean and standard deviation (population); a constant column gets std 1, so scaling only centres it. */
export function columnStats(m: Matrix): { mean: Float32Array; std: Float32Array } {
  const mean = new Float32Array(m.cols);
  const std = new Float32Array(m.cols).fill(1);
  for (let j = 0; j < m.cols; j++) {
    let s = 0;
    for (let i = 0; i < m.rows; i++) s += m.data[i * m.cols + j] as number;
    const mu = s / m.rows;
    let v = 0;
    for (let i = 0; i < m.rows; i++) v += ((m.data[i * m.cols + j] as number) - mu) ** 2;
    mean[j] = mu;
    std[j] = v / m.rows > 1e-12 ? Math.sqrt(v / m.rows) : 1;
  }
  return { mean, std };
}

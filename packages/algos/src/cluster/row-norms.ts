import { rangeError } from '@aiffel/core';
import type { DenseMatrix } from '../core/matrix.js';
import { sharedFloat64 } from '../parallel/pool.js';

/** Squared euclidean norm of every row. */
export function rowNorms(m: DenseMatrix, threads: number): Float64Array {
  const out = sharedFloat64(m.rows, threads);
  const { data, cols } = m;
  // Four rows at a time: four independent sums instead of one chain of dependent additions.
  let i = 0;
  for (; i + 4 <= m.rows; i += 4) {
    const o = i * cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < cols; j++) {
      const v0 = data[o + j] as number;
      const v1 = data[o + cols + j] as number;
      const v2 = data[o + 2 * cols + j] as number;
      const v3 = data[o + 3 * cols + j] as number;
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < m.rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[o + j] as number;
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}

/** A copy with every row scaled to unit length (cosine metric); an all-zero row has no direction and throws. */
export function unitRows(m: DenseMatrix, name: string): DenseMatrix {
  const { rows, cols, data } = m;
  const out = new (data.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(data.length);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += (data[i * cols + j] as number) ** 2;
    if (s === 0) throw rangeError(`${name}[${i}]`, 'a non-zero row for the cosine metric', 'an all-zero row');
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < cols; j++) out[i * cols + j] = (data[i * cols + j] as number) * inv;
  }
  return { data: out, rows, cols };
}

import type { FloatArray } from './matrix.js';

/**
 * Dot products of one row of `a` (at offset ao) with four rows of `b` (at b0..b3), each d long,
 * written to out[0..3]. Each value of the `a` row is loaded once for four products: the plain-JS
 * kernels of k-means, k-means++ seeding and the neighbour search all reduce to this.
 */
export function dot4(a: FloatArray, ao: number, b: FloatArray, b0: number, b1: number, b2: number, b3: number, d: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let j = 0; j < d; j++) {
    const v = a[ao + j] as number;
    s0 += v * (b[b0 + j] as number);
    s1 += v * (b[b1 + j] as number);
    s2 += v * (b[b2 + j] as number);
    s3 += v * (b[b3 + j] as number);
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

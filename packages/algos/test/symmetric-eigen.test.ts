import { Rng } from '@aiffel/core';
import { EVD, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../src/decomposition/symmetric-eigen.js';

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const v = rng.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}

/** max |A v - lambda v| over all pairs, and max |V'V - I|. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): { eig: number; orth: number } {
  let eig = 0;
  let orth = 0;
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (a[i * n + j] as number) * (vectors[j * n + c] as number);
      eig = Math.max(eig, Math.abs(s - (values[c] as number) * (vectors[i * n + c] as number)));
    }
    for (let c2 = 0; c2 < n; c2++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (vectors[j * n + c] as number) * (vectors[j * n + c2] as number);
      orth = Math.max(orth, Math.abs(s - (c === c2 ? 1 : 0)));
    }
  }
  return { eig, orth };
}

describe('symmetricEigen', () => {
  it('decomposes random symmetric matrices: A v = lambda v, orthonormal vectors, the eigenvalues ml-matrix finds', () => {
    for (const [n, seed] of [
      [1, 1],
      [2, 2],
      [5, 3],
      [40, 4],
      [128, 5],
    ] as const) {
      const a = randomSymmetric(n, seed);
      const { values, vectors } = symmetricEigen(a, n);
      const r = residuals(a, n, values, vectors);
      expect(r.eig).toBeLessThan(1e-10 * Math.max(1, n));
      expect(r.orth).toBeLessThan(1e-12 * Math.max(1, n));
      for (let i = 1; i < n; i++) expect(values[i] as number).toBeGreaterThanOrEqual(values[i - 1] as number);
      const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
      const ref = new EVD(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues.sort((x, y) => x - y);
      for (let i = 0; i < n; i++) expect(values[i] as number).toBeCloseTo(ref[i] as number, 10);
    }
  });

  it('handles repeated eigenvalues, a diagonal matrix, a zero matrix and a rank-one covariance', () => {
    const n = 6;
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 3;
    const id = symmetricEigen(identity, n);
    expect(Array.from(id.values)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(residuals(identity, n, id.values, id.vectors).orth).toBeLessThan(1e-14);
    const zero = symmetricEigen(new Float64Array(n * n), n);
    expect(Array.from(zero.values)).toEqual([0, 0, 0, 0, 0, 0]);
    const u = [1, -2, 0.5, 3, 0, 1];
    const rank1 = Float64Array.from({ length: n * n }, (_, k) => (u[Math.floor(k / n)] as number) * (u[k % n] as number));
    const r1 = symmetricEigen(rank1, n);
    expect(r1.values[n - 1] as number).toBeCloseTo(
      u.reduce((s, x) => s + x * x, 0),
      12,
    );
    for (let i = 0; i < n - 1; i++) expect(Math.abs(r1.values[i] as number)).toBeLessThan(1e-12);
    expect(residuals(rank1, n, r1.values, r1.vectors).eig).toBeLessThan(1e-12);
  });

  it('leaves its input unchanged', () => {
    const a = randomSymmetric(10, 9);
    const copy = a.slice();
    symmetricEigen(a, 10);
    expect(a).toEqual(copy);
  });
});

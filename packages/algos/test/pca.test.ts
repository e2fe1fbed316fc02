import { Rng } from '@aiffel/core';
import { Matrix, SVD } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { PCA } from '../src/index.js';

/** Correlated data: independent normals through a random linear map, so the spectrum is spread. */
function correlated(n: number, d: number, seed: number) {
  const rng = new Rng(seed);
  const mix = Float64Array.from({ length: d * d }, () => rng.normal());
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, (_, j) => rng.normal() * (d - j));
    for (let j = 0; j < d; j++) {
      let s = 3;
      for (let t = 0; t < d; t++) s += (z[t] as number) * (mix[t * d + j] as number);
      data[i * d + j] = s;
    }
  }
  return { data, rows: n, cols: d };
}

function reference(x: { data: Float64Array; rows: number; cols: number }) {
  const { rows: n, cols: d } = x;
  const mean = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x.data[i * d + j] as number;
    return s / n;
  });
  const centred = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (x.data[i * d + j] as number) - (mean[j] as number)));
  const svd = new SVD(new Matrix(centred), { autoTranspose: true });
  return { s: svd.diagonal, v: svd.rightSingularVectors, mean };
}

describe('PCA', () => {
  const x = correlated(600, 8, 1);
  const ref = reference(x);

  it.each(['full', 'covariance', 'randomized'] as const)('%s solver matches an SVD reference (components up to sign)', async (solver) => {
    const k = solver === 'randomized' ? 3 : 8;
    const pca = await new PCA({ nComponents: k, solver }).fit(x);
    expect(pca.solverUsed).toBe(solver);
    for (let c = 0; c < k; c++) {
      expect(pca.singularValues?.[c]).toBeCloseTo(ref.s[c] as number, 6);
      expect(pca.explainedVariance?.[c]).toBeCloseTo((ref.s[c] as number) ** 2 / 599, 4);
      let dot = 0;
      for (let j = 0; j < 8; j++) dot += (pca.components?.data[c * 8 + j] as number) * ref.v.get(j, c);
      expect(Math.abs(dot)).toBeCloseTo(1, 8);
      // Sign convention: the largest-magnitude loading is positive.
      const row = Array.from(pca.components?.data.subarray(c * 8, c * 8 + 8) ?? []);
      const big = row.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
      expect(big).toBeGreaterThan(0);
    }
    const total = ref.s.reduce((s, v) => s + v * v, 0);
    expect(pca.explainedVarianceRatio?.[0]).toBeCloseTo((ref.s[0] as number) ** 2 / total, 8);
  });

  it('transform then inverseTransform with every component reproduces the data', async () => {
    const pca = await new PCA().fit(x);
    const back = pca.inverseTransform(pca.transform(x));
    for (let i = 0; i < x.data.length; i++) expect(back.data[i]).toBeCloseTo(x.data[i] as number, 8);
  });

  it('keeps the fewest components reaching a variance fraction', async () => {
    const all = await new PCA().fit(x);
    const ratios = Array.from(all.explainedVarianceRatio as Float64Array);
    const frac = (ratios[0] as number) + (ratios[1] as number) / 2;
    const pca = await new PCA({ nComponents: frac }).fit(x);
    expect(pca.components?.rows).toBe(2);
    expect(pca.noiseVariance).toBeCloseTo((ratios.slice(2).reduce((s, r) => s + r, 0) * (all.explainedVariance?.[0] as number)) / (ratios[0] as number) / 6, 6);
  });

  it('whitens to unit variance', async () => {
    const pca = await new PCA({ nComponents: 3, whiten: true }).fit(x);
    const y = pca.transform(x);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let i = 0; i < 600; i++) s += (y.data[i * 3 + c] as number) ** 2;
      expect(s / 599).toBeCloseTo(1, 8);
    }
    const back = pca.inverseTransform(y);
    const plain = (await new PCA({ nComponents: 3 }).fit(x)).inverseTransform((await new PCA({ nComponents: 3 }).fit(x)).transform(x));
    for (let i = 0; i < 40; i++) expect(back.data[i]).toBeCloseTo(plain.data[i] as number, 8);
  });

  it('round-trips through JSON', async () => {
    const pca = await new PCA({ nComponents: 2 }).fit(x);
    const back = PCA.fromJSON(JSON.parse(JSON.stringify(pca)));
    expect(Array.from(back.transform(x).data)).toEqual(Array.from(pca.transform(x).data));
    expect(() => PCA.fromJSON({ ...pca.toJSON(), mean: [1, 2] })).toThrow(/json.mean must be an array of 8 numbers/);
    expect(() => PCA.fromJSON({ ...pca.toJSON(), nComponents: 99 })).toThrow(/json.nComponents must be an integer in \[1, 8\]/);
  });

  it('rejects bad options and input', async () => {
    expect(() => new PCA({ nComponents: 0 })).toThrow(/options.nComponents must be a positive integer or a fraction in \(0, 1\), got 0/);
    expect(() => new PCA({ nComponents: 1.5 })).toThrow(/options.nComponents must be a positive integer or a fraction/);
    expect(() => new PCA({ nComponents: 0.5, solver: 'randomized' })).toThrow(/an integer with solver 'randomized'/);
    expect(() => new PCA({ solver: 'arpack' as never })).toThrow(/options.solver must be one of/);
    await expect(new PCA({ nComponents: 9 }).fit(x)).rejects.toThrow(/options.nComponents must be at most min\(samples, features\) = 8, got 9/);
    await expect(new PCA().fit([[1, 2]])).rejects.toThrow(/x must be at least 2 samples/);
    // It crashed inside ml-matrix's eigen solver ("Cannot read properties of undefined").
    await expect(
      new PCA().fit([
        [1, 2],
        [1e200, 3],
        [2, 2],
      ]),
    ).rejects.toThrow(/x must hold values within ±1e100 .*at row 1, column 0/);
    await expect(
      new PCA().fit([
        [1, 2],
        [3, Number.NaN],
      ]),
    ).rejects.toThrow(/x must contain only finite numbers, got NaN at row 1, column 1/);
    const pca = await new PCA({ nComponents: 2 }).fit(x);
    expect(() => pca.transform([[1, 2]])).toThrow(/x must be 8 columns like the training data/);
    expect(() => pca.inverseTransform([[1, 2, 3]])).toThrow(/y must be 2 columns \(one per component\)/);
    expect(() => new PCA().transform([[1]])).toThrow(/PCA.transform\(\) called before fit/);
  });
});

import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { KMeans, PCA, useSimd } from '../src/index.js';
import { type KnnArgs, knnRows } from '../src/manifold/knn-kernel.js';
import { makeBlobs } from './blobs.js';

const built = existsSync(new URL('../dist/dots.wasm', import.meta.url));

/** Float32 copies: the SIMD kernel only runs on float32 input. */
function blobs32(n: number, d: number, k: number, seed: number) {
  const { x, labels } = makeBlobs(n, d, k, 5, seed, 1.5);
  return { x: { data: Float32Array.from(x.data), rows: n, cols: d }, labels };
}

describe.skipIf(!built)('WebAssembly SIMD kernels agree with the plain JS kernels', () => {
  afterAll(() => useSimd(true));

  it('KMeans labels and inertia (d not a multiple of 4: padded rows)', async () => {
    const { x } = blobs32(3000, 13, 7, 1);
    expect(useSimd(true)).toBe(true);
    const simd = await new KMeans({ nClusters: 7, seed: 4, threads: 1 }).fit(x);
    useSimd(false);
    const js = await new KMeans({ nClusters: 7, seed: 4, threads: 1 }).fit(x);
    useSimd(true);
    expect(Array.from(simd.labels as Int32Array)).toEqual(Array.from(js.labels as Int32Array));
    // Same labels, so the cluster sums (WebAssembly f64 adds in row order, as in JavaScript) and
    // the centres are bit-identical.
    expect(simd.clusterCenters?.data).toEqual(js.clusterCenters?.data);
    expect(simd.inertia).toBeCloseTo(js.inertia, -1);
    expect(Math.abs(simd.inertia - js.inertia) / js.inertia).toBeLessThan(1e-5);
    // Elkan's first pass takes its distances from the SIMD kernel too.
    const elkan = await new KMeans({ nClusters: 7, seed: 4, threads: 1, algorithm: 'elkan' }).fit(x);
    expect(Array.from(elkan.labels as Int32Array)).toEqual(Array.from(js.labels as Int32Array));
  });

  it('PCA components (covariance and randomized)', async () => {
    const { x } = blobs32(5000, 24, 5, 2);
    for (const solver of ['covariance', 'randomized'] as const) {
      useSimd(true);
      const simd = await new PCA({ nComponents: 3, solver, threads: 1 }).fit(x);
      useSimd(false);
      const js = await new PCA({ nComponents: 3, solver, threads: 1 }).fit(x);
      useSimd(true);
      const a = simd.components?.data as Float64Array;
      const b = js.components?.data as Float64Array;
      for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThan(1e-4);
      expect(Math.abs((simd.explainedVariance?.[0] as number) / (js.explainedVariance?.[0] as number) - 1)).toBeLessThan(1e-5);
    }
  });

  it('nearest-neighbour search', () => {
    const { x } = blobs32(700, 37, 4, 3);
    const norms = new Float64Array(700);
    for (let i = 0; i < 700; i++) for (let j = 0; j < 37; j++) norms[i] = (norms[i] as number) + (x.data[i * 37 + j] as number) ** 2;
    const run = (simd: number): KnnArgs => {
      const a: KnnArgs = {
        x: x.data,
        xNorm: norms,
        n: 700,
        d: 37,
        k: 10,
        indices: new Int32Array(7000),
        distances: new Float64Array(7000),
        simd,
        dataId: 900 + simd,
      };
      knnRows(a, 0, 700);
      return a;
    };
    const s = run(1);
    const j = run(0);
    let same = 0;
    for (let i = 0; i < 700; i++) {
      const a = new Set(s.indices.subarray(i * 10, i * 10 + 10));
      for (const v of j.indices.subarray(i * 10, i * 10 + 10)) if (a.has(v)) same++;
    }
    // Float32 dot products may swap near-ties at the 10th neighbour, nothing more.
    expect(same / 7000).toBeGreaterThan(0.995);
    for (let i = 0; i < 7000; i++)
      expect(Math.abs((s.distances[i] as number) - (j.distances[i] as number))).toBeLessThan(1e-2 * Math.max(1, j.distances[i] as number));
  });
});

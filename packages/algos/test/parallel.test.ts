import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// The built package: worker threads load dist/parallel-worker.js, which the turbo test task builds first.
import { KMeans, PCA, TSNE, trustworthiness } from '../dist/index.js';
import { makeBlobs } from './blobs.js';

const built = existsSync(new URL('../dist/parallel-worker.js', import.meta.url));

describe.skipIf(!built)('both cores give the single-thread answer', () => {
  const { x } = makeBlobs(20_000, 24, 10, 6, 1, 2);

  it('KMeans (lloyd and elkan)', async () => {
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const one = await new KMeans({ nClusters: 10, seed: 2, algorithm, threads: 1 }).fit(x);
      const two = await new KMeans({ nClusters: 10, seed: 2, algorithm, threads: 2 }).fit(x);
      expect(Array.from(two.labels as Int32Array)).toEqual(Array.from(one.labels as Int32Array));
      expect(two.inertia).toBeCloseTo(one.inertia, 3);
      expect(two.nIter).toBe(one.nIter);
    }
  });

  it('PCA (covariance and randomized)', async () => {
    for (const solver of ['covariance', 'randomized'] as const) {
      const one = await new PCA({ nComponents: 3, solver, threads: 1 }).fit(x);
      const two = await new PCA({ nComponents: 3, solver, threads: 2 }).fit(x);
      const a = one.components?.data as Float64Array;
      const b = two.components?.data as Float64Array;
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i] as number, 9);
    }
  });

  it('TSNE (neighbour search and Barnes-Hut gradient)', async () => {
    const small = { data: x.data.subarray(0, 2500 * 24), rows: 2500, cols: 24 };
    const one = await new TSNE({ maxIter: 300, threads: 1 }).fitTransform(small);
    const two = await new TSNE({ maxIter: 300, threads: 2 }).fitTransform(small);
    expect(Math.abs(trustworthiness(small, one) - trustworthiness(small, two))).toBeLessThan(0.01);
  });
});

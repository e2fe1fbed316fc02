import { describe, expect, it } from 'vitest';
import { adjustedRandScore, KMeans } from '../src/index.js';
import { makeBlobs } from './blobs.js';

describe('KMeans', () => {
  it('solves a hand-computed case', async () => {
    const x = [
      [0, 0],
      [0, 2],
      [10, 0],
      [10, 2],
    ];
    const km = await new KMeans({
      nClusters: 2,
      init: [
        [1, 1],
        [9, 1],
      ],
    }).fit(x);
    expect(Array.from(km.labels as Int32Array)).toEqual([0, 0, 1, 1]);
    expect(Array.from(km.clusterCenters?.data ?? [])).toEqual([0, 1, 10, 1]);
    expect(km.inertia).toBeCloseTo(4, 12); // four points, each at distance 1
    expect(
      Array.from(
        km.predict([
          [2, 1],
          [8, 1],
        ]),
      ),
    ).toEqual([0, 1]);
    expect(km.score(x)).toBeCloseTo(-4, 12);
    expect(km.transform([[0, 1]]).data[1]).toBeCloseTo(10, 12);
  });

  it('recovers well-separated blobs with both algorithms, identically', async () => {
    const { x, labels } = makeBlobs(3000, 8, 6, 20, 1);
    const lloyd = await new KMeans({ nClusters: 6, seed: 3 }).fit(x);
    const elkan = await new KMeans({ nClusters: 6, seed: 3, algorithm: 'elkan' }).fit(x);
    expect(adjustedRandScore(labels, lloyd.labels as Int32Array)).toBe(1);
    expect(Array.from(elkan.labels as Int32Array)).toEqual(Array.from(lloyd.labels as Int32Array));
    expect(elkan.inertia).toBeCloseTo(lloyd.inertia, 6);
    // Inertia is the sum of squared distances to the assigned centres.
    const c = lloyd.clusterCenters?.data as Float64Array;
    let inertia = 0;
    for (let i = 0; i < 3000; i++) {
      const k = (lloyd.labels as Int32Array)[i] as number;
      for (let j = 0; j < 8; j++) inertia += ((x.data[i * 8 + j] as number) - (c[k * 8 + j] as number)) ** 2;
    }
    expect(lloyd.inertia).toBeCloseTo(inertia, 6);
  });

  it('converges: each centre is the mean of its points and inertia never rises', async () => {
    const { x } = makeBlobs(2000, 4, 5, 3, 2, 2);
    const seen: number[] = [];
    const km = await new KMeans({ nClusters: 5, seed: 1, tol: 0, onProgress: (p) => seen.push(p.inertia) }).fit(x);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual((seen[i - 1] as number) + 1e-9);
    const labels = km.labels as Int32Array;
    for (let k = 0; k < 5; k++) {
      const mean = [0, 0, 0, 0];
      let count = 0;
      for (let i = 0; i < 2000; i++)
        if (labels[i] === k) {
          count++;
          for (let j = 0; j < 4; j++) mean[j] = (mean[j] as number) + (x.data[i * 4 + j] as number);
        }
      for (let j = 0; j < 4; j++) expect((mean[j] as number) / count).toBeCloseTo(km.clusterCenters?.data[k * 4 + j] as number, 8);
    }
  });

  it('is deterministic for a seed and restarts keep the best inertia', async () => {
    const { x } = makeBlobs(1500, 5, 8, 4, 5, 2);
    const a = await new KMeans({ nClusters: 8, seed: 11 }).fit(x);
    const b = await new KMeans({ nClusters: 8, seed: 11 }).fit(x);
    expect(Array.from(a.clusterCenters?.data ?? [])).toEqual(Array.from(b.clusterCenters?.data ?? []));
    const single = [];
    for (let s = 0; s < 4; s++) single.push((await new KMeans({ nClusters: 8, init: 'random', nInit: 1, seed: s }).fit(x)).inertia);
    const multi = await new KMeans({ nClusters: 8, init: 'random', nInit: 10, seed: 0 }).fit(x);
    expect(multi.inertia).toBeLessThanOrEqual(Math.max(...single));
  });

  it('re-seeds an empty cluster from the farthest point', async () => {
    const x = [[0], [1], [2], [10], [11], [12]];
    const km = await new KMeans({ nClusters: 3, init: [[1], [11], [1000]], maxIter: 50 }).fit(x);
    const counts = [0, 0, 0];
    for (const l of km.labels as Int32Array) counts[l] = (counts[l] as number) + 1;
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(km.inertia).toBeLessThan(8); // the 2-cluster answer has inertia 4 + 4
  });

  it('cosine metric clusters by direction and returns unit centres', async () => {
    // Two directions, wildly different lengths along each.
    const x: number[][] = [];
    for (let i = 1; i <= 20; i++) {
      x.push([i * 10, i * 10 * 0.05 * (i % 3)]);
      x.push([0.01 * i * (i % 2), i]);
    }
    const km = await new KMeans({ nClusters: 2, metric: 'cosine', seed: 0 }).fit(x);
    const labels = km.labels as Int32Array;
    for (let i = 0; i < x.length; i += 2) {
      expect(labels[i]).toBe(labels[0]);
      expect(labels[i + 1]).toBe(labels[1]);
    }
    expect(labels[0]).not.toBe(labels[1]);
    const c = km.clusterCenters?.data as Float64Array;
    expect(Math.hypot(c[0] as number, c[1] as number)).toBeCloseTo(1, 12);
    // Scaling a row does not change its cluster.
    expect(km.predict([[5000, 0]])[0]).toBe(km.predict([[1, 0]])[0]);
    expect(km.inertia).toBeGreaterThanOrEqual(0);
    expect(km.inertia).toBeLessThan(0.5);
  });

  it('round-trips through JSON and rejects hostile JSON', async () => {
    const { x } = makeBlobs(300, 3, 3, 10, 8);
    const km = await new KMeans({ nClusters: 3 }).fit(x);
    const back = KMeans.fromJSON(JSON.parse(JSON.stringify(km.toJSON())));
    expect(Array.from(back.predict(x))).toEqual(Array.from(km.predict(x)));
    expect(() => KMeans.fromJSON({ type: 'KMeans', version: 1, nClusters: 2, nFeatures: 3, metric: 'euclidean', centers: [1] })).toThrow(
      /json.centers must be an array of nClusters \* nFeatures = 6 numbers/,
    );
    expect(() => KMeans.fromJSON({ type: 'KMeans', version: 1, nClusters: 1e9, nFeatures: 3, centers: [] })).toThrow(/json.nClusters/);
    expect(() => KMeans.fromJSON({ type: 'KMeans', version: 2 })).toThrow(/json.version must be 1/);
    expect(() => KMeans.fromJSON(JSON.parse('{"__proto__": {"type": "KMeans"}}'))).toThrow(/json must be the output of KMeans.toJSON/);
    const bad = { ...km.toJSON(), centers: km.toJSON().centers.map(() => Number.NaN) };
    expect(() => KMeans.fromJSON(bad)).toThrow(/finite/);
  });

  it('rejects bad input without changing a fitted model', async () => {
    const km = await new KMeans({ nClusters: 2 }).fit([[0], [1], [5], [6]]);
    const before = Array.from(km.clusterCenters?.data ?? []);
    await expect(km.fit([[0], [Number.NaN]])).rejects.toThrow(/x must contain only finite numbers, got NaN at row 1, column 0/);
    await expect(km.fit([[0, 1], [1]])).rejects.toThrow(/x\[1\].length must be 2 like row 0/);
    await expect(km.fit([[0]])).rejects.toThrow(/options.nClusters must be at most the number of samples \(1\), got 2/);
    await expect(km.fit([])).rejects.toThrow(/x must be a non-empty matrix/);
    // ±1e200 used to give inertia Infinity and every label 0.
    await expect(km.fit([[0], [1e200], [-1e200]])).rejects.toThrow(/x must hold values within ±1e100/);
    expect(Array.from(km.clusterCenters?.data ?? [])).toEqual(before);
    expect(() => km.predict([[1, 2]])).toThrow(/x must be 1 columns like the training data, got "2 columns"/);
    expect(() => new KMeans().predict([[1]])).toThrow(/KMeans.predict\(\) called before fit/);
    expect(() => new KMeans({ nClusters: 0 })).toThrow(/options.nClusters must be a positive integer, got 0/);
    expect(() => new KMeans({ tol: -1 })).toThrow(/options.tol must be a non-negative number/);
    expect(() => new KMeans({ algorithm: 'full' as never })).toThrow(/options.algorithm must be one of 'lloyd', 'elkan'/);
    expect(() => new KMeans({ maxiter: 3 } as never)).toThrow(/unknown option "maxiter"/);
    await expect(
      new KMeans({ nClusters: 2, init: [[1, 2]] }).fit([
        [0, 0],
        [1, 1],
      ]),
    ).rejects.toThrow(/options.init must be a 2 x 2 matrix of centres, got "1 x 2"/);
    await expect(
      new KMeans({ nClusters: 1, metric: 'cosine' }).fit([
        [1, 0],
        [0, 0],
      ]),
    ).rejects.toThrow(/x\[1\] must be a non-zero row for the cosine metric/);
  });

  it('accepts Float32 matrices and ndarray-like input', async () => {
    const f32 = { data: Float32Array.of(0, 0, 0, 1, 9, 9, 9, 10), rows: 4, cols: 2 };
    const nd = { data: [0, 0, 0, 1, 9, 9, 9, 10], shape: [4, 2], stride: [2, 1] };
    const a = await new KMeans({ nClusters: 2, seed: 1 }).fit(f32);
    const b = await new KMeans({ nClusters: 2, seed: 1 }).fit(nd);
    expect(Array.from(a.labels as Int32Array)).toEqual(Array.from(b.labels as Int32Array));
  });
});

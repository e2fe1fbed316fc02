import { Rng } from '@aiffel/core';
import { describe, expect, it } from 'vitest';
import { adjustedRandScore, KMeans, TSNE, trustworthiness } from '../src/index.js';
import { conditionalProbabilities, jointProbabilities } from '../src/manifold/perplexity.js';
import { allocateQuadTree, buildQuadTree } from '../src/manifold/quadtree.js';
import { exactGradient } from '../src/manifold/tsne-exact.js';
import { type TsneGradientArgs, tsneGradient } from '../src/manifold/tsne-kernel.js';
import { makeBlobs } from './blobs.js';

describe('t-SNE affinities', () => {
  it('calibrates each row to the requested perplexity', () => {
    const rng = new Rng(1);
    const rows = 20;
    const k = 40;
    const dist = Float64Array.from({ length: rows * k }, () => rng.random() * 10);
    const p = conditionalProbabilities(dist, rows, k, 15);
    for (let i = 0; i < rows; i++) {
      let h = 0;
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const v = p[i * k + j] as number;
        sum += v;
        if (v > 0) h -= v * Math.log(v);
      }
      expect(sum).toBeCloseTo(1, 10);
      expect(Math.exp(h)).toBeCloseTo(15, 3);
    }
  });

  it('symmetrises into a joint distribution summing to one', () => {
    const indices = Int32Array.of(1, 2, 0, 2, 0, 1);
    const cond = Float64Array.of(0.7, 0.3, 0.5, 0.5, 0.1, 0.9);
    const p = jointProbabilities(cond, indices, 3, 2);
    const dense = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 3; i++)
      for (let f = p.rowPtr[i] as number; f < (p.rowPtr[i + 1] as number); f++) dense[i * 3 + (p.cols[f] as number)] = p.values[f] as number;
    expect(dense.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(dense[1]).toBeCloseTo((0.7 + 0.5) / 6, 12);
    expect(dense[1]).toBeCloseTo(dense[3] as number, 12);
  });
});

describe('Barnes-Hut gradient', () => {
  it('equals the exact gradient at angle 0 and stays close at angle 0.5', () => {
    const rng = new Rng(4);
    const n = 150;
    const k = 20;
    const y = Float64Array.from({ length: 2 * n }, () => rng.normal() * 5);
    y[2] = y[0] as number; // a duplicate point
    y[3] = y[1] as number;
    const indices = new Int32Array(n * k);
    const cond = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < k; t++) {
        indices[i * k + t] = (i + 1 + t * 7) % n;
        cond[i * k + t] = rng.random();
      }
    }
    const p = jointProbabilities(cond, indices, n, k);
    const exact = new Float64Array(2 * n);
    const klExact = exactGradient(y, n, 2, p, 3, exact);
    for (const angle of [0, 0.5]) {
      const tree = allocateQuadTree(
        16 * n,
        n,
        (m) => new Float64Array(m),
        (m) => new Int32Array(m),
      );
      expect(buildQuadTree(tree, y, n)).toBe(true);
      const args: TsneGradientArgs = {
        y,
        tree,
        thetaSq: angle * angle,
        ...p,
        exaggeration: 3,
        attract: new Float64Array(2 * n),
        repulse: new Float64Array(2 * n),
        sumQ: new Float64Array(1),
        klTerm: new Float64Array(1),
        pSum: new Float64Array(1),
        computeError: 1,
      };
      tsneGradient(args, 0, n, 0);
      const sumQ = args.sumQ[0] as number;
      let err = 0;
      let norm = 0;
      for (let t = 0; t < 2 * n; t++) {
        const g = 4 * ((args.attract[t] as number) - (args.repulse[t] as number) / sumQ);
        err += (g - (exact[t] as number)) ** 2;
        norm += (exact[t] as number) ** 2;
      }
      const kl = (args.klTerm[0] as number) + (args.pSum[0] as number) * Math.log(sumQ);
      if (angle === 0) {
        expect(Math.sqrt(err / norm)).toBeLessThan(1e-10);
        expect(kl).toBeCloseTo(klExact, 10);
      } else expect(Math.sqrt(err / norm)).toBeLessThan(0.05);
    }
  });
});

describe('TSNE', () => {
  it('keeps well-separated blobs apart and neighbourhoods trustworthy', async () => {
    const { x, labels } = makeBlobs(600, 20, 4, 10, 2);
    const progress: number[] = [];
    const tsne = new TSNE({ perplexity: 20, seed: 1, maxIter: 500, onProgress: (p) => p.klDivergence !== undefined && progress.push(p.klDivergence) });
    const y = await tsne.fitTransform(x);
    expect(y.rows).toBe(600);
    expect(trustworthiness(x, y, { nNeighbors: 5 })).toBeGreaterThan(0.9);
    const km = await new KMeans({ nClusters: 4, seed: 0 }).fit(y);
    expect(adjustedRandScore(labels, km.labels as Int32Array)).toBeGreaterThan(0.95);
    expect(progress.length).toBe(10);
    expect(tsne.klDivergence).toBeLessThan(progress[5] as number); // refinement lowers KL after exaggeration ends
    expect(tsne.learningRateUsed).toBe(50);
  });

  it('is deterministic for a seed, and the exact method agrees on small data', async () => {
    const { x } = makeBlobs(120, 5, 3, 8, 3);
    const a = await new TSNE({ perplexity: 10, maxIter: 300, init: 'random', seed: 5 }).fitTransform(x);
    const b = await new TSNE({ perplexity: 10, maxIter: 300, init: 'random', seed: 5 }).fitTransform(x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const bh = await new TSNE({ perplexity: 10, maxIter: 500 }).fitTransform(x);
    const exact = await new TSNE({ perplexity: 10, maxIter: 500, method: 'exact' }).fitTransform(x);
    expect(Math.abs(trustworthiness(x, exact) - trustworthiness(x, bh))).toBeLessThan(0.03);
    const exact3 = await new TSNE({ perplexity: 10, maxIter: 500, method: 'exact', nComponents: 3 }).fitTransform(x);
    expect(exact3.cols).toBe(3);
    expect(trustworthiness(x, exact3)).toBeGreaterThan(trustworthiness(x, exact) - 0.05);
  });

  it('rejects bad options and input', async () => {
    expect(() => new TSNE({ nComponents: 3 })).toThrow(/options.nComponents must be 2 with method 'barnes_hut'/);
    expect(() => new TSNE({ perplexity: 0 })).toThrow(/options.perplexity must be a positive number, got 0/);
    expect(() => new TSNE({ maxIter: 100 })).toThrow(/options.maxIter must be an integer >= 250, got 100/);
    expect(() => new TSNE({ angle: 2 })).toThrow(/options.angle must be a number in \[0, 1\], got 2/);
    expect(() => new TSNE({ learningRate: -1 })).toThrow(/options.learningRate must be 'auto' or a number in \(0, 1e6\], got -1/);
    // 1e30 threw the points to 1e25 instead of embedding them.
    expect(() => new TSNE({ learningRate: 1e30 })).toThrow(/options.learningRate must be 'auto' or a number in \(0, 1e6\], got 1e\+30/);
    // The exact gradient is O(n^2) in memory: 50,000 samples would need 60 GB.
    const many = { data: new Float64Array(20_001 * 2), rows: 20_001, cols: 2 };
    await expect(new TSNE({ method: 'exact', perplexity: 5 }).fitTransform(many)).rejects.toThrow(
      /x must be at most 10000 samples for method 'exact' \(it needs 10 GB here; use 'barnes_hut'\), got "20001 samples"/,
    );
    await expect(new TSNE({ perplexity: 1 }).fitTransform([[1], [1e200], [3]])).rejects.toThrow(/x must hold values within ±1e100/);
    await expect(new TSNE({ perplexity: 30 }).fitTransform([[1], [2], [3]])).rejects.toThrow(
      /options.perplexity must be less than the number of samples \(3\), got 30/,
    );
    await expect(new TSNE({ perplexity: 1 }).fitTransform([[1], [Number.NaN], [3]])).rejects.toThrow(/finite numbers, got NaN at row 1/);
    await expect(new TSNE({ perplexity: 1, init: [[0, 0]] }).fitTransform([[1], [2], [3]])).rejects.toThrow(
      /options.init must be an 3 x 2 matrix, got "1 x 2"/,
    );
  });
});

describe('trustworthiness', () => {
  /** scikit-learn's formulation: full argsort ranks in the input space. */
  function reference(x: number[][], y: number[][], k: number): number {
    const n = x.length;
    const d = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - (b[i] as number)) ** 2, 0);
    let t = 0;
    for (let i = 0; i < n; i++) {
      const orderX = [...Array(n).keys()]
        .filter((j) => j !== i)
        .sort((a, b) => d(x[i] as number[], x[a] as number[]) - d(x[i] as number[], x[b] as number[]) || a - b);
      const nnY = [...Array(n).keys()]
        .filter((j) => j !== i)
        .sort((a, b) => d(y[i] as number[], y[a] as number[]) - d(y[i] as number[], y[b] as number[]) || a - b)
        .slice(0, k);
      for (const j of nnY) t += Math.max(0, orderX.indexOf(j) + 1 - k);
    }
    return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * t;
  }
  it('matches a full-sort reference and is 1 for an isometry', () => {
    const rng = new Rng(2);
    const x = Array.from({ length: 60 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = x.map((r) => [(r[0] as number) + 0.8 * rng.normal(), (r[1] as number) + 0.8 * rng.normal()]);
    expect(trustworthiness(x, y, { nNeighbors: 5 })).toBeCloseTo(reference(x, y, 5), 12);
    expect(
      trustworthiness(
        x,
        x.map((r) => r.map((v) => 2 * v + 1)),
      ),
    ).toBe(1);
    expect(() => trustworthiness(x, y, { nNeighbors: 30 })).toThrow(/options.nNeighbors must be less than n \/ 2 = 30, got 30/);
    expect(() => trustworthiness(x, y.slice(1))).toThrow(/embedding must be 60 rows like x/);
  });
});

import { Rng } from '@aiffel/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Dataset, GradientBoostingClassifier, GradientBoostingRegressor, RandomForestRegressor, useWasmKernels } from '../src/index.js';
import { CHUNK_ROWS } from '../src/parallel/chunks.js';
import { createHistEngine } from '../src/parallel/engine-factory.js';
import { BinnedRouter } from '../src/tree/binned-router.js';
import { RawWalker } from '../src/tree/raw-walker.js';
import { TreeBuilder } from '../src/tree/tree-builder.js';
import { lcg } from './helpers.js';

// Enough rows that the root and its large children are built in row chunks (and, with GOSS,
// scattered rows take the gather path of the wasm kernel).
const N = 5 * CHUNK_ROWS;

function data(n: number, cols: number, seed: number): { X: { data: Float32Array; rows: number; cols: number }; y: Float64Array; yc: Float64Array } {
  const r = lcg(seed);
  const x = new Float32Array(n * cols);
  const y = new Float64Array(n);
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) x[i * cols + j] = r() < 0.02 ? Number.NaN : r() * 2 - 1;
    const a = x[i * cols] as number;
    const b = x[i * cols + 1] as number;
    y[i] = (Number.isNaN(a) ? 0.5 : Math.sin(3 * a)) + (Number.isNaN(b) ? 0 : 2 * b) + 0.1 * r();
    yc[i] = (y[i] as number) > 0.3 ? 1 : 0;
  }
  return { X: { data: x, rows: n, cols }, y, yc };
}

const { X, y, yc } = data(N, 7, 11);
const ds = new Dataset(X, { categoricalFeatures: [], maxBin: 63 });

/** The fitted trees (the saved params legitimately differ in nThreads). */
function treesOf(json: Record<string, unknown>): string {
  return JSON.stringify(json.trees);
}

afterEach(() => {
  useWasmKernels(true);
});

describe('tree-growth kernels', () => {
  it('WebAssembly and JavaScript kernels, on 1 or 2 threads, grow identical models (gbdt, goss, bagging)', () => {
    expect(useWasmKernels(true)).toBe(true);
    for (const extra of [{ boosting: 'gbdt' as const }, { boosting: 'goss' as const }, { subsample: 0.5 }]) {
      const models = [];
      for (const wasm of [true, false])
        for (const nThreads of [1, 2]) {
          useWasmKernels(wasm);
          models.push(treesOf(new GradientBoostingRegressor({ nEstimators: 12, numLeaves: 15, nThreads, seed: 3, ...extra }).fit(ds, y).toJSON()));
        }
      for (const m of models.slice(1)) expect(m).toBe(models[0]);
    }
  });

  it('nodes large enough to be partitioned by both threads give the same trees as one thread and the JavaScript kernels', () => {
    // The root and its first children have 65,536 rows or more.
    const big = data(150_000, 3, 5);
    const bigSet = new Dataset(big.X, { maxBin: 31 });
    const models = [];
    for (const [wasm, nThreads] of [
      [true, 2],
      [true, 1],
      [false, 2],
    ] as const) {
      useWasmKernels(wasm);
      models.push(treesOf(new GradientBoostingClassifier({ nEstimators: 3, numLeaves: 7, nThreads, seed: 1 }).fit(bigSet, big.yc).toJSON()));
    }
    expect(models[1]).toBe(models[0]);
    expect(models[2]).toBe(models[0]);
  });

  it('the classifier and the multi-output forest path agree between kernels too', () => {
    const fit = (wasm: boolean) => {
      useWasmKernels(wasm);
      return treesOf(new GradientBoostingClassifier({ nEstimators: 6, nThreads: 2, seed: 1 }).fit(ds, yc).toJSON());
    };
    expect(fit(true)).toBe(fit(false));
    const forest = (threads: number) => treesOf(new RandomForestRegressor({ nEstimators: 3, maxDepth: 8, nThreads: threads, seed: 2 }).fit(ds, y).toJSON());
    expect(forest(2)).toBe(forest(1));
  });

  it('node histograms kept in the engine and histograms copied out of it grow the same tree', () => {
    // pool 0: every node histogram is a plain array, built in a chunk slot and copied out.
    const grow = (pool: number, wasm: boolean, threads: number): string => {
      useWasmKernels(wasm);
      const engine = createHistEngine(ds, 1, threads, pool);
      try {
        for (let i = 0; i < N; i++) {
          engine.grad[i] = (y[i] as number) - 0.3;
          engine.hess[i] = 1;
          engine.order[i] = i;
        }
        const builder = new TreeBuilder(ds.mappers, 1, engine);
        const opts = {
          numLeaves: 31,
          maxDepth: -1,
          growth: 'leaf' as const,
          featuresPerNode: ds.cols,
          lambdaL1: 0,
          lambdaL2: 1,
          minChildSamples: 20,
          minChildWeight: 1e-3,
          minSplitGain: 0,
          catSmooth: 10,
          catL2: 10,
          maxCatThreshold: 32,
          maxCatToOnehot: 4,
        };
        const cols = Int32Array.from({ length: ds.cols }, (_, i) => i);
        return JSON.stringify(builder.grow(N, opts, cols, new Rng(1)).tree.toJSON());
      } finally {
        engine.release();
      }
    };
    const reference = grow(64, true, 2);
    expect(JSON.parse(reference).numLeaves).toBe(31);
    for (const [pool, wasm, threads] of [
      [0, true, 2],
      [3, true, 1],
      [0, false, 2],
      [64, false, 1],
    ] as const)
      expect(grow(pool, wasm, threads)).toBe(reference);
  });

  it('prediction by the WebAssembly walker equals the JavaScript walk (binary, multiclass, NaN rows, odd block ends)', () => {
    const binary = new GradientBoostingClassifier({ nEstimators: 8, numLeaves: 31, nThreads: 1 }).fit(ds, yc);
    const classes = Float64Array.from(y, (v) => (v < -0.5 ? 0 : v < 0.8 ? 1 : 2));
    const multi = new GradientBoostingClassifier({ nEstimators: 5, numLeaves: 15, nThreads: 1 }).fit(ds, classes);
    // 4,096-row blocks plus a tail of 13 rows, and rows of NaN.
    const rows = 4096 + 13;
    const x = new Float32Array(rows * X.cols);
    x.set(X.data.subarray(0, rows * X.cols));
    x.fill(Number.NaN, 5 * X.cols, 7 * X.cols);
    const test = { data: x, rows, cols: X.cols };
    for (const m of [binary, multi]) {
      useWasmKernels(true);
      const fast = m.predictRaw(test);
      useWasmKernels(false);
      const reference = m.predictRaw(test);
      expect(Buffer.from(fast.buffer).equals(Buffer.from(reference.buffer))).toBe(true);
      expect(fast.length).toBe(rows * (m === multi ? 3 : 1));
    }
  });

  it('prediction reuses its compiled trees per model, across kernel switches and refits', () => {
    const m = new GradientBoostingRegressor({ nEstimators: 6, numLeaves: 15, nThreads: 1 });
    const test = { data: X.data.subarray(0, 50 * X.cols), rows: 50, cols: X.cols };
    m.fit(ds, y);
    useWasmKernels(false);
    const reference = [...m.predict(test)];
    useWasmKernels(true);
    expect([...m.predict(test)]).toEqual(reference);
    expect([...m.predict(test)]).toEqual(reference);
    // The first five rounds only, from the same compiled trees.
    const staged = [...m.predict(test, { iterations: 5 })];
    useWasmKernels(false);
    expect([...m.predict(test, { iterations: 5 })]).toEqual(staged);
    useWasmKernels(true);
    // A refit on other targets must not be answered from the first fit's trees.
    m.fit(
      ds,
      Float64Array.from(y, (v) => -2 * v),
    );
    const refit = [...m.predict(test)];
    useWasmKernels(false);
    expect([...m.predict(test)]).toEqual(refit);
    expect(refit[0]).not.toBeCloseTo(reference[0] as number, 3);
  });

  it('prediction of trees with categorical splits by the WebAssembly walker equals Tree.leafOf, with odd codes', () => {
    const r = lcg(9);
    const n = 6000;
    const x = new Float32Array(n * 3);
    const target = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const code = Math.floor(r() * 40);
      x[i * 3] = code;
      x[i * 3 + 1] = r() * 2 - 1;
      x[i * 3 + 2] = r() < 0.1 ? Number.NaN : r();
      target[i] = (code % 7 === 3 ? 2 : code % 5 === 1 ? -1 : 0) + (x[i * 3 + 1] as number) + 0.1 * r();
    }
    const m = new GradientBoostingRegressor({ nEstimators: 10, numLeaves: 15, nThreads: 1, categoricalFeatures: [0] }).fit(
      { data: x, rows: n, cols: 3 },
      target,
    );
    expect(m.trees.some((t) => t.categorical.includes(1))).toBe(true);
    // Codes the model never saw, fractions, negatives, NaN and a code past 2^32 that wraps onto 3.
    const odd = [3, 41, 1000, 2.5, -1, Number.NaN, 2 ** 32 + 3, 7];
    const rows = odd.length * 5;
    const t = new Float64Array(rows * 3);
    for (let i = 0; i < rows; i++) {
      t[i * 3] = odd[i % odd.length] as number;
      t[i * 3 + 1] = (i % 9) / 4 - 1;
      t[i * 3 + 2] = i % 4 === 0 ? Number.NaN : (i % 5) / 5;
    }
    const test = { data: t, rows, cols: 3 };
    // Three rows alike but for the code: 3 (a category of its own), 2^32 + 3 and 41 (unknown).
    const trio = { data: Float64Array.of(3, 0.5, 0.5, 2 ** 32 + 3, 0.5, 0.5, 41, 0.5, 0.5), rows: 3, cols: 3 };
    for (const X of [test, trio]) {
      useWasmKernels(true);
      const fast = m.predict(X);
      useWasmKernels(false);
      expect([...fast]).toEqual([...m.predict(X)]);
    }
    const [three, wrapped, unknown] = m.predict(trio);
    expect(wrapped).toBe(unknown);
    expect(Math.abs((three as number) - (unknown as number))).toBeGreaterThan(0.5);
  });

  it('the binned router sends every training row to the leaf the raw-value walk finds', () => {
    const m = new GradientBoostingRegressor({ nEstimators: 3, numLeaves: 31, nThreads: 1 }).fit(ds, y);
    const rows = Int32Array.from({ length: 2001 }, (_, i) => i * 13);
    const raw = Float64Array.from(X.data);
    const missing = Int32Array.from(ds.mappers.map((mp) => mp.missingBin));
    for (const tree of m.trees) {
      const leaves = new Int32Array(rows.length);
      new BinnedRouter(tree, missing).leaves(ds.bins, ds.cols, rows, leaves);
      for (let j = 0; j < rows.length; j++) expect(leaves[j]).toBe(tree.leafOf(raw, (rows[j] as number) * ds.cols));
    }
  });

  it('the raw-value walker finds the leaves of Tree.leafOf, with NaN, infinities and values on the thresholds', () => {
    const m = new GradientBoostingRegressor({ nEstimators: 4, numLeaves: 31, nThreads: 1 }).fit(ds, y);
    const cols = ds.cols;
    const rows = 1003;
    const x = new Float64Array(rows * cols);
    const r = lcg(5);
    const tree0 = m.trees[0] as (typeof m.trees)[number];
    for (let i = 0; i < x.length; i++) {
      const u = r();
      // Mix ordinary values, missing values, infinities and exact split thresholds.
      x[i] =
        u < 0.1
          ? Number.NaN
          : u < 0.15
            ? u < 0.125
              ? Number.POSITIVE_INFINITY
              : Number.NEGATIVE_INFINITY
            : u < 0.4
              ? (tree0.threshold[Math.floor(r() * (tree0.numLeaves - 1))] as number)
              : r() * 2 - 1;
    }
    for (const tree of m.trees) {
      const walker = RawWalker.of(tree);
      expect(walker).not.toBeNull();
      const leaves = new Int32Array(rows);
      walker?.leaves(x, cols, rows, leaves);
      for (let j = 0; j < rows; j++) expect(leaves[j]).toBe(tree.leafOf(x, j * cols));
    }
  });
});

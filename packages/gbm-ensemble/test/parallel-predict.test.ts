import { describe, expect, it } from 'vitest';
import { Dataset, GradientBoostingClassifier, GradientBoostingRegressor, RandomForestRegressor } from '../src/index.js';
import { lcg } from './helpers.js';

// Batch predictions of 2^20 tree walks or more are shared with the tree-growth workers a block of
// 4,096 rows at a time. Each row is still walked by one thread in the same order, so the scores
// must be bit-identical to one thread's, whatever the number of rows (here not a multiple of the
// block) and whatever the trees (numeric, categorical with NaN, several outputs).
const rows = 30_001;
const cols = 8;
const r = lcg(41);
const data = new Float32Array(rows * cols);
const y = new Float64Array(rows);
const yc = new Float64Array(rows);
for (let i = 0; i < rows; i++) {
  for (let j = 0; j < cols; j++) data[i * cols + j] = j >= 6 ? Math.floor(r() * 7) : r() < 0.04 ? Number.NaN : r() * 2 - 1;
  const a = data[i * cols] as number;
  const b = data[i * cols + 6] as number;
  y[i] = (Number.isNaN(a) ? 0.5 : Math.sin(3 * a)) + (b % 3) * 0.7 + 0.2 * r();
  yc[i] = Math.min(2, Math.floor((y[i] as number) + 1));
}
const X = { data, rows, cols };

function onThreads(make: (nThreads: number) => { predictRaw(x: typeof X): Float64Array }): Float64Array[] {
  return [1, 2].map((nThreads) => make(nThreads).predictRaw(X));
}

describe('batch prediction on two threads', () => {
  const ds = new Dataset(X, { categoricalFeatures: [6, 7] });
  it('gives the one-thread scores for numeric and categorical regression trees', () => {
    const [one, two] = onThreads((nThreads) => new GradientBoostingRegressor({ nEstimators: 40, numLeaves: 31, nThreads, seed: 1 }).fit(ds, y));
    expect(two).toEqual(one);
    const numeric = new Dataset(X);
    const [n1, n2] = onThreads((nThreads) => new GradientBoostingRegressor({ nEstimators: 40, numLeaves: 31, nThreads, seed: 1 }).fit(numeric, y));
    expect(n2).toEqual(n1);
  });

  it('gives the one-thread scores for several outputs per round and for random forests', () => {
    const [one, two] = onThreads((nThreads) => new GradientBoostingClassifier({ nEstimators: 12, numLeaves: 7, nThreads, seed: 2 }).fit(ds, yc));
    expect(one?.length).toBe(rows * 3);
    expect(two).toEqual(one);
    const [f1, f2] = [1, 2].map((nThreads) =>
      new RandomForestRegressor({ nEstimators: 40, maxDepth: 6, maxSamples: 0.3, nThreads, seed: 3 }).fit(ds, y).predict(X),
    );
    expect(f2).toEqual(f1);
  });

  it('predicts again after the helpers went back to training (and the other way round)', () => {
    const m = new GradientBoostingRegressor({ nEstimators: 40, numLeaves: 31, nThreads: 2, seed: 1 }).fit(ds, y);
    const first = m.predictRaw(X);
    const refit = new GradientBoostingRegressor({ nEstimators: 40, numLeaves: 31, nThreads: 2, seed: 1 }).fit(ds, y);
    expect(refit.predictRaw(X)).toEqual(first);
    expect(m.predictRaw(X)).toEqual(first);
  });

  it('a prediction inside a fit (a validation callback) stays on the calling thread and matches', () => {
    const m = new GradientBoostingRegressor({ nEstimators: 40, numLeaves: 31, nThreads: 2, seed: 1 }).fit(ds, y);
    const expected = m.predictRaw(X);
    let during: Float64Array | undefined;
    new GradientBoostingRegressor({ nEstimators: 3, numLeaves: 7, nThreads: 2, seed: 1 }).fit(ds, y, {
      onProgress: () => {
        during ??= m.predictRaw(X);
      },
    });
    expect(during).toEqual(expected);
  });
});

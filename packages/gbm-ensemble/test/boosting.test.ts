import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeObjective } from '../src/boosting/objectives.js';
import { Dataset, GradientBoostingClassifier, GradientBoostingRegressor, rmse, rocAuc, Schema } from '../src/index.js';
import { classificationData, regressionData } from './helpers.js';

const tiny = { minChildSamples: 1, minChildWeight: 0, nThreads: 1 as const };

describe('GradientBoostingRegressor on tiny data', () => {
  it('finds the brute-force best single split and leaf values -G/(H+lambda) times the learning rate', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const y = [1, 1.2, 0.9, 1.1, 5, 5.3, 4.8, 5.1];
    const lambda = 2;
    const lr = 0.5;
    const m = new GradientBoostingRegressor({ nEstimators: 1, numLeaves: 2, learningRate: lr, lambdaL2: lambda, ...tiny }).fit(
      x.map((v) => [v]),
      y,
    );
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    // brute force over thresholds: gain = GL^2/(HL+l) + GR^2/(HR+l) with g = mean - y, h = 1
    let best = { t: -1, gain: Number.NEGATIVE_INFINITY };
    for (let t = 1; t < x.length; t++) {
      const gl = y.slice(0, t).reduce((a, v) => a + (mean - v), 0);
      const gr = y.slice(t).reduce((a, v) => a + (mean - v), 0);
      const gain = (gl * gl) / (t + lambda) + (gr * gr) / (x.length - t + lambda);
      if (gain > best.gain) best = { t, gain };
    }
    expect(best.t).toBe(4);
    const tree = m.trees[0];
    expect(tree?.numLeaves).toBe(2);
    expect(tree?.threshold[0]).toBeCloseTo(4.5, 12);
    const gl = y.slice(0, 4).reduce((a, v) => a + (mean - v), 0);
    const gr = y.slice(4).reduce((a, v) => a + (mean - v), 0);
    const pred = m.predict([[2], [7]]);
    // gradients are float32, as in LightGBM
    expect(pred[0]).toBeCloseTo(mean + (lr * -gl) / (4 + lambda), 6);
    expect(pred[1]).toBeCloseTo(mean + (lr * -gr) / (4 + lambda), 6);
  });

  it('routes missing values the way that wins and remembers it', () => {
    // Rows with x missing have large targets like the x > 4 group: missing must go right.
    const X = [[1], [2], [3], [4], [5], [6], [7], [8], [Number.NaN], [Number.NaN]];
    const y = [0, 0, 0, 0, 10, 10, 10, 10, 10, 10];
    const m = new GradientBoostingRegressor({ nEstimators: 1, numLeaves: 2, learningRate: 1, ...tiny }).fit(X, y);
    const [a, b] = m.predict([[Number.NaN], [8]]);
    expect(a).toBeCloseTo(b as number, 12);
    expect(m.trees[0]?.defaultLeft[0]).toBe(0);
    const m2 = new GradientBoostingRegressor({ nEstimators: 1, numLeaves: 2, learningRate: 1, ...tiny }).fit(X, [10, 10, 10, 10, 0, 0, 0, 0, 10, 10]);
    expect(m2.trees[0]?.defaultLeft[0]).toBe(1);
    expect(m2.predict([[Number.NaN]])[0]).toBeCloseTo(m2.predict([[1]])[0] as number, 12);
  });

  it('splits a categorical feature into the right category sets', () => {
    const cats = [0, 1, 2, 3, 4, 5, 6, 7];
    const high = new Set([1, 4, 6]);
    const X: number[][] = [];
    const y: number[] = [];
    for (let rep = 0; rep < 20; rep++)
      for (const c of cats) {
        X.push([c]);
        y.push(high.has(c) ? 5 : 0);
      }
    const m = new GradientBoostingRegressor({ nEstimators: 1, numLeaves: 2, learningRate: 1, categoricalFeatures: [0], catL2: 0, catSmooth: 0, ...tiny }).fit(
      X,
      y,
    );
    const tree = m.trees[0];
    expect(tree?.categorical[0]).toBe(1);
    const left = new Set(tree?.catValues(0));
    // One side is exactly the high set.
    expect(left.size === 3 ? [...left].every((c) => high.has(c)) : [...high].every((c) => !left.has(c))).toBe(true);
    const p = m.predict(cats.map((c) => [c]));
    for (const [i, c] of cats.entries()) expect(p[i]).toBeCloseTo(high.has(c) ? 5 : 0, 9);
    // an unseen category goes right, like missing values
    expect(Number.isFinite(m.predict([[99]])[0])).toBe(true);
  });

  it('lowers the training loss every round (gbdt and goss, leaf and depth growth)', () => {
    const { X, y } = regressionData(800, 5);
    for (const opts of [{ boosting: 'gbdt' as const }, { boosting: 'goss' as const, learningRate: 0.3 }, { growth: 'depth' as const, maxDepth: 3 }]) {
      const losses: number[] = [];
      new GradientBoostingRegressor({ nEstimators: 30, nThreads: 1, ...opts }).fit(X, y, { onProgress: (p) => losses.push(p.trainLoss) });
      for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual((losses[i - 1] as number) + (opts.boosting === 'goss' ? 1e-3 : 1e-12));
      expect(losses.at(-1)).toBeLessThan((losses[0] as number) / 3);
    }
  });

  it('depth-wise growth respects maxDepth; leaf-wise respects numLeaves', () => {
    const { X, y } = regressionData(1000, 4);
    const d = new GradientBoostingRegressor({ nEstimators: 3, growth: 'depth', maxDepth: 3, nThreads: 1 }).fit(X, y);
    for (const t of d.trees) expect(t.depth()).toBeLessThanOrEqual(3);
    const l = new GradientBoostingRegressor({ nEstimators: 3, numLeaves: 7, nThreads: 1 }).fit(X, y);
    for (const t of l.trees) expect(t.numLeaves).toBeLessThanOrEqual(7);
  });

  it('fits l1 (median) and huber objectives robustly to outliers', () => {
    const { X, y } = regressionData(600, 3);
    const dirty = y.map((v, i) => (i % 25 === 0 ? v + 200 : v));
    const l2 = new GradientBoostingRegressor({ nEstimators: 60, nThreads: 1 }).fit(X, dirty);
    const l1 = new GradientBoostingRegressor({ nEstimators: 60, objective: 'l1', nThreads: 1 }).fit(X, dirty);
    const hub = new GradientBoostingRegressor({ nEstimators: 60, objective: 'huber', huberDelta: 1, nThreads: 1 }).fit(X, dirty);
    const test = regressionData(300, 3, 9);
    const e2 = rmse(test.y, l2.predict(test.X));
    expect(rmse(test.y, l1.predict(test.X))).toBeLessThan(e2);
    expect(rmse(test.y, hub.predict(test.X))).toBeLessThan(e2);
  });

  it('stops early on a validation metric and keeps the best round', () => {
    const { X, y } = regressionData(600, 4);
    const v = regressionData(200, 4, 5);
    const m = new GradientBoostingRegressor({ nEstimators: 500, learningRate: 0.5, numLeaves: 31, minChildSamples: 2, nThreads: 1 }).fit(X, y, {
      validation: { X: v.X, y: v.y },
      earlyStoppingRounds: 5,
      metric: 'rmse',
    });
    expect(m.nIterations).toBeLessThan(500);
    const hist = m.evalHistory;
    expect(hist.length).toBe(m.bestIteration + 5);
    expect(Math.min(...hist)).toBe(hist[m.bestIteration - 1]);
    expect(rmse(v.y, m.predict(v.X))).toBeCloseTo(hist[m.bestIteration - 1] as number, 9);
  });

  it('is deterministic for a seed, and staged predictions end at predict()', () => {
    const { X, y } = regressionData(500, 4);
    const opts = { nEstimators: 15, subsample: 0.7, colsampleBytree: 0.6, seed: 3, nThreads: 1 as const };
    const a = new GradientBoostingRegressor(opts).fit(X, y).predict(X);
    const b = new GradientBoostingRegressor(opts).fit(X, y).predict(X);
    expect(a).toEqual(b);
    const m = new GradientBoostingRegressor(opts).fit(X, y);
    const staged = [...m.stagedPredictRaw(X)];
    expect(staged.length).toBe(15);
    expect(staged.at(-1)).toEqual(m.predict(X));
    expect(staged[4]).toEqual(m.predict(X, { iterations: 5 }));
  });

  it('gives the same model on one thread and on two', () => {
    const { X, y } = regressionData(20_000, 8);
    const one = new GradientBoostingRegressor({ nEstimators: 5, nThreads: 1 }).fit(X, y).predict(X.slice(0, 50));
    const two = new GradientBoostingRegressor({ nEstimators: 5, nThreads: 2 }).fit(X, y).predict(X.slice(0, 50));
    for (let i = 0; i < 50; i++) expect(two[i]).toBeCloseTo(one[i] as number, 9);
  });

  it('reports split and gain importance of the informative features', () => {
    const { X, y } = regressionData(800, 5);
    const m = new GradientBoostingRegressor({ nEstimators: 20, nThreads: 1 }).fit(X, y);
    const gain = m.featureImportance('gain');
    expect(gain[0]! + gain[1]!).toBeGreaterThan(0.9 * gain.reduce((a, b) => a + b, 0));
    expect(m.featureImportance('split').reduce((a, b) => a + b, 0)).toBe(m.trees.reduce((a, t) => a + t.numLeaves - 1, 0));
  });

  it('saves and loads (same predictions) and rejects a tampered file', () => {
    const { X, y } = regressionData(300, 3);
    const m = new GradientBoostingRegressor({ nEstimators: 10, objective: 'huber', nThreads: 1 }).fit(X, y);
    const dir = mkdtempSync(join(tmpdir(), 'gbm-'));
    const path = join(dir, 'm.json');
    m.save(path);
    expect(GradientBoostingRegressor.load(path).predict(X)).toEqual(m.predict(X));
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.trees[0].left[0] = 0; // a loop
    writeFileSync(path, JSON.stringify(json));
    expect(() => GradientBoostingRegressor.load(path)).toThrow(/left\[0\]/);
    expect(() => GradientBoostingRegressor.fromJSON({ ...m.toJSON(), version: 99 })).toThrow(/version/);
    expect(() => GradientBoostingRegressor.fromJSON({ ...m.toJSON(), __proto__: { x: 1 }, featureNames: 'x' })).toThrow(/featureNames/);
  });

  it('trains on records through a schema and predicts records', () => {
    const schema = new Schema([
      { name: 'sqft', type: 'numeric' },
      { name: 'zip', type: 'categorical' },
    ]);
    const recs = Array.from({ length: 200 }, (_, i) => ({ sqft: 500 + (i % 50) * 20, zip: ['98001', '98002', '98003'][i % 3] }));
    const y = recs.map((r) => r.sqft * 0.01 + (r.zip === '98002' ? 10 : 0));
    const ds = new Dataset(recs, { schema });
    const m = new GradientBoostingRegressor({ nEstimators: 50, minChildSamples: 2, nThreads: 1 }).fit(ds, y);
    const p = m.predict([
      { sqft: 1000, zip: '98002' },
      { sqft: 1000, zip: '98001' },
      { sqft: 1000, zip: 'unknown' },
    ]);
    expect((p[0] as number) - (p[1] as number)).toBeGreaterThan(8);
    expect(Number.isFinite(p[2])).toBe(true);
  });
});

describe('objectives', () => {
  it('gradients and hessians match finite differences of the loss', () => {
    const h = 1e-5;
    const cases: [Parameters<typeof makeObjective>[0], number, number[], number[]][] = [
      ['l2', 1, [0.3, -1.2], [1, 0.5]],
      ['huber', 1, [0.3, -1.2], [0.5, 2]],
      ['binary', 1, [0.3, -1.2], [1, 0]],
      ['multiclass', 3, [0.3, -1.2, 0.5, 0.1, 0.2, -0.3], [2, 0]],
    ];
    for (const [name, K, s, yv] of cases) {
      const o = makeObjective(name, K, 1);
      const y = Float64Array.from(yv);
      const scores = Float64Array.from(s);
      const n = y.length;
      const g = new Float32Array(n * K);
      const hs = new Float32Array(n * K);
      o.gradients(y, scores, g, hs);
      for (let r = 0; r < n; r++)
        for (let k = 0; k < K; k++) {
          const at = r * K + k;
          const lossAt = (d: number): number => {
            const t = Float64Array.from(scores);
            t[at] = (t[at] as number) + d;
            // l2's reported loss is the MSE; its gradient is that of half the squared error.
            return o.loss(y, t) * n * (name === 'l2' ? 0.5 : 1);
          };
          const fd = (lossAt(h) - lossAt(-h)) / (2 * h);
          expect(g[k * n + r]).toBeCloseTo(fd, 4);
          // huber's hessian is 1 everywhere (LightGBM's convention), exact only inside delta
          const inside = name !== 'huber' || Math.abs((scores[at] as number) - (y[r] as number)) < 1;
          if (name !== 'multiclass' && inside) expect(hs[k * n + r]).toBeCloseTo((lossAt(h) - 2 * lossAt(0) + lossAt(-h)) / (h * h), 2);
        }
    }
  });
});

describe('GradientBoostingClassifier', () => {
  it('learns binary and multiclass problems with string labels', () => {
    const { X, y } = classificationData(1500, 4);
    const test = classificationData(500, 4, 2, 11);
    const m = new GradientBoostingClassifier({ nEstimators: 40, nThreads: 1 }).fit(X, y);
    const p = m.predictProba(test.X);
    expect(
      rocAuc(
        test.y,
        p.filter((_, i) => i % 2 === 1),
      ),
    ).toBeGreaterThan(0.97);
    const { X: X3, y: y3 } = classificationData(1500, 4, 3);
    const names = ['low', 'mid', 'high'];
    const m3 = new GradientBoostingClassifier<string>({ nEstimators: 40, nThreads: 1 }).fit(
      X3,
      y3.map((c) => names[c] as string),
    );
    expect(m3.classes).toEqual(['high', 'low', 'mid']);
    const pred = m3.predict(X3);
    const acc = pred.filter((l, i) => l === names[y3[i] as number]).length / pred.length;
    expect(acc).toBeGreaterThan(0.9);
    const proba = m3.predictProba(X3.slice(0, 5));
    for (let r = 0; r < 5; r++) expect(proba[r * 3]! + proba[r * 3 + 1]! + proba[r * 3 + 2]!).toBeCloseTo(1, 12);
    const round = GradientBoostingClassifier.fromJSON<string>(JSON.parse(JSON.stringify(m3.toJSON())));
    expect(round.predict(X3)).toEqual(pred);
  });

  it('GOSS keeps the top gradients and samples the rest at the requested rates', async () => {
    const { gossRows } = await import('../src/boosting/sampling.js');
    const { Rng } = await import('@aiffel/core');
    const n = 10_000;
    const g = Float32Array.from({ length: n }, (_, i) => (i % 100) - 50);
    const h = new Float32Array(n).fill(1);
    const s = gossRows(n, 1, g, h, 0.2, 0.1, new Rng(1));
    expect(s.n).toBe(2000 + 1000);
    let top = 0;
    let small = 0;
    for (let j = 0; j < s.n; j++) {
      const r = s.order[j] as number;
      if (s.weight?.[r] === 1) {
        top++;
        expect(Math.abs(g[r] as number)).toBeGreaterThanOrEqual(40);
      } else {
        small++;
        expect(s.weight?.[r]).toBeCloseTo(8, 6);
      }
    }
    expect(top).toBe(2000);
    expect(small).toBe(1000);
    expect(s.outside.length).toBe(n - s.n);
  });
});

describe('bad input', () => {
  it('names the argument and what was wrong', () => {
    expect(() => new GradientBoostingRegressor({ numLeaves: 1 })).toThrow(/numLeaves must be an integer in \[2/);
    expect(() => new GradientBoostingRegressor({ learningRate: 0 })).toThrow(/learningRate/);
    expect(() => new GradientBoostingRegressor({ lerningRate: 0.1 } as never)).toThrow(/unknown option "lerningRate"/);
    expect(() => new GradientBoostingRegressor({ boosting: 'goss', subsample: 0.5 })).toThrow(/subsample/);
    const m = new GradientBoostingRegressor({ nThreads: 1 });
    expect(() => m.fit([[1], [2]], [1, Number.NaN])).toThrow(/y\[1\] must be a finite number/);
    expect(() => m.fit([[1, 2], [3]], [1, 2])).toThrow(/X\[1\] must be a row of length 2/);
    expect(() => m.fit([], [])).toThrow(/X must be a non-empty matrix/);
    expect(() => m.fit([[1], [2]], [1])).toThrow(/y.length must be 2/);
    expect(() => m.fit([[1], [Number.POSITIVE_INFINITY]], [1, 2])).toThrow(/finite or NaN/);
    expect(() => m.predict([[1]])).toThrow(/before fit/);
    expect(() => new GradientBoostingClassifier({ nThreads: 1 }).fit([[1], [2]], [1, 1])).toThrow(/at least two classes/);
    expect(() => new Dataset([[0.5]], { categoricalFeatures: [0] })).toThrow(/category code/);
    m.fit([[1], [2], [3]], [1, 2, 3]);
    const before = m.predict([[2]]);
    expect(() => m.fit([[1], [2]], [1, Number.NaN])).toThrow();
    expect(m.predict([[2]])).toEqual(before);
    expect(() => m.predict([[1, 2]])).toThrow(/X columns must be 1/);
    expect(() => m.fit([[1], [2]], [1, 2], { earlyStoppingRounds: 3 })).toThrow(/validation/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  crossValScore,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  GridSearchCV,
  intRange,
  KFold,
  LogisticRegression,
  logUniform,
  permutationImportance,
  RandomForestClassifier,
  RandomForestRegressor,
  RandomizedSearchCV,
  RidgeRegression,
  r2Score,
  StackingClassifier,
  StackingRegressor,
  StratifiedKFold,
  TPESearch,
  trainTestSplit,
  VotingClassifier,
  VotingRegressor,
} from '../src/index.js';
import { classificationData, regressionData } from './helpers.js';

describe('RandomForest', () => {
  it('regressor: out-of-bag R^2 close to held-out R^2, impurity importance on informative features', () => {
    const { X, y } = regressionData(1500, 5);
    const test = regressionData(500, 5, 7);
    const rf = new RandomForestRegressor({ nEstimators: 40, oobScore: true, maxFeatures: 1.0, seed: 1, nThreads: 1 }).fit(X, y);
    const r2 = r2Score(test.y, rf.predict(test.X));
    expect(r2).toBeGreaterThan(0.9);
    expect(Math.abs(rf.oobScore - r2)).toBeLessThan(0.05);
    const imp = rf.featureImportance();
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(imp[0]! + imp[1]!).toBeGreaterThan(0.85);
  });

  it('classifier: leaves hold class frequencies, probabilities sum to one, deterministic for a seed', () => {
    const { X, y } = classificationData(1200, 4, 3);
    const a = new RandomForestClassifier({ nEstimators: 30, seed: 5, oobScore: true, nThreads: 1 }).fit(X, y);
    const b = new RandomForestClassifier({ nEstimators: 30, seed: 5, nThreads: 1 }).fit(X, y);
    expect(a.predictProba(X)).toEqual(b.predictProba(X));
    const p = a.predictProba(X.slice(0, 10));
    for (let r = 0; r < 10; r++) expect(p[3 * r]! + p[3 * r + 1]! + p[3 * r + 2]!).toBeCloseTo(1, 9);
    expect(a.oobScore).toBeGreaterThan(0.8);
    // a single unbootstrapped, unlimited tree fits its training data exactly (distinct rows)
    const one = new RandomForestClassifier({ nEstimators: 1, bootstrap: false, maxFeatures: 1.0, nThreads: 1 }).fit(X, y);
    expect(one.predict(X)).toEqual(y);
    // The same with sqrt(cols) features per node, where each node builds only those features'
    // histograms: stale bins of the others must never be read, so the tree still fits exactly.
    const wide = classificationData(600, 40, 4);
    for (const nThreads of [1, 2]) {
      const sparse = new RandomForestClassifier({ nEstimators: 1, bootstrap: false, maxFeatures: 'sqrt', nThreads, seed: 2 }).fit(wide.X, wide.y);
      expect(sparse.predict(wide.X)).toEqual(wide.y);
    }
    const round = RandomForestClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(round.predictProba(X)).toEqual(a.predictProba(X));
  });

  it('permutation importance ranks the informative features first', () => {
    const { X, y } = regressionData(800, 4);
    const m = new GradientBoostingRegressor({ nEstimators: 30, nThreads: 1 }).fit(X, y);
    const imp = permutationImportance(m, X, y, { nRepeats: 3, seed: 1 });
    expect(imp.mean[1]).toBeGreaterThan(imp.mean[2]! + 0.1);
    expect(imp.mean[0]).toBeGreaterThan(imp.mean[3]! + 0.1);
  });

  it('rejects bad options', () => {
    expect(() => new RandomForestRegressor({ maxFeatures: 1.5 })).toThrow(/maxFeatures/);
    expect(() => new RandomForestRegressor({ bootstrap: false, oobScore: true })).toThrow(/oobScore/);
    expect(() => new RandomForestRegressor().oobScore).toThrow(/before fit/);
  });
});

describe('voting and stacking', () => {
  it('VotingRegressor is the weighted mean of its members, also with prefit members', () => {
    const { X, y } = regressionData(400, 3);
    const a = new GradientBoostingRegressor({ nEstimators: 20, nThreads: 1 }).fit(X, y);
    const b = new RidgeRegression().fit(X, y);
    const v = new VotingRegressor({
      estimators: [
        ['gbm', a],
        ['ridge', b],
      ],
      weights: [3, 1],
      prefit: true,
    });
    const pa = a.predict(X);
    const pb = b.predict(X);
    const pv = v.predict(X);
    for (let i = 0; i < 20; i++) expect(pv[i]).toBeCloseTo((3 * pa[i]! + pb[i]!) / 4, 12);
    expect(() => new VotingRegressor({ estimators: [a], weights: [1, 2] })).toThrow(/weights/);
    expect(() => new VotingRegressor({ estimators: [a] }).predict(X)).toThrow(/before fit/);
  });

  it('VotingClassifier soft voting averages aligned probabilities; hard voting counts labels', () => {
    const { X, y } = classificationData(600, 3);
    const g = new GradientBoostingClassifier({ nEstimators: 20, nThreads: 1 }).fit(X, y);
    const l = new LogisticRegression().fit(X, y);
    const soft = new VotingClassifier({ estimators: [g, l], voting: 'soft', prefit: true });
    const pg = g.predictProba(X);
    const pl = l.predictProba(X);
    const ps = soft.predictProba(X);
    for (let i = 0; i < 20; i++) expect(ps[i]).toBeCloseTo((pg[i]! + pl[i]!) / 2, 12);
    const hard = new VotingClassifier({ estimators: [g, l, l], prefit: true });
    expect(hard.predict(X)).toEqual(l.predict(X));
  });

  it('stacking learns from out-of-fold predictions and beats or matches its members', () => {
    const { X, y } = regressionData(600, 4);
    const test = regressionData(300, 4, 8);
    const st = new StackingRegressor({
      estimators: [
        ['gbm', () => new GradientBoostingRegressor({ nEstimators: 40, nThreads: 1 })],
        ['ridge', () => new RidgeRegression()],
      ],
      cv: 4,
    }).fit(X, y);
    const r2 = r2Score(test.y, st.predict(test.X));
    expect(r2).toBeGreaterThan(r2Score(test.y, new RidgeRegression().fit(X, y).predict(test.X)));
    const sc = new StackingClassifier({ estimators: [() => new GradientBoostingClassifier({ nEstimators: 20, nThreads: 1 }), () => new LogisticRegression()] });
    const c = classificationData(500, 3);
    sc.fit(c.X, c.y);
    expect(sc.predict(c.X).filter((p, i) => p === c.y[i]).length / c.y.length).toBeGreaterThan(0.9);
  });
});

describe('model selection', () => {
  it('KFold covers every row once as test, train and test never overlap', () => {
    for (const folds of [new KFold({ nSplits: 4 }).split(10), new KFold({ nSplits: 3, shuffle: true, seed: 2 }).split(11)]) {
      const seen = new Set<number>();
      for (const f of folds) {
        for (const t of f.test) {
          expect(seen.has(t)).toBe(false);
          seen.add(t);
        }
        const test = new Set(f.test);
        for (const r of f.train) expect(test.has(r)).toBe(false);
        expect(f.train.length + f.test.length).toBe(folds === undefined ? 0 : f.train.length + f.test.length);
      }
      expect(seen.size).toBe(folds.reduce((a, f) => a + f.test.length, 0));
    }
    expect(new KFold({ nSplits: 4 }).split(10).map((f) => f.test.length)).toEqual([3, 3, 2, 2]);
  });

  it('StratifiedKFold and stratified trainTestSplit keep class shares', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    for (const f of new StratifiedKFold({ nSplits: 5, shuffle: true, seed: 1 }).split(y)) {
      expect(f.test.filter((r) => y[r] === 1).length).toBe(4);
      expect(f.test.length).toBe(20);
    }
    const s = trainTestSplit(100, { testSize: 0.2, stratify: y, seed: 3 });
    expect(Array.from(s.test).filter((r) => y[r] === 1).length).toBe(4);
    expect(() => new StratifiedKFold({ nSplits: 30 }).split(y)).toThrow(/class 1 must be at least nSplits/);
  });

  it('crossValScore, grid, random and TPE searches are reproducible and rank by score', () => {
    const { X, y } = regressionData(300, 3);
    const cv = crossValScore(() => new RidgeRegression(), X, y, { cv: 5, scoring: 'r2' });
    expect(cv.scores.length).toBe(5);
    const grid = new GridSearchCV({
      estimator: (p) => new GradientBoostingRegressor({ nEstimators: 10, nThreads: 1, ...p }),
      paramGrid: { numLeaves: [2, 8], learningRate: [0.05, 0.3] },
      cv: 3,
      scoring: 'rmse',
    }).fit(X, y);
    expect(grid.results.length).toBe(4);
    expect(grid.bestParams).toEqual({ numLeaves: 8, learningRate: 0.3 });
    for (let i = 1; i < grid.results.length; i++) expect(grid.results[i]!.meanScore).toBeGreaterThanOrEqual(grid.results[i - 1]!.meanScore);
    expect(grid.bestEstimator).toBeDefined();
    const space = { learningRate: logUniform(0.01, 0.5), numLeaves: intRange(2, 16) };
    const make = (p: Record<string, unknown>) => new GradientBoostingRegressor({ nEstimators: 8, nThreads: 1, ...p });
    const r1 = new RandomizedSearchCV({ estimator: make, paramDistributions: space, nIter: 4, seed: 9, cv: 3, scoring: 'rmse', refit: false }).fit(X, y);
    const r2 = new RandomizedSearchCV({ estimator: make, paramDistributions: space, nIter: 4, seed: 9, cv: 3, scoring: 'rmse', refit: false }).fit(X, y);
    expect(r1.table()).toEqual(r2.table().map((row, i) => ({ ...row, seconds: r1.table()[i]!.seconds })));
    const t1 = new TPESearch({ estimator: make, space, nTrials: 10, nStartup: 4, seed: 4, cv: 3, scoring: 'rmse', refit: false }).fit(X, y);
    const t2 = new TPESearch({ estimator: make, space, nTrials: 10, nStartup: 4, seed: 4, cv: 3, scoring: 'rmse', refit: false }).fit(X, y);
    expect(t1.results.map((t) => t.params)).toEqual(t2.results.map((t) => t.params));
    for (const t of t1.results) {
      expect(t.params.numLeaves).toBeGreaterThanOrEqual(2);
      expect(t.params.learningRate).toBeLessThanOrEqual(0.5);
    }
    expect(() => new GridSearchCV({ estimator: make, paramGrid: { numLeaves: [] } })).toThrow(/paramGrid.numLeaves/);
  });
});

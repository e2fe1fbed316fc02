import { describe, expect, it } from 'vitest';
import { weightedMedian } from '../src/boosting/sample-weight.js';
import { GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor } from '../src/index.js';
import { lcg } from './helpers.js';

// Integer features with few distinct values: duplicating rows leaves the bins unchanged, so a
// model fitted with weight 2 on a row must equal one fitted on data where the row appears twice.
function data(n: number, seed: number): { X: number[][]; y: number[]; w: number[] } {
  const r = lcg(seed);
  const X: number[][] = [];
  const y: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [Math.floor(r() * 10), Math.floor(r() * 7), Math.floor(r() * 5)];
    X.push(row);
    y.push((row[0] as number) * 0.3 - (row[1] as number) * 0.2 + r());
    w.push(r() < 0.3 ? 2 : 1);
  }
  return { X, y, w };
}

function duplicated<T>(rows: T[], w: number[]): T[] {
  return rows.flatMap((v, i) => (w[i] === 2 ? [v, v] : [v]));
}

const exact = { minChildSamples: 1, minChildWeight: 0, nThreads: 1 as const, nEstimators: 15, numLeaves: 8 };

describe('sampleWeight', () => {
  it('weight 2 on a row equals the row appearing twice (l2, l1 and binary)', () => {
    const { X, y, w } = data(400, 3);
    for (const objective of ['l2', 'l1'] as const) {
      const a = new GradientBoostingRegressor({ ...exact, objective }).fit(X, y, { sampleWeight: w });
      const b = new GradientBoostingRegressor({ ...exact, objective }).fit(duplicated(X, w), duplicated(y, w));
      const pa = a.predict(X);
      const pb = b.predict(X);
      for (let i = 0; i < X.length; i++) expect(pa[i]).toBeCloseTo(pb[i] as number, 9);
    }
    const labels = y.map((v) => (v > 0.5 ? 1 : 0));
    const a = new GradientBoostingClassifier(exact).fit(X, labels, { sampleWeight: w });
    const b = new GradientBoostingClassifier(exact).fit(duplicated(X, w), duplicated(labels, w));
    const pa = a.predictProba(X);
    const pb = b.predictProba(X);
    for (let i = 0; i < pa.length; i++) expect(pa[i]).toBeCloseTo(pb[i] as number, 9);
  });

  it('changes the model: up-weighting one class moves the predicted probabilities toward it', () => {
    const { X, y } = data(600, 5);
    const labels = y.map((v) => (v > 0.5 ? 1 : 0));
    const plain = new GradientBoostingClassifier({ nEstimators: 20, nThreads: 1 }).fit(X, labels);
    const heavy = new GradientBoostingClassifier({ nEstimators: 20, nThreads: 1 }).fit(X, labels, { sampleWeight: labels.map((l) => (l === 1 ? 5 : 1)) });
    const mean = (p: Float64Array): number => {
      let s = 0;
      for (let i = 1; i < p.length; i += 2) s += p[i] as number;
      return s / (p.length / 2);
    };
    expect(mean(heavy.predictProba(X))).toBeGreaterThan(mean(plain.predictProba(X)) + 0.05);
  });

  it('weighted median: hand-computed cases', () => {
    expect(weightedMedian(Float64Array.of(1, 2, 3), Float64Array.of(1, 1, 1))).toBe(2);
    expect(weightedMedian(Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 1, 1, 1))).toBe(2.5);
    expect(weightedMedian(Float64Array.of(3, 1, 2), Float64Array.of(5, 1, 1))).toBe(3);
    expect(weightedMedian(Float64Array.of(1, 10), Float64Array.of(0, 2))).toBe(10);
  });

  it('rejects bad weights, naming the argument, and leaves a fitted model as it was', () => {
    const { X, y } = data(50, 7);
    const m = new GradientBoostingRegressor({ nEstimators: 3, nThreads: 1 }).fit(X, y);
    const before = JSON.stringify(m.toJSON());
    expect(() => m.fit(X, y, { sampleWeight: [1, 2] })).toThrow(/sampleWeight.length must be 50 \(the number of rows of X\), got 2/);
    const neg = y.map(() => 1);
    neg[4] = -1;
    expect(() => m.fit(X, y, { sampleWeight: neg })).toThrow(/sampleWeight\[4\] must be a finite number >= 0, got -1/);
    neg[4] = Number.NaN;
    expect(() => m.fit(X, y, { sampleWeight: neg })).toThrow(/sampleWeight\[4\] must be a finite number >= 0, got NaN/);
    expect(() => m.fit(X, y, { sampleWeight: y.map(() => 0) })).toThrow(/sampleWeight must be weights with a positive sum/);
    expect(JSON.stringify(m.toJSON())).toBe(before);
  });
});

describe('sampleWeight in random forests', () => {
  // No bootstrap and every feature at every split: growth is deterministic, so weights can be compared with duplicated rows.
  const exactForest = { bootstrap: false, maxFeatures: 1, nEstimators: 3, minSamplesLeaf: 1, nThreads: 1 as const };

  it('weight 2 on a row equals the row appearing twice; weight 0 equals the row left out', () => {
    const { X, y, w } = data(300, 5);
    const a = new RandomForestRegressor(exactForest).fit(X, y, { sampleWeight: w });
    const b = new RandomForestRegressor(exactForest).fit(duplicated(X, w), duplicated(y, w));
    const pa = a.predict(X);
    const pb = b.predict(X);
    for (let i = 0; i < X.length; i++) expect(pa[i]).toBeCloseTo(pb[i] as number, 9);
    const labels = y.map((v) => (v > 0.5 ? 'high' : 'low'));
    const ca = new RandomForestClassifier<string>(exactForest).fit(X, labels, { sampleWeight: w });
    const cb = new RandomForestClassifier<string>(exactForest).fit(duplicated(X, w), duplicated(labels, w));
    const qa = ca.predictProba(X);
    const qb = cb.predictProba(X);
    for (let i = 0; i < qa.length; i++) expect(qa[i]).toBeCloseTo(qb[i] as number, 9);
    const keep = w.map((_, i) => (i % 5 === 0 ? 0 : 1));
    const c = new RandomForestRegressor(exactForest).fit(X, y, { sampleWeight: keep });
    const d = new RandomForestRegressor(exactForest).fit(
      X.filter((_, i) => keep[i] === 1),
      y.filter((_, i) => keep[i] === 1),
    );
    const pc = c.predict(X);
    const pd = d.predict(X);
    for (let i = 0; i < X.length; i++) expect(pc[i]).toBeCloseTo(pd[i] as number, 9);
  });

  it('multiplies the bootstrap draws, keeps fit reproducible, and rejects bad weights', () => {
    const { X, y, w } = data(200, 6);
    const opts = { nEstimators: 5, seed: 3, nThreads: 1 as const, oobScore: true };
    const a = new RandomForestRegressor(opts).fit(X, y, { sampleWeight: w });
    const b = new RandomForestRegressor(opts).fit(X, y, { sampleWeight: w });
    expect(Array.from(a.predict(X))).toEqual(Array.from(b.predict(X)));
    expect(a.oobScore).toBeGreaterThan(0);
    const m = new RandomForestRegressor(opts);
    expect(() => m.fit(X, y, { sampleWeight: w.slice(1) })).toThrow(/sampleWeight.length must be 200/);
    expect(() => m.fit(X, y, { sampleWeight: w.map(() => 0) })).toThrow(/sampleWeight must be weights with a positive sum/);
    expect(() => m.fit(X, y, { sampleWeight: w.map((v, i) => (i === 3 ? -1 : v)) })).toThrow(/sampleWeight\[3\] must be a finite number >= 0/);
    expect(() => m.fit(X, y, { weights: w } as never)).toThrow(/unknown option "weights"/);
  });
});

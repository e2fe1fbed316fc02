import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionMatrix,
  correlationMatrix,
  f1Score,
  interpolateMissing,
  log1pTarget,
  logLoss,
  MinMaxScaler,
  meanAbsoluteError,
  OneHotEncoder,
  OrdinalEncoder,
  r2Score,
  rmse,
  rmsle,
  rocAuc,
  StandardScaler,
  XGBoostModel,
} from '../src/index.js';

describe('metrics match scikit-learn reference values', () => {
  it('regression', () => {
    expect(r2Score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.948608, 6);
    expect(meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.5, 12);
    expect(rmse([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(rmsle([3, 5, 2.5, 7], [2.5, 5, 4, 8])).toBeCloseTo(0.19932417, 6);
    expect(() => rmsle([-1], [1])).toThrow(/non-negative/);
  });

  it('classification', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBeCloseTo(0.5, 12);
    expect(logLoss([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65])).toBeCloseTo(0.216162, 6);
    expect(
      logLoss(
        [1, 0, 0, 1],
        [
          [0.1, 0.9],
          [0.9, 0.1],
          [0.8, 0.2],
          [0.35, 0.65],
        ],
      ),
    ).toBeCloseTo(0.216162, 6);
    const yt = [0, 1, 2, 0, 1, 2];
    const yp = [0, 2, 1, 0, 0, 1];
    expect(f1Score(yt, yp, { average: 'macro' })).toBeCloseTo(0.266667, 6);
    expect(f1Score(yt, yp, { average: 'micro' })).toBeCloseTo(0.333333, 6);
    expect(f1Score(yt, yp, { average: 'weighted' })).toBeCloseTo(0.266667, 6);
    expect(f1Score([1, 1, 0, 0], [1, 0, 0, 0])).toBeCloseTo(2 / 3, 12);
    expect(accuracy(yt, yp)).toBeCloseTo(1 / 3, 12);
    expect(confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]).matrix).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(/both classes/);
    expect(() => accuracy([1, 2], [1])).toThrow(/yPred.length must be 2/);
  });

  it('take the string labels the classifiers take, with the same answers as numeric codes', () => {
    const yt = ['cat', 'dog', 'eel', 'cat', 'dog', 'eel'];
    const yp = ['cat', 'eel', 'dog', 'cat', 'cat', 'dog'];
    expect(accuracy(yt, yp)).toBeCloseTo(1 / 3, 12);
    expect(f1Score(yt, yp, { average: 'macro' })).toBeCloseTo(0.266667, 6);
    expect(f1Score(['yes', 'yes', 'no', 'no'], ['yes', 'no', 'no', 'no'], { posLabel: 'yes' })).toBeCloseTo(2 / 3, 12);
    const cm = confusionMatrix(yt, yp);
    expect(cm.labels).toEqual(['cat', 'dog', 'eel']);
    expect(cm.matrix).toEqual([
      [2, 0, 0],
      [1, 0, 1],
      [0, 2, 0],
    ]);
    // f1Score names itself, not the helper it uses; mixed label types are refused.
    expect(() => f1Score([1, 2], [1])).toThrow(/^f1Score yPred.length must be 2/);
    expect(() => accuracy(['a', 1] as never, ['a', 'b'])).toThrow(/accuracy yTrue\[1\] must be a string like the other labels/);
    expect(() => confusionMatrix([Number.NaN], [1])).toThrow(/confusionMatrix yTrue\[0\] must be a finite number or a non-empty string/);
  });
});

describe('preprocessing', () => {
  it('scalers transform and invert; NaN is kept', () => {
    const X = [
      [1, 10],
      [2, Number.NaN],
      [3, 30],
    ];
    const s = new StandardScaler().fit(X);
    const t = s.transform(X);
    expect(t[0]?.[0]).toBeCloseTo(-Math.sqrt(1.5), 12);
    expect(Number.isNaN(t[1]?.[1])).toBe(true);
    expect(s.inverseTransform(t)[2]?.[1]).toBeCloseTo(30, 12);
    const m = new MinMaxScaler({ featureRange: [-1, 1] }).fit(X);
    expect(m.transform(X).map((r) => r[0])).toEqual([-1, 0, 1]);
    expect(m.inverseTransform(m.transform(X))[2]?.[1]).toBeCloseTo(30, 12);
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrow(/featureRange/);
  });

  it('encoders map categories and handle unknowns as asked', () => {
    const X = [
      ['b', 1],
      ['a', 2],
      ['b', 3],
    ];
    const o = new OrdinalEncoder().fit(X);
    expect(o.transform(X)).toEqual([
      [1, 0],
      [0, 1],
      [1, 2],
    ]);
    expect(() => o.transform([['c', 1]])).toThrow(/X\[0\]\[0\]/);
    expect(Number.isNaN(new OrdinalEncoder({ handleUnknown: 'missing' }).fit(X).transform([['c', 1]])[0]?.[0])).toBe(true);
    const h = new OneHotEncoder({ handleUnknown: 'ignore' }).fit(X);
    expect(h.featureNames(['letter', 'n'])).toEqual(['letter_a', 'letter_b', 'n_1', 'n_2', 'n_3']);
    expect(
      h.transform([
        ['a', 3],
        ['z', 1],
      ]),
    ).toEqual([
      [1, 0, 0, 0, 1],
      [0, 0, 1, 0, 0],
    ]);
  });

  it('log1p target round trip, interpolation along an index, correlations', () => {
    const y = [0, 1, 1e6];
    const t = log1pTarget.transform(y);
    expect(Array.from(log1pTarget.inverse(t)).map((v) => Math.round(v))).toEqual(y);
    expect(() => log1pTarget.transform([-2])).toThrow(/y\[0\]/);
    expect(Array.from(interpolateMissing([Number.NaN, 1, Number.NaN, 3, Number.NaN]))).toEqual([1, 1, 2, 3, 3]);
    expect(Array.from(interpolateMissing([0, Number.NaN, 10], [0, 1, 10]))).toEqual([0, 1, 10]);
    expect(() => interpolateMissing([Number.NaN, Number.NaN])).toThrow(/at least one/);
    const cols = { columns: [Float64Array.of(1, 2, 3, 4, 5), Float64Array.of(5, 6, 7, 8, 7)] };
    expect(correlationMatrix(cols, 'spearman')[0]?.[1]).toBeCloseTo(0.820783, 6);
    expect(correlationMatrix(cols, 'pearson')[0]?.[1]).toBeCloseTo(0.83205, 6);
  });
});

describe('XGBoost model import', () => {
  const dir = join(import.meta.dirname, 'fixtures', 'xgboost');
  for (const name of ['binary', 'multiclass', 'regression', 'categorical']) {
    it(`predicts exactly as XGBoost (${name})`, () => {
      const model = XGBoostModel.load(join(dir, `${name}.model.json`));
      const cases = JSON.parse(readFileSync(join(dir, `${name}.cases.json`), 'utf8')) as {
        rows: (number | null)[][];
        margin: number[] | number[][];
        prediction: number[] | number[][];
      };
      const X = cases.rows.map((r) => r.map((v) => (v === null ? Number.NaN : v)));
      const margin = model.predict(X, { outputMargin: true });
      const pred = model.predict(X);
      const expMargin = cases.margin.flat();
      const expPred = cases.prediction.flat();
      expect(margin.length).toBe(expMargin.length);
      for (let i = 0; i < expMargin.length; i++) expect(Math.abs((margin[i] as number) - (expMargin[i] as number))).toBeLessThan(1e-5);
      for (let i = 0; i < expPred.length; i++) expect(Math.abs((pred[i] as number) - (expPred[i] as number))).toBeLessThan(1e-6);
    });
  }

  it('rejects models it cannot read, naming what is wrong', () => {
    const text = readFileSync(join(dir, 'binary.model.json'), 'utf8');
    const json = JSON.parse(text);
    json.learner.objective.name = 'rank:pairwise';
    expect(() => XGBoostModel.fromJSON(json)).toThrow(/objective/);
    const loop = JSON.parse(text);
    loop.learner.gradient_booster.model.trees[0].left_children[0] = 0;
    expect(() => XGBoostModel.fromJSON(loop)).toThrow(/children of node 0/);
    expect(() => XGBoostModel.fromJSON('{"learner": 1}')).toThrow(/learner/);
    const m = XGBoostModel.fromJSON(text);
    expect(() => m.predict([[1, 2]])).toThrow(/X columns must be 6/);
  });
});

describe('parseCsv', async () => {
  const { parseCsv } = await import('../src/index.js');
  it('reads quoted fields and names malformed lines', () => {
    const { header, rows } = parseCsv('a,b,c\n1,"x, y",3\r\n"4","he said ""hi""",6\n');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(rows).toEqual([
      ['1', 'x, y', '3'],
      ['4', 'he said "hi"', '6'],
    ]);
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/CSV line 3 must be 2 fields/);
    expect(() => parseCsv('a,b\n1,"2\n')).toThrow(/unterminated/);
  });
});

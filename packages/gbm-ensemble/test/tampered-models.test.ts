import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor, logLoss, RandomForestClassifier, XGBoostModel } from '../src/index.js';
import { classificationData, regressionData } from './helpers.js';

// Parsed model files are walked by field name; a loose type keeps the edits short.
// biome-ignore lint/suspicious/noExplicitAny: test edits of arbitrary JSON
type Json = Record<string, any>;

// A model file edited by hand (or by an attacker) must be refused with the field named, never
// load and predict something else.
describe('gbm model files that were tampered with', async () => {
  const { X, y } = classificationData(300, 3);
  const labels = y.map((v) => (v ? 'yes' : 'no'));
  const gbm = await new GradientBoostingClassifier<string>({ nEstimators: 5, seed: 1 }).fit(X, labels);
  const text = JSON.stringify(gbm.toJSON());
  const edited = (edit: (o: Json) => void) => {
    const o = JSON.parse(text);
    edit(o);
    return o;
  };

  it('loads the untouched file and predicts the same', () => {
    expect(GradientBoostingClassifier.fromJSON<string>(JSON.parse(text)).predict(X)).toEqual(gbm.predict(X));
  });

  it('refuses a threshold that is not a number', () => {
    expect(() => GradientBoostingClassifier.fromJSON(edited((o) => (o.trees[0].threshold[0] = 'abc')))).toThrow(
      /trees\[0\]\.threshold\[0\] must be a number \(or null for \+Infinity\), got "abc"/,
    );
    expect(() => GradientBoostingClassifier.fromJSON(edited((o) => (o.trees[1].defaultLeft[0] = 7)))).toThrow(/trees\[1\]\.defaultLeft\[0\] must be 0 or 1/);
    expect(() => GradientBoostingClassifier.fromJSON(edited((o) => (o.trees[0].thresholdBin[0] = -3)))).toThrow(
      /thresholdBin\[0\] must be a non-negative integer/,
    );
  });

  it('refuses repeated or mixed class labels', () => {
    expect(() => GradientBoostingClassifier.fromJSON(edited((o) => (o.classes = ['yes', 'yes'])))).toThrow(
      /classes\[1\] must be a label not listed before it, got "yes"/,
    );
    expect(() => GradientBoostingClassifier.fromJSON(edited((o) => (o.classes = [1, 'b'])))).toThrow(
      /classes\[1\] must be a finite number or a string, all of one type \(like GradientBoostingClassifier JSON classes\[0\]\), got "b"/,
    );
    expect(() => GradientBoostingClassifier.fromJSON(edited((o) => (o.classes = [null, 'b'])))).toThrow(/classes\[0\]/);
  });

  it('refuses the same in a random forest, and a maxFeatures above the feature count', async () => {
    const rf = await new RandomForestClassifier<string>({ nEstimators: 3, seed: 1 }).fit(X, labels);
    const o = rf.toJSON() as Json;
    expect(RandomForestClassifier.fromJSON<string>(JSON.parse(JSON.stringify(o))).predict(X)).toEqual(rf.predict(X));
    expect(() => RandomForestClassifier.fromJSON({ ...o, classes: ['no', 'no'] })).toThrow(/classes\[1\] must be a label not listed before it/);
    expect(() => RandomForestClassifier.fromJSON({ ...o, params: { ...o.params, maxFeatures: 10 } })).toThrow(
      /params\.maxFeatures must be at most the 3 features of the model, got 10/,
    );
  });
});

describe('fits that are refused release their workers', () => {
  it('maxFeatures above the feature count is an error (scikit-learn refuses it too), and the next fit runs', async () => {
    const { X, y } = classificationData(3000, 3);
    expect(() => new RandomForestClassifier({ nEstimators: 2, maxFeatures: 10, nThreads: 2 }).fit(X, y)).toThrow(
      /maxFeatures must be at most the 3 features of the data, got 10/,
    );
    expect(() => new GradientBoostingClassifier({ nEstimators: 2, nThreads: 2 }).fit(X, y, { earlyStoppingRounds: 0 })).toThrow(/earlyStoppingRounds/);
    expect(() => new GradientBoostingClassifier({ nEstimators: 2, nThreads: 2 }).fit(X, y, { validation: { X: [[1]], y: [1] } })).toThrow(
      /validation\.X columns must be 3/,
    );
    // Before the fix the engine of a refused fit kept its worker, and this fit waited 20 s for it.
    const started = Date.now();
    const rf = await new RandomForestClassifier({ nEstimators: 2, nThreads: 2 }).fit(X, y);
    const gbm = await new GradientBoostingClassifier({ nEstimators: 2, nThreads: 2 }).fit(X, y);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(rf.predict(X.slice(0, 2))).toHaveLength(2);
    expect(gbm.predict(X.slice(0, 2))).toHaveLength(2);
  });
});

describe('a learning rate so large that training diverges', () => {
  it('stops with the round and the cause instead of a model that predicts NaN', async () => {
    const { X, y } = regressionData(300, 3);
    expect(() =>
      new GradientBoostingRegressor({ nEstimators: 20, learningRate: 1e6 }).fit(
        X,
        y.map((v) => v * 1000),
      ),
    ).toThrow(/learningRate 1000000 made training diverge at round \d+: leaf values are no longer finite/);
    const c = classificationData(300, 3);
    expect(() => new GradientBoostingClassifier({ nEstimators: 5, learningRate: 1e300 }).fit(c.X, c.y)).toThrow(/made training diverge at round 1/);
    // A large but finite rate is the caller's choice and still gives finite probabilities.
    const big = await new GradientBoostingClassifier({ nEstimators: 5, learningRate: 50 }).fit(c.X, c.y);
    expect(Array.from(big.predictProba(c.X)).every(Number.isFinite)).toBe(true);
  });
});

describe('logLoss', () => {
  it('refuses probabilities outside [0, 1] instead of clipping them', () => {
    expect(() => logLoss([0, 1], [0.2, 1.5])).toThrow(/logLoss proba \(row 1\) must be a probability in \[0, 1\], got 1.5/);
    expect(() => logLoss([0, 1], [-0.1, 0.9])).toThrow(/row 0/);
    expect(() => logLoss([0, 1], [Number.NaN, 0.9])).toThrow(/got NaN/);
    expect(() =>
      logLoss(
        [0, 1],
        [
          [0.5, 0.5],
          [0.2, 1.2],
        ],
      ),
    ).toThrow(/row 1/);
    // Exact 0 and 1 are probabilities: clipped to eps so the loss stays finite.
    expect(logLoss([0, 1], [0, 1])).toBeCloseTo(-Math.log(1 - 1e-15), 12);
  });
});

describe('XGBoost files that were tampered with', () => {
  const text = readFileSync(join(import.meta.dirname, 'fixtures', 'xgboost', 'binary.model.json'), 'utf8');
  const edited = (edit: (o: Json) => void) => {
    const o = JSON.parse(text);
    edit(o);
    return o;
  };
  const tree0 = (o: Json) => o.learner.gradient_booster.model.trees[0];
  const splitNode = (o: Json) => (tree0(o).left_children as number[]).findIndex((c) => c !== -1);

  it('refuses null or string split conditions and flags that are not 0/1', () => {
    expect(() => XGBoostModel.fromJSON(edited((o) => (tree0(o).split_conditions[splitNode(o)] = null)))).toThrow(
      /split_conditions\[0\] must be a number, got null/,
    );
    expect(() => XGBoostModel.fromJSON(edited((o) => (tree0(o).split_conditions[splitNode(o)] = '0.5')))).toThrow(
      /split_conditions\[0\] must be a number, got "0.5"/,
    );
    const leaf = (o: Json) => (tree0(o).left_children as number[]).indexOf(-1);
    expect(() => XGBoostModel.fromJSON(edited((o) => (tree0(o).split_conditions[leaf(o)] = null)))).toThrow(/must be a finite leaf value, got null/);
    expect(() => XGBoostModel.fromJSON(edited((o) => (tree0(o).default_left[0] = 2)))).toThrow(/default_left\[0\] must be 0 or 1/);
  });

  it('keeps NaN and infinities apart when reading XGBoost text', () => {
    const o = JSON.parse(text);
    const i = splitNode(o);
    const raw = JSON.stringify(o).replace(/"split_conditions":\[([^,\]]+)/, (_m) => `"split_conditions":[${i === 0 ? 'Infinity' : _m.split('[')[1]}`);
    // An infinite threshold is a valid split (everything finite goes left)...
    expect(() => XGBoostModel.fromJSON(raw)).not.toThrow();
    // ...and NaN is not.
    expect(() => XGBoostModel.fromJSON(raw.replace('"split_conditions":[Infinity', '"split_conditions":[NaN'))).toThrow(/must be a number, got null/);
  });

  it('refuses a tree count that disagrees with num_trees, and versions before 1.0', () => {
    expect(() =>
      XGBoostModel.fromJSON(
        edited((o) => {
          o.learner.gradient_booster.model.trees.pop();
          o.learner.gradient_booster.model.tree_info.pop();
        }),
      ),
    ).toThrow(/trees must be 12 trees \(gbtree_model_param.num_trees\), got an array of length 11/);
    expect(() => XGBoostModel.fromJSON(edited((o) => (o.version = [0, 90, 0])))).toThrow(
      /version must be \[major, minor, patch\] of XGBoost 1.0 or later, got "0.90.0"/,
    );
    expect(() => XGBoostModel.fromJSON(edited((o) => delete o.version))).toThrow(/version must be/);
    expect(() => XGBoostModel.fromJSON(edited((o) => (o.learner.learner_model_param.base_score = '1')))).toThrow(
      /base_score must be a value with a finite margin/,
    );
    expect(() => XGBoostModel.fromJSON(edited((o) => (o.learner.learner_model_param.num_class = '2.5')))).toThrow(/num_class must be an integer/);
  });
});

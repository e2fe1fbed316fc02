import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LightGBMModel } from '../src/index.js';

// Hand-written models in LightGBM's text format (LightGBM itself is not packaged by Debian and
// PyPI is unreachable here, so the expected values are worked out by hand from the format's rules).
const header = (objective: string, extra = '') => `tree
version=v4
num_class=1
num_tree_per_iteration=1
label_index=0
max_feature_idx=2
objective=${objective}
feature_names=age income city
feature_infos=[18:90] [0:1000] 0:1:2:5
${extra}tree_sizes=100 100
`;

// Tree 0: age <= 30.5 (NaN missing, default left) -> -0.5; else income <= 500 (no missing type,
// NaN read as 0, default left) -> 0.2 / 0.7. Tree 1: city in {1, 5} (bitset 34 = bits 1 and 5) -> 0.3, else -0.1.
const TREES = `
Tree=0
num_leaves=3
num_cat=0
split_feature=0 1
split_gain=10 5
threshold=30.5 500
decision_type=10 2
left_child=-1 -2
right_child=1 -3
leaf_value=-0.5 0.2 0.7
leaf_weight=1 1 1
leaf_count=10 10 10
internal_value=0 0
internal_weight=0 0
internal_count=30 20
is_linear=0
shrinkage=0.1


Tree=1
num_leaves=2
num_cat=1
split_feature=2
split_gain=3
threshold=0
decision_type=1
left_child=-1
right_child=-2
leaf_value=0.3 -0.1
leaf_weight=1 1
leaf_count=15 15
internal_value=0
internal_weight=0
internal_count=30
cat_boundaries=0 1
cat_threshold=34
is_linear=0
shrinkage=0.1


end of trees

feature_importances:
age=1
income=1
city=1

parameters:
[boosting: gbdt]
end of parameters

pandas_categorical:null
`;

const rows = [
  [25, 100, 1], // -0.5 + 0.3
  [40, Number.NaN, 5], // 0.2 + 0.3: NaN income is 0 for a split without a missing type
  [Number.NaN, 900, 2], // -0.5 (NaN age goes to the default left) - 0.1
  [50, 900, Number.NaN], // 0.7 - 0.1: NaN city is category 0
  [30.5, 0, -1], // <= is inclusive: -0.5; negative categories go right: -0.1
];
const raw = [-0.2, 0.5, -0.6, 0.6, -0.6];
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('LightGBMModel', () => {
  it('predicts binary models: thresholds, missing values, categorical bitsets, the sigmoid parameter', () => {
    const m = LightGBMModel.fromString(header('binary sigmoid:1') + TREES);
    expect(m.featureNames).toEqual(['age', 'income', 'city']);
    expect(m.iterations).toBe(2);
    const r = m.predict(rows, { rawScore: true });
    for (const [i, v] of raw.entries()) expect(r[i]).toBeCloseTo(v, 12);
    const p = m.predict(rows);
    for (const [i, v] of raw.entries()) expect(p[i]).toBeCloseTo(sigmoid(v), 12);
    const steep = LightGBMModel.fromString(header('binary sigmoid:2') + TREES).predict(rows);
    for (const [i, v] of raw.entries()) expect(steep[i]).toBeCloseTo(sigmoid(2 * v), 12);
    // From a file, and from row-major typed input.
    const path = join(mkdtempSync(join(tmpdir(), 'lgb-')), 'model.txt');
    writeFileSync(path, header('binary sigmoid:1') + TREES);
    const flat = LightGBMModel.load(path).predict({ data: Float64Array.from(rows.flat()), rows: 5, cols: 3 });
    expect(Array.from(flat)).toEqual(Array.from(p));
  });

  it('regression transforms: identity, reg_sqrt squared back, exp for poisson, averaged random-forest output', () => {
    expect(Array.from(LightGBMModel.fromString(header('regression') + TREES).predict(rows)).map((v) => Number(v.toFixed(12)))).toEqual(raw);
    const sq = LightGBMModel.fromString(header('regression sqrt') + TREES).predict(rows);
    for (const [i, v] of raw.entries()) expect(sq[i]).toBeCloseTo(Math.sign(v) * v * v, 12);
    const pois = LightGBMModel.fromString(header('poisson') + TREES).predict(rows);
    for (const [i, v] of raw.entries()) expect(pois[i]).toBeCloseTo(Math.exp(v), 12);
    const rf = LightGBMModel.fromString(header('regression', 'average_output\n') + TREES).predict(rows);
    for (const [i, v] of raw.entries()) expect(rf[i]).toBeCloseTo(v / 2, 12);
  });

  it('zero-as-missing splits send zeros (and NaN) to their default side', () => {
    const tree = (decisionType: number) => `
Tree=0
num_leaves=2
num_cat=0
split_feature=1
threshold=-1
decision_type=${decisionType}
left_child=-1
right_child=-2
leaf_value=1 2
is_linear=0
shrinkage=1
`;
    // Threshold -1: without a missing type, 0 and NaN (read as 0) go right (0 > -1).
    const none = LightGBMModel.fromString(header('regression') + tree(0));
    expect(
      Array.from(
        none.predict([
          [0, 0, 0],
          [0, Number.NaN, 0],
          [0, -5, 0],
        ]),
      ),
    ).toEqual([2, 2, 1]);
    // Missing type Zero (4), default left (+2): zeros and NaN go left.
    const zeroLeft = LightGBMModel.fromString(header('regression') + tree(6));
    expect(
      Array.from(
        zeroLeft.predict([
          [0, 0, 0],
          [0, Number.NaN, 0],
          [0, 1e-36, 0],
          [0, 3, 0],
        ]),
      ),
    ).toEqual([1, 1, 1, 2]);
  });

  it('multiclass: one tree per class per round, softmax over classes; one-leaf trees', () => {
    const leaf = (i: number, v: number) => `
Tree=${i}
num_leaves=1
num_cat=0
split_feature=
split_gain=
threshold=
decision_type=
left_child=
right_child=
leaf_value=${v}
is_linear=0
shrinkage=1
`;
    const text =
      header('multiclass num_class:3').replace('num_class=1', 'num_class=3').replace('num_tree_per_iteration=1', 'num_tree_per_iteration=3') +
      leaf(0, 1) +
      leaf(1, 0) +
      leaf(2, -1) +
      leaf(3, 0.5) +
      leaf(4, 0) +
      leaf(5, 0);
    const m = LightGBMModel.fromString(text);
    expect(Array.from(m.predict([[1, 2, 3]], { rawScore: true }))).toEqual([1.5, 0, -1]);
    const p = m.predict([[1, 2, 3]]);
    const z = Math.exp(1.5) + 1 + Math.exp(-1);
    for (const [i, v] of [Math.exp(1.5) / z, 1 / z, Math.exp(-1) / z].entries()) expect(p[i]).toBeCloseTo(v, 12);
  });

  it('refuses files that are not LightGBM text models, tampered trees and linear trees', () => {
    const ok = header('binary sigmoid:1') + TREES;
    expect(() => LightGBMModel.fromString('{"learner": {}}')).toThrow(/LightGBM model must be a LightGBM text model/);
    expect(() => LightGBMModel.fromString(ok.replace('objective=binary sigmoid:1', 'objective=ranknet'))).toThrow(/objective must be one of/);
    expect(() => LightGBMModel.fromString(ok.replace('left_child=-1 -2', 'left_child=0 -2'))).toThrow(/children of node 0 must be nodes in \(0, 2\)/);
    expect(() => LightGBMModel.fromString(ok.replace('split_feature=0 1', 'split_feature=0 7'))).toThrow(/split_feature\[1\] must be a feature in \[0, 2\]/);
    expect(() => LightGBMModel.fromString(ok.replace('leaf_value=-0.5 0.2 0.7', 'leaf_value=-0.5 0.2'))).toThrow(/leaf_value must be 3 values, got 2/);
    expect(() => LightGBMModel.fromString(ok.replace('threshold=30.5 500', 'threshold=30.5 abc'))).toThrow(/threshold\[1\] must be a number, got "abc"/);
    expect(() => LightGBMModel.fromString(ok.replace('is_linear=0', 'is_linear=1'))).toThrow(/linear trees are not supported/);
    expect(() => LightGBMModel.fromString(ok.replace(/Tree=[\s\S]*/, ''))).toThrow(/at least one Tree= section/);
    // Non-finite leaves, a format version this reader does not know, and numbers where integers belong.
    expect(() => LightGBMModel.fromString(ok.replace('leaf_value=-0.5 0.2 0.7', 'leaf_value=-0.5 nan inf'))).toThrow(
      /leaf_value\[1\] must be a finite number, got NaN/,
    );
    expect(() => LightGBMModel.fromString(ok.replace('leaf_value=0.3 -0.1', 'leaf_value=0.3 -inf'))).toThrow(/leaf_value\[1\] must be a finite number/);
    expect(() => LightGBMModel.fromString(ok.replace('version=v4', 'version=v1'))).toThrow(/version must be 'v3' or 'v4' \(LightGBM 3.0 or later\), got "v1"/);
    expect(() => LightGBMModel.fromString(ok.replace('version=v4\n', ''))).toThrow(/version must be/);
    expect(() => LightGBMModel.fromString(ok.replace('split_feature=0 1', 'split_feature=0 inf'))).toThrow(/split_feature\[1\] must be an integer/);
    expect(() => LightGBMModel.fromString(ok.replace('decision_type=10 2', 'decision_type=10 2.5'))).toThrow(/decision_type\[1\] must be an integer/);
    expect(() => LightGBMModel.fromString(ok.replace('threshold=30.5 500', 'threshold=30.5 nan'))).toThrow(/threshold\[1\] must be a number, got NaN/);
    expect(() => LightGBMModel.fromString(ok.replace('sigmoid:1', 'sigmoid:-2'))).toThrow(/sigmoid must be a positive finite number/);
    // Hostile keys are just unknown fields.
    const m = LightGBMModel.fromString(ok.replace('version=v4', 'version=v4\n__proto__=1\nconstructor=2'));
    expect(m.predict([rows[0] as number[]], { rawScore: true })[0]).toBeCloseTo(-0.2, 12);
    expect(() => m.predict([[1, 2]])).toThrow(/X columns must be 3/);
  });
});

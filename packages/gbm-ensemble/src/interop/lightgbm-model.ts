import { readFileSync } from 'node:fs';
import { checkOptions, rangeError, typeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import { sigmoid, softmaxRow } from '../boosting/objectives.js';
import { sourceFor } from '../boosting/predict-raw.js';

/** One LightGBM tree: internal nodes 0..n-1, children >= 0 are nodes, < 0 are leaves (~leaf). */
interface LgbTree {
  feature: Int32Array;
  threshold: Float64Array;
  decisionType: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  leafValue: Float64Array;
  catBoundaries: Int32Array;
  catThreshold: Uint32Array;
}

// decision_type bits (LightGBM tree.h): categorical, default left, then the missing type in bits 2-3.
const CATEGORICAL = 1;
const DEFAULT_LEFT = 2;
const MISSING_ZERO = 1;
const MISSING_NAN = 2;
/** LightGBM's kZeroThreshold: |x| below it counts as zero for missing-as-zero splits. */
const ZERO = 1e-35;
const MAX_NODES = 1 << 24;

type Transform = 'identity' | 'sigmoid' | 'softmax' | 'ova' | 'exp';

const OBJECTIVES: Record<string, Transform> = {
  regression: 'identity',
  regression_l1: 'identity',
  huber: 'identity',
  fair: 'identity',
  quantile: 'identity',
  mape: 'identity',
  binary: 'sigmoid',
  cross_entropy: 'sigmoid',
  multiclass: 'softmax',
  multiclassova: 'ova',
  poisson: 'exp',
  gamma: 'exp',
  tweedie: 'exp',
  lambdarank: 'identity',
  rank_xendcg: 'identity',
};

/** C's spellings of the non-finite values, as LightGBM's writer prints them. */
const SPECIAL = new Map<string, number>([
  ['inf', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
  ['nan', Number.NaN],
  ['-nan', Number.NaN],
]);

function numbers(line: string | undefined, what: string, len: number): number[] {
  if (line === undefined) throw rangeError(`LightGBM model ${what}`, `a line of ${len} values`, 'missing');
  const parts = line.trim() === '' ? [] : line.trim().split(/\s+/);
  if (parts.length !== len) throw rangeError(`LightGBM model ${what}`, `${len} values`, parts.length);
  return parts.map((p, i) => {
    const special = SPECIAL.get(p.toLowerCase());
    const v = special ?? Number(p);
    if (Number.isNaN(v) && !SPECIAL.has(p.toLowerCase())) throw rangeError(`LightGBM model ${what}[${i}]`, 'a number', p);
    return v;
  });
}

/** Whole numbers in [min, max]: `Int32Array.from` would turn a tampered 'inf' or 1.5 into 0 or 1. */
function integers(line: string | undefined, what: string, len: number, min: number, max: number): number[] {
  const v = numbers(line, what, len);
  v.forEach((x, i) => {
    if (!Number.isInteger(x) || x < min || x > max) throw rangeError(`LightGBM model ${what}[${i}]`, `an integer in [${min}, ${max}]`, x);
  });
  return v;
}

/** Reads `key=value` lines of one section into a null-prototype map (hostile keys stay data). */
function fields(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 1));
  }
  return out;
}

/**
 * A model saved by LightGBM (`booster.save_model('model.txt')` or `model_to_string()`, the text
 * format), predicting as LightGBM's predictor does: feature values compared with `x <= threshold`
 * in float64, missing values (NaN, or zero for zero-as-missing splits) taking the split's default
 * side, categorical splits sending the categories in the split's bitset left, leaf values summed
 * per class (the shrinkage is already in them), then the objective's transform (sigmoid with the
 * model's sigmoid parameter, softmax, exp). Linear trees are refused.
 */
export class LightGBMModel {
  readonly objective: string;
  readonly numClass: number;
  readonly featureNames: string[];
  private readonly transform: Transform;
  private readonly sigmoidScale: number;
  private readonly sqrt: boolean;
  private readonly averageOutput: boolean;
  private readonly perIteration: number;
  private readonly trees: LgbTree[];

  private constructor(text: string) {
    if (typeof text !== 'string') throw typeError('LightGBM model', 'the text of a model file', text);
    const lines = text.split(/\r?\n/);
    const first = lines.findIndex((l) => l.startsWith('Tree='));
    const headerEnd = first < 0 ? lines.length : first;
    const header = fields(lines.slice(0, headerEnd));
    if (lines[0]?.trim() !== 'tree' || !header.has('max_feature_idx'))
      throw rangeError('LightGBM model', "a LightGBM text model (starting with 'tree')", lines[0]?.slice(0, 40));
    // LightGBM 3.x writes "v3" and 4.x "v4", the formats this reader follows; an older or unknown
    // version may lay trees out differently and would be read wrong without a sound.
    const version = header.get('version')?.trim();
    if (version !== 'v3' && version !== 'v4') throw rangeError('LightGBM model version', "'v3' or 'v4' (LightGBM 3.0 or later)", version);
    const objectiveLine = (header.get('objective') ?? 'regression').trim().split(/\s+/);
    this.objective = objectiveLine[0] as string;
    const transform = OBJECTIVES[this.objective];
    if (transform === undefined) throw rangeError('LightGBM model objective', `one of ${Object.keys(OBJECTIVES).join(', ')}`, this.objective);
    this.transform = transform;
    const param = (name: string) => objectiveLine.find((p) => p.startsWith(`${name}:`))?.slice(name.length + 1);
    this.sigmoidScale = Number(param('sigmoid') ?? 1);
    if (!(Number.isFinite(this.sigmoidScale) && this.sigmoidScale > 0))
      throw rangeError('LightGBM model objective sigmoid', 'a positive finite number', param('sigmoid'));
    this.sqrt = objectiveLine.includes('sqrt');
    this.numClass = Number(header.get('num_class') ?? 1);
    this.perIteration = Number(header.get('num_tree_per_iteration') ?? this.numClass);
    const maxFeature = Number(header.get('max_feature_idx'));
    for (const [what, v, lo] of [
      ['num_class', this.numClass, 1],
      ['num_tree_per_iteration', this.perIteration, 1],
      ['max_feature_idx', maxFeature, 0],
    ] as const)
      if (!Number.isInteger(v) || v < lo || v > MAX_NODES) throw rangeError(`LightGBM model ${what}`, `an integer >= ${lo}`, v);
    const names = header.get('feature_names')?.trim().split(/\s+/);
    this.featureNames = names && names.length === maxFeature + 1 ? names : Array.from({ length: maxFeature + 1 }, (_, i) => `Column_${i}`);
    // A bare flag line (random-forest mode): outputs are averaged over rounds, not summed.
    this.averageOutput = lines.slice(0, headerEnd).some((l) => l.trim() === 'average_output');

    this.trees = [];
    let at = headerEnd;
    while (at < lines.length && lines[at]?.startsWith('Tree=')) {
      let end = at + 1;
      while (end < lines.length && (lines[end] as string).trim() !== '' && !(lines[end] as string).startsWith('Tree=')) end++;
      this.trees.push(this.readTree(fields(lines.slice(at + 1, end)), maxFeature, (lines[at] as string).trim()));
      at = end;
      while (at < lines.length && (lines[at] as string).trim() === '') at++;
    }
    if (this.trees.length === 0) throw rangeError('LightGBM model', 'at least one Tree= section', 'none');
    if (this.trees.length % this.perIteration !== 0)
      throw rangeError('LightGBM model trees', `a multiple of num_tree_per_iteration (${this.perIteration})`, this.trees.length);
  }

  private readTree(f: Map<string, string>, maxFeature: number, where: string): LgbTree {
    const leaves = Number(f.get('num_leaves'));
    if (!Number.isInteger(leaves) || leaves < 1 || leaves > MAX_NODES)
      throw rangeError(`LightGBM model ${where} num_leaves`, 'a positive integer', f.get('num_leaves'));
    if (f.get('is_linear')?.trim() === '1')
      throw rangeError(`LightGBM model ${where}`, 'a tree with constant leaves (linear trees are not supported)', 'is_linear=1');
    const leafValue = Float64Array.from(numbers(f.get('leaf_value'), `${where} leaf_value`, leaves));
    // nan or inf in a leaf would turn every prediction that reaches it into NaN or Infinity.
    leafValue.forEach((v, i) => {
      if (!Number.isFinite(v)) throw rangeError(`LightGBM model ${where} leaf_value[${i}]`, 'a finite number', v);
    });
    const n = leaves - 1;
    const ints = (key: string) => Int32Array.from(integers(n === 0 ? '' : f.get(key), `${where} ${key}`, n, -MAX_NODES, MAX_NODES));
    const threshold = Float64Array.from(numbers(n === 0 ? '' : f.get('threshold'), `${where} threshold`, n));
    threshold.forEach((v, i) => {
      if (Number.isNaN(v)) throw rangeError(`LightGBM model ${where} threshold[${i}]`, 'a number', v);
    });
    const tree: LgbTree = {
      feature: ints('split_feature'),
      threshold,
      decisionType: Uint8Array.from(integers(n === 0 ? '' : f.get('decision_type'), `${where} decision_type`, n, 0, 255)),
      left: ints('left_child'),
      right: ints('right_child'),
      leafValue,
      catBoundaries: new Int32Array(0),
      catThreshold: new Uint32Array(0),
    };
    const numCat = Number(f.get('num_cat') ?? 0);
    if (!Number.isInteger(numCat) || numCat < 0 || numCat > n) throw rangeError(`LightGBM model ${where} num_cat`, `an integer in [0, ${n}]`, f.get('num_cat'));
    if (numCat > 0) {
      tree.catBoundaries = Int32Array.from(integers(f.get('cat_boundaries'), `${where} cat_boundaries`, numCat + 1, 0, MAX_NODES));
      const words = tree.catBoundaries[numCat] as number;
      tree.catThreshold = Uint32Array.from(integers(f.get('cat_threshold'), `${where} cat_threshold`, words, 0, 2 ** 32 - 1));
      for (let k = 0; k < numCat; k++)
        if (!((tree.catBoundaries[k] as number) >= 0 && (tree.catBoundaries[k] as number) <= (tree.catBoundaries[k + 1] as number)))
          throw rangeError(`LightGBM model ${where} cat_boundaries`, 'non-decreasing offsets from 0', Array.from(tree.catBoundaries).join(' '));
    }
    // Every child must be a later node or a leaf, and every split feature a real column: a
    // tampered file can neither loop nor read outside the row.
    for (let i = 0; i < n; i++) {
      for (const c of [tree.left[i] as number, tree.right[i] as number])
        if (c >= 0 ? c <= i || c >= n : ~c >= leaves)
          throw rangeError(`LightGBM model ${where} children of node ${i}`, `nodes in (${i}, ${n}) or leaves below ${leaves}`, c);
      if ((tree.feature[i] as number) < 0 || (tree.feature[i] as number) > maxFeature)
        throw rangeError(`LightGBM model ${where} split_feature[${i}]`, `a feature in [0, ${maxFeature}]`, tree.feature[i]);
      if ((tree.decisionType[i] as number) & CATEGORICAL) {
        const c = tree.threshold[i] as number;
        if (!Number.isInteger(c) || c < 0 || c >= numCat)
          throw rangeError(`LightGBM model ${where} threshold[${i}]`, `a categorical split index below num_cat (${numCat})`, c);
      }
    }
    return tree;
  }

  /** Reads a model file written by LightGBM's save_model (text format). */
  static load(path: string): LightGBMModel {
    return new LightGBMModel(readFileSync(path, 'utf8'));
  }

  /** From the model's text (`booster.model_to_string()`). */
  static fromString(text: string): LightGBMModel {
    return new LightGBMModel(text);
  }

  /** Rounds in the model (trees per class). */
  get iterations(): number {
    return this.trees.length / this.perIteration;
  }

  /** Leaf index of a row in one tree. */
  private leaf(t: LgbTree, x: Float64Array, o: number): number {
    if (t.left.length === 0) return 0;
    let node = 0;
    while (node >= 0) {
      let v = x[o + (t.feature[node] as number)] as number;
      const dt = t.decisionType[node] as number;
      const missing = (dt >> 2) & 3;
      let goLeft: boolean;
      if (dt & CATEGORICAL) {
        // LightGBM's predictor (tree.h CategoricalDecision) sends NaN right whatever the split's
        // missing type, as it does negative categories.
        const c = Number.isNaN(v) ? -1 : Math.trunc(v);
        const k = t.threshold[node] as number;
        const from = t.catBoundaries[k] as number;
        const words = (t.catBoundaries[k + 1] as number) - from;
        goLeft = c >= 0 && c < 32 * words && (((t.catThreshold[from + (c >>> 5)] as number) >>> (c & 31)) & 1) === 1;
      } else {
        if (Number.isNaN(v) && missing !== MISSING_NAN) v = 0;
        if ((missing === MISSING_ZERO && v > -ZERO && v <= ZERO) || (missing === MISSING_NAN && Number.isNaN(v))) goLeft = (dt & DEFAULT_LEFT) !== 0;
        else goLeft = v <= (t.threshold[node] as number);
      }
      node = goLeft ? (t.left[node] as number) : (t.right[node] as number);
    }
    return ~node;
  }

  /**
   * Raw scores, rows x numClass: what LightGBM's `predict_raw_score` returns, the sum of the trees
   * per class. For random-forest models (`average_output`) that is the sum, not the mean: LightGBM
   * averages only on the way to `predict` (gbdt_prediction.cpp), and so do we.
   */
  predictRaw(X: FeatureInput): Float64Array {
    const src = sourceFor(X, { featureNames: this.featureNames, schema: undefined });
    const { rows, cols } = src;
    const K = this.perIteration;
    const x = new Float64Array(rows * cols);
    src.block(0, rows, x);
    const out = new Float64Array(rows * K);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < this.trees.length; i++) {
        const t = this.trees[i] as LgbTree;
        out[r * K + (i % K)] = (out[r * K + (i % K)] as number) + (t.leafValue[this.leaf(t, x, r * cols)] as number);
      }
    }
    return out;
  }

  /**
   * What LightGBM's `predict` returns: probabilities for binary, cross_entropy, multiclass and
   * multiclassova, exp(raw) for poisson / gamma / tweedie, raw scores otherwise (squared back for
   * `regression` trained with `reg_sqrt`). `rawScore: true` skips the transform.
   */
  predict(X: FeatureInput, options: { rawScore?: boolean } = {}): Float64Array {
    checkOptions('predict options', options, ['rawScore']);
    const m = this.predictRaw(X);
    if (options.rawScore) return m;
    if (this.averageOutput) for (let i = 0; i < m.length; i++) m[i] = (m[i] as number) / this.iterations;
    switch (this.transform) {
      // One-vs-all multiclass applies the same sigmoid to each class's score.
      case 'sigmoid':
      case 'ova':
        return m.map((v) => sigmoid(this.sigmoidScale * v));
      case 'exp':
        return m.map((v) => Math.exp(v));
      case 'softmax': {
        const K = this.perIteration;
        const out = new Float64Array(m.length);
        const p = new Float64Array(K);
        for (let r = 0; r < m.length / K; r++) {
          softmaxRow(m, r * K, K, p);
          out.set(p, r * K);
        }
        return out;
      }
      default:
        return this.sqrt ? m.map((v) => Math.sign(v) * v * v) : m;
    }
  }
}

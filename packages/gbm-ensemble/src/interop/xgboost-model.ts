import { readFileSync } from 'node:fs';
import { checkOptions, rangeError, typeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import { sigmoid, softmaxRow } from '../boosting/objectives.js';
import { sourceFor } from '../boosting/predict-raw.js';
import { argmaxAt } from '../core/argmax.js';

/** One XGBoost tree in flat arrays (node n is a leaf when left[n] === -1). */
interface XgbTree {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  /** Split threshold (float32) for numeric nodes, leaf value for leaves. */
  cond: Float32Array;
  defaultLeft: Uint8Array;
  /** Categorical nodes: the categories that go right. */
  catRight: Map<number, Set<number>>;
  group: number;
  weight: number;
}

const SUPPORTED = [
  'reg:squarederror',
  'reg:squaredlogerror',
  'reg:pseudohubererror',
  'reg:absoluteerror',
  'reg:linear',
  'reg:logistic',
  'binary:logistic',
  'binary:logitraw',
  'binary:hinge',
  'multi:softprob',
  'multi:softmax',
  'count:poisson',
  'reg:gamma',
  'reg:tweedie',
];
const LOG_LINK = new Set(['count:poisson', 'reg:gamma', 'reg:tweedie']);
const LOGIT_LINK = new Set(['reg:logistic', 'binary:logistic', 'binary:logitraw']);

/**
 * XGBoost writes NaN / Infinity unquoted (not JSON). NaN becomes null and the infinities 1e999,
 * which JSON.parse reads back as ±Infinity, so a NaN stays distinguishable from an infinity.
 */
function parseXgbJson(text: string): unknown {
  return JSON.parse(
    text.replace(/([[,:]\s*)(-?)(NaN|Infinity)(?=\s*[,\]}])/g, (_m, lead: string, sign: string, word: string) =>
      word === 'NaN' ? `${lead}null` : `${lead}${sign}1e999`,
    ),
  );
}

/** The XGBoost release that wrote the file: JSON models exist from 1.0 on. */
function checkVersion(json: object): void {
  const v = (json as { version?: unknown }).version;
  if (!Array.isArray(v) || v.length < 2 || v.some((x) => !Number.isInteger(x) || x < 0) || (v[0] as number) < 1)
    throw rangeError('XGBoost model version', '[major, minor, patch] of XGBoost 1.0 or later', Array.isArray(v) ? v.join('.') : v);
}

/**
 * Numeric split thresholds may be ±Infinity and leaf values must be finite; a null (NaN) or a
 * string is neither. Categorical splits carry NaN there (XGBoost writes it), their test is the set.
 */
function conditions(v: unknown, what: string, left: Int32Array, categorical: Set<unknown>): Float32Array {
  if (!Array.isArray(v) || v.length !== left.length) throw rangeError(what, `an array of length ${left.length}`, v);
  return Float32Array.from(v, (x, i) => {
    const leaf = left[i] === -1;
    if (!leaf && categorical.has(i) && (x === null || typeof x === 'number')) return Number.NaN;
    if (typeof x !== 'number' || Number.isNaN(x) || (leaf && !Number.isFinite(x)))
      throw rangeError(`${what}[${i}]`, leaf ? 'a finite leaf value' : 'a number', x);
    return x;
  });
}

function flags(v: unknown, what: string, len: number): Uint8Array {
  if (!Array.isArray(v) || v.length !== len) throw rangeError(what, `an array of length ${len}`, v);
  return Uint8Array.from(v, (x, i) => {
    if (x !== 0 && x !== 1 && x !== true && x !== false) throw rangeError(`${what}[${i}]`, '0 or 1', x);
    return x ? 1 : 0;
  });
}

function num(v: unknown, what: string): number {
  const x = typeof v === 'string' ? Number(v) : v;
  if (typeof x !== 'number' || Number.isNaN(x)) throw rangeError(what, 'a number', v);
  return x;
}

function intArray(v: unknown, what: string, len: number): Int32Array {
  if (!Array.isArray(v) || v.length !== len) throw rangeError(what, `an array of length ${len}`, v);
  return Int32Array.from(v, (x, i) => {
    if (!Number.isInteger(x)) throw rangeError(`${what}[${i}]`, 'an integer', x);
    return x as number;
  });
}

/**
 * A model saved by XGBoost (`booster.save_model('model.json')`, gbtree or dart), predicting as
 * XGBoost does: float32 feature values compared with `x < threshold`, missing values taking the
 * default branch, categorical splits sending the listed categories right, float32 sums from the
 * base margin, then the objective's link (sigmoid, softmax, exp).
 */
export class XGBoostModel {
  readonly objective: string;
  readonly numClass: number;
  readonly numFeature: number;
  readonly featureNames: string[];
  readonly baseMargin: number;
  private readonly trees: XgbTree[];

  private constructor(json: unknown) {
    if (json === null || typeof json !== 'object') throw typeError('XGBoost model', 'a JSON object', json);
    const learner = (json as { learner?: Record<string, unknown> }).learner;
    if (!learner || typeof learner !== 'object') throw rangeError('XGBoost model learner', 'an object (a model saved as JSON by XGBoost >= 1.0)', learner);
    checkVersion(json);
    const param = learner.learner_model_param as Record<string, unknown> | undefined;
    if (!param) throw rangeError('XGBoost model learner.learner_model_param', 'an object', param);
    this.objective = String((learner.objective as { name?: unknown } | undefined)?.name);
    if (!SUPPORTED.includes(this.objective)) throw rangeError('XGBoost model objective', `one of ${SUPPORTED.join(', ')}`, this.objective);
    const numClass = num(param.num_class ?? 0, 'num_class');
    if (!Number.isInteger(numClass) || numClass < 0 || numClass > 1 << 16)
      throw rangeError('XGBoost model num_class', 'an integer in [0, 65536]', param.num_class);
    this.numClass = Math.max(1, numClass);
    this.numFeature = num(param.num_feature, 'num_feature');
    if (!Number.isInteger(this.numFeature) || this.numFeature < 1 || this.numFeature > 1 << 24)
      throw rangeError('XGBoost model num_feature', 'a positive integer', param.num_feature);
    const names = learner.feature_names;
    this.featureNames =
      Array.isArray(names) && names.length === this.numFeature ? names.map(String) : Array.from({ length: this.numFeature }, (_, i) => `f${i}`);
    const base = num(param.base_score, 'base_score');
    // base_score is saved in prediction space; trees add to it in margin space.
    this.baseMargin = LOGIT_LINK.has(this.objective) ? Math.log(base / (1 - base)) : LOG_LINK.has(this.objective) ? Math.log(base) : base;
    if (!Number.isFinite(this.baseMargin))
      throw rangeError('XGBoost model base_score', `a value with a finite margin under ${this.objective}`, param.base_score);
    const gb = learner.gradient_booster as
      | { name?: string; model?: Record<string, unknown>; gbtree?: { model?: Record<string, unknown> }; weight_drop?: number[] }
      | undefined;
    if (!gb || (gb.name !== 'gbtree' && gb.name !== 'dart'))
      throw rangeError('XGBoost model gradient_booster.name', "'gbtree' or 'dart' (gblinear is not a tree model)", gb?.name);
    const model = gb.name === 'dart' ? gb.gbtree?.model : gb.model;
    const trees = model?.trees;
    const info = model?.tree_info;
    if (!Array.isArray(trees) || !Array.isArray(info) || info.length !== trees.length)
      throw rangeError('XGBoost model trees', 'trees with a matching tree_info', trees);
    // num_trees is XGBoost's own count: a file whose tree list disagrees with it was cut or edited.
    const declared = (model?.gbtree_model_param as { num_trees?: unknown } | undefined)?.num_trees;
    if (declared !== undefined && num(declared, 'num_trees') !== trees.length)
      throw rangeError('XGBoost model trees', `${declared} trees (gbtree_model_param.num_trees)`, trees);
    const drops = gb.name === 'dart' ? gb.weight_drop : undefined;
    if (drops !== undefined && (!Array.isArray(drops) || drops.length !== trees.length || drops.some((w) => typeof w !== 'number' || !Number.isFinite(w))))
      throw rangeError('XGBoost model gradient_booster.weight_drop', `${trees.length} finite weights`, drops);
    this.trees = trees.map((t, i) => this.readTree(t as Record<string, unknown>, info[i], drops?.[i] ?? 1, `trees[${i}]`));
  }

  private readTree(t: Record<string, unknown>, group: unknown, weight: number, where: string): XgbTree {
    const left = t.left_children as unknown[];
    if (!Array.isArray(left) || left.length === 0) throw rangeError(`XGBoost model ${where}.left_children`, 'a non-empty array', left);
    const n = left.length;
    const leftChildren = intArray(left, `${where}.left_children`, n);
    const tree: XgbTree = {
      left: leftChildren,
      right: intArray(t.right_children, `${where}.right_children`, n),
      feature: intArray(t.split_indices, `${where}.split_indices`, n),
      cond: conditions(
        t.split_conditions,
        `XGBoost model ${where}.split_conditions`,
        leftChildren,
        new Set(Array.isArray(t.categories_nodes) ? t.categories_nodes : []),
      ),
      defaultLeft: flags(t.default_left, `XGBoost model ${where}.default_left`, n),
      catRight: new Map(),
      group: num(group, `${where} tree_info`),
      weight,
    };
    if (!Number.isInteger(tree.group) || !(tree.group >= 0 && tree.group < this.numClass))
      throw rangeError(`XGBoost model ${where} tree_info`, `a class in [0, ${this.numClass - 1}]`, group);
    for (let i = 0; i < n; i++) {
      const l = tree.left[i] as number;
      if (l === -1) continue;
      // Children come after their parent in XGBoost's layout; anything else could loop.
      if (l <= i || l >= n || (tree.right[i] as number) <= i || (tree.right[i] as number) >= n)
        throw rangeError(`XGBoost model ${where} children of node ${i}`, `nodes in (${i}, ${n})`, `${l}, ${tree.right[i]}`);
      if ((tree.feature[i] as number) < 0 || (tree.feature[i] as number) >= this.numFeature)
        throw rangeError(`XGBoost model ${where}.split_indices[${i}]`, `a feature in [0, ${this.numFeature - 1}]`, tree.feature[i]);
    }
    const nodes = t.categories_nodes ?? [];
    const segs = t.categories_segments ?? [];
    const sizes = t.categories_sizes ?? [];
    const cats = t.categories ?? [];
    const cat = `XGBoost model ${where}.categories`;
    if (!Array.isArray(cats) || cats.some((c) => !Number.isInteger(c) || c < 0)) throw rangeError(cat, 'an array of category codes', cats);
    const k = Array.isArray(nodes) ? nodes.length : -1;
    const catNodes = intArray(nodes, `${where}.categories_nodes`, k);
    const catSegs = intArray(segs, `${where}.categories_segments`, k);
    const catSizes = intArray(sizes, `${where}.categories_sizes`, k);
    for (let j = 0; j < k; j++) {
      const node = catNodes[j] as number;
      const s = catSegs[j] as number;
      const size = catSizes[j] as number;
      if (node < 0 || node >= n || tree.left[node] === -1) throw rangeError(`${cat}_nodes[${j}]`, `a split node in [0, ${n - 1}]`, node);
      if (s < 0 || size < 0 || s + size > cats.length)
        throw rangeError(`${cat}_segments[${j}]`, `a segment inside the ${cats.length} categories`, `${s}+${size}`);
      tree.catRight.set(node, new Set(cats.slice(s, s + size)));
    }
    return tree;
  }

  /** Reads a model file written by XGBoost's save_model (JSON). */
  static load(path: string): XGBoostModel {
    return XGBoostModel.fromJSON(readFileSync(path, 'utf8'));
  }

  /** From the model's JSON text (or the already parsed object). */
  static fromJSON(json: string | object): XGBoostModel {
    return new XGBoostModel(typeof json === 'string' ? parseXgbJson(json) : json);
  }

  /** Margins (before the link), rows x numClass. */
  predictMargin(X: FeatureInput): Float64Array {
    const src = sourceFor(X, { featureNames: this.featureNames, schema: undefined });
    const K = this.numClass;
    const rows = src.rows;
    const cols = src.cols;
    const x = new Float64Array(rows * cols);
    src.block(0, rows, x);
    const out = new Float64Array(rows * K);
    const acc = new Float32Array(K);
    for (let r = 0; r < rows; r++) {
      acc.fill(this.baseMargin);
      for (const t of this.trees) {
        let n = 0;
        while ((t.left[n] as number) !== -1) {
          const v = x[r * cols + (t.feature[n] as number)] as number;
          let goLeft: boolean;
          if (Number.isNaN(v)) goLeft = t.defaultLeft[n] === 1;
          else {
            const cats = t.catRight.get(n);
            goLeft = cats ? !cats.has(v) : Math.fround(v) < (t.cond[n] as number);
          }
          n = goLeft ? (t.left[n] as number) : (t.right[n] as number);
        }
        acc[t.group] = (acc[t.group] as number) + (t.cond[n] as number) * t.weight;
      }
      for (let k = 0; k < K; k++) out[r * K + k] = acc[k] as number;
    }
    return out;
  }

  /**
   * What XGBoost's `predict` returns: probabilities for logistic and softprob objectives, the
   * class index for multi:softmax, exp(margin) for poisson / gamma / tweedie, the margin otherwise.
   */
  predict(X: FeatureInput, options: { outputMargin?: boolean } = {}): Float64Array {
    checkOptions('predict options', options, ['outputMargin']);
    const m = this.predictMargin(X);
    if (options.outputMargin) return m;
    const o = this.objective;
    const K = this.numClass;
    if (o === 'reg:logistic' || o === 'binary:logistic') return m.map((v) => Math.fround(sigmoid(v)));
    if (o === 'binary:hinge') return m.map((v) => (v > 0 ? 1 : 0));
    if (LOG_LINK.has(o)) return m.map((v) => Math.fround(Math.exp(v)));
    if (o === 'multi:softprob' || o === 'multi:softmax') {
      const p = new Float64Array(K);
      const out = o === 'multi:softmax' ? new Float64Array(m.length / K) : new Float64Array(m.length);
      for (let r = 0; r < m.length / K; r++) {
        softmaxRow(m, r * K, K, p);
        if (o === 'multi:softmax') {
          const b = argmaxAt(m, r * K, K);
          out[r] = b;
        } else for (let k = 0; k < K; k++) out[r * K + k] = Math.fround(p[k] as number);
      }
      return out;
    }
    return m;
  }
}

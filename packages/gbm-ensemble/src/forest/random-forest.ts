import { checkInteger, checkNumber, checkOptions, notFitted, Rng, rangeError } from '@aiffel/core';
import { asDataset, type FeatureInput } from '../boosting/booster.js';
import { checkClassList, encodeLabels, type Label } from '../boosting/labels.js';
import { resolveBoosting } from '../boosting/params.js';
import { predictRaw, sourceFor } from '../boosting/predict-raw.js';
import { checkSampleWeight } from '../boosting/sample-weight.js';
import { argmaxAt } from '../core/argmax.js';
import { checkHeader, FORMAT, FORMAT_VERSION, readModel, writeModel } from '../core/model-file.js';
import type { Dataset } from '../data/dataset.js';
import { toLabels } from '../data/matrix-source.js';
import { Schema, type SchemaJSON } from '../data/schema.js';
import { accuracy } from '../metrics/classification.js';
import { r2Score } from '../metrics/regression.js';
import { createHistEngine } from '../parallel/engine-factory.js';
import { BinnedRouter } from '../tree/binned-router.js';
import { Tree, type TreeJSON } from '../tree/tree.js';
import { type GrowOptions, TreeBuilder } from '../tree/tree-builder.js';

/** Options of a forest's `fit`. */
export interface ForestFitOptions {
  /** One finite weight >= 0 per row, with a positive sum. Default: all 1. */
  sampleWeight?: ArrayLike<number>;
}

export interface ForestOptions {
  /** Trees (default 100). */
  nEstimators?: number;
  /** Deepest allowed leaf; undefined grows until leaves are pure (scikit-learn's None). */
  maxDepth?: number;
  /** Most leaves per tree (default unlimited). */
  maxLeafNodes?: number;
  /** Fewest rows in a leaf (default 1). */
  minSamplesLeaf?: number;
  /** Fewest rows in a node that may be split (default 2). */
  minSamplesSplit?: number;
  /** Features tried per split: 'sqrt', 'log2', a count (integer >= 1) or a fraction in (0, 1]. Default: 'sqrt' for classification, 1.0 for regression. */
  maxFeatures?: 'sqrt' | 'log2' | number;
  /** Draw each tree's rows with replacement (default true); false uses every row. */
  bootstrap?: boolean;
  /** Share of rows drawn per tree when bootstrapping (default 1). */
  maxSamples?: number;
  /** Compute the out-of-bag score after fit (default false; needs bootstrap). */
  oobScore?: boolean;
  maxBin?: number;
  categoricalFeatures?: (number | string)[];
  nThreads?: number | 'auto';
  seed?: number;
}

const KEYS = [
  'nEstimators',
  'maxDepth',
  'maxLeafNodes',
  'minSamplesLeaf',
  'minSamplesSplit',
  'maxFeatures',
  'bootstrap',
  'maxSamples',
  'oobScore',
  'maxBin',
  'categoricalFeatures',
  'nThreads',
  'seed',
];

interface ForestState {
  trees: Tree[];
  featureNames: string[];
  schema: Schema | undefined;
  outputs: number;
  oobScore: number | undefined;
  oobPrediction: Float64Array | undefined;
}

/**
 * Random forests on the same binned data and tree builder as the boosters: each tree is grown
 * on a bootstrap sample (as row weights) with `maxFeatures` candidate features per split. A
 * classifier's trees are multi-output regression trees on one-hot labels, whose squared-error
 * gain is exactly the Gini impurity decrease, so leaves hold class frequencies.
 */
abstract class RandomForestBase {
  protected state: ForestState | undefined;
  protected abstract readonly kind: string;
  protected readonly o: Required<Omit<ForestOptions, 'maxDepth' | 'maxLeafNodes' | 'categoricalFeatures' | 'maxFeatures'>> & {
    maxDepth: number;
    maxLeafNodes: number;
    categoricalFeatures: (number | string)[];
    maxFeatures: 'sqrt' | 'log2' | number;
  };

  constructor(options: ForestOptions, defaultMaxFeatures: 'sqrt' | number) {
    checkOptions('RandomForest options', options, KEYS);
    const mf = options.maxFeatures ?? defaultMaxFeatures;
    if (mf !== 'sqrt' && mf !== 'log2' && (typeof mf !== 'number' || !(mf > 0) || (mf > 1 && !Number.isInteger(mf))))
      throw rangeError('maxFeatures', "'sqrt', 'log2', an integer count or a fraction in (0, 1]", mf);
    this.o = {
      nEstimators: checkInteger('nEstimators', options.nEstimators ?? 100, 1, 100_000),
      maxDepth: options.maxDepth === undefined ? -1 : checkInteger('maxDepth', options.maxDepth, 1, 256),
      maxLeafNodes: options.maxLeafNodes === undefined ? 1 << 30 : checkInteger('maxLeafNodes', options.maxLeafNodes, 2),
      minSamplesLeaf: checkInteger('minSamplesLeaf', options.minSamplesLeaf ?? 1, 1),
      minSamplesSplit: checkInteger('minSamplesSplit', options.minSamplesSplit ?? 2, 2),
      maxFeatures: mf,
      bootstrap: options.bootstrap ?? true,
      maxSamples: checkNumber('maxSamples', options.maxSamples ?? 1, (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
      oobScore: options.oobScore ?? false,
      maxBin: checkInteger('maxBin', options.maxBin ?? 255, 2, 255),
      categoricalFeatures: options.categoricalFeatures ?? [],
      nThreads: options.nThreads ?? 'auto',
      seed: checkInteger('seed', options.seed ?? 0, -0x80000000, 0xffffffff),
    };
    if (this.o.oobScore && !this.o.bootstrap) throw rangeError('oobScore', 'false when bootstrap is false (no rows are out of bag)', true);
  }

  protected fitted(method: string): ForestState {
    if (!this.state) throw notFitted(this.kind, method);
    return this.state;
  }

  private featuresPerNode(cols: number): number {
    const mf = this.o.maxFeatures;
    if (mf === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(cols)));
    if (mf === 'log2') return Math.max(1, Math.floor(Math.log2(cols)));
    if (mf <= 1) return Math.max(1, Math.floor(mf * cols));
    // scikit-learn refuses a count above the number of features; capping it silently would
    // turn a mistaken setting into a different model.
    if (mf > cols) throw rangeError('maxFeatures', `at most the ${cols} features of the data`, mf);
    return mf;
  }

  /** targets: rows x outputs row-major. */
  protected grow(
    X: FeatureInput | Dataset,
    targets: Float64Array,
    outputs: number,
    sampleWeight: ArrayLike<number> | undefined,
  ): { ds: Dataset; oobSum: Float64Array; oobCount: Int32Array } {
    const p = resolveBoosting({ maxBin: this.o.maxBin, categoricalFeatures: this.o.categoricalFeatures, seed: this.o.seed }, [], this.kind);
    const ds = asDataset(X, p);
    const N = ds.rows;
    if (targets.length !== N * outputs) throw rangeError('y.length', `${N} (the number of rows of X)`, targets.length / outputs);
    const rowWeight = checkSampleWeight(sampleWeight, N);
    const rng = new Rng(this.o.seed);
    const growth = this.o.maxLeafNodes < 1 << 30 ? 'leaf' : 'dfs';
    // Histograms alive at once: one per leaf, or along the current path when depth first.
    // Before the engine takes its workers: a refused maxFeatures must not leave them held.
    const featuresPerNode = this.featuresPerNode(ds.cols);
    const engine = createHistEngine(ds, outputs, this.o.nThreads, growth === 'leaf' ? this.o.maxLeafNodes + 1 : 64);
    const builder = new TreeBuilder(ds.mappers, outputs, engine);
    const grow: GrowOptions = {
      numLeaves: this.o.maxLeafNodes,
      maxDepth: this.o.maxDepth,
      growth,
      minChildSamples: this.o.minSamplesLeaf,
      minSplitCount: this.o.minSamplesSplit,
      minChildWeight: 0,
      lambdaL1: 0,
      lambdaL2: 0,
      minSplitGain: 1e-12,
      catSmooth: 10,
      catL2: 0,
      maxCatThreshold: 32,
      maxCatToOnehot: 4,
      featuresPerNode,
    };
    const cols = Int32Array.from({ length: ds.cols }, (_, i) => i);
    // Bootstrap draws per row, times the row's sampleWeight (scikit-learn's semantics).
    const drawn = new Int32Array(N);
    const weight = new Float64Array(N);
    const oobSum = new Float64Array(N * outputs);
    const oobCount = new Int32Array(N);
    const outOfBag = new Int32Array(N);
    const oobLeaves = new Int32Array(N);
    const trees: Tree[] = [];
    const draws = Math.max(1, Math.round(this.o.maxSamples * N));
    try {
      for (let t = 0; t < this.o.nEstimators; t++) {
        if (this.o.bootstrap) {
          drawn.fill(0);
          for (let i = 0; i < draws; i++) {
            const r = rng.int(N);
            drawn[r] = (drawn[r] as number) + 1;
          }
        } else drawn.fill(1);
        for (let r = 0; r < N; r++) weight[r] = (drawn[r] as number) * (rowWeight ? (rowWeight[r] as number) : 1);
        let n = 0;
        const { order, grad, hess } = engine;
        for (let r = 0; r < N; r++) {
          const w = weight[r] as number;
          hess[r] = w;
          for (let c = 0; c < outputs; c++) grad[r * outputs + c] = -w * (targets[r * outputs + c] as number);
          if (w > 0) order[n++] = r;
        }
        const { tree } = builder.grow(n, grow, cols, rng);
        trees.push(tree);
        if (this.o.oobScore) {
          let m = 0;
          for (let r = 0; r < N; r++) if (drawn[r] === 0) outOfBag[m++] = r;
          const rowsOut = outOfBag.subarray(0, m);
          new BinnedRouter(tree, builder.binMissing).leaves(ds.bins, ds.cols, rowsOut, oobLeaves);
          for (let j = 0; j < m; j++) {
            const r = rowsOut[j] as number;
            const leaf = (oobLeaves[j] as number) * outputs;
            for (let c = 0; c < outputs; c++) oobSum[r * outputs + c] = (oobSum[r * outputs + c] as number) + (tree.leafValue[leaf + c] as number);
            oobCount[r] = (oobCount[r] as number) + 1;
          }
        }
      }
    } finally {
      engine.release();
    }
    this.state = { trees, featureNames: ds.featureNames, schema: ds.schema, outputs, oobScore: undefined, oobPrediction: undefined };
    return { ds, oobSum, oobCount };
  }

  /** Mean of the trees' outputs, rows x outputs. */
  protected average(X: FeatureInput | Dataset): Float64Array {
    const s = this.fitted('predict');
    const raw = predictRaw(sourceFor(X, s), s.trees, s.outputs, new Float64Array(s.outputs), s.trees.length, this.o.nThreads);
    const inv = 1 / s.trees.length;
    for (let i = 0; i < raw.length; i++) raw[i] = (raw[i] as number) * inv;
    return raw;
  }

  /** Out-of-bag score (R^2 or accuracy) when fitted with oobScore: true. */
  get oobScore(): number {
    const s = this.fitted('oobScore');
    if (s.oobScore === undefined) throw new Error(`${this.kind}.oobScore needs the model fitted with { oobScore: true }`);
    return s.oobScore;
  }

  get featureNames(): string[] {
    return [...this.fitted('featureNames').featureNames];
  }

  get trees(): readonly Tree[] {
    return this.fitted('trees').trees;
  }

  /** Mean impurity decrease per feature, normalised to sum to 1 (scikit-learn's feature_importances_). */
  featureImportance(): Float64Array {
    const s = this.fitted('featureImportance');
    const out = new Float64Array(s.featureNames.length);
    for (const t of s.trees)
      for (let i = 0; i < t.numLeaves - 1; i++) out[t.splitFeature[i] as number] = (out[t.splitFeature[i] as number] as number) + (t.gain[i] as number);
    const total = out.reduce((a, b) => a + b, 0);
    return total > 0 ? out.map((v) => v / total) : out;
  }

  toJSON(): Record<string, unknown> {
    const s = this.fitted('toJSON');
    return {
      format: FORMAT,
      version: FORMAT_VERSION,
      kind: this.kind,
      params: {
        ...this.o,
        maxDepth: this.o.maxDepth < 0 ? undefined : this.o.maxDepth,
        maxLeafNodes: this.o.maxLeafNodes >= 1 << 30 ? undefined : this.o.maxLeafNodes,
      },
      outputs: s.outputs,
      featureNames: s.featureNames,
      schema: s.schema?.toJSON(),
      oobScore: s.oobScore,
      trees: s.trees.map((t) => t.toJSON()),
      ...this.extraJSON(),
    };
  }

  protected extraJSON(): Record<string, unknown> {
    return {};
  }

  save(path: string): void {
    writeModel(path, this.toJSON());
  }

  protected restore(json: unknown): void {
    const o = checkHeader(json, this.kind);
    const names = o.featureNames;
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string'))
      throw rangeError(`${this.kind} JSON featureNames`, 'an array of strings', names);
    const mf = this.o.maxFeatures;
    if (typeof mf === 'number' && mf > 1 && mf > names.length)
      throw rangeError(`${this.kind} JSON params.maxFeatures`, `at most the ${names.length} features of the model`, mf);
    const outputs = o.outputs;
    if (!Number.isInteger(outputs) || (outputs as number) < 1) throw rangeError(`${this.kind} JSON outputs`, 'a positive integer', outputs);
    if (!Array.isArray(o.trees) || o.trees.length === 0) throw rangeError(`${this.kind} JSON trees`, 'a non-empty array', o.trees);
    const trees = (o.trees as TreeJSON[]).map((t, i) => {
      const tree = Tree.fromJSON(t, names.length, `${this.kind} JSON trees[${i}]`);
      if (tree.outputs !== outputs) throw rangeError(`${this.kind} JSON trees[${i}].outputs`, String(outputs), tree.outputs);
      return tree;
    });
    this.state = {
      trees,
      featureNames: names as string[],
      schema: o.schema ? Schema.fromJSON(o.schema as SchemaJSON) : undefined,
      outputs: outputs as number,
      oobScore: typeof o.oobScore === 'number' ? o.oobScore : undefined,
      oobPrediction: undefined,
    };
  }
}

export class RandomForestRegressor extends RandomForestBase {
  protected readonly kind = 'RandomForestRegressor';

  constructor(options: ForestOptions = {}) {
    super(options, 1);
  }

  /** `sampleWeight`: one weight >= 0 per row, multiplying the row's bootstrap draws (a weight of 2 counts the row twice). */
  fit(X: FeatureInput | Dataset, y: ArrayLike<number>, options: ForestFitOptions = {}): this {
    checkOptions('fit options', options, ['sampleWeight']);
    const labels = toLabels(y, (y as ArrayLike<number>)?.length ?? -1);
    const { oobSum, oobCount } = this.grow(X, labels, 1, options.sampleWeight);
    const s = this.fitted('fit');
    if (this.o.oobScore) {
      const idx: number[] = [];
      for (let r = 0; r < labels.length; r++) if ((oobCount[r] as number) > 0) idx.push(r);
      if (idx.length > 0) {
        const pred = Float64Array.from(idx, (r) => (oobSum[r] as number) / (oobCount[r] as number));
        s.oobPrediction = pred;
        s.oobScore = r2Score(
          Float64Array.from(idx, (r) => labels[r] as number),
          pred,
        );
      }
    }
    return this;
  }

  predict(X: FeatureInput | Dataset): Float64Array {
    return this.average(X);
  }

  static fromJSON(json: unknown): RandomForestRegressor {
    const m = new RandomForestRegressor(forestParams(json, 'RandomForestRegressor'));
    m.restore(json);
    return m;
  }

  static load(path: string): RandomForestRegressor {
    return RandomForestRegressor.fromJSON(readModel(path));
  }
}

export class RandomForestClassifier<L extends Label = number> extends RandomForestBase {
  protected readonly kind = 'RandomForestClassifier';
  private labels: L[] = [];

  constructor(options: ForestOptions = {}) {
    super(options, 'sqrt');
  }

  get classes(): L[] {
    this.fitted('classes');
    return [...this.labels];
  }

  /** `sampleWeight` as for the regressor: each row's class counts are weighted. */
  fit(X: FeatureInput | Dataset, y: ArrayLike<L>, options: ForestFitOptions = {}): this {
    checkOptions('fit options', options, ['sampleWeight']);
    const { classes, codes } = encodeLabels(y);
    const K = classes.length;
    const onehot = new Float64Array(codes.length * K);
    for (let r = 0; r < codes.length; r++) onehot[r * K + (codes[r] as number)] = 1;
    const { oobSum, oobCount } = this.grow(X, onehot, K, options.sampleWeight);
    this.labels = classes;
    const s = this.fitted('fit');
    if (this.o.oobScore) {
      const yt: number[] = [];
      const yp: number[] = [];
      for (let r = 0; r < codes.length; r++) {
        if ((oobCount[r] as number) === 0) continue;
        const b = argmaxAt(oobSum, r * K, K);
        yt.push(codes[r] as number);
        yp.push(b);
      }
      if (yt.length > 0) s.oobScore = accuracy(yt, yp);
    }
    return this;
  }

  /** Class probabilities (mean of the trees' leaf frequencies), rows x classes. */
  predictProba(X: FeatureInput | Dataset): Float64Array {
    return this.average(X);
  }

  predict(X: FeatureInput | Dataset): L[] {
    const p = this.predictProba(X);
    const K = this.labels.length;
    const out: L[] = [];
    for (let r = 0; r < p.length / K; r++) {
      const b = argmaxAt(p, r * K, K);
      out.push(this.labels[b] as L);
    }
    return out;
  }

  protected override extraJSON(): Record<string, unknown> {
    return { classes: this.labels };
  }

  static fromJSON<L extends Label = number>(json: unknown): RandomForestClassifier<L> {
    const m = new RandomForestClassifier<L>(forestParams(json, 'RandomForestClassifier'));
    m.restore(json);
    const classes = checkClassList('RandomForestClassifier JSON classes', (json as { classes?: unknown }).classes, m.fitted('fromJSON').outputs);
    m.labels = classes as L[];
    return m;
  }

  static load<L extends Label = number>(path: string): RandomForestClassifier<L> {
    return RandomForestClassifier.fromJSON<L>(readModel(path));
  }
}

function forestParams(json: unknown, kind: string): ForestOptions {
  const o = checkHeader(json, kind);
  const p = o.params as Record<string, unknown> | undefined;
  if (p === null || typeof p !== 'object') throw rangeError(`${kind} JSON params`, 'an object', p);
  const out: Record<string, unknown> = {};
  for (const k of KEYS) if (p[k] !== undefined && p[k] !== null) out[k] = p[k];
  return out as ForestOptions;
}

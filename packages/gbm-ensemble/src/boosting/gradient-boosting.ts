import { checkInteger, checkOneOf, checkOptions, notFitted, rangeError, typeError } from '@aiffel/core';
import { checkHeader, FORMAT, FORMAT_VERSION, readModel, writeModel } from '../core/model-file.js';
import type { Dataset } from '../data/dataset.js';
import { Schema, type SchemaJSON } from '../data/schema.js';
import { Tree, type TreeJSON } from '../tree/tree.js';
import { asDataset, type BoosterState, type FeatureInput, FIT_KEYS, type FitOptions, trainBooster } from './booster.js';
import { makeObjective, type ObjectiveName } from './objectives.js';
import { type BoostingOptions, type ResolvedBoosting, resolveBoosting } from './params.js';
import { predictRaw, sourceFor } from './predict-raw.js';

export type ImportanceType = 'split' | 'gain';

/** What the regressor and the classifier share: trees, raw prediction, importance, persistence. */
export abstract class GradientBoostingBase {
  protected readonly params: ResolvedBoosting;
  protected state: BoosterState | undefined;
  protected abstract readonly kind: string;

  constructor(options: BoostingOptions, extraKeys: readonly string[], owner: string) {
    this.params = resolveBoosting(options, extraKeys, owner);
  }

  protected fitted(method: string): BoosterState {
    if (!this.state) throw notFitted(this.kind, method);
    return this.state;
  }

  protected train(
    X: FeatureInput | Dataset,
    y: Float64Array,
    objective: ObjectiveName,
    numClasses: number,
    huberDelta: number,
    fit: FitOptions,
    validY?: Float64Array,
  ): void {
    checkOptions('fit options', fit, FIT_KEYS);
    const ds = asDataset(X, this.params);
    if (ds.rows !== y.length) throw rangeError('y.length', `${ds.rows} (the number of rows of X)`, y.length);
    // Train into a new state: a fit that throws half way leaves the previous model untouched.
    this.state = trainBooster(ds, y, makeObjective(objective, numClasses, huberDelta), this.params, fit, validY, fit.validation?.X);
  }

  /** Boosting rounds kept (after early stopping, the best one). */
  get nIterations(): number {
    const s = this.fitted('nIterations');
    return s.trees.length / s.objective.outputs;
  }

  /** 1-based round with the best validation score (all rounds without early stopping). */
  get bestIteration(): number {
    return this.fitted('bestIteration').bestIteration;
  }

  /** Validation metric after every round (empty without a validation set). */
  get evalHistory(): number[] {
    return [...this.fitted('evalHistory').evalHistory];
  }

  /** Training loss after every round. */
  get trainLoss(): number[] {
    return [...this.fitted('trainLoss').trainLoss];
  }

  get featureNames(): string[] {
    return [...this.fitted('featureNames').featureNames];
  }

  get trees(): readonly Tree[] {
    return this.fitted('trees').trees;
  }

  /**
   * Raw scores (before the sigmoid / softmax), rows x outputs row-major. `iterations` limits the
   * rounds used (staged evaluation without refitting).
   */
  predictRaw(X: FeatureInput | Dataset, options: { iterations?: number } = {}): Float64Array {
    const s = this.fitted('predictRaw');
    checkOptions('predictRaw options', options, ['iterations']);
    const total = s.trees.length / s.objective.outputs;
    const it = options.iterations === undefined ? total : checkInteger('iterations', options.iterations, 0, total);
    return predictRaw(sourceFor(X, s), s.trees, s.objective.outputs, s.initScore, it, this.params.nThreads);
  }

  /** Raw scores after rounds 1, 2, ... (one array per round), computed incrementally. */
  *stagedPredictRaw(X: FeatureInput | Dataset): Generator<Float64Array> {
    const s = this.fitted('stagedPredictRaw');
    const src = sourceFor(X, s);
    const K = s.objective.outputs;
    const x = new Float64Array(src.rows * src.cols);
    src.block(0, src.rows, x);
    const scores = new Float64Array(src.rows * K);
    for (let r = 0; r < src.rows; r++) scores.set(s.initScore, r * K);
    for (let t = 0; t < s.trees.length; t++) {
      const tree = s.trees[t] as Tree;
      const k = t % K;
      for (let r = 0; r < src.rows; r++) scores[r * K + k] = (scores[r * K + k] as number) + (tree.leafValue[tree.leafOf(x, r * src.cols)] as number);
      if (k === K - 1) yield Float64Array.from(scores);
    }
  }

  /** Per feature: number of splits ('split', LightGBM's default) or total gain ('gain'). */
  featureImportance(type: ImportanceType = 'split'): Float64Array {
    const s = this.fitted('featureImportance');
    checkOneOf('type', type, ['split', 'gain'] as const);
    const out = new Float64Array(s.featureNames.length);
    for (const t of s.trees)
      for (let i = 0; i < t.numLeaves - 1; i++) {
        const f = t.splitFeature[i] as number;
        out[f] = (out[f] as number) + (type === 'split' ? 1 : (t.gain[i] as number));
      }
    return out;
  }

  toJSON(): Record<string, unknown> {
    const s = this.fitted('toJSON');
    const { categoricalFeatures, ...params } = this.params;
    return {
      format: FORMAT,
      version: FORMAT_VERSION,
      kind: this.kind,
      params: { ...params, categoricalFeatures },
      objective: s.objective.name,
      outputs: s.objective.outputs,
      initScore: [...s.initScore],
      featureNames: s.featureNames,
      categorical: s.categorical,
      schema: s.schema?.toJSON(),
      bestIteration: s.bestIteration,
      evalHistory: s.evalHistory,
      trainLoss: s.trainLoss,
      trees: s.trees.map((t) => t.toJSON()),
      ...this.extraJSON(),
    };
  }

  protected extraJSON(): Record<string, unknown> {
    return {};
  }

  /** Saves as versioned JSON (written atomically). */
  save(path: string): void {
    writeModel(path, this.toJSON());
  }

  /** Restores trees and metadata from `toJSON()` output, validating every field. */
  protected restore(json: unknown, numClasses: number, huberDelta: number): Record<string, unknown> {
    const o = checkHeader(json, this.kind);
    const names = o.featureNames;
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string'))
      throw rangeError(`${this.kind} JSON featureNames`, 'an array of strings', names);
    const objective = makeObjective(
      checkOneOf(`${this.kind} JSON objective`, o.objective, ['l2', 'l1', 'huber', 'binary', 'multiclass'] as const),
      numClasses,
      huberDelta,
    );
    const init = o.initScore;
    if (!Array.isArray(init) || init.length !== objective.outputs || init.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
      throw rangeError(`${this.kind} JSON initScore`, `${objective.outputs} finite numbers`, init);
    if (!Array.isArray(o.trees) || o.trees.length % objective.outputs !== 0)
      throw rangeError(`${this.kind} JSON trees`, `an array with a multiple of ${objective.outputs} trees`, o.trees);
    const trees = (o.trees as TreeJSON[]).map((t, i) => Tree.fromJSON(t, names.length, `${this.kind} JSON trees[${i}]`));
    const categorical = Array.isArray(o.categorical) ? (o.categorical as boolean[]).map(Boolean) : names.map(() => false);
    this.state = {
      objective,
      initScore: Float64Array.from(init as number[]),
      trees,
      featureNames: names as string[],
      categorical,
      schema: o.schema ? Schema.fromJSON(o.schema as SchemaJSON) : undefined,
      bestIteration: typeof o.bestIteration === 'number' ? o.bestIteration : trees.length / objective.outputs,
      evalHistory: Array.isArray(o.evalHistory) ? (o.evalHistory as number[]) : [],
      trainLoss: Array.isArray(o.trainLoss) ? (o.trainLoss as number[]) : [],
    };
    return o;
  }
}

export function paramsFromJSON(json: unknown, kind: string): Record<string, unknown> {
  const o = checkHeader(json, kind);
  const p = o.params;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw typeError(`${kind} JSON params`, 'an object', p);
  return p as Record<string, unknown>;
}

export { readModel };

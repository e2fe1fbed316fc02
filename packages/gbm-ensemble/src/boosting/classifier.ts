import { rangeError } from '@aiffel/core';
import { argmaxAt } from '../core/argmax.js';
import type { Dataset } from '../data/dataset.js';
import type { FeatureInput, FitOptions } from './booster.js';
import { GradientBoostingBase, paramsFromJSON, readModel } from './gradient-boosting.js';
import { checkClassList, codesFor, encodeLabels, type Label } from './labels.js';
import { makeObjective } from './objectives.js';
import type { BoostingOptions } from './params.js';

/**
 * Histogram gradient boosting for classification: binary log-loss for two classes, softmax
 * (one tree per class and round) for more. Labels may be numbers or strings.
 */
export class GradientBoostingClassifier<L extends Label = number> extends GradientBoostingBase {
  protected readonly kind = 'GradientBoostingClassifier';
  private labels: L[] = [];

  constructor(options: BoostingOptions = {}) {
    super(options, [], 'GradientBoostingClassifier');
  }

  /** The distinct training labels, sorted; predictProba's columns follow this order. */
  get classes(): L[] {
    this.fitted('classes');
    return [...this.labels];
  }

  fit(X: FeatureInput | Dataset, y: ArrayLike<L>, options: FitOptions = {}): this {
    const { classes, codes } = encodeLabels(y);
    const validY = options.validation ? codesFor(options.validation.y as ArrayLike<L>, classes, 'validation.y') : undefined;
    const K = classes.length;
    this.train(X, codes, K === 2 ? 'binary' : 'multiclass', K, 1, options, validY);
    this.labels = classes;
    return this;
  }

  /** Class probabilities, rows x classes row-major (two columns for a binary model). */
  predictProba(X: FeatureInput | Dataset, options: { iterations?: number } = {}): Float64Array {
    const raw = this.predictRaw(X, options);
    const s = this.fitted('predictProba');
    if (s.objective.outputs > 1) {
      s.objective.link(raw);
      return raw;
    }
    const out = new Float64Array(raw.length * 2);
    s.objective.link(raw);
    for (let i = 0; i < raw.length; i++) {
      out[2 * i] = 1 - (raw[i] as number);
      out[2 * i + 1] = raw[i] as number;
    }
    return out;
  }

  /** The most probable label of every row. */
  predict(X: FeatureInput | Dataset, options: { iterations?: number } = {}): L[] {
    const p = this.predictProba(X, options);
    const K = this.labels.length;
    const rows = p.length / K;
    const out: L[] = new Array(rows);
    for (let r = 0; r < rows; r++) {
      const b = argmaxAt(p, r * K, K);
      out[r] = this.labels[b] as L;
    }
    return out;
  }

  protected override extraJSON(): Record<string, unknown> {
    return { classes: this.labels };
  }

  static fromJSON<L extends Label = number>(json: unknown): GradientBoostingClassifier<L> {
    const params = paramsFromJSON(json, 'GradientBoostingClassifier');
    const classes = checkClassList('GradientBoostingClassifier JSON classes', (json as { classes?: unknown }).classes);
    const m = new GradientBoostingClassifier<L>(params as BoostingOptions);
    m.restore(json, classes.length, 1);
    const expected = makeObjective(classes.length === 2 ? 'binary' : 'multiclass', classes.length, 1).name;
    if (m.fitted('fromJSON').objective.name !== expected)
      throw rangeError('GradientBoostingClassifier JSON objective', `"${expected}" for ${classes.length} classes`, m.fitted('fromJSON').objective.name);
    m.labels = classes as L[];
    return m;
  }

  static load<L extends Label = number>(path: string): GradientBoostingClassifier<L> {
    return GradientBoostingClassifier.fromJSON<L>(readModel(path));
  }
}

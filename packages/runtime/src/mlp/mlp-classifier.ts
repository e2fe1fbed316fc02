import * as tf from '@tensorflow/tfjs-core';
import { rangeError, typeError } from '../errors.js';
import type { LossFn } from '../training/losses.js';
import { toMatrix } from '../training/training-data.js';
import { MLPBase, savedOptions } from './mlp-base.js';
import { type MLPOptions, resolveMLPOptions } from './mlp-options.js';

export type ClassLabel = string | number;

export interface MLPClassifierOptions extends MLPOptions {
  /** Per-class loss weights: 'balanced' (n / (classes x count), as scikit-learn) or `{ label: weight }`. Default: all 1. */
  classWeight?: 'balanced' | Record<string, number>;
}

/**
 * A multilayer perceptron classifier. Two classes: one output, a sigmoid and binary cross-entropy;
 * more: one output per class, a softmax and cross-entropy (both from logits, numerically stable).
 */
export class MLPClassifier<L extends ClassLabel = ClassLabel> extends MLPBase {
  classes: L[] = [];
  private readonly classWeight: MLPClassifierOptions['classWeight'];

  constructor(options: MLPClassifierOptions = {}) {
    super(resolveMLPOptions('MLPClassifier options', options, ['classWeight']));
    const cw = options.classWeight;
    if (cw !== undefined && cw !== 'balanced') {
      if (cw === null || typeof cw !== 'object' || Array.isArray(cw)) throw typeError('options.classWeight', "'balanced' or { label: weight }", cw);
      for (const [k, v] of Object.entries(cw))
        if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw rangeError(`options.classWeight.${k}`, 'a positive finite number', v);
    }
    this.classWeight = cw;
  }

  async fit(X: unknown, labels: ArrayLike<L>): Promise<this> {
    const x = toMatrix('X', X);
    if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw typeError('labels', 'an array of class labels', labels);
    if (labels.length !== x.rows) throw rangeError('labels length', `${x.rows} (one per row of X)`, labels.length);
    const list = Array.from(labels);
    list.forEach((l, i) => {
      if (!((typeof l === 'string' && l.length > 0) || (typeof l === 'number' && Number.isFinite(l))))
        throw typeError(`labels[${i}]`, 'a non-empty string or a finite number', l);
    });
    const kinds = new Set(list.map((l) => typeof l));
    if (kinds.size > 1)
      throw typeError(
        'labels',
        'labels of one type (all strings or all numbers)',
        list.find((l) => typeof l !== list[0] && typeof l === 'string'),
      );
    const classes = [...new Set(list)].sort((a, b) => (typeof a === 'number' ? (a as number) - (b as number) : String(a).localeCompare(String(b))));
    if (classes.length < 2) throw rangeError('labels', 'at least 2 distinct classes', classes.length);
    const index = new Map<L, number>(classes.map((c, i) => [c, i]));
    const counts = classes.map((c) => list.filter((l) => l === c).length);
    const weights = classes.map((c, i) => {
      if (this.classWeight === undefined) return 1;
      if (this.classWeight === 'balanced') return x.rows / (classes.length * (counts[i] as number));
      const w = this.classWeight[String(c)];
      if (w === undefined) throw rangeError(`options.classWeight.${String(c)}`, 'a weight for every class', undefined);
      return w;
    });
    // Targets carry their sample weight in a second column, read by the weighted loss.
    const y = new Float32Array(x.rows * 2);
    list.forEach((l, i) => {
      const c = index.get(l) as number;
      y[2 * i] = c;
      y[2 * i + 1] = weights[c] as number;
    });
    const outputs = classes.length === 2 ? 1 : classes.length;
    this.classes = classes;
    await this.train(x, { data: y, rows: x.rows, cols: 2, shape: [x.rows, 2] }, outputs, weightedCrossEntropy(outputs), true);
    return this;
  }

  /** Probabilities, rows x classes (row-major), in the order of `classes`. */
  predictProba(X: unknown): Float64Array {
    const r = this.raw(X);
    const k = this.classes.length;
    const out = new Float64Array(r.rows * k);
    for (let i = 0; i < r.rows; i++) {
      if (r.outputs === 1) {
        const p = 1 / (1 + Math.exp(-(r.data[i] as number)));
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      } else {
        let max = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < k; c++) max = Math.max(max, r.data[i * k + c] as number);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += Math.exp((r.data[i * k + c] as number) - max);
        for (let c = 0; c < k; c++) out[i * k + c] = Math.exp((r.data[i * k + c] as number) - max) / sum;
      }
    }
    return out;
  }

  predict(X: unknown): L[] {
    const p = this.predictProba(X);
    const k = this.classes.length;
    return Array.from({ length: p.length / k }, (_, i) => {
      let best = 0;
      for (let c = 1; c < k; c++) if ((p[i * k + c] as number) > (p[i * k + best] as number)) best = c;
      return this.classes[best] as L;
    });
  }

  /** Accuracy of the predictions. */
  score(X: unknown, labels: ArrayLike<L>): number {
    const pred = this.predict(X);
    if (labels.length !== pred.length) throw rangeError('labels length', String(pred.length), labels.length);
    let hits = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) hits++;
    return hits / pred.length;
  }

  async save(path: string): Promise<void> {
    await this.saveAs(path, 'classifier', { classes: this.classes, classWeight: this.classWeight ?? null });
  }

  static async load<L extends ClassLabel = ClassLabel>(path: string): Promise<MLPClassifier<L>> {
    const { header, mean, std, weights } = await MLPBase.readFile(path, 'classifier');
    const classes = header.classes;
    if (
      !Array.isArray(classes) ||
      classes.length < 2 ||
      new Set(classes).size !== classes.length ||
      !classes.every((c) => typeof c === typeof classes[0] && (typeof c === 'string' || typeof c === 'number'))
    )
      throw rangeError(`${path} classes`, 'at least 2 distinct labels of one type', classes);
    const m = new MLPClassifier<L>({ ...savedOptions(header), ...(header.classWeight != null && { classWeight: header.classWeight as 'balanced' }) });
    m.classes = classes as L[];
    m.restoreNetwork(header.inputs as number, classes.length === 2 ? 1 : classes.length, mean, std, weights, path);
    return m;
  }
}

/** Cross-entropy from logits, each row weighted by its class weight (y = [class index, weight]). */
function weightedCrossEntropy(outputs: number): LossFn {
  return (y, logits) => {
    const label = y.slice([0, 0], [-1, 1]).reshape([-1]);
    const w = y.slice([0, 1], [-1, 1]).reshape([-1]);
    const perRow =
      outputs === 1
        ? tf.losses.sigmoidCrossEntropy(label.reshape([-1, 1]), logits, undefined, undefined, tf.Reduction.NONE).reshape([-1])
        : tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(label, 'int32'), outputs), logits, undefined, undefined, tf.Reduction.NONE);
    return tf.div(tf.sum(tf.mul(perRow, w)), tf.sum(w)) as tf.Scalar;
  };
}

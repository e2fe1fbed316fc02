import { rangeError } from '../errors.js';
import {
  type ClassLabel,
  type ClassWeight,
  checkClassWeight,
  classTargets,
  logitsToProba,
  probaToLabels,
  weightedCrossEntropy,
} from '../training/class-targets.js';
import { toMatrix } from '../training/training-data.js';
import { MLPBase, savedOptions } from './mlp-base.js';
import { type MLPOptions, resolveMLPOptions } from './mlp-options.js';

export type { ClassLabel };

export interface MLPClassifierOptions extends MLPOptions {
  /** Per-class loss weights: 'balanced' (n / (classes x count), as scikit-learn) or `{ label: weight }`. Default: all 1. */
  classWeight?: ClassWeight;
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
    this.classWeight = checkClassWeight('options.classWeight', options.classWeight);
  }

  async fit(X: unknown, labels: ArrayLike<L>): Promise<this> {
    const x = toMatrix('X', X);
    const { classes, y } = classTargets(labels, x.rows, this.classWeight);
    const outputs = classes.length === 2 ? 1 : classes.length;
    this.classes = classes;
    await this.train(x, y, outputs, weightedCrossEntropy(outputs), true);
    return this;
  }

  /** Probabilities, rows x classes (row-major), in the order of `classes`. */
  predictProba(X: unknown): Float64Array {
    const r = this.raw(X);
    return logitsToProba(r.data, r.rows, r.outputs);
  }

  predict(X: unknown): L[] {
    return probaToLabels(this.predictProba(X), this.classes);
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

import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@aiffel/core';
import { assertKnownOptions, Rng, rangeError, ready, type TrainableModel, Trainer, type TrainingProgress, tf, typeError } from '@aiffel/runtime';
import { type ClassificationReport, classificationReport } from './metrics.js';

export interface FaceClassifierOptions {
  /** Units of one ReLU hidden layer; 0 (default) is a linear (logistic / softmax) head. */
  hidden?: number;
  /** Maximum passes over the training set. Default 300. */
  epochs?: number;
  /** Adam step size. Default 0.01. */
  learningRate?: number;
  /** L2 weight decay. Default 1e-4. */
  l2?: number;
  /** Mini-batch size. Default 32. */
  batchSize?: number;
  /** Share of the training set held out for early stopping when no validation set is given. Default 0.2 (0 disables). */
  validationSplit?: number;
  /** Stop after this many epochs without a lower validation loss (best weights are kept). Default 30. */
  patience?: number;
  /** Standardise inputs (mean 0, std 1 per feature, from the training set). Default true. */
  standardize?: boolean;
  seed?: number;
}

export interface FitOptions {
  validation?: { x: ArrayLike<number>[]; labels: string[] };
  onProgress?: (epoch: number, trainLoss: number, validationLoss: number | undefined) => void;
}

interface Params {
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

const DEFAULTS: Required<FaceClassifierOptions> = {
  hidden: 0,
  epochs: 300,
  learningRate: 0.01,
  l2: 1e-4,
  batchSize: 32,
  validationSplit: 0.2,
  patience: 30,
  standardize: true,
  seed: 0,
};

/**
 * A small trainable head on face descriptors (or any feature vectors): two classes give one
 * sigmoid output, more give a softmax. Adam, mini-batches, early stopping on a validation set
 * with the best weights restored, and a held-out report.
 */
export class FaceClassifier {
  readonly options: Required<FaceClassifierOptions>;
  classes: string[] = [];
  /** Training history: loss per epoch (and validation loss when there is a validation set). */
  history: { epoch: number; loss: number; validationLoss?: number }[] = [];
  private dim = 0;
  private mean = new Float64Array(0);
  private std = new Float64Array(0);
  private params: Params | undefined;

  constructor(options: FaceClassifierOptions = {}) {
    assertKnownOptions('FaceClassifier options', options, Object.keys(DEFAULTS));
    const o = { ...DEFAULTS, ...options };
    if (!Number.isInteger(o.hidden) || o.hidden < 0) throw rangeError('options.hidden', 'a non-negative integer', o.hidden);
    if (!Number.isInteger(o.epochs) || o.epochs < 1) throw rangeError('options.epochs', 'a positive integer', o.epochs);
    if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) throw rangeError('options.learningRate', 'a positive number', o.learningRate);
    if (!(o.l2 >= 0) || !Number.isFinite(o.l2)) throw rangeError('options.l2', 'a non-negative number', o.l2);
    if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw rangeError('options.batchSize', 'a positive integer', o.batchSize);
    if (!(o.validationSplit >= 0 && o.validationSplit < 1)) throw rangeError('options.validationSplit', 'a number in [0, 1)', o.validationSplit);
    if (!Number.isInteger(o.patience) || o.patience < 1) throw rangeError('options.patience', 'a positive integer', o.patience);
    if (typeof o.standardize !== 'boolean') throw typeError('options.standardize', 'a boolean', o.standardize);
    if (!Number.isInteger(o.seed)) throw rangeError('options.seed', 'an integer', o.seed);
    this.options = o;
  }

  private get outputs(): number {
    return this.classes.length === 2 ? 1 : this.classes.length;
  }

  /**
   * Trains the head through @aiffel/runtime's Trainer (Adam, L2 on the weight matrices, seeded
   * mini-batches, early stopping with the best weights restored). Async since it runs on the tfjs
   * backend; prediction stays synchronous, in plain JavaScript over the learnt weights.
   */
  async fit(x: ArrayLike<number>[], labels: string[], fitOptions: FitOptions = {}): Promise<this> {
    assertKnownOptions('fit options', fitOptions, ['validation', 'onProgress']);
    const rows = this.checkX('x', x, true);
    if (!Array.isArray(labels) || labels.length !== rows.length) throw rangeError('labels.length', `${rows.length} (one label per row of x)`, labels?.length);
    labels.forEach((l, i) => {
      if (typeof l !== 'string' || l.length === 0) throw typeError(`labels[${i}]`, 'a non-empty string', l);
    });
    const classes = [...new Set(labels)].sort();
    if (classes.length < 2) throw rangeError('labels', 'at least 2 distinct classes', classes.length);
    const o = this.options;
    const rng = new Rng(o.seed);
    let trainIdx = Array.from(rows.keys());
    let val: { x: Float64Array[]; y: Int32Array } | undefined;
    const classIndex = new Map(classes.map((c, i) => [c, i]));
    if (fitOptions.validation) {
      const vx = this.checkX('validation.x', fitOptions.validation.x, false, rows[0]?.length);
      const vl = fitOptions.validation.labels;
      if (!Array.isArray(vl) || vl.length !== vx.length) throw rangeError('validation.labels.length', `${vx.length}`, vl?.length);
      vl.forEach((l, i) => {
        if (!classIndex.has(l)) throw rangeError(`validation.labels[${i}]`, `one of the training classes (${classes.join(', ')})`, l);
      });
      val = { x: vx, y: Int32Array.from(vl, (l) => classIndex.get(l) as number) };
    } else if (o.validationSplit > 0) {
      // Stratified hold-out: the same share of every class, at least one left for training.
      const holdout = new Set<number>();
      for (const c of classes) {
        const members = trainIdx.filter((i) => labels[i] === c);
        const perm = rng.permutation(members.length);
        const take = Math.min(members.length - 1, Math.round(members.length * o.validationSplit));
        for (let j = 0; j < take; j++) holdout.add(members[perm[j] as number] as number);
      }
      if (holdout.size > 0) {
        const vIdx = [...holdout].sort((a, b) => a - b);
        val = { x: vIdx.map((i) => rows[i] as Float64Array), y: Int32Array.from(vIdx, (i) => classIndex.get(labels[i] as string) as number) };
        trainIdx = trainIdx.filter((i) => !holdout.has(i));
      }
    }
    this.classes = classes;
    this.dim = (rows[0] as Float64Array).length;
    this.fitScaler(trainIdx.map((i) => rows[i] as Float64Array));
    const trainX = trainIdx.map((i) => this.scale(rows[i] as Float64Array));
    const trainY = Int32Array.from(trainIdx, (i) => classIndex.get(labels[i] as string) as number);
    const valX = val?.x.map((r) => this.scale(r));
    const init = this.init(rng);
    await ready();
    const h = o.hidden;
    const out = this.outputs;
    const v = {
      w1: tf.variable(tf.tensor2d(Float32Array.from(init.w1), [this.dim, h])),
      b1: tf.variable(tf.tensor1d(Float32Array.from(init.b1))),
      w2: tf.variable(tf.tensor2d(Float32Array.from(init.w2), [h > 0 ? h : this.dim, out])),
      b2: tf.variable(tf.tensor1d(Float32Array.from(init.b2))),
    };
    const model: TrainableModel = {
      variables: h > 0 ? [v.w1, v.b1, v.w2, v.b2] : [v.w2, v.b2],
      predict: (input) => {
        const hidden = h > 0 ? tf.relu(tf.add(tf.matMul(input as tf.Tensor2D, v.w1), v.b1)) : input;
        return tf.add(tf.matMul(hidden as tf.Tensor2D, v.w2), v.b2);
      },
    };
    const rowsOf = (xs: Float64Array[]) => ({ data: Float32Array.from(xs.flatMap((r) => Array.from(r))), shape: [xs.length, this.dim] });
    try {
      const log = await new Trainer({
        model,
        loss: out === 1 ? 'binaryCrossentropy' : 'sparseCategoricalCrossentropy',
        fromLogits: true,
        optimizer: { name: 'adam', epsilon: 1e-8 },
        learningRate: o.learningRate,
        // PyTorch-style L2 on the weight matrices (the Trainer leaves biases alone).
        weightDecay: o.l2,
      }).fit(
        { x: rowsOf(trainX), y: Float32Array.from(trainY) },
        {
          epochs: o.epochs,
          batchSize: o.batchSize,
          seed: o.seed,
          ...(val && valX && { validation: { x: rowsOf(valX), y: Float32Array.from(val.y) } }),
          earlyStopping: { patience: o.patience, minDelta: 1e-7 },
          ...(fitOptions.onProgress && {
            onProgress: (p: TrainingProgress) => {
              if (p.phase === 'epoch') fitOptions.onProgress?.(p.epoch, p.loss, p.validation?.loss);
            },
          }),
        },
      );
      this.history = log.epochs.map((e) =>
        e.validation === undefined ? { epoch: e.epoch, loss: e.loss } : { epoch: e.epoch, loss: e.loss, validationLoss: e.validation.loss },
      );
      const read = (t: tf.Variable) => Float64Array.from(t.dataSync());
      this.params = { w1: h > 0 ? read(v.w1) : new Float64Array(0), b1: h > 0 ? read(v.b1) : new Float64Array(0), w2: read(v.w2), b2: read(v.b2) };
    } finally {
      for (const t of Object.values(v)) t.dispose();
    }
    return this;
  }

  /** Class probabilities per row, columns in `classes` order. */
  predictProba(x: ArrayLike<number>[]): Float64Array[] {
    const rows = this.checkX('x', x, false, this.requireFitted());
    return rows.map((r) => this.probabilities(this.forward(this.scale(r)).logits));
  }

  predict(x: ArrayLike<number>[]): string[] {
    return this.predictProba(x).map((p) => this.classes[argmax(p)] as string);
  }

  /** Accuracy, per-class precision / recall / F1 and the confusion matrix on labelled rows. */
  evaluate(x: ArrayLike<number>[], labels: string[]): ClassificationReport {
    const predicted = this.predict(x);
    if (!Array.isArray(labels) || labels.length !== predicted.length) throw rangeError('labels.length', `${predicted.length}`, labels?.length);
    return classificationReport(labels, predicted, this.classes);
  }

  toJSON(): Record<string, unknown> {
    const p = this.params;
    if (!p) throw new Error('FaceClassifier: fit the classifier before saving it');
    return {
      format: 'aiffel-face-classifier',
      version: 1,
      options: this.options,
      classes: this.classes,
      dim: this.dim,
      mean: Array.from(this.mean),
      std: Array.from(this.std),
      params: { w1: Array.from(p.w1), b1: Array.from(p.b1), w2: Array.from(p.w2), b2: Array.from(p.b2) },
    };
  }

  static fromJSON(json: unknown): FaceClassifier {
    const j = json as Record<string, unknown> | null;
    if (j === null || typeof j !== 'object' || j.format !== 'aiffel-face-classifier')
      throw rangeError('classifier JSON format', "'aiffel-face-classifier'", j?.format);
    if (j.version !== 1) throw rangeError('classifier JSON version', '1', j.version);
    const c = new FaceClassifier(j.options as FaceClassifierOptions);
    const classes = j.classes;
    if (!Array.isArray(classes) || classes.length < 2 || !classes.every((s) => typeof s === 'string'))
      throw rangeError('classifier JSON classes', 'an array of at least 2 strings', classes);
    // A repeated class would make two outputs answer to one name, and predictions would never
    // name the class it hides.
    classes.forEach((name, i) => {
      if (classes.indexOf(name) !== i) throw rangeError(`classifier JSON classes[${i}]`, 'a class not listed before it', name);
    });
    const dim = j.dim;
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > 1e5) throw rangeError('classifier JSON dim', 'a positive integer', dim);
    c.classes = classes as string[];
    c.dim = dim;
    const h = c.options.hidden;
    const out = c.outputs;
    const vec = (name: string, v: unknown, n: number) => {
      if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
        throw rangeError(`classifier JSON ${name}`, `${n} finite numbers`, v);
      return Float64Array.from(v as number[]);
    };
    c.mean = vec('mean', j.mean, dim);
    c.std = vec('std', j.std, dim);
    // fit() stores 1 for a constant feature, so a real std is always positive; 0 would divide by
    // zero (Infinity inputs) and a negative one would flip the feature's sign.
    c.std.forEach((v, i) => {
      if (!(v > 0)) throw rangeError(`classifier JSON std[${i}]`, 'a positive number', v);
    });
    const p = j.params as Record<string, unknown> | null;
    if (p === null || typeof p !== 'object') throw rangeError('classifier JSON params', 'an object', p);
    const inner = h > 0 ? h : dim;
    c.params = {
      w1: vec('params.w1', p.w1, h > 0 ? dim * h : 0),
      b1: vec('params.b1', p.b1, h),
      w2: vec('params.w2', p.w2, inner * out),
      b2: vec('params.b2', p.b2, out),
    };
    return c;
  }

  async save(path: string): Promise<void> {
    if (typeof path !== 'string' || path.length === 0) throw typeError('path', 'a file path', path);
    await writeFileAtomic(path, JSON.stringify(this.toJSON()));
  }

  static async load(path: string): Promise<FaceClassifier> {
    return FaceClassifier.fromJSON(JSON.parse(await readFile(path, 'utf8')));
  }

  private requireFitted(): number {
    if (!this.params) throw new Error('FaceClassifier: call fit() before predicting');
    return this.dim;
  }

  private checkX(name: string, x: ArrayLike<number>[], allowAnyDim: boolean, dim?: number): Float64Array[] {
    if (!Array.isArray(x) || x.length === 0) throw typeError(name, 'a non-empty array of feature vectors', x);
    const d = dim ?? (allowAnyDim ? x[0]?.length : this.dim);
    return x.map((row, i) => {
      if (row === null || typeof row !== 'object' || typeof row.length !== 'number') throw typeError(`${name}[${i}]`, 'an array of numbers', row);
      if (row.length !== d || d === 0) throw rangeError(`${name}[${i}].length`, String(d), row.length);
      const r = Float64Array.from(row);
      for (let j = 0; j < r.length; j++) if (!Number.isFinite(r[j] as number)) throw rangeError(`${name}[${i}][${j}]`, 'a finite number', row[j]);
      return r;
    });
  }

  private fitScaler(rows: Float64Array[]): void {
    const d = this.dim;
    this.mean = new Float64Array(d);
    this.std = new Float64Array(d).fill(1);
    if (!this.options.standardize) return;
    for (const r of rows) for (let j = 0; j < d; j++) this.mean[j] = (this.mean[j] as number) + (r[j] as number) / rows.length;
    const v = new Float64Array(d);
    for (const r of rows) for (let j = 0; j < d; j++) v[j] = (v[j] as number) + ((r[j] as number) - (this.mean[j] as number)) ** 2 / rows.length;
    for (let j = 0; j < d; j++) this.std[j] = Math.sqrt(v[j] as number) || 1;
  }

  private scale(r: Float64Array): Float64Array {
    const out = new Float64Array(this.dim);
    for (let j = 0; j < this.dim; j++) out[j] = ((r[j] as number) - (this.mean[j] as number)) / (this.std[j] as number);
    return out;
  }

  private init(rng: Rng): Params {
    const d = this.dim;
    const h = this.options.hidden;
    const out = this.outputs;
    const inner = h > 0 ? h : d;
    const w1 = new Float64Array(h > 0 ? d * h : 0);
    for (let i = 0; i < w1.length; i++) w1[i] = rng.normal(0, Math.sqrt(2 / d));
    const w2 = new Float64Array(inner * out);
    for (let i = 0; i < w2.length; i++) w2[i] = rng.normal(0, Math.sqrt(1 / inner));
    return { w1, b1: new Float64Array(h), w2, b2: new Float64Array(out) };
  }

  private forward(x: Float64Array): { hidden: Float64Array; logits: Float64Array } {
    const p = this.params as Params;
    const h = this.options.hidden;
    let hidden = x;
    if (h > 0) {
      hidden = new Float64Array(h);
      for (let k = 0; k < h; k++) {
        let s = p.b1[k] as number;
        for (let j = 0; j < this.dim; j++) s += (x[j] as number) * (p.w1[j * h + k] as number);
        hidden[k] = s > 0 ? s : 0;
      }
    }
    const out = this.outputs;
    const logits = new Float64Array(out);
    for (let c = 0; c < out; c++) {
      let s = p.b2[c] as number;
      for (let k = 0; k < hidden.length; k++) s += (hidden[k] as number) * (p.w2[k * out + c] as number);
      logits[c] = s;
    }
    return { hidden, logits };
  }

  private probabilities(logits: Float64Array): Float64Array {
    if (logits.length === 1) {
      const p1 = 1 / (1 + Math.exp(-(logits[0] as number)));
      return Float64Array.from([1 - p1, p1]);
    }
    const max = Math.max(...logits);
    const e = logits.map((z) => Math.exp(z - max));
    const sum = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / sum);
  }
}

function argmax(p: Float64Array): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  return best;
}

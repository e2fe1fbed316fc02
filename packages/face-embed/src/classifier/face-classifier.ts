import { readFile, writeFile } from 'node:fs/promises';
import { assertKnownOptions, Rng, rangeError, typeError } from '@aiffel/runtime';
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

  fit(x: ArrayLike<number>[], labels: string[], fitOptions: FitOptions = {}): this {
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
    this.params = this.init(rng);
    const adam = new Adam(this.params, o.learningRate);
    let best = Infinity;
    let bestParams = cloneParams(this.params);
    let since = 0;
    this.history = [];
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const perm = rng.permutation(trainX.length);
      let total = 0;
      for (let s = 0; s < perm.length; s += o.batchSize) {
        const batch = Array.from(perm.subarray(s, s + o.batchSize));
        const grads = zeroLike(this.params);
        for (const i of batch) total += this.backward(trainX[i] as Float64Array, trainY[i] as number, grads, 1 / batch.length);
        addDecay(grads, this.params, o.l2);
        adam.step(this.params, grads);
      }
      const loss = total / trainX.length;
      const vLoss = val && valX ? this.meanLoss(valX, val.y) : undefined;
      this.history.push(vLoss === undefined ? { epoch, loss } : { epoch, loss, validationLoss: vLoss });
      fitOptions.onProgress?.(epoch, loss, vLoss);
      const monitored = vLoss ?? loss;
      if (monitored < best - 1e-7) {
        best = monitored;
        bestParams = cloneParams(this.params);
        since = 0;
      } else if (++since >= o.patience) break;
    }
    this.params = bestParams;
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
    await writeFile(path, JSON.stringify(this.toJSON()));
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

  /** Adds this example's gradients (times `weight`) into `g` and returns its cross-entropy loss. */
  private backward(x: Float64Array, y: number, g: Params, weight: number): number {
    const p = this.params as Params;
    const { hidden, logits } = this.forward(x);
    const probs = this.probabilities(logits);
    const out = this.outputs;
    // dL/dlogit: sigmoid head p1 - y; softmax head p - onehot(y).
    const dz = out === 1 ? Float64Array.from([(probs[1] as number) - y]) : probs.map((v, c) => v - (c === y ? 1 : 0));
    const dh = new Float64Array(hidden.length);
    for (let c = 0; c < out; c++) {
      const d = (dz[c] as number) * weight;
      g.b2[c] = (g.b2[c] as number) + d;
      for (let k = 0; k < hidden.length; k++) {
        g.w2[k * out + c] = (g.w2[k * out + c] as number) + d * (hidden[k] as number);
        dh[k] = (dh[k] as number) + d * (p.w2[k * out + c] as number);
      }
    }
    const h = this.options.hidden;
    if (h > 0) {
      for (let k = 0; k < h; k++) {
        if ((hidden[k] as number) <= 0) continue;
        const d = dh[k] as number;
        g.b1[k] = (g.b1[k] as number) + d;
        for (let j = 0; j < this.dim; j++) g.w1[j * h + k] = (g.w1[j * h + k] as number) + d * (x[j] as number);
      }
    }
    return -Math.log(Math.max(probs[y] as number, 1e-12));
  }

  private meanLoss(x: Float64Array[], y: Int32Array): number {
    let s = 0;
    x.forEach((r, i) => {
      s -= Math.log(Math.max(this.probabilities(this.forward(r).logits)[y[i] as number] as number, 1e-12));
    });
    return s / x.length;
  }
}

function argmax(p: Float64Array): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  return best;
}

function zeroLike(p: Params): Params {
  return { w1: new Float64Array(p.w1.length), b1: new Float64Array(p.b1.length), w2: new Float64Array(p.w2.length), b2: new Float64Array(p.b2.length) };
}

function cloneParams(p: Params): Params {
  return { w1: p.w1.slice(), b1: p.b1.slice(), w2: p.w2.slice(), b2: p.b2.slice() };
}

/** Weight decay on the weight matrices only (not the biases). */
function addDecay(g: Params, p: Params, l2: number): void {
  if (l2 === 0) return;
  for (const k of ['w1', 'w2'] as const) for (let i = 0; i < p[k].length; i++) g[k][i] = (g[k][i] as number) + l2 * (p[k][i] as number);
}

class Adam {
  private m: Params;
  private v: Params;
  private t = 0;

  constructor(
    p: Params,
    private readonly lr: number,
  ) {
    this.m = zeroLike(p);
    this.v = zeroLike(p);
  }

  step(p: Params, g: Params): void {
    this.t++;
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (const k of ['w1', 'b1', 'w2', 'b2'] as const) {
      const pk = p[k];
      const gk = g[k];
      const mk = this.m[k];
      const vk = this.v[k];
      for (let i = 0; i < pk.length; i++) {
        const gi = gk[i] as number;
        mk[i] = b1 * (mk[i] as number) + (1 - b1) * gi;
        vk[i] = b2 * (vk[i] as number) + (1 - b2) * gi * gi;
        pk[i] = (pk[i] as number) - (this.lr * ((mk[i] as number) / c1)) / (Math.sqrt((vk[i] as number) / c2) + 1e-8);
      }
    }
  }
}

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ClassificationReport, classificationReport, readJsonFile, writeFileAtomic } from '@aiffel/core';
import {
  assertKnownOptions,
  assertPositiveInteger,
  type ClassLabel,
  type ClassWeight,
  checkClassWeight,
  classTargets,
  type EarlyStoppingOptions,
  type LrSchedule,
  logitsToProba,
  type OptimizerName,
  probaToLabels,
  type ReduceOnPlateau,
  rangeError,
  requirePackageFile,
  Trainer,
  type TrainingLog,
  type TrainingProgress,
  tf,
  typeError,
  weightedCrossEntropy,
} from '@aiffel/runtime';
import type { Tensor3D } from '@tensorflow/tfjs-core';
import { initParams, type ParamMap } from '../model/params.js';
import { checkConfigKeys, resolveSequenceConfig, type SequenceClassifierConfig, sequenceParamSpecs } from './sequence-config.js';
import { sequenceAttention, sequenceModel } from './sequence-network.js';
import { channelStats, standardize, toWindows, type Windows } from './window-batch.js';

export type SequenceClassifierOptions = Partial<SequenceClassifierConfig>;

export interface SequenceFitOptions<L extends ClassLabel> {
  /** Default 20. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Default 1e-3. */
  learningRate?: number;
  /** 'adam' (default), 'sgd', 'momentum' or 'nesterov' (what the workers can apply too). */
  optimizer?: Extract<OptimizerName, 'adam' | 'sgd' | 'momentum' | 'nesterov'>;
  /** Global gradient-norm clip (LSTMs need one). Default 5. */
  clipNorm?: number;
  /** A runtime learning-rate schedule (stepDecay, cosineAnnealing, warmRestarts, ...) or a ReduceOnPlateau. */
  schedule?: LrSchedule | ReduceOnPlateau;
  /** Default 'epoch'. */
  scheduleStep?: 'epoch' | 'batch';
  /** Held-out windows `{ x, y }` or a fraction of the training windows. */
  validation?: { x: unknown; y: ArrayLike<L> } | number;
  /** Stop when the validation loss stalls, best weights restored. Default { patience: 5 } with validation; false = off. */
  earlyStopping?: EarlyStoppingOptions | false;
  /** 'balanced' or { label: weight }. Default: all 1. */
  classWeight?: ClassWeight;
  /** Worker threads for data-parallel training (both cores: 2). Default 1 (this thread). */
  workers?: number;
  /** The runtime's one progress shape (epochs and batches count from 1). */
  onProgress?: (p: TrainingProgress) => void;
  signal?: AbortSignal;
  /** Shuffling and the validation split. Default 0. */
  seed?: number;
}

const FIT_KEYS = [
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
  'clipNorm',
  'schedule',
  'scheduleStep',
  'validation',
  'earlyStopping',
  'classWeight',
  'workers',
  'onProgress',
  'signal',
  'seed',
];
const FORMAT = 'aiffel-sequence-classifier';
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * A classifier of fixed-length multichannel windows (phone sensors, ECG, ...): an optional 1-D
 * convolution, stacked (bi)LSTMs on seq2seq-attn's fused LSTM op (the package's one LSTM), additive
 * attention or last-state pooling and a softmax head, trained by the runtime Trainer on one thread
 * or data-parallel on worker threads.
 */
export class SequenceClassifier<L extends ClassLabel = ClassLabel> {
  readonly config: SequenceClassifierConfig;
  classes: L[] = [];
  steps = 0;
  channels = 0;
  log: TrainingLog | undefined;
  private params: ParamMap | undefined;
  private mean = new Float32Array(0);
  private std = new Float32Array(0);

  constructor(options: SequenceClassifierOptions = {}) {
    if (options === null || typeof options !== 'object') throw typeError('SequenceClassifier options', 'an object', options);
    checkConfigKeys(options, []);
    this.config = resolveSequenceConfig(options);
  }

  /** Trains on windows x (N x T x C) with one label per window. Resolves to this model. */
  async fit(x: unknown, labels: ArrayLike<L>, options: SequenceFitOptions<L> = {}): Promise<this> {
    assertKnownOptions('fit options', options, FIT_KEYS);
    const w = toWindows('x', x);
    const classWeight = checkClassWeight('options.classWeight', options.classWeight);
    const { classes, y } = classTargets(labels, w.windows, classWeight);
    const workers = options.workers ?? 1;
    assertPositiveInteger('options.workers', workers);
    const { mean, std } = channelStats(w);
    const outputs = classes.length === 2 ? 1 : classes.length;
    let validation: { x: unknown; y: unknown } | number | undefined;
    if (typeof options.validation === 'number') validation = options.validation;
    else if (options.validation !== undefined) {
      const v = options.validation;
      if (v === null || typeof v !== 'object') throw typeError('options.validation', 'a fraction in (0, 1) or { x, y }', v);
      const vw = toWindows('validation.x', v.x, { steps: w.steps, channels: w.channels });
      validation = { x: standardize(vw, mean, std), y: validationTargets(v.y, vw.windows, classes) };
    }
    // Resolved before any training, so an unbuilt checkout fails at once.
    const task = workers > 1 ? requirePackageFile(import.meta.url, 'sequence-task.js', '@aiffel/seq2seq-attn') : undefined;
    // Trained into new weights: a refused option or an aborted run leaves the fitted model as it was.
    const params = initParams(sequenceParamSpecs(this.config, w.channels, classes.length), this.config.seed);
    const dispose = (p: ParamMap) =>
      p.forEach((v) => {
        v.dispose();
      });
    let log: TrainingLog;
    try {
      const trainer = new Trainer({
        model: sequenceModel(this.config, params, w.steps, w.channels),
        loss: weightedCrossEntropy(outputs),
        optimizer: options.optimizer ?? 'adam',
        learningRate: options.learningRate ?? 1e-3,
        clipNorm: options.clipNorm ?? 5,
        ...(options.schedule !== undefined && { schedule: options.schedule }),
        ...(options.scheduleStep !== undefined && { scheduleStep: options.scheduleStep }),
        ...(workers > 1 && {
          workers: {
            count: workers,
            task: { module: task as string, exportName: 'sequenceTask' },
            config: { config: this.config, steps: w.steps, channels: w.channels, classes: classes.length },
          },
        }),
      });
      const es = options.earlyStopping ?? { patience: 5 };
      log = await trainer.fit(
        { x: standardize(w, mean, std), y },
        {
          epochs: options.epochs ?? 20,
          batchSize: options.batchSize ?? 64,
          seed: options.seed ?? 0,
          ...(validation !== undefined && { validation }),
          ...(validation !== undefined && es !== false && { earlyStopping: es }),
          ...(options.onProgress && { onProgress: options.onProgress }),
          ...(options.signal && { signal: options.signal }),
        },
      );
    } catch (err) {
      dispose(params);
      throw err;
    }
    if (this.params) dispose(this.params);
    Object.assign(this, { classes, steps: w.steps, channels: w.channels, mean, std, params, log });
    return this;
  }

  private fitted(method: string): ParamMap {
    if (this.params === undefined) throw new Error(`SequenceClassifier.${method}: call fit() or load() first`);
    return this.params;
  }

  private logits(w: Windows, batchSize: number): Float32Array {
    const params = this.fitted('predict');
    const model = sequenceModel(this.config, params, this.steps, this.channels);
    const s = standardize(w, this.mean, this.std);
    const per = this.steps * this.channels;
    const parts: Float32Array[] = [];
    for (let i = 0; i < w.windows; i += batchSize) {
      const rows = Math.min(batchSize, w.windows - i);
      const out = tf.tidy(() => model.predict(tf.tensor2d(s.data.subarray(i * per, (i + rows) * per), [rows, per]), false));
      parts.push(out.dataSync() as Float32Array);
      out.dispose();
    }
    const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  }

  /** Probabilities, windows x classes (row-major, flat) in `classes` order. */
  predictProba(x: unknown, options: { batchSize?: number } = {}): Float64Array {
    assertKnownOptions('predictProba options', options, ['batchSize']);
    this.fitted('predictProba');
    const w = toWindows('x', x, { steps: this.steps, channels: this.channels });
    const batchSize = options.batchSize ?? 256;
    assertPositiveInteger('options.batchSize', batchSize);
    const outputs = this.classes.length === 2 ? 1 : this.classes.length;
    return logitsToProba(this.logits(w, batchSize), w.windows, outputs);
  }

  predict(x: unknown): L[] {
    return probaToLabels(this.predictProba(x), this.classes);
  }

  /** Accuracy, macro F1, per-class scores and the confusion matrix on labelled windows. */
  evaluate(x: unknown, labels: ArrayLike<L>): ClassificationReport<L> {
    const pred = this.predict(x);
    if (labels === null || typeof labels !== 'object' || labels.length !== pred.length)
      throw rangeError('labels length', `${pred.length} (one per window)`, labels?.length);
    Array.from(labels).forEach((l, i) => {
      if (!this.classes.includes(l)) throw rangeError(`labels[${i}]`, `one of the training classes (${this.classes.join(', ')})`, l);
    });
    return classificationReport(labels, pred, this.classes);
  }

  /** Attention weights per window (windows x steps), for pooling 'attention': which steps decided. */
  attention(x: unknown): Float32Array[] {
    const params = this.fitted('attention');
    if (this.config.pooling !== 'attention') throw rangeError('pooling', "'attention' for attention weights", this.config.pooling);
    const w = toWindows('x', x, { steps: this.steps, channels: this.channels });
    const s = standardize(w, this.mean, this.std);
    const a = tf.tidy(() => sequenceAttention(this.config, params, tf.tensor3d(s.data, [w.windows, w.steps, w.channels]) as Tensor3D));
    const data = a.dataSync() as Float32Array;
    a.dispose();
    return Array.from({ length: w.windows }, (_, i) => data.slice(i * w.steps, (i + 1) * w.steps));
  }

  /** Writes model.json and weights.bin into `dir` (created), each written to a unique temporary name then renamed. */
  async save(dir: string): Promise<void> {
    const params = this.fitted('save');
    if (typeof dir !== 'string' || dir.length === 0) throw typeError('dir', 'a folder path', dir);
    await mkdir(dir, { recursive: true });
    const names = [...params.keys()];
    const sizes = [...params.values()].map((v) => v.size);
    const weights = new Float32Array(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const v of params.values()) {
      weights.set(v.dataSync() as Float32Array, at);
      at += v.size;
    }
    const meta = {
      format: FORMAT,
      version: 1,
      config: this.config,
      classes: this.classes,
      steps: this.steps,
      channels: this.channels,
      mean: Array.from(this.mean),
      std: Array.from(this.std),
      params: names,
      log: this.log ?? null,
    };
    for (const [name, data] of [
      ['weights.bin', new Uint8Array(weights.buffer)],
      ['model.json', JSON.stringify(meta)],
    ] as const)
      await writeFileAtomic(join(dir, name), data);
  }

  /** Loads a folder written by save(); sizes are checked before anything is allocated. */
  static async load<L extends ClassLabel = ClassLabel>(dir: string): Promise<SequenceClassifier<L>> {
    if (typeof dir !== 'string' || dir.length === 0) throw typeError('dir', 'a folder path', dir);
    const meta = (await readJsonFile(join(dir, 'model.json'), { maxBytes: 1_000_000, what: 'SequenceClassifier.load' })) as Record<string, unknown>;
    if (meta === null || typeof meta !== 'object' || meta.format !== FORMAT) throw rangeError(`${dir}/model.json format`, `'${FORMAT}'`, meta?.format);
    if (meta.version !== 1) throw rangeError(`${dir}/model.json version`, '1', meta.version);
    const model = new SequenceClassifier<L>(meta.config as SequenceClassifierOptions);
    const classes = meta.classes;
    if (
      !Array.isArray(classes) ||
      classes.length < 2 ||
      new Set(classes).size !== classes.length ||
      !classes.every((c) => typeof c === 'string' || typeof c === 'number')
    )
      throw rangeError(`${dir}/model.json classes`, 'at least 2 distinct labels', classes);
    const steps = meta.steps;
    const channels = meta.channels;
    if (!Number.isInteger(steps) || (steps as number) < 1 || (steps as number) > 1e6)
      throw rangeError(`${dir}/model.json steps`, 'an integer in [1, 1e6]', steps);
    if (!Number.isInteger(channels) || (channels as number) < 1 || (channels as number) > 4096)
      throw rangeError(`${dir}/model.json channels`, 'an integer in [1, 4096]', channels);
    const specs = sequenceParamSpecs(model.config, channels as number, classes.length);
    const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    if (expected * 4 > MAX_FILE_BYTES) throw rangeError(`${dir}/model.json config`, 'a model of at most 512 MB', `${expected * 4} bytes`);
    const bytes = await readFile(join(dir, 'weights.bin'));
    if (bytes.byteLength !== expected * 4) throw rangeError(`${dir}/weights.bin`, `${expected * 4} bytes for this configuration`, `${bytes.byteLength} bytes`);
    const stat = (name: string, v: unknown) => {
      if (!Array.isArray(v) || v.length !== channels || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
        throw rangeError(`${dir}/model.json ${name}`, `${String(channels)} finite numbers`, v);
      return Float32Array.from(v as number[]);
    };
    const mean = stat('mean', meta.mean);
    const std = stat('std', meta.std);
    if (std.some((s) => !(s > 0))) throw rangeError(`${dir}/model.json std`, 'positive numbers', Array.from(std));
    const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    for (let i = 0; i < weights.length; i++) if (!Number.isFinite(weights[i])) throw rangeError(`${dir}/weights.bin`, 'finite values', `${weights[i]} at ${i}`);
    const params = initParams(specs, model.config.seed);
    let at = 0;
    for (const v of params.values()) {
      v.assign(tf.tensor(weights.subarray(at, at + v.size), v.shape));
      at += v.size;
    }
    Object.assign(model, { classes, steps, channels, mean, std, params, log: (meta.log as TrainingLog | null) ?? undefined });
    return model;
  }

  dispose(): void {
    this.params?.forEach((v) => {
      v.dispose();
    });
    this.params = undefined;
  }
}

/** Validation targets [class index, 1]: class weights shape the training loss only (as Keras's class_weight). */
function validationTargets<L extends ClassLabel>(labels: ArrayLike<L>, rows: number, classes: readonly L[]) {
  if (labels === null || typeof labels !== 'object' || labels.length !== rows)
    throw rangeError('validation.y length', `${rows} (one per window)`, labels?.length);
  const at = new Map<L, number>(classes.map((c, i) => [c, i]));
  const data = new Float32Array(rows * 2);
  Array.from(labels).forEach((l, i) => {
    const c = at.get(l);
    if (c === undefined) throw rangeError(`validation.y[${i}]`, `one of the training classes (${classes.join(', ')})`, l);
    data[2 * i] = c;
    data[2 * i + 1] = 1;
  });
  return { data, shape: [rows, 2] };
}

import * as tf from '@tensorflow/tfjs-core';
import { assertKnownOptions, assertNonNegativeInteger, assertPositiveInteger, rangeError, typeError } from '../errors.js';
import { type CheckpointArray, readCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState } from './early-stopping.js';
import { LOSS_NAMES, type LossFn, type LossName, namedLoss } from './losses.js';
import { type LrSchedule, ReduceOnPlateau, type ReduceOnPlateauState } from './lr-schedule.js';
import { computeMetric, METRIC_NAMES, type MetricName, metricMode } from './metrics.js';
import { createOptimizer, type OptimizerConfig, type OptimizerName, setLearningRate } from './optimizers.js';
import { Rng } from './rng.js';
import { type Matrix, rowRange, takeRows, toMatrix } from './training-data.js';
import { checkWorkers, type TrainerWorkers, WorkerSteps } from './worker-steps.js';

/**
 * A model the Trainer can train: its trainable variables (in a fixed order) and a forward pass.
 * A tfjs-layers `LayersModel` is accepted as it is (its trainable weights, `apply(x, { training })`).
 */
export interface TrainableModel {
  variables: tf.Variable[];
  /** Variables the forward pass updates itself (batch norm's moving statistics); checkpointed, not trained. */
  state?: tf.Variable[];
  predict(x: tf.Tensor, training: boolean): tf.Tensor;
}

interface LayersModelLike {
  trainableWeights: { read(): tf.Tensor }[];
  nonTrainableWeights: { read(): tf.Tensor }[];
  // tfjs-layers' apply also takes symbolic tensors; on a concrete tensor it returns a concrete one.
  apply(x: tf.Tensor, kwargs: { training: boolean }): unknown;
}

export interface TrainerOptions {
  model: TrainableModel | LayersModelLike;
  /** A loss name or `(yTrue, yPred) => scalar`. */
  loss: LossName | LossFn;
  /** The model outputs logits (the loss applies the sigmoid / softmax). Default false. */
  fromLogits?: boolean;
  /** Default 'adam'. A tfjs optimizer instance is used as it is. */
  optimizer?: OptimizerName | OptimizerConfig | tf.Optimizer;
  /** Default 1e-3. */
  learningRate?: number;
  /** Decay on every kernel (variables of rank >= 2): decoupled for 'adamw', an L2 gradient term otherwise. Default 0. */
  weightDecay?: number;
  /** Scale the gradient down to this global L2 norm when larger; 0 = off. Default 0. */
  clipNorm?: number;
  /** A learning-rate function of the epoch (or of the batch, with `scheduleStep: 'batch'`), or a ReduceOnPlateau fed the monitored value each epoch. */
  schedule?: LrSchedule | ReduceOnPlateau;
  /** Default 'epoch'. */
  scheduleStep?: 'epoch' | 'batch';
  /** Computed each epoch on the validation data (on the training data when there is none). */
  metrics?: MetricName[];
  /**
   * Data-parallel training on worker threads: `{ count, task, config }`, where `task` names a
   * `defineModelTask` export that builds the same model and loss in each worker. Needs a named
   * 'sgd', 'momentum', 'nesterov' or 'adam' optimizer; not with weightDecay or checkpoints yet.
   * Default: train on the calling thread.
   */
  workers?: TrainerWorkers;
}

export interface FitOptions {
  /** Default 10. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Shuffle the rows every epoch (a permutation from `seed` and the epoch). Default true. */
  shuffle?: boolean;
  /** Default 0. */
  seed?: number;
  /** `{ x, y }`, or a fraction of the rows (drawn with `seed`) held out. */
  validation?: { x: unknown; y: unknown } | number;
  /** Stop after `patience` epochs without improvement of `monitor` (default 'loss': the validation loss when there is validation data). */
  earlyStopping?: EarlyStoppingOptions & { monitor?: 'loss' | MetricName; restoreBest?: boolean };
  onProgress?: (p: TrainingProgress) => void;
  signal?: AbortSignal;
  /** Write a checkpoint here (atomically) every `checkpointEvery` epochs. */
  checkpoint?: string;
  /** Default 1. */
  checkpointEvery?: number;
  /** Continue from this checkpoint exactly (weights, optimizer slots, schedule, early stopping, log). */
  resume?: string;
}

/** A loss and the trainer's metrics on one data set. */
export type Scores = { loss: number } & Partial<Record<MetricName, number>>;

/** One shape for every package: epoch and batch count from 1. */
export interface TrainingProgress {
  phase: 'batch' | 'epoch';
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** The batch's loss (phase 'batch') or the epoch's mean training loss. */
  loss: number;
  learningRate: number;
  /** Phase 'epoch': validation loss and metrics. */
  validation?: Scores;
  metrics?: Partial<Record<MetricName, number>>;
}

export interface EpochRecord extends Pick<TrainingProgress, 'epoch' | 'loss' | 'learningRate' | 'validation' | 'metrics'> {
  seconds: number;
}

export interface TrainingLog {
  epochs: EpochRecord[];
  /** 1-based epoch whose weights the model holds at the end (the best one when they were restored). */
  bestEpoch: number | null;
  stoppedEarly: boolean;
}

const TRAINER_OPTION_KEYS = [
  'model',
  'loss',
  'fromLogits',
  'optimizer',
  'learningRate',
  'weightDecay',
  'clipNorm',
  'schedule',
  'scheduleStep',
  'metrics',
  'workers',
];
const FIT_OPTION_KEYS = [
  'epochs',
  'batchSize',
  'shuffle',
  'seed',
  'validation',
  'earlyStopping',
  'onProgress',
  'signal',
  'checkpoint',
  'checkpointEvery',
  'resume',
];

function isLayersModel(m: unknown): m is LayersModelLike {
  return m !== null && typeof m === 'object' && Array.isArray((m as LayersModelLike).trainableWeights) && typeof (m as LayersModelLike).apply === 'function';
}

function finite(name: string, v: unknown, min: number, fallback: number): number {
  const x = v ?? fallback;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < min) throw rangeError(name, `a finite number >= ${min}`, x);
  return x;
}

/**
 * One training loop for every model: mini-batches in a seeded order, a named or custom loss, an
 * optimizer by name, weight decay on every kernel, gradient clipping, learning-rate schedules per
 * epoch or per batch, validation metrics, early stopping with best-weight restore, an AbortSignal,
 * and atomic checkpoints that resume exactly.
 */
export class Trainer {
  private readonly model: TrainableModel;
  private readonly loss: LossFn;
  private readonly optimizer: tf.Optimizer;
  private readonly optimizerName: OptimizerName | 'custom';
  private readonly baseLr: number;
  private readonly weightDecay: number;
  private readonly clipNorm: number;
  private readonly schedule: LrSchedule | ReduceOnPlateau | undefined;
  private readonly scheduleStep: 'epoch' | 'batch';
  private readonly metrics: MetricName[];
  private readonly threshold: number;
  private readonly workers: TrainerWorkers | undefined;
  private readonly optimizerSpec: OptimizerName | OptimizerConfig | 'custom';
  private lr: number;
  /** The rate changed since the workers last heard of it. */
  private lrChanged = false;

  constructor(options: TrainerOptions) {
    assertKnownOptions('Trainer options', options, TRAINER_OPTION_KEYS);
    const m = options.model;
    if (isLayersModel(m)) {
      this.model = {
        variables: m.trainableWeights.map((w) => w.read() as tf.Variable),
        state: m.nonTrainableWeights.map((w) => w.read() as tf.Variable),
        predict: (x, training) => m.apply(x, { training }) as tf.Tensor,
      };
    } else if (m !== null && typeof m === 'object' && Array.isArray(m.variables) && typeof m.predict === 'function') this.model = m;
    else throw typeError('options.model', 'a tfjs LayersModel or { variables, predict(x, training) }', m);
    if (this.model.variables.length === 0) throw rangeError('options.model', 'a model with trainable variables', 0);
    const fromLogits = options.fromLogits ?? false;
    if (typeof fromLogits !== 'boolean') throw typeError('options.fromLogits', 'a boolean', fromLogits);
    if (typeof options.loss === 'function') this.loss = options.loss;
    else if (LOSS_NAMES.includes(options.loss)) this.loss = namedLoss(options.loss, fromLogits);
    else throw rangeError('options.loss', `one of ${LOSS_NAMES.join(', ')} or a function (yTrue, yPred) => scalar`, options.loss);
    this.threshold = fromLogits ? 0 : 0.5;
    this.baseLr = finite('options.learningRate', options.learningRate, Number.MIN_VALUE, 1e-3);
    this.lr = this.baseLr;
    // tfjs's Optimizer has a Symbol.hasInstance that fails on undefined: test the shape instead.
    const given = options.optimizer as { applyGradients?: unknown } | undefined;
    if (given !== null && typeof given === 'object' && typeof given.applyGradients === 'function') {
      this.optimizer = given as tf.Optimizer;
      this.optimizerName = 'custom';
      this.optimizerSpec = 'custom';
    } else {
      this.optimizerSpec = (options.optimizer ?? 'adam') as OptimizerName | OptimizerConfig;
      const made = createOptimizer((options.optimizer ?? 'adam') as OptimizerName | OptimizerConfig, this.lr);
      this.optimizer = made.optimizer;
      this.optimizerName = made.name;
    }
    this.weightDecay = finite('options.weightDecay', options.weightDecay, 0, 0);
    this.clipNorm = finite('options.clipNorm', options.clipNorm, 0, 0);
    if (options.schedule !== undefined && typeof options.schedule !== 'function' && !(options.schedule instanceof ReduceOnPlateau))
      throw typeError('options.schedule', 'a learning-rate function (step) => rate or a ReduceOnPlateau', options.schedule);
    this.schedule = options.schedule;
    this.scheduleStep = options.scheduleStep ?? 'epoch';
    if (this.scheduleStep !== 'epoch' && this.scheduleStep !== 'batch') throw rangeError('options.scheduleStep', "'epoch' or 'batch'", this.scheduleStep);
    if (this.scheduleStep === 'batch' && this.schedule instanceof ReduceOnPlateau)
      throw rangeError('options.scheduleStep', "'epoch' for a ReduceOnPlateau schedule", 'batch');
    this.metrics = options.metrics ?? [];
    if (!Array.isArray(this.metrics)) throw typeError('options.metrics', `an array of ${METRIC_NAMES.join(', ')}`, this.metrics);
    for (const [i, name] of this.metrics.entries())
      if (!METRIC_NAMES.includes(name)) throw rangeError(`options.metrics[${i}]`, `one of ${METRIC_NAMES.join(', ')}`, name);
    this.workers = checkWorkers(options.workers);
    if (this.workers && this.weightDecay > 0)
      throw rangeError('options.weightDecay', '0 with workers (decay is not applied in the workers yet)', this.weightDecay);
    if (this.workers && this.optimizerSpec === 'custom')
      throw rangeError('options.optimizer', "a name ('sgd', 'momentum', 'nesterov', 'adam') with workers, not an instance", 'an optimizer instance');
  }

  /** The learning rate the next step uses. */
  get learningRate(): number {
    return this.lr;
  }

  /** Predictions for `x` in batches (inference mode), row-major, with the output width. */
  predict(x: unknown, batchSize = 256): { data: Float32Array; outputs: number } {
    const { data, outputs } = this.predictMatrix(toMatrix('x', x), batchSize);
    return { data, outputs };
  }

  async fit(data: { x: unknown; y: unknown }, options: FitOptions = {}): Promise<TrainingLog> {
    assertKnownOptions('fit options', options, FIT_OPTION_KEYS);
    if (data === null || typeof data !== 'object') throw typeError('data', 'an object { x, y }', data);
    const epochs = options.epochs ?? 10;
    assertPositiveInteger('options.epochs', epochs);
    const batchSize = options.batchSize ?? 32;
    assertPositiveInteger('options.batchSize', batchSize);
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed)) throw rangeError('options.seed', 'an integer', seed);
    const shuffle = options.shuffle ?? true;
    const every = options.checkpointEvery ?? 1;
    assertPositiveInteger('options.checkpointEvery', every);
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw typeError('options.signal', 'an AbortSignal', options.signal);
    let x = toMatrix('data.x', data.x);
    let y = toMatrix('data.y', data.y);
    if (y.rows !== x.rows) throw rangeError('data.y rows', `${x.rows} (one per row of data.x)`, y.rows);
    let val: { x: Matrix; y: Matrix } | undefined;
    if (typeof options.validation === 'number') {
      const share = options.validation;
      if (!(share > 0 && share < 1)) throw rangeError('options.validation', 'a fraction in (0, 1) or { x, y }', share);
      const held = Math.round(x.rows * share);
      if (held < 1 || held >= x.rows) throw rangeError('options.validation', `a fraction that leaves rows on both sides of ${x.rows}`, share);
      const perm = new Rng(seed ^ 0x5bd1e995).permutation(x.rows);
      const vIdx = perm.subarray(0, held).slice().sort();
      const tIdx = perm.subarray(held).slice().sort();
      val = { x: takeRows(x, vIdx), y: takeRows(y, vIdx) };
      x = takeRows(x, tIdx);
      y = takeRows(y, tIdx);
    } else if (options.validation !== undefined) {
      const v = options.validation;
      if (v === null || typeof v !== 'object') throw typeError('options.validation', 'a fraction in (0, 1) or { x, y }', v);
      val = { x: toMatrix('validation.x', v.x), y: toMatrix('validation.y', v.y) };
      if (val.x.cols !== x.cols) throw rangeError('validation.x columns', String(x.cols), val.x.cols);
      if (val.y.rows !== val.x.rows) throw rangeError('validation.y rows', String(val.x.rows), val.y.rows);
    }
    const es = options.earlyStopping;
    let stopper: EarlyStopping | undefined;
    let monitor: 'loss' | MetricName = 'loss';
    let restoreBest = true;
    if (es !== undefined) {
      if (es === null || typeof es !== 'object') throw typeError('options.earlyStopping', 'an options object', es);
      const { monitor: mon = 'loss', restoreBest: rb = true, ...rest } = es;
      if (mon !== 'loss' && !this.metrics.includes(mon))
        throw rangeError('options.earlyStopping.monitor', `'loss' or one of the trainer's metrics (${this.metrics.join(', ') || 'none'})`, mon);
      monitor = mon;
      restoreBest = rb;
      stopper = new EarlyStopping({ mode: metricMode(mon), ...rest });
    }

    if (this.workers && (options.checkpoint !== undefined || options.resume !== undefined))
      throw rangeError(
        options.checkpoint !== undefined ? 'options.checkpoint' : 'options.resume',
        'no checkpoint with workers (not supported yet)',
        options.checkpoint ?? options.resume,
      );
    const ws = this.workers ? await WorkerSteps.open(this.workers, this.model, this.optimizerSpec, this.lr, this.clipNorm) : undefined;
    try {
      return await this.loop(x, y, val, { epochs, batchSize, seed, shuffle, every, stopper, monitor, restoreBest }, options, ws);
    } finally {
      await ws?.close();
    }
  }

  private async loop(
    x: Matrix,
    y: Matrix,
    val: { x: Matrix; y: Matrix } | undefined,
    o: {
      epochs: number;
      batchSize: number;
      seed: number;
      shuffle: boolean;
      every: number;
      stopper: EarlyStopping | undefined;
      monitor: 'loss' | MetricName;
      restoreBest: boolean;
    },
    options: FitOptions,
    ws: WorkerSteps | undefined,
  ): Promise<TrainingLog> {
    const { epochs, batchSize, seed, shuffle, every, stopper, monitor, restoreBest } = o;
    const pull = () => ws?.pull(this.model, (v, data) => v.assign(tf.tensor(data, v.shape)));
    const batches = Math.ceil(x.rows / batchSize);
    const log: TrainingLog = { epochs: [], bestEpoch: null, stoppedEarly: false };
    let best: Float32Array[] | undefined;
    let start = 0;
    if (options.resume !== undefined) {
      const r = await this.restore(options.resume, { epochs, batchSize, seed, rows: x.rows });
      start = r.epoch;
      log.epochs = r.log;
      best = r.best;
      if (stopper && r.earlyStopping) stopper.restore(r.earlyStopping);
      if (stopper?.stopped) return this.finish(log, stopper, best, restoreBest);
    }
    for (let epoch = start; epoch < epochs; epoch++) {
      const t0 = performance.now();
      if (this.schedule !== undefined && typeof this.schedule === 'function' && this.scheduleStep === 'epoch') this.useLr(this.schedule(epoch));
      const order = shuffle ? new Rng(seed * 1_000_003 + epoch).permutation(x.rows) : Int32Array.from({ length: x.rows }, (_, i) => i);
      let sum = 0;
      for (let b = 0; b < batches; b++) {
        if (options.signal?.aborted) {
          await pull();
          throw abortError(log);
        }
        if (this.schedule !== undefined && typeof this.schedule === 'function' && this.scheduleStep === 'batch') this.useLr(this.schedule(epoch * batches + b));
        const idx = order.subarray(b * batchSize, Math.min(x.rows, (b + 1) * batchSize));
        if (ws && this.lrChanged) {
          await ws.setLearningRate(this.lr);
          this.lrChanged = false;
        }
        const loss = ws ? await ws.step(takeRows(x, idx), takeRows(y, idx)) : this.step(takeRows(x, idx), takeRows(y, idx));
        if (!Number.isFinite(loss))
          throw new RangeError(`training diverged: the loss is ${loss} at epoch ${epoch + 1}, batch ${b + 1} (lower the learning rate or clip the gradient)`);
        sum += loss * idx.length;
        options.onProgress?.({ phase: 'batch', epoch: epoch + 1, epochs, batch: b + 1, batches, loss, learningRate: this.lr });
        // Let timers and I/O run between batches (progress bars, abort signals, servers).
        if ((b & 7) === 7) await new Promise((r) => setImmediate(r));
      }
      await pull();
      const record: EpochRecord = { epoch: epoch + 1, loss: sum / x.rows, learningRate: this.lr, seconds: 0 };
      if (val) record.validation = this.evaluate(val.x, val.y, batchSize);
      else if (this.metrics.length > 0) {
        const p = this.predictMatrix(x, batchSize);
        record.metrics = this.metricsOf(p.data, p.outputs, y);
      }
      record.seconds = (performance.now() - t0) / 1000;
      log.epochs.push(record);
      const watched = monitor === 'loss' ? (record.validation?.loss ?? record.loss) : ((record.validation ?? record.metrics)?.[monitor] as number);
      if (this.schedule instanceof ReduceOnPlateau) this.useLr(this.schedule.step(watched));
      if (stopper) {
        stopper.update(watched);
        if (stopper.improvedLast) best = this.snapshot();
      }
      options.onProgress?.({
        phase: 'epoch',
        epoch: epoch + 1,
        epochs,
        batch: batches,
        batches,
        loss: record.loss,
        learningRate: record.learningRate,
        ...(record.validation && { validation: record.validation }),
        ...(record.metrics && { metrics: record.metrics }),
      });
      const last = epoch === epochs - 1 || stopper?.stopped === true;
      if (options.checkpoint !== undefined && ((epoch + 1) % every === 0 || last))
        await this.save(options.checkpoint, {
          epoch: epoch + 1,
          epochs,
          batchSize,
          seed,
          rows: x.rows,
          log: log.epochs,
          earlyStopping: stopper?.state(),
          best,
        });
      if (stopper?.stopped) break;
    }
    return this.finish(log, stopper, best, restoreBest);
  }

  private finish(log: TrainingLog, stopper: EarlyStopping | undefined, best: Float32Array[] | undefined, restoreBest: boolean): TrainingLog {
    log.stoppedEarly = stopper?.stopped === true;
    if (stopper && restoreBest && best !== undefined) {
      this.load(best);
      log.bestEpoch = stopper.bestEpoch + 1;
    } else log.bestEpoch = log.epochs.length > 0 ? (log.epochs.at(-1) as EpochRecord).epoch : null;
    return log;
  }

  private useLr(lr: number): void {
    if (!(typeof lr === 'number' && Number.isFinite(lr) && lr > 0)) throw rangeError('the learning-rate schedule', 'a positive finite rate', lr);
    this.lr = lr;
    this.lrChanged = true;
    setLearningRate(this.optimizer, lr);
  }

  private kernels(): tf.Variable[] {
    return this.model.variables.filter((v) => v.rank >= 2);
  }

  /** One optimisation step; returns the batch loss. */
  private step(x: Matrix, y: Matrix): number {
    const vars = this.model.variables;
    const decay = this.weightDecay;
    const coupled = decay > 0 && this.optimizerName !== 'adamw';
    const kernels = new Set(this.kernels());
    const lossValue = tf.tidy(() => {
      const xt = tf.tensor(x.data, x.shape);
      const yt = tf.tensor(y.data, y.shape);
      const { value, grads } = tf.variableGrads(() => this.loss(yt, this.model.predict(xt, true)), vars);
      let list = vars.map((v) => {
        const g = grads[v.name] as tf.Tensor;
        return coupled && kernels.has(v) ? tf.add(g, tf.mul(v, decay)) : g;
      });
      if (this.clipNorm > 0) {
        const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
        const scale = tf.minimum(1, tf.div(this.clipNorm, tf.add(norm, 1e-12)));
        list = list.map((g) => tf.mul(g, scale));
      }
      this.optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: list[i] as tf.Tensor })));
      if (decay > 0 && !coupled) for (const k of kernels) k.assign(tf.mul(k, 1 - this.lr * decay));
      return value;
    });
    const loss = lossValue.dataSync()[0] as number;
    lossValue.dispose();
    return loss;
  }

  /**
   * One inference pass over `x` in batches: the predictions (row-major) and, with targets `y`,
   * the mean loss computed from those same predictions, so validation runs the model once.
   */
  private predictMatrix(x: Matrix, batchSize: number, y?: Matrix): { data: Float32Array; outputs: number; loss: number } {
    const parts: Float32Array[] = [];
    let outputs = 1;
    let sum = 0;
    for (let s = 0; s < x.rows; s += batchSize) {
      const e = Math.min(x.rows, s + batchSize);
      const xb = rowRange(x, s, e);
      const out = tf.tidy(() => this.model.predict(tf.tensor(xb.data, xb.shape), false));
      outputs = out.size / xb.rows;
      if (y !== undefined) {
        const yb = rowRange(y, s, e);
        const l = tf.tidy(() => this.loss(tf.tensor(yb.data, yb.shape), out));
        sum += (l.dataSync()[0] as number) * xb.rows;
        l.dispose();
      }
      parts.push(out.dataSync() as Float32Array);
      out.dispose();
    }
    const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    return { data, outputs, loss: sum / x.rows };
  }

  /** The mean loss and every metric on (x, y), from one pass of the model. */
  private evaluate(x: Matrix, y: Matrix, batchSize: number): Scores {
    const { data, outputs, loss } = this.predictMatrix(x, batchSize, y);
    return { loss, ...this.metricsOf(data, outputs, y) };
  }

  private metricsOf(data: Float32Array, outputs: number, y: Matrix): Partial<Record<MetricName, number>> {
    const out: Partial<Record<MetricName, number>> = {};
    for (const name of this.metrics) out[name] = computeMetric(name, data, outputs, y.data, this.threshold);
    return out;
  }

  private snapshot(): Float32Array[] {
    return this.model.variables.map((v) => v.dataSync().slice() as Float32Array);
  }

  private load(values: Float32Array[]): void {
    for (const [i, v] of this.model.variables.entries()) v.assign(tf.tensor(values[i] as Float32Array, v.shape));
  }

  private async save(
    path: string,
    s: {
      epoch: number;
      epochs: number;
      batchSize: number;
      seed: number;
      rows: number;
      log: EpochRecord[];
      earlyStopping?: EarlyStoppingState;
      best?: Float32Array[];
    },
  ): Promise<void> {
    const vars = this.model.variables;
    const slots = await this.optimizer.getWeights();
    const arrays: CheckpointArray[] = [
      ...vars.map((v, i) => ({ name: `weight/${i}`, shape: v.shape, data: v.dataSync() as Float32Array })),
      ...(this.model.state ?? []).map((v, i) => ({ name: `state/${i}`, shape: v.shape, data: v.dataSync() as Float32Array })),
      // The iteration count is an int32 tensor: store its value, not its bytes, as float32.
      ...slots.map((w, i) => ({ name: `slot/${i}`, shape: w.tensor.shape, data: Float32Array.from(w.tensor.dataSync()) })),
      ...adamPowers(this.optimizer).map(([k, v]) => ({ name: `power/${k}`, shape: [], data: Float32Array.from(v.dataSync()) })),
      ...(s.best ?? []).map((b, i) => ({ name: `best/${i}`, shape: vars[i]?.shape ?? [b.length], data: b })),
    ];
    const schedule = this.schedule instanceof ReduceOnPlateau ? this.schedule.state() : null;
    await writeCheckpoint(
      path,
      {
        format: 'aiffel-trainer-checkpoint',
        epoch: s.epoch,
        epochs: s.epochs,
        batchSize: s.batchSize,
        seed: s.seed,
        rows: s.rows,
        optimizer: this.optimizerName,
        learningRate: this.lr,
        schedule,
        earlyStopping: s.earlyStopping ?? null,
        slotNames: slots.map((w) => w.name),
        log: s.log,
      },
      arrays,
    );
  }

  private async restore(
    path: string,
    now: { epochs: number; batchSize: number; seed: number; rows: number },
  ): Promise<{ epoch: number; log: EpochRecord[]; best?: Float32Array[]; earlyStopping?: EarlyStoppingState }> {
    const { header: h, arrays } = await readCheckpoint(path);
    if (h.format !== 'aiffel-trainer-checkpoint') throw rangeError(`${path} format`, "'aiffel-trainer-checkpoint'", h.format);
    for (const key of ['batchSize', 'seed', 'rows'] as const)
      if (h[key] !== now[key])
        throw rangeError(`options.resume: ${path} ${key}`, `the checkpoint's ${String(h[key])} (a different run cannot resume it exactly)`, now[key]);
    if (h.optimizer !== this.optimizerName) throw rangeError(`options.resume: ${path} optimizer`, `'${String(h.optimizer)}'`, this.optimizerName);
    const epoch = h.epoch;
    if (!Number.isInteger(epoch) || (epoch as number) < 1 || (epoch as number) > now.epochs)
      throw rangeError(`${path} epoch`, `an integer in [1, ${now.epochs}]`, epoch);
    const lr = h.learningRate;
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) throw rangeError(`${path} learningRate`, 'a positive finite number', lr);
    const byPrefix = (p: string) => arrays.filter((a) => a.name.startsWith(p));
    const weights = byPrefix('weight/');
    const vars = this.model.variables;
    if (weights.length !== vars.length) throw rangeError(`${path} weights`, `${vars.length} arrays (this model's variables)`, weights.length);
    for (const [i, w] of weights.entries()) {
      const v = vars[i] as tf.Variable;
      if (w.shape.join('x') !== v.shape.join('x')) throw rangeError(`${path} weight ${i} shape`, `[${v.shape}]`, `[${w.shape}]`);
      for (let j = 0; j < w.data.length; j++) if (!Number.isFinite(w.data[j])) throw rangeError(`${path} weight ${i}`, 'finite values', w.data[j]);
    }
    this.load(weights.map((w) => w.data));
    const state = byPrefix('state/');
    (this.model.state ?? []).forEach((v, i) => {
      const s = state[i];
      if (s === undefined || s.data.length !== v.size) throw rangeError(`${path} state ${i}`, `${v.size} values`, s?.data.length);
      v.assign(tf.tensor(s.data, v.shape));
    });
    const names = h.slotNames as string[];
    const slots = byPrefix('slot/');
    if (!Array.isArray(names) || names.length !== slots.length) throw rangeError(`${path} slotNames`, `${slots.length} names`, names);
    if (slots.length > 0) await this.optimizer.setWeights(slots.map((s, i) => ({ name: names[i] as string, tensor: tf.tensor(s.data, s.shape) })));
    const powers = new Map(byPrefix('power/').map((a) => [a.name.slice(6), a.data[0] as number]));
    for (const [k, v] of adamPowers(this.optimizer)) {
      const saved = powers.get(k);
      if (saved !== undefined) v.assign(tf.scalar(saved));
    }
    this.useLr(lr);
    if (this.schedule instanceof ReduceOnPlateau && h.schedule) this.schedule.restore(h.schedule as ReduceOnPlateauState);
    const best = byPrefix('best/');
    if (!Array.isArray(h.log)) throw rangeError(`${path} log`, 'a list of epochs', h.log);
    assertNonNegativeInteger(`${path} log length`, (h.log as unknown[]).length);
    return {
      epoch: epoch as number,
      log: h.log as EpochRecord[],
      ...(best.length > 0 && { best: best.map((b) => b.data) }),
      ...(h.earlyStopping !== null && { earlyStopping: h.earlyStopping as EarlyStoppingState }),
    };
  }
}

/**
 * Adam's running bias-correction powers (beta1^t, beta2^t). tfjs's setWeights recomputes them
 * with pow(), which rounds differently from the running product, so a resumed run would drift in
 * the last bits; they are saved and put back as they were.
 */
function adamPowers(optimizer: tf.Optimizer): [string, tf.Variable][] {
  const o = optimizer as unknown as Record<string, unknown>;
  return ['accBeta1', 'accBeta2'].filter((k) => o[k] instanceof tf.Variable).map((k) => [k, o[k] as tf.Variable]);
}

function abortError(log: TrainingLog): Error {
  const e = new Error(`training was aborted after ${log.epochs.length} complete epoch(s)`);
  e.name = 'AbortError';
  (e as Error & { log: TrainingLog }).log = log;
  return e;
}

import * as tf from '@tensorflow/tfjs-core';
import { assertKnownOptions, assertNonNegativeInteger, assertPositiveInteger, rangeError, typeError } from '../errors.js';
import { type CheckpointArray, readCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState } from './early-stopping.js';
import { LOSS_NAMES, type LossFn, type LossName, namedLoss } from './losses.js';
import { type LrSchedule, ReduceOnPlateau, type ReduceOnPlateauState } from './lr-schedule.js';
import { computeMetric, METRIC_NAMES, type MetricName, metricMode } from './metrics.js';
import { adamPowerArrays, createOptimizer, type OptimizerConfig, type OptimizerName, POWER_PREFIX, restoreAdamPowers, setLearningRate } from './optimizers.js';
import { Rng } from './rng.js';
import { type LayersModelLike, type TrainableModel, toTrainableModel } from './trainable-model.js';
import { type Matrix, rowRange, takeRows, toMatrix } from './training-data.js';
import { checkBatch, checkSource, isTrainingSource, matrixSource, type TrainingSource } from './training-source.js';
import { checkWorkers, type TrainerWorkers, WorkerSteps } from './worker-steps.js';

export type { TrainableModel } from './trainable-model.js';
export type { TrainingBatch, TrainingSource } from './training-source.js';

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
  /**
   * A learning-rate function of the epoch (or of the batch, with `scheduleStep: 'batch'`), or a
   * ReduceOnPlateau fed `monitor` each epoch (training stops when it is `exhausted`).
   */
  schedule?: LrSchedule | ReduceOnPlateau;
  /** What a ReduceOnPlateau schedule watches: 'loss' (validation loss when there is validation data) or one of `metrics`. Default: early stopping's monitor, else 'loss'. */
  monitor?: 'loss' | MetricName;
  /** Default 'epoch'. */
  scheduleStep?: 'epoch' | 'batch';
  /** Computed each epoch on the validation data (on the training data when there is none). */
  metrics?: MetricName[];
  /**
   * Data-parallel training on worker threads: `{ count, task, config }`, where `task` names a
   * `defineModelTask` export that builds the same model and loss in each worker. Needs a named
   * 'sgd', 'momentum', 'nesterov' or 'adam' optimizer (weight decay, clipping and checkpoints work as on one thread).
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
  /** `{ x, y }`, a TrainingSource, or a fraction of the rows (drawn with `seed`) held out (matrices only). */
  validation?: { x: unknown; y: unknown } | number | TrainingSource;
  /** Stop after `patience` epochs without improvement of `monitor` (default 'loss': the validation loss when there is validation data). */
  earlyStopping?: EarlyStoppingOptions & { monitor?: 'loss' | MetricName; restoreBest?: boolean };
  onProgress?: (p: TrainingProgress) => void;
  signal?: AbortSignal;
  /**
   * What an aborted `signal` does: 'throw' (default) rejects with an AbortError carrying the log of
   * the complete epochs; 'endEpoch' ends the current epoch after the batch in progress (validated,
   * logged, checkpointed) and resolves with the log, `aborted: true`.
   */
  abort?: 'throw' | 'endEpoch';
  /** Awaited after every checkpoint is written (e.g. to save an inference copy of the model beside it). */
  onCheckpoint?: (info: { path: string; epoch: number }) => void | Promise<void>;
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
  /** Rows done in this epoch. */
  seen: number;
  /** The batch's loss (phase 'batch') or the epoch's mean training loss. */
  loss: number;
  learningRate: number;
  /** Phase 'epoch': validation loss and metrics. */
  validation?: Scores;
  /** Phase 'epoch': the epoch's wall time, validation included. */
  seconds?: number;
  metrics?: Partial<Record<MetricName, number>>;
}

export interface EpochRecord extends Pick<TrainingProgress, 'epoch' | 'loss' | 'learningRate' | 'validation' | 'metrics'> {
  seconds: number;
}

export interface TrainingLog {
  epochs: EpochRecord[];
  /** 1-based epoch whose weights the model holds at the end (the best one when they were restored). */
  bestEpoch: number | null;
  /** Early stopping fired, or a ReduceOnPlateau schedule ran out of reductions. */
  stoppedEarly: boolean;
  /** The signal ended training (with `abort: 'endEpoch'`). */
  aborted: boolean;
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
  'monitor',
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
  'abort',
  'onCheckpoint',
];

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
  private readonly monitor: 'loss' | MetricName | undefined;
  private readonly threshold: number;
  private readonly workers: TrainerWorkers | undefined;
  private readonly optimizerSpec: OptimizerName | OptimizerConfig | 'custom';
  private lr: number;
  /** The rate changed since the workers last heard of it. */
  private lrChanged = false;

  constructor(options: TrainerOptions) {
    assertKnownOptions('Trainer options', options, TRAINER_OPTION_KEYS);
    this.model = toTrainableModel('options.model', options.model);
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
    if (options.monitor !== undefined && options.monitor !== 'loss' && !this.metrics.includes(options.monitor))
      throw rangeError('options.monitor', `'loss' or one of the metrics (${this.metrics.join(', ') || 'none'})`, options.monitor);
    this.monitor = options.monitor;
    this.workers = checkWorkers(options.workers);
    if (this.workers && this.optimizerSpec === 'custom')
      throw rangeError('options.optimizer', "a name ('sgd', 'momentum', 'nesterov', 'adam') with workers, not an instance", 'an optimizer instance');
  }

  /** The learning rate the next step uses. */
  get learningRate(): number {
    return this.lr;
  }

  /** Predictions for `x` in batches (inference mode), row-major, with the output width. */
  predict(x: unknown, batchSize = 256): { data: Float32Array; outputs: number } {
    return this.predictMatrix(toMatrix('x', x), batchSize);
  }

  /**
   * Trains on `{ x, y }` matrices or a TrainingSource. Resolves to the training log; rejects with an
   * AbortError (carrying the log) when `signal` aborts, unless `abort: 'endEpoch'`.
   */
  async fit(data: { x: unknown; y: unknown } | TrainingSource, options: FitOptions = {}): Promise<TrainingLog> {
    assertKnownOptions('fit options', options, FIT_OPTION_KEYS);
    if (data === null || typeof data !== 'object') throw typeError('data', 'an object { x, y } or a TrainingSource', data);
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
    const abort = options.abort ?? 'throw';
    if (abort !== 'throw' && abort !== 'endEpoch') throw rangeError('options.abort', "'throw' or 'endEpoch'", abort);
    if (options.onCheckpoint !== undefined && typeof options.onCheckpoint !== 'function')
      throw typeError('options.onCheckpoint', 'a function ({ path, epoch }) => void', options.onCheckpoint);
    const { train, validation, metricsData } = this.sources(data, options.validation, seed, shuffle);
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
    const ws = this.workers ? await WorkerSteps.open(this.workers, this.model, this.optimizerSpec, this.lr, this.clipNorm, this.weightDecay) : undefined;
    try {
      return await this.loop(
        train,
        validation,
        metricsData,
        { epochs, batchSize, seed, every, stopper, monitor, planMonitor: this.monitor ?? monitor, restoreBest, abort },
        options,
        ws,
      );
    } finally {
      await ws?.close();
    }
  }

  /** The training source, the validation source and what training metrics are computed on when there is no validation. */
  private sources(
    data: { x: unknown; y: unknown } | TrainingSource,
    v: FitOptions['validation'],
    seed: number,
    shuffle: boolean,
  ): { train: TrainingSource; validation: TrainingSource | undefined; metricsData: TrainingSource } {
    if (isTrainingSource(data)) {
      const train = checkSource('data', data);
      if (typeof v === 'number') throw rangeError('options.validation', '{ x, y } or a TrainingSource with a TrainingSource (a fraction needs matrices)', v);
      const validation = v === undefined ? undefined : isTrainingSource(v) ? checkSource('options.validation', v) : this.matrixValidation(v, undefined);
      return { train, validation, metricsData: train };
    }
    let x = toMatrix('data.x', data.x);
    let y = toMatrix('data.y', data.y);
    if (y.rows !== x.rows) throw rangeError('data.y rows', `${x.rows} (one per row of data.x)`, y.rows);
    let validation: TrainingSource | undefined;
    if (typeof v === 'number') {
      if (!(v > 0 && v < 1)) throw rangeError('options.validation', 'a fraction in (0, 1) or { x, y }', v);
      const held = Math.round(x.rows * v);
      if (held < 1 || held >= x.rows) throw rangeError('options.validation', `a fraction that leaves rows on both sides of ${x.rows}`, v);
      const perm = new Rng(seed ^ 0x5bd1e995).permutation(x.rows);
      const vIdx = perm.subarray(0, held).slice().sort();
      const tIdx = perm.subarray(held).slice().sort();
      validation = matrixSource(takeRows(x, vIdx), takeRows(y, vIdx), false);
      x = takeRows(x, tIdx);
      y = takeRows(y, tIdx);
    } else if (v !== undefined) validation = isTrainingSource(v) ? checkSource('options.validation', v) : this.matrixValidation(v, x.cols);
    return { train: matrixSource(x, y, shuffle), validation, metricsData: matrixSource(x, y, false) };
  }

  private matrixValidation(v: unknown, cols: number | undefined): TrainingSource {
    if (v === null || typeof v !== 'object') throw typeError('options.validation', 'a fraction in (0, 1), { x, y } or a TrainingSource', v);
    const { x: vx, y: vy } = v as { x: unknown; y: unknown };
    const x = toMatrix('validation.x', vx);
    const y = toMatrix('validation.y', vy);
    if (cols !== undefined && x.cols !== cols) throw rangeError('validation.x columns', String(cols), x.cols);
    if (y.rows !== x.rows) throw rangeError('validation.y rows', String(x.rows), y.rows);
    return matrixSource(x, y, false);
  }

  private async loop(
    train: TrainingSource,
    val: TrainingSource | undefined,
    metricsData: TrainingSource,
    o: {
      epochs: number;
      batchSize: number;
      seed: number;
      every: number;
      stopper: EarlyStopping | undefined;
      monitor: 'loss' | MetricName;
      planMonitor: 'loss' | MetricName;
      restoreBest: boolean;
      abort: 'throw' | 'endEpoch';
    },
    options: FitOptions,
    ws: WorkerSteps | undefined,
  ): Promise<TrainingLog> {
    const { epochs, batchSize, seed, every, stopper, monitor, planMonitor, restoreBest } = o;
    const pull = () => ws?.pull(this.model, (v, data) => v.assign(tf.tensor(data, v.shape)));
    const batches = Math.ceil(train.size / batchSize);
    const log: TrainingLog = { epochs: [], bestEpoch: null, stoppedEarly: false, aborted: false };
    const plateau = this.schedule instanceof ReduceOnPlateau ? this.schedule : undefined;
    const aborted = () => options.signal?.aborted === true;
    let best: Float32Array[] | undefined;
    let start = 0;
    if (options.resume !== undefined) {
      const r = await this.restore(options.resume, { epochs, batchSize, seed, rows: train.size }, ws);
      start = r.epoch;
      log.epochs = r.log;
      best = r.best;
      if (stopper && r.earlyStopping) stopper.restore(r.earlyStopping);
      if (stopper?.stopped || plateau?.exhausted) return this.finish(log, stopper, best, restoreBest);
    }
    if (o.abort === 'endEpoch' && aborted()) {
      log.aborted = true;
      return this.finish(log, stopper, best, restoreBest);
    }
    for (let epoch = start; epoch < epochs; epoch++) {
      const t0 = performance.now();
      if (typeof this.schedule === 'function' && this.scheduleStep === 'epoch') this.useLr(this.schedule(epoch));
      let sum = 0;
      let seen = 0;
      let b = 0;
      for await (const batch of train.batches(batchSize, epoch, seed)) {
        try {
          const rows = checkBatch('data', batch);
          if (o.abort === 'throw' && aborted()) {
            await pull();
            throw abortError(log);
          }
          if (typeof this.schedule === 'function' && this.scheduleStep === 'batch') this.useLr(this.schedule(epoch * batches + b));
          if (ws && this.lrChanged) {
            await ws.setLearningRate(this.lr);
            this.lrChanged = false;
          }
          const loss = ws ? await ws.step(batch.x, batch.y) : this.step(batch.x, batch.y);
          if (!Number.isFinite(loss))
            throw new RangeError(`training diverged: the loss is ${loss} at epoch ${epoch + 1}, batch ${b + 1} (lower the learning rate or clip the gradient)`);
          sum += loss * rows;
          seen += rows;
          b++;
          options.onProgress?.({ phase: 'batch', epoch: epoch + 1, epochs, batch: b, batches, seen, loss, learningRate: this.lr });
        } finally {
          tf.dispose([batch?.x, batch?.y].filter((t) => t instanceof tf.Tensor));
        }
        // Let timers and I/O run between batches (progress bars, abort signals, servers).
        if ((b & 7) === 0) await new Promise((r) => setImmediate(r));
        if (o.abort === 'endEpoch' && aborted()) {
          log.aborted = true;
          break;
        }
      }
      if (seen === 0) throw rangeError('data', `a source that gives batches (epoch ${epoch + 1} gave none)`, 0);
      await pull();
      const record: EpochRecord = { epoch: epoch + 1, loss: sum / seen, learningRate: this.lr, seconds: 0 };
      if (val) record.validation = await this.evaluate(val, batchSize, seed);
      else if (this.metrics.length > 0) {
        const { loss: _, ...metrics } = await this.evaluate(metricsData, batchSize, seed);
        record.metrics = metrics;
      }
      record.seconds = (performance.now() - t0) / 1000;
      log.epochs.push(record);
      const watched = (name: 'loss' | MetricName) =>
        name === 'loss' ? (record.validation?.loss ?? record.loss) : ((record.validation ?? record.metrics)?.[name] as number);
      if (plateau) this.useLr(plateau.step(watched(planMonitor)));
      if (stopper) {
        stopper.update(watched(monitor));
        if (stopper.improvedLast) best = this.snapshot();
      }
      options.onProgress?.({
        phase: 'epoch',
        epoch: epoch + 1,
        epochs,
        batch: b,
        batches,
        seen,
        loss: record.loss,
        learningRate: record.learningRate,
        seconds: record.seconds,
        ...(record.validation && { validation: record.validation }),
        ...(record.metrics && { metrics: record.metrics }),
      });
      const done = stopper?.stopped === true || plateau?.exhausted === true || log.aborted;
      if (options.checkpoint !== undefined && ((epoch + 1) % every === 0 || epoch === epochs - 1 || done)) {
        await this.save(
          options.checkpoint,
          { epoch: epoch + 1, epochs, batchSize, seed, rows: train.size, log: log.epochs, earlyStopping: stopper?.state(), best },
          ws,
        );
        await options.onCheckpoint?.({ path: options.checkpoint, epoch: epoch + 1 });
      }
      if (done) break;
    }
    return this.finish(log, stopper, best, restoreBest);
  }

  private finish(log: TrainingLog, stopper: EarlyStopping | undefined, best: Float32Array[] | undefined, restoreBest: boolean): TrainingLog {
    log.stoppedEarly = stopper?.stopped === true || (this.schedule instanceof ReduceOnPlateau && this.schedule.exhausted);
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
  private step(xt: tf.Tensor, yt: tf.Tensor): number {
    const vars = this.model.variables;
    const decay = this.weightDecay;
    const coupled = decay > 0 && this.optimizerName !== 'adamw';
    const kernels = new Set(this.kernels());
    const lossValue = tf.tidy(() => {
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

  /** Predictions for a matrix in batches (inference mode), row-major, with the output width. */
  private predictMatrix(x: Matrix, batchSize: number): { data: Float32Array; outputs: number } {
    const parts: Float32Array[] = [];
    let outputs = 1;
    for (let s = 0; s < x.rows; s += batchSize) {
      const xb = rowRange(x, s, Math.min(x.rows, s + batchSize));
      const out = tf.tidy(() => this.model.predict(tf.tensor(xb.data, xb.shape), false));
      outputs = out.size / xb.rows;
      parts.push(out.dataSync() as Float32Array);
      out.dispose();
    }
    return { data: concat(parts), outputs };
  }

  /** The mean loss and every metric on a source, from one inference pass of the model. */
  private async evaluate(source: TrainingSource, batchSize: number, seed: number): Promise<Scores> {
    const preds: Float32Array[] = [];
    const targets: Float32Array[] = [];
    let outputs = 1;
    let sum = 0;
    let rows = 0;
    for await (const batch of source.batches(batchSize, 0, seed)) {
      try {
        const n = checkBatch('validation', batch);
        const out = tf.tidy(() => this.model.predict(batch.x, false));
        const l = tf.tidy(() => this.loss(batch.y, out));
        sum += (l.dataSync()[0] as number) * n;
        rows += n;
        outputs = out.size / n;
        if (this.metrics.length > 0) {
          preds.push(out.dataSync() as Float32Array);
          targets.push(Float32Array.from(batch.y.dataSync()));
        }
        tf.dispose([out, l]);
      } finally {
        tf.dispose([batch?.x, batch?.y].filter((t) => t instanceof tf.Tensor));
      }
    }
    if (rows === 0) throw rangeError('validation', 'a source that gives batches', 0);
    const scores: Scores = { loss: sum / rows };
    if (this.metrics.length > 0) {
      const p = concat(preds);
      const y = concat(targets);
      for (const name of this.metrics) scores[name] = computeMetric(name, p, outputs, y, this.threshold);
    }
    return scores;
  }

  private snapshot(): Float32Array[] {
    return this.model.variables.map((v) => v.dataSync().slice() as Float32Array);
  }

  private load(values: Float32Array[]): void {
    for (const [i, v] of this.model.variables.entries()) v.assign(tf.tensor(values[i] as Float32Array, v.shape));
  }

  /** The optimizer's slots and Adam's running powers, from the workers when they train. */
  private async optimizerArrays(ws: WorkerSteps | undefined): Promise<{ names: string[]; slots: CheckpointArray[]; powers: CheckpointArray[] }> {
    if (ws) {
      const all = await ws.optimizerSlots();
      const slots = all.filter((w) => !w.name.startsWith(POWER_PREFIX));
      return {
        names: slots.map((w) => w.name),
        slots: slots.map((w, i) => ({ name: `slot/${i}`, shape: w.shape, data: w.data })),
        powers: all.filter((w) => w.name.startsWith(POWER_PREFIX)).map((w) => ({ name: w.name, shape: [], data: w.data })),
      };
    }
    const slots = await this.optimizer.getWeights();
    return {
      names: slots.map((w) => w.name),
      // The iteration count is an int32 tensor: store its value, not its bytes, as float32.
      slots: slots.map((w, i) => ({ name: `slot/${i}`, shape: w.tensor.shape, data: Float32Array.from(w.tensor.dataSync()) })),
      powers: adamPowerArrays(this.optimizer),
    };
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
    ws: WorkerSteps | undefined,
  ): Promise<void> {
    const vars = this.model.variables;
    const opt = await this.optimizerArrays(ws);
    const arrays: CheckpointArray[] = [
      ...vars.map((v, i) => ({ name: `weight/${i}`, shape: v.shape, data: v.dataSync() as Float32Array })),
      ...(this.model.state ?? []).map((v, i) => ({ name: `state/${i}`, shape: v.shape, data: v.dataSync() as Float32Array })),
      ...opt.slots,
      ...opt.powers,
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
        slotNames: opt.names,
        log: s.log,
      },
      arrays,
    );
  }

  private async restore(
    path: string,
    now: { epochs: number; batchSize: number; seed: number; rows: number },
    ws: WorkerSteps | undefined,
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
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0 || lr > 1e3)
      throw rangeError(`${path} learningRate`, 'a positive finite number up to 1000', lr);
    const byPrefix = (p: string) => arrays.filter((a) => a.name.startsWith(p));
    const finiteArrays = (what: string, list: CheckpointArray[]) => {
      for (const [i, a] of list.entries())
        for (let j = 0; j < a.data.length; j++) if (!Number.isFinite(a.data[j])) throw rangeError(`${path} ${what} ${i}`, 'finite values', a.data[j]);
    };
    const weights = byPrefix('weight/');
    const vars = this.model.variables;
    if (weights.length !== vars.length) throw rangeError(`${path} weights`, `${vars.length} arrays (this model's variables)`, weights.length);
    for (const [i, w] of weights.entries()) {
      const v = vars[i] as tf.Variable;
      if (w.shape.join('x') !== v.shape.join('x'))
        throw rangeError(`${path} weight ${i} (${v.name}) shape`, `[${v.shape}] (the model being trained)`, `[${w.shape}]`);
    }
    finiteArrays('weight', weights);
    const state = byPrefix('state/');
    const modelState = this.model.state ?? [];
    modelState.forEach((v, i) => {
      const s = state[i];
      if (s === undefined || s.data.length !== v.size) throw rangeError(`${path} state ${i}`, `${v.size} values`, s?.data.length);
    });
    finiteArrays('state', state);
    const names = h.slotNames as string[];
    const slots = byPrefix('slot/');
    if (!Array.isArray(names) || names.length !== slots.length || names.some((n) => typeof n !== 'string'))
      throw rangeError(`${path} slotNames`, `${slots.length} names`, names);
    finiteArrays('slot', slots);
    if (!Array.isArray(h.log)) throw rangeError(`${path} log`, 'a list of epochs', h.log);
    assertNonNegativeInteger(`${path} log length`, (h.log as unknown[]).length);
    // Everything is checked: now the model and the optimizer change.
    this.load(weights.map((w) => w.data));
    modelState.forEach((v, i) => {
      v.assign(tf.tensor((state[i] as CheckpointArray).data, v.shape));
    });
    const powers = byPrefix(POWER_PREFIX);
    if (ws) {
      await ws.push(this.model);
      await ws.setOptimizerSlots([...slots.map((s, i) => ({ name: names[i] as string, data: s.data, shape: s.shape })), ...powers]);
    } else {
      if (slots.length > 0) await this.optimizer.setWeights(slots.map((s, i) => ({ name: names[i] as string, tensor: tf.tensor(s.data, s.shape) })));
      restoreAdamPowers(this.optimizer, powers);
    }
    this.useLr(lr);
    if (this.schedule instanceof ReduceOnPlateau && h.schedule) this.schedule.restore(h.schedule as ReduceOnPlateauState);
    const best = byPrefix('best/');
    return {
      epoch: epoch as number,
      log: h.log as EpochRecord[],
      ...(best.length > 0 && { best: best.map((b) => b.data) }),
      ...(h.earlyStopping !== null && { earlyStopping: h.earlyStopping as EarlyStoppingState }),
    };
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function abortError(log: TrainingLog): Error {
  const e = new Error(`training was aborted after ${log.epochs.length} complete epoch(s)`);
  e.name = 'AbortError';
  (e as Error & { log: TrainingLog }).log = log;
  return e;
}

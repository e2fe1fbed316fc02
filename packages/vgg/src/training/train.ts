import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertKnownOptions,
  assertPositiveInteger,
  ReduceOnPlateau,
  type Rng,
  rangeError,
  requirePackageFile,
  saveLayersModel,
  Trainer,
  type TrainingProgress,
  type TrainingSource,
  tf,
} from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type BatchSource, isBatchSource, type TrainData, tensorSource } from '../data/batch-source.js';
import type { VggTaskConfig } from './parallel-task.js';

export interface EpochLog {
  epoch: number;
  /** Mean training loss over the epoch's images (without the weight-decay penalty). */
  loss: number;
  valAccuracy: number | undefined;
  learningRate: number;
  seconds: number;
}

/** Progress within an epoch, for progress bars. */
export interface BatchLog {
  epoch: number;
  /** Images done in this epoch. */
  seen: number;
  /** Images per epoch. */
  total: number;
  loss: number;
}

export interface Recipe {
  /** Default 74 (the paper stopped after 370K iterations of batch 256). */
  epochs?: number;
  /** Default 256. */
  batchSize?: number;
  /** Starting rate, default 0.01. */
  learningRate?: number;
  /** Default 0.9. */
  momentum?: number;
  /** L2 multiplier on the kernels, default 5e-4. */
  weightDecay?: number;
  /**
   * 'plateau' (default): divide the rate by 10 when validation accuracy stops improving for
   * `patience` epochs, at most `maxReductions` times, and stop at the next plateau after the
   * last one. Or a function epoch -> rate (runtime's stepDecay, cosineAnnealing, ...).
   */
  schedule?: 'plateau' | ((epoch: number) => number);
  /** Plateau patience in epochs, default 2. */
  patience?: number;
  /** Default 3 (the paper's count). */
  maxReductions?: number;
  /** Held-out set (tensors or a BatchSource such as ImageFolder.source({ mode: 'eval' })). Required with 'plateau'. */
  validation?: TrainData | BatchSource;
  /** Stop when validation accuracy has not improved for `patience` epochs (by more than `minDelta`). Off by default. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Per-batch transform of in-memory images in training (e.g. random flips); not used with a BatchSource, which augments itself. */
  augmentBatch?: (x: tf.Tensor4D, rng: Rng) => tf.Tensor4D;
  /** Shuffling and augmentation: each epoch's randomness is a function of (seed, epoch). Default 0. */
  seed?: number;
  /**
   * A folder to save a checkpoint to after every `every` epochs (default 1) and at the end:
   * `checkpoint.bin` (the runtime Trainer's checkpoint: weights, batch-norm statistics, momentum
   * buffers, schedule, early stopping and the log, written atomically) and `model/` (the model
   * for inference, as saveLayersModel writes it).
   */
  checkpoint?: string | { dir: string; every?: number };
  /** Continue from the checkpoint in `checkpoint` when there is one (a fresh start otherwise). Default false. */
  resume?: boolean;
  /**
   * Worker threads for data-parallel training (both cores: 2). Each worker computes the gradient of
   * its share of every batch; batch norm then normalises each share by its own statistics (as
   * torch.nn.DataParallel). Default 1 (this thread).
   */
  workers?: number;
  /** Stops training after the current batch: that epoch ends early (validated, logged, checkpointed) and train() returns. */
  signal?: AbortSignal;
  /** Progress in the shape every @aiffel package uses (runtime's TrainingProgress: phase 'batch' | 'epoch', counted from 1). */
  onProgress?: (p: TrainingProgress) => void;
  /** Called after every epoch. Deprecated: use onProgress (phase 'epoch'). */
  onEpoch?: (log: EpochLog) => void;
  /** Called after every batch. Deprecated: use onProgress (phase 'batch'). */
  onBatch?: (log: BatchLog) => void;
}

const KNOWN = [
  'epochs',
  'batchSize',
  'learningRate',
  'momentum',
  'weightDecay',
  'schedule',
  'patience',
  'maxReductions',
  'validation',
  'earlyStopping',
  'augmentBatch',
  'seed',
  'checkpoint',
  'resume',
  'signal',
  'workers',
  'onProgress',
  'onEpoch',
  'onBatch',
];

function checkData(name: string, d: TrainData | BatchSource, classes: number): void {
  if (isBatchSource(d)) {
    if (!Number.isInteger(d.size) || d.size < 1) throw rangeError(`${name}.size`, 'a positive number of images', d.size);
    return;
  }
  if (!(d?.x instanceof tf.Tensor) || d.x.rank !== 4) throw rangeError(`${name}.x`, 'a 4-D tensor [n, height, width, channels] or a BatchSource', d?.x);
  if (d.y === undefined || d.y.length !== d.x.shape[0]) throw rangeError(`${name}.y.length`, `${d.x.shape[0]} (images in ${name}.x)`, d.y?.length);
  checkLabels(name, d.y, classes);
}

function checkLabels(name: string, y: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= classes) throw rangeError(`${name}.y[${i}]`, `a class id in [0, ${classes - 1}]`, v);
  }
}

function asSource(d: TrainData | BatchSource, augmentBatch: Recipe['augmentBatch'], shuffle: boolean): BatchSource {
  return isBatchSource(d) ? d : tensorSource(d, { shuffle, ...(augmentBatch && { augmentBatch }) });
}

/** Accuracy of the model (inference mode) on tensors or a BatchSource, in batches. */
export async function accuracy(model: tfl.LayersModel, data: TrainData | BatchSource, batchSize = 256): Promise<number> {
  const classes = ((model.outputs[0] as tfl.SymbolicTensor).shape as number[])[1] as number;
  let right = 0;
  let n = 0;
  for await (const { x, y } of asSource(data, undefined, false).batches(batchSize, 0, 0)) {
    checkLabels('data', y, classes);
    const pred = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1).dataSync());
    x.dispose();
    for (let i = 0; i < y.length; i++) if (pred[i] === (y[i] as number)) right++;
    n += y.length;
  }
  return right / n;
}

/**
 * The images and labels as the runtime Trainer reads them: x as it comes, y as class ids (the
 * loss is sparse cross-entropy). A batch source's labels are only seen here, so they are checked
 * here: one out of range would be a silent zero row in the one-hot targets.
 */
function trainerSource(name: string, d: TrainData | BatchSource, classes: number, augmentBatch: Recipe['augmentBatch'], shuffle: boolean): TrainingSource {
  const source = asSource(d, augmentBatch, shuffle);
  const checked = isBatchSource(d);
  return {
    size: source.size,
    async *batches(batchSize, epoch, seed) {
      for await (const { x, y } of source.batches(batchSize, epoch, seed)) {
        if (checked) {
          try {
            checkLabels(name, y, classes);
          } catch (e) {
            x.dispose();
            throw e;
          }
        }
        yield { x, y: tf.tensor1d(Float32Array.from(y as ArrayLike<number>)) };
      }
    },
  };
}

/** The checkpoint folder, made if missing; a path that is a file is refused, never replaced. */
async function checkpointFolder(dir: string): Promise<string> {
  const found = await stat(dir).catch(() => undefined);
  if (found !== undefined && !found.isDirectory()) throw rangeError('checkpoint.dir', 'a folder (or a path where one can be made)', `${dir}, a file`);
  await mkdir(dir, { recursive: true });
  return join(dir, 'checkpoint.bin');
}

/**
 * Trains a VGG (or any softmax classifier) with the paper's recipe: mini-batch SGD with momentum
 * 0.9, weight decay 5e-4 as an L2 term on the kernels, the model's dropout active, the
 * learning rate 0.01 divided by 10 when validation accuracy stops improving (at most three
 * times). `data` is tensors in memory or a BatchSource (ImageFolder.source({ mode: 'train' })
 * decodes and augments images as it goes). The loop is @aiffel/runtime's Trainer. With
 * `checkpoint` it saves its whole state after epochs, and with `resume` it continues from there
 * with the same result as an uninterrupted run. Returns one log per epoch (including those of a
 * resumed run's earlier epochs). Options are checked before any weight changes.
 */
export async function train(model: tfl.LayersModel, data: TrainData | BatchSource, recipe: Recipe = {}): Promise<EpochLog[]> {
  assertKnownOptions('recipe', recipe, KNOWN);
  const classes = ((model.outputs[0] as tfl.SymbolicTensor).shape as number[])[1] as number;
  checkData('data', data, classes);
  const epochs = recipe.epochs ?? 74;
  assertPositiveInteger('epochs', epochs);
  const batchSize = recipe.batchSize ?? 256;
  assertPositiveInteger('batchSize', batchSize);
  const lr0 = recipe.learningRate ?? 0.01;
  if (!(lr0 > 0 && Number.isFinite(lr0))) throw rangeError('learningRate', 'a positive number', lr0);
  const momentum = recipe.momentum ?? 0.9;
  if (!(momentum >= 0 && momentum < 1)) throw rangeError('momentum', 'a number in [0, 1)', momentum);
  const weightDecay = recipe.weightDecay ?? 5e-4;
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) throw rangeError('weightDecay', 'a number >= 0', weightDecay);
  const schedule = recipe.schedule ?? 'plateau';
  if (schedule !== 'plateau' && typeof schedule !== 'function') throw rangeError('schedule', "'plateau' or a function epoch -> rate", schedule);
  if ((schedule === 'plateau' || recipe.earlyStopping) && recipe.validation === undefined)
    throw rangeError('validation', "a held-out set when schedule is 'plateau' or earlyStopping is on", undefined);
  if (recipe.validation) checkData('validation', recipe.validation, classes);
  const seed = recipe.seed ?? 0;
  if (!Number.isInteger(seed)) throw rangeError('seed', 'an integer', seed);
  const ck = typeof recipe.checkpoint === 'string' ? { dir: recipe.checkpoint, every: 1 } : recipe.checkpoint;
  if (ck !== undefined && (typeof ck.dir !== 'string' || ck.dir === '')) throw rangeError('checkpoint.dir', 'a folder path', ck.dir);
  const every = ck?.every ?? 1;
  assertPositiveInteger('checkpoint.every', every);
  if (recipe.resume && !ck) throw rangeError('resume', 'used with checkpoint (the folder to resume from)', recipe.resume);
  const workers = recipe.workers ?? 1;
  assertPositiveInteger('workers', workers);
  const plateau =
    schedule === 'plateau'
      ? new ReduceOnPlateau(lr0, { mode: 'max', patience: recipe.patience ?? 2, factor: 0.1, maxReductions: recipe.maxReductions ?? 3 })
      : undefined;
  const ckPath = ck ? await checkpointFolder(ck.dir) : undefined;
  const resume = recipe.resume && ckPath !== undefined && (await stat(ckPath).catch(() => undefined)) !== undefined ? ckPath : undefined;
  const config: VggTaskConfig = { topology: JSON.stringify(model.toJSON(null, false)) };
  const trainer = new Trainer({
    model,
    loss: 'sparseCategoricalCrossentropy',
    optimizer: { name: 'momentum', momentum },
    learningRate: lr0,
    weightDecay,
    ...(plateau ? { schedule: plateau, monitor: 'accuracy' as const } : { schedule: schedule as (epoch: number) => number }),
    metrics: recipe.validation ? ['accuracy'] : [],
    ...(workers > 1 && {
      workers: { count: workers, task: { module: requirePackageFile(import.meta.url, 'train-task.js', '@aiffel/vgg'), exportName: 'vggTask' }, config },
    }),
  });
  const source = trainerSource('data', data, classes, recipe.augmentBatch, true);
  const log = await trainer.fit(source, {
    epochs,
    batchSize,
    seed,
    ...(recipe.validation && { validation: trainerSource('validation', recipe.validation, classes, undefined, false) }),
    ...(recipe.earlyStopping && {
      earlyStopping: {
        patience: recipe.earlyStopping.patience,
        minDelta: recipe.earlyStopping.minDelta ?? 0,
        monitor: 'accuracy' as const,
        restoreBest: false,
      },
    }),
    ...(recipe.signal && { signal: recipe.signal, abort: 'endEpoch' as const }),
    ...(ckPath !== undefined && {
      checkpoint: ckPath,
      checkpointEvery: every,
      onCheckpoint: () => saveLayersModel(model, join(ck?.dir as string, 'model')),
    }),
    ...(resume !== undefined && { resume }),
    onProgress: (p) => {
      recipe.onProgress?.(p);
      if (p.phase === 'batch') recipe.onBatch?.({ epoch: p.epoch, seen: p.seen, total: source.size, loss: p.loss });
      else recipe.onEpoch?.(epochLog(p));
    },
  });
  return log.epochs.map(epochLog);
}

function epochLog(e: { epoch: number; loss: number; learningRate: number; validation?: { accuracy?: number }; seconds?: number }): EpochLog {
  return { epoch: e.epoch, loss: e.loss, valAccuracy: e.validation?.accuracy, learningRate: e.learningRate, seconds: e.seconds ?? 0 };
}

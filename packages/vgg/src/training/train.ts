import { assertKnownOptions, assertPositiveInteger, ReduceOnPlateau, Rng, rangeError, tf } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';
import { sgdStep } from './sgd-step.js';

/** Images (already preprocessed) and their class ids. */
export interface TrainData {
  x: tf.Tensor4D;
  y: ArrayLike<number>;
}

export interface EpochLog {
  epoch: number;
  /** Mean training loss over the epoch's batches (without the weight-decay penalty). */
  loss: number;
  valAccuracy: number | undefined;
  learningRate: number;
  seconds: number;
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
  /** Held-out set for the plateau schedule and the log. Required with 'plateau'. */
  validation?: TrainData;
  /** Per-batch transform of the images in training (e.g. random flips). */
  augmentBatch?: (x: tf.Tensor4D, rng: Rng) => tf.Tensor4D;
  /** Shuffling (and augmentBatch's rng). Default 0. */
  seed?: number;
  /** Called after every epoch. */
  onEpoch?: (log: EpochLog) => void;
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
  'augmentBatch',
  'seed',
  'onEpoch',
];

function checkData(name: string, d: TrainData, classes: number): void {
  if (!(d?.x instanceof tf.Tensor) || d.x.rank !== 4) throw rangeError(`${name}.x`, 'a 4-D tensor [n, height, width, channels]', d?.x);
  if (d.y === undefined || d.y.length !== d.x.shape[0]) throw rangeError(`${name}.y.length`, `${d.x.shape[0]} (images in ${name}.x)`, d.y?.length);
  for (let i = 0; i < d.y.length; i++) {
    const v = d.y[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= classes) throw rangeError(`${name}.y[${i}]`, `a class id in [0, ${classes - 1}]`, v);
  }
}

/** Accuracy of the model (inference mode) on a data set, in batches. */
export function accuracy(model: tfl.LayersModel, data: TrainData, batchSize = 256): number {
  const n = data.x.shape[0];
  let right = 0;
  for (let b = 0; b < n; b += batchSize) {
    const e = Math.min(n, b + batchSize);
    const pred = tf.tidy(() => tf.argMax(model.predict(tf.slice(data.x, b, e - b)) as tf.Tensor, 1).dataSync());
    for (let i = b; i < e; i++) if (pred[i - b] === (data.y[i] as number)) right++;
  }
  return right / n;
}

/**
 * Trains a VGG (or any softmax classifier) with the paper's recipe: mini-batch SGD with momentum
 * 0.9, weight decay 5e-4 as an L2 penalty on the kernels, the model's dropout active, the
 * learning rate 0.01 divided by 10 when validation accuracy stops improving (at most three
 * times). Returns one log per epoch. Options are checked before any weight changes.
 */
export async function train(model: tfl.LayersModel, data: TrainData, recipe: Recipe = {}): Promise<EpochLog[]> {
  assertKnownOptions('recipe', recipe, KNOWN);
  const classes = (model.outputs[0]?.shape as number[])[1] as number;
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
  if (schedule === 'plateau' && recipe.validation === undefined) throw rangeError('validation', "a held-out set when schedule is 'plateau'", undefined);
  if (recipe.validation) checkData('validation', recipe.validation, classes);
  const maxReductions = recipe.maxReductions ?? 3;
  const plateau = schedule === 'plateau' ? new ReduceOnPlateau(lr0, { mode: 'max', patience: recipe.patience ?? 2, factor: 0.1 }) : undefined;
  const rng = new Rng(recipe.seed ?? 0);
  const optimizer = tf.train.momentum(lr0, momentum);
  const n = data.x.shape[0];
  const allLabels = tf.tensor1d(Int32Array.from(data.y as ArrayLike<number>), 'int32');
  const logs: EpochLog[] = [];
  let lr = typeof schedule === 'function' ? schedule(0) : lr0;
  let reductions = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const t0 = performance.now();
      optimizer.setLearningRate(lr);
      const order = rng.permutation(n);
      let lossSum = 0;
      let batches = 0;
      for (let b = 0; b < n; b += batchSize) {
        const idx = tf.tensor1d(Int32Array.from(order.subarray(b, Math.min(n, b + batchSize))), 'int32');
        const labels = tf.gather(allLabels, idx);
        const xb0 = tf.gather(data.x, idx) as tf.Tensor4D;
        const xb = recipe.augmentBatch ? recipe.augmentBatch(xb0, rng) : xb0;
        const yb = tf.oneHot(labels as tf.Tensor1D, classes);
        lossSum += sgdStep(model, optimizer, xb, yb, weightDecay);
        batches++;
        tf.dispose([idx, labels, xb0, xb, yb]);
        // Let the event loop breathe between batches (progress output, timers).
        await Promise.resolve();
      }
      const valAccuracy = recipe.validation ? accuracy(model, recipe.validation) : undefined;
      const log: EpochLog = {
        epoch: epoch + 1,
        loss: lossSum / batches,
        valAccuracy,
        learningRate: lr,
        seconds: (performance.now() - t0) / 1000,
      };
      logs.push(log);
      recipe.onEpoch?.(log);
      if (plateau && valAccuracy !== undefined) {
        const next = plateau.step(valAccuracy);
        if (next < lr) {
          // The paper stops after its third reduction's plateau.
          if (reductions === maxReductions) break;
          reductions++;
        }
        lr = next;
      } else if (typeof schedule === 'function') lr = schedule(epoch + 1);
    }
  } finally {
    optimizer.dispose();
    allLabels.dispose();
  }
  return logs;
}

import * as tf from '@tensorflow/tfjs-core';
import { rangeError, typeError } from '../errors.js';
import { Rng } from './rng.js';
import { type Matrix, rowRange, takeRows } from './training-data.js';

/** One mini-batch as tensors: inputs and targets with the same first dimension. */
export interface TrainingBatch {
  x: tf.Tensor;
  y: tf.Tensor;
}

/**
 * Data that arrives in batches (images decoded as training goes, sequences padded per batch):
 * what the Trainer reads when the rows are not one matrix in memory. One `batches` call is one
 * pass; the same (epoch, seed) must give the same batches, which is what lets a checkpoint resume
 * exactly. The Trainer disposes every tensor it is given.
 */
export interface TrainingSource {
  /** Rows per pass. */
  readonly size: number;
  batches(batchSize: number, epoch: number, seed: number): AsyncIterable<TrainingBatch> | Iterable<TrainingBatch>;
}

export function isTrainingSource(d: unknown): d is TrainingSource {
  return d !== null && typeof d === 'object' && typeof (d as TrainingSource).batches === 'function' && 'size' in d;
}

export function checkSource(name: string, s: TrainingSource): TrainingSource {
  if (!Number.isInteger(s.size) || s.size < 1) throw rangeError(`${name}.size`, 'a positive number of rows', s.size);
  return s;
}

/** Checks one batch a source gave: tensors with matching rows. */
export function checkBatch(name: string, b: TrainingBatch): number {
  if (b === null || typeof b !== 'object' || !(b.x instanceof tf.Tensor) || !(b.y instanceof tf.Tensor))
    throw typeError(`${name} batch`, '{ x: Tensor, y: Tensor }', b);
  const rows = b.x.shape[0] as number;
  if (!(rows >= 1)) throw rangeError(`${name} batch rows`, 'at least 1', rows);
  if (b.y.shape[0] !== rows) throw rangeError(`${name} batch y rows`, `${rows} (the rows of its x)`, b.y.shape[0]);
  return rows;
}

/** Rows of in-memory matrices in mini-batches: a permutation of (seed, epoch) when `shuffle`. */
export function matrixSource(x: Matrix, y: Matrix, shuffle: boolean): TrainingSource {
  return {
    size: x.rows,
    *batches(batchSize, epoch, seed) {
      const order = shuffle ? new Rng(seed * 1_000_003 + epoch).permutation(x.rows) : undefined;
      for (let s = 0; s < x.rows; s += batchSize) {
        const e = Math.min(x.rows, s + batchSize);
        // In order, a batch is a view of the matrix; shuffled, a gathered copy.
        const xb = order ? takeRows(x, order.subarray(s, e)) : rowRange(x, s, e);
        const yb = order ? takeRows(y, order.subarray(s, e)) : rowRange(y, s, e);
        yield { x: tf.tensor(xb.data, xb.shape), y: tf.tensor(yb.data, yb.shape) };
      }
    },
  };
}

import { Rng, type TrainableModel, tf } from '@aiffel/runtime';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Seq2SeqConfig } from './config.js';
import { attend, decodeTeacherForced, encode, maskedCrossEntropy, outputLogits, type SourceBatch, type TargetBatch } from './network.js';
import type { ParamMap } from './params.js';

/**
 * How a teacher-forced batch travels through the runtime Trainer (and to its workers), which
 * moves one `x` and one `y` tensor per batch: x is int32 [rows, 2 + S + T] holding per row the
 * dropout seed of the batch, the source length, the left-padded source ids (S, this batch's
 * longest) and the decoder inputs (T = maxTargetLength); y is the decoder outputs [rows, T].
 * Rows stay whole, so the workers' row shards carry everything their loss needs.
 */
export function packBatch(source: SourceBatch, target: TargetBatch, seed: number): { x: Tensor; y: Tensor } {
  const { rows, steps: S } = source;
  const T = target.steps;
  const width = 2 + S + T;
  const x = new Int32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const at = r * width;
    x[at] = seed;
    x[at + 1] = source.lengths[r] as number;
    x.set(source.ids.subarray(r * S, (r + 1) * S), at + 2);
    x.set(target.input.subarray(r * T, (r + 1) * T), at + 2 + S);
  }
  return { x: tf.tensor2d(x, [rows, width], 'int32'), y: tf.tensor2d(target.output, [rows, T], 'int32') };
}

function unpack(x: Tensor, T: number): { source: SourceBatch; input: Int32Array; seed: number } {
  const [rows, width] = x.shape as [number, number];
  const S = width - 2 - T;
  const all = x.dataSync() as Int32Array;
  const ids = new Int32Array(rows * S);
  const lengths = new Int32Array(rows);
  const input = new Int32Array(rows * T);
  for (let r = 0; r < rows; r++) {
    const at = r * width;
    lengths[r] = all[at + 1] as number;
    ids.set(all.subarray(at + 2, at + 2 + S), r * S);
    input.set(all.subarray(at + 2 + S, at + width), r * T);
  }
  return { source: { ids, lengths, rows, steps: S }, input, seed: all[0] as number };
}

/**
 * The encoder-decoder as the Trainer trains it: `predict(x, training)` gives the output logits
 * [rows * T, vocab] of a packed batch (dropout from the batch's seed when training), and `loss`
 * is the cross-entropy over the real target tokens (padding weighted 0).
 */
export function teacherForcedModel(
  config: Seq2SeqConfig,
  params: ParamMap,
  targetVocabSize: number,
): { model: TrainableModel; loss: (y: Tensor, logits: Tensor) => tf.Scalar } {
  const T = config.maxTargetLength;
  return {
    model: {
      variables: [...params.values()],
      predict(x, training) {
        const { source, input, seed } = unpack(x, T);
        const rng = training ? new Rng(seed) : undefined;
        const enc = encode(config, params, source, rng);
        const dec = decodeTeacherForced(config, params, enc, input, source.rows, T);
        const { context } = attend(config, params, dec, enc);
        return outputLogits(config, params, dec, context, rng);
      },
    },
    loss: (y, logits) => maskedCrossEntropy(logits as Tensor2D, y.dataSync() as Int32Array, targetVocabSize).loss as tf.Scalar,
  };
}

import { Rng, type TrainableModel, tf } from '@aiffel/runtime';
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { copyMixtureLoss } from '../nn/copy-mixture-loss.js';
import type { Seq2SeqConfig } from './config.js';
import {
  attend,
  copyGateLogits,
  coverageLoss,
  decodeTeacherForced,
  encode,
  maskedCrossEntropy,
  outputLogits,
  type SourceBatch,
  type TargetBatch,
} from './network.js';
import type { ParamMap } from './params.js';

/**
 * How a teacher-forced batch travels through the runtime Trainer (and to its workers), which
 * moves one `x` and one `y` tensor per batch: x is int32 [rows, 2 + S + T] holding per row the
 * dropout seed of the batch, the source length, the left-padded source ids (S, this batch's
 * longest) and the decoder inputs (T = maxTargetLength); y is the decoder outputs [rows, T], and
 * for a copy model also the source in the extended vocabulary (`sourceExt`, [rows, S]) that the
 * loss needs to find the positions a target word can be copied from. Rows stay whole, so the
 * workers' row shards carry everything their loss needs.
 */
export function packBatch(source: SourceBatch, target: TargetBatch, seed: number, sourceExt?: Int32Array): { x: Tensor; y: Tensor } {
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
  if (sourceExt === undefined) return { x: tf.tensor2d(x, [rows, width], 'int32'), y: tf.tensor2d(target.output, [rows, T], 'int32') };
  const y = new Int32Array(rows * (T + S));
  for (let r = 0; r < rows; r++) {
    y.set(target.output.subarray(r * T, (r + 1) * T), r * (T + S));
    y.set(sourceExt.subarray(r * S, (r + 1) * S), r * (T + S) + T);
  }
  return { x: tf.tensor2d(x, [rows, width], 'int32'), y: tf.tensor2d(y, [rows, T + S], 'int32') };
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
 * The encoder-decoder as the Trainer trains it. `predict(x, training)` gives, per target token
 * (rows * T of them), the output logits over the target vocabulary, then for a copy model the
 * copy switch's logit and the attention [S], then with coverage the step's coverage loss: one
 * [rows * T, V (+ 1 + S) (+ 1)] tensor, dropout from the batch's seed when training. `loss` is the
 * mean negative log-likelihood of the real target tokens (padding weighs 0) under the vocabulary
 * softmax, or under the copy mixture, plus `coverageLossWeight` times the mean coverage loss.
 */
export function teacherForcedModel(
  config: Seq2SeqConfig,
  params: ParamMap,
  targetVocabSize: number,
  coverageLossWeight = 1,
): { model: TrainableModel; loss: (y: Tensor, out: Tensor) => tf.Scalar } {
  const T = config.maxTargetLength;
  const V = targetVocabSize;
  return {
    model: {
      variables: [...params.values()],
      predict(x, training) {
        const { source, input, seed } = unpack(x, T);
        const rng = training ? new Rng(seed) : undefined;
        const enc = encode(config, params, source, rng);
        const dec = decodeTeacherForced(config, params, enc, input, source.rows, T);
        const { context, weights } = attend(config, params, dec.states, enc);
        const logits = outputLogits(config, params, dec.states, context, rng);
        if (!config.copy && !config.coverage) return logits;
        const N = source.rows * T;
        const parts: Tensor[] = [logits];
        if (config.copy) {
          parts.push(tf.reshape(copyGateLogits(config, params, dec.states, context, dec.inputs), [N, 1]));
          parts.push(tf.reshape(weights, [N, source.steps]));
        }
        if (config.coverage) parts.push(tf.reshape(coverageLoss(weights), [N, 1]));
        return tf.concat(parts, 1);
      },
    },
    loss: (y, out) => {
      const [rows, width] = y.shape as [number, number];
      const all = y.dataSync() as Int32Array;
      const N = rows * T;
      const targets = new Int32Array(N);
      for (let r = 0; r < rows; r++) targets.set(all.subarray(r * width, r * width + T), r * T);
      // Real target tokens weigh 1, padding 0.
      const weights = Float32Array.from(targets, (t) => (t === 0 ? 0 : 1));
      const logits = tf.slice(out, [0, 0], [N, V]) as Tensor2D;
      let loss: tf.Scalar;
      if (!config.copy) loss = maskedCrossEntropy(logits, targets, V).loss as tf.Scalar;
      else {
        const S = width - T;
        // copyable[n, i] = 1 where source position i holds target n's word.
        const copyable = new Float32Array(N * S);
        for (let n = 0; n < N; n++) {
          const y = targets[n] as number;
          if (y === 0) continue;
          const at = Math.floor(n / T) * width + T;
          for (let i = 0; i < S; i++) if (all[at + i] === y) copyable[n * S + i] = 1;
        }
        const gate = tf.reshape(tf.slice(out, [0, V], [N, 1]), [N]) as Tensor1D;
        const attention = tf.slice(out, [0, V + 1], [N, S]);
        const copyMass = tf.sum(tf.mul(attention, tf.tensor2d(copyable, [N, S])), 1) as Tensor1D;
        loss = copyMixtureLoss(logits, gate, copyMass, targets, weights);
      }
      if (!config.coverage || coverageLossWeight === 0) return loss;
      const tokens = weights.reduce((n, w) => n + w, 0);
      const cov = tf.reshape(tf.slice(out, [0, (out.shape[1] as number) - 1], [N, 1]), [N]);
      return tf.add(loss, tf.mul(coverageLossWeight / Math.max(tokens, 1), tf.sum(tf.mul(cov, tf.tensor1d(weights))))) as tf.Scalar;
    },
  };
}

import { type Rng, tf } from '@aiffel/runtime';
import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { additiveScores } from '../nn/additive-attention.js';
import { lstmSequence } from '../nn/lstm-sequence.js';
import type { Seq2SeqConfig } from './config.js';
import { encoderDim, type ParamMap, param } from './params.js';

/** A batch of left-padded source ids: the encoder's last step is always a real token. */
export interface SourceBatch {
  /** Row-major [rows, maxSourceLength], padding first. */
  ids: Int32Array;
  /** Real tokens per row. */
  lengths: Int32Array;
  rows: number;
  steps: number;
}

export interface Encoded {
  /** [B, S, D] encoder states, batch-major. */
  states: Tensor3D;
  /** Bahdanau keys [B, S, A] (states projected once per input), or undefined. */
  keys: Tensor3D | undefined;
  /** 0 for real positions, -1e9 for padding: [B, 1, S]. */
  maskBias: Tensor3D;
  /** Decoder initial state [B, H]. */
  h: Tensor2D;
  c: Tensor2D;
}

function dropout(x: Tensor, rate: number, rng: Rng | undefined): Tensor {
  if (rng === undefined || rate === 0) return x;
  return tf.dropout(x, rate, undefined, rng.nextUint32());
}

/**
 * Reverses each row's real tokens in time and leaves the padding (at the front) in place, as flat
 * time-major row indices: with left padding the backward direction then also ends on real tokens.
 * The permutation is its own inverse.
 */
function reverseIndex(batch: SourceBatch): Tensor1D {
  const { rows: B, steps: T, lengths } = batch;
  const idx = new Int32Array(T * B);
  for (let b = 0; b < B; b++) {
    const pad = T - (lengths[b] as number);
    for (let t = 0; t < T; t++) idx[t * B + b] = (t < pad ? t : pad + (T - 1 - t)) * B + b;
  }
  return tf.tensor1d(idx, 'int32');
}

/** Runs one LSTM layer; returns its outputs [T, B, H] and final (h, c). */
function runLayer(params: ParamMap, prefix: string, x: Tensor3D, zeros: Tensor2D): { out: Tensor3D; h: Tensor2D; c: Tensor2D } {
  const [T, B] = x.shape;
  const H = zeros.shape[1];
  const y = lstmSequence(x, zeros, zeros, param(params, `${prefix}/wx`) as Tensor2D, param(params, `${prefix}/wh`) as Tensor2D, param(params, `${prefix}/b`));
  const flat = tf.reshape(y, [(T + 1) * B, H]);
  return {
    out: tf.reshape(tf.slice(flat, [0, 0], [T * B, H]), [T, B, H]),
    h: tf.slice(flat, [(T - 1) * B, 0], [B, H]) as Tensor2D,
    c: tf.slice(flat, [T * B, 0], [B, H]) as Tensor2D,
  };
}

/** The encoder: embeddings, stacked (bi)LSTMs with dropout between layers, keys and mask. */
export function encode(c: Seq2SeqConfig, params: ParamMap, batch: SourceBatch, rng?: Rng): Encoded {
  const { rows: B, steps: T } = batch;
  const H = c.hiddenSize;
  const idsTimeMajor = tf.transpose(tf.tensor2d(batch.ids, [B, T], 'int32'));
  let x = tf.reshape(tf.gather(param(params, 'source_embedding'), tf.reshape(idsTimeMajor, [T * B])), [T, B, c.embeddingDim]) as Tensor3D;
  const zeros = tf.zeros([B, H]) as Tensor2D;
  const rev = c.bidirectional ? reverseIndex(batch) : undefined;
  let h = zeros;
  let cell = zeros;
  for (let l = 0; l < c.encoderLayers; l++) {
    if (l > 0) x = dropout(x, c.dropout, rng) as Tensor3D;
    const fwd = runLayer(params, `encoder/${l}/forward`, x, zeros);
    if (rev === undefined) {
      x = fwd.out;
      h = fwd.h;
      cell = fwd.c;
    } else {
      const width = x.shape[2];
      const xr = tf.reshape(tf.gather(tf.reshape(x, [T * B, width]), rev), [T, B, width]) as Tensor3D;
      const bwd = runLayer(params, `encoder/${l}/backward`, xr, zeros);
      const back = tf.reshape(tf.gather(tf.reshape(bwd.out, [T * B, H]), rev), [T, B, H]);
      x = tf.concat([fwd.out, back], 2) as Tensor3D;
      h = tf.add(fwd.h, bwd.h);
      cell = tf.add(fwd.c, bwd.c);
    }
  }
  const states = tf.transpose(x, [1, 0, 2]) as Tensor3D; // [B, T, D]
  const D = encoderDim(c);
  const keys =
    c.attention === 'bahdanau'
      ? (tf.reshape(tf.matMul(tf.reshape(states, [B * T, D]), param(params, 'attention/wk') as Tensor2D), [B, T, c.attentionDim]) as Tensor3D)
      : undefined;
  const mask = new Float32Array(B * T);
  for (let b = 0; b < B; b++) mask.fill(-1e9, b * T, b * T + T - (batch.lengths[b] as number));
  return { states, keys, maskBias: tf.tensor3d(mask, [B, 1, T]), h, c: cell };
}

/**
 * Attention scores [B, Tt, S] of decoder states dec [B, Tt, H]. With coverage, `cov` [B, S] (the
 * attention summed over the earlier steps) enters every score: w_c * cov inside Bahdanau's tanh,
 * as in See et al. (2017), or w_c * cov added to a Luong score.
 */
function scores(c: Seq2SeqConfig, params: ParamMap, dec: Tensor3D, enc: Encoded, cov?: Tensor2D): Tensor3D {
  const [B, Tt, H] = dec.shape;
  if (c.attention === 'bahdanau') {
    const q = tf.reshape(tf.add(tf.matMul(tf.reshape(dec, [B * Tt, H]), param(params, 'attention/wq') as Tensor2D), param(params, 'attention/bq')), [
      B,
      Tt,
      c.attentionDim,
    ]) as Tensor3D;
    const keys =
      cov === undefined ? (enc.keys as Tensor3D) : (tf.add(enc.keys as Tensor3D, tf.mul(tf.expandDims(cov, 2), param(params, 'coverage/w'))) as Tensor3D);
    return additiveScores(keys, q, param(params, 'attention/v') as Tensor1D);
  }
  const query =
    c.attention === 'luong-general'
      ? (tf.reshape(tf.matMul(tf.reshape(dec, [B * Tt, H]), param(params, 'attention/wa') as Tensor2D), [B, Tt, encoderDim(c)]) as Tensor3D)
      : dec;
  const s = tf.matMul(query, tf.transpose(enc.states, [0, 2, 1])) as Tensor3D;
  return cov === undefined ? s : (tf.add(s, tf.mul(tf.expandDims(cov, 1), param(params, 'coverage/w'))) as Tensor3D);
}

export interface Attention {
  /** [B, Tt, D] */
  context: Tensor3D;
  /** [B, Tt, S]; padded source positions get zero weight. */
  weights: Tensor3D;
}

/**
 * Attention of decoder states dec [B, Tt, H] over the encoder. Without coverage all steps are
 * scored at once; with it step by step, each step seeing the coverage `cov` (default zeros: the
 * start of the output) plus the weights of the steps before it.
 */
export function attend(c: Seq2SeqConfig, params: ParamMap, dec: Tensor3D, enc: Encoded, cov?: Tensor2D): Attention {
  const [B, Tt] = dec.shape;
  let weights: Tensor3D;
  if (!c.coverage) weights = tf.softmax(tf.add(scores(c, params, dec, enc), enc.maskBias)) as Tensor3D;
  else {
    const S = enc.states.shape[1];
    let sum = cov ?? (tf.zeros([B, S]) as Tensor2D);
    const steps: Tensor3D[] = [];
    for (let t = 0; t < Tt; t++) {
      const step = Tt === 1 ? dec : (tf.slice(dec, [0, t, 0], [B, 1, dec.shape[2]]) as Tensor3D);
      const a = tf.softmax(tf.add(scores(c, params, step, enc, sum), enc.maskBias)) as Tensor3D;
      steps.push(a);
      if (t + 1 < Tt) sum = tf.add(sum, tf.reshape(a, [B, S])) as Tensor2D;
    }
    weights = steps.length === 1 ? (steps[0] as Tensor3D) : (tf.concat(steps, 1) as Tensor3D);
  }
  return { context: tf.matMul(weights, enc.states) as Tensor3D, weights };
}

/**
 * The coverage loss of See et al. (2017) per output step: sum_i min(a_t,i, c_t,i), where the
 * coverage c_t is the attention summed over the steps before t. [B, Tt, S] -> [B, Tt]; zero when
 * no two steps attend to the same source position.
 */
export function coverageLoss(weights: Tensor3D): Tensor2D {
  // Summed over the last axis: tfjs's Cumsum gradient has the wrong shape for any other axis.
  const perSource = tf.transpose(weights, [0, 2, 1]);
  return tf.sum(tf.minimum(perSource, tf.cumsum(perSource, 2, true)), 1) as Tensor2D;
}

/**
 * The copy switch p_gen's logit per output step (sigmoid gives p_gen) from the decoder state,
 * the context and the decoder input: [B * Tt].
 */
export function copyGateLogits(c: Seq2SeqConfig, params: ParamMap, dec: Tensor3D, context: Tensor3D, inputs: Tensor3D): Tensor1D {
  const [B, Tt, H] = dec.shape;
  const features = tf.reshape(tf.concat([dec, context, inputs], 2), [B * Tt, H + encoderDim(c) + c.embeddingDim]);
  return tf.reshape(tf.add(tf.matMul(features as Tensor2D, param(params, 'copy/w') as Tensor2D), param(params, 'copy/b')), [B * Tt]) as Tensor1D;
}

/** Logits over the target vocabulary from [decoder state; context]: [rows, V]. */
export function outputLogits(c: Seq2SeqConfig, params: ParamMap, dec: Tensor3D, context: Tensor3D, rng?: Rng): Tensor2D {
  const [B, Tt, H] = dec.shape;
  const features = dropout(tf.reshape(tf.concat([dec, context], 2), [B * Tt, H + encoderDim(c)]), c.dropout, rng);
  return tf.add(tf.matMul(features as Tensor2D, param(params, 'output/w') as Tensor2D), param(params, 'output/b')) as Tensor2D;
}

export function targetEmbedding(c: Seq2SeqConfig, params: ParamMap): Tensor {
  return param(params, c.shareEmbeddings ? 'source_embedding' : 'target_embedding');
}

/** Teacher-forced decoder over whole target batches: [B, Tt, H] states and the [B, Tt, E] input embeddings. */
export function decodeTeacherForced(
  c: Seq2SeqConfig,
  params: ParamMap,
  enc: Encoded,
  targetIn: Int32Array,
  B: number,
  Tt: number,
): { states: Tensor3D; inputs: Tensor3D } {
  const idsTimeMajor = tf.transpose(tf.tensor2d(targetIn, [B, Tt], 'int32'));
  const x = tf.reshape(tf.gather(targetEmbedding(c, params), tf.reshape(idsTimeMajor, [Tt * B])), [Tt, B, c.embeddingDim]) as Tensor3D;
  const y = lstmSequence(x, enc.h, enc.c, param(params, 'decoder/wx') as Tensor2D, param(params, 'decoder/wh') as Tensor2D, param(params, 'decoder/b'));
  const out = tf.slice(y, [0, 0, 0], [Tt, B, c.hiddenSize]);
  return { states: tf.transpose(out, [1, 0, 2]) as Tensor3D, inputs: tf.transpose(x, [1, 0, 2]) as Tensor3D };
}

/**
 * Mean cross-entropy over real target tokens (padding weighs 0), and the token count. Returned
 * as a scalar tensor so it can be differentiated.
 */
export function maskedCrossEntropy(logits: Tensor2D, targetOut: Int32Array, vocabSize: number): { loss: Tensor; tokens: number } {
  const weights = new Float32Array(targetOut.length);
  let tokens = 0;
  for (let i = 0; i < targetOut.length; i++) {
    if (targetOut[i] !== 0) {
      weights[i] = 1;
      tokens++;
    }
  }
  const logp = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(targetOut, 'int32'), vocabSize)), 1);
  const loss = tf.div(tf.neg(tf.sum(tf.mul(picked, tf.tensor1d(weights)))), Math.max(tokens, 1));
  return { loss, tokens };
}

/** Teacher-forced target ids for one batch: decoder inputs (SOS + words) and outputs (words + EOS). */
export interface TargetBatch {
  input: Int32Array;
  output: Int32Array;
  steps: number;
}

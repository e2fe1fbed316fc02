import { tf } from '@aiffel/runtime';
import type { Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { type ParamMap, param } from '../model/params.js';
import { additiveScores } from '../nn/additive-attention.js';
import { lstmSequence } from '../nn/lstm-sequence.js';
import { pooledDim, type SequenceClassifierConfig } from './sequence-config.js';

/** One LSTM direction over [T, B, I]: all hidden states [T, B, H]. */
function layer(params: ParamMap, prefix: string, x: Tensor3D, zeros: Tensor2D): Tensor3D {
  const [T, B] = x.shape;
  const y = lstmSequence(x, zeros, zeros, param(params, `${prefix}/wx`) as Tensor2D, param(params, `${prefix}/wh`) as Tensor2D, param(params, `${prefix}/b`));
  return tf.slice(y, [0, 0, 0], [T, B, zeros.shape[1]]) as Tensor3D;
}

/**
 * Windows x [B, T, C] (standardised) -> hidden states [T, B, D], time-major: optional Conv1D +
 * ReLU, then stacked (bi)LSTMs through the fused sequence op. The backward direction reads the
 * time-reversed input (windows have no padding) and is flipped back to align with the forward one.
 */
function encodeWindows(c: SequenceClassifierConfig, params: ParamMap, x: Tensor3D): Tensor3D {
  const B = x.shape[0];
  let h: Tensor3D = x;
  if (c.convFilters > 0) h = tf.relu(tf.add(tf.conv1d(h, param(params, 'conv/w') as Tensor3D, 1, 'same'), param(params, 'conv/b'))) as Tensor3D;
  let seq = tf.transpose(h, [1, 0, 2]) as Tensor3D;
  const zeros = tf.zeros([B, c.hiddenSize]) as Tensor2D;
  for (let l = 0; l < c.layers; l++) {
    const fwd = layer(params, `lstm/${l}/forward`, seq, zeros);
    seq = c.bidirectional ? (tf.concat([fwd, tf.reverse(layer(params, `lstm/${l}/backward`, tf.reverse(seq, 0) as Tensor3D, zeros), 0)], 2) as Tensor3D) : fwd;
  }
  return seq;
}

/** Additive attention of a learned query over the states [B, T, D]: weights [B, 1, T]. */
function attentionWeights(c: SequenceClassifierConfig, params: ParamMap, states: Tensor3D): Tensor3D {
  const [B, T, D] = states.shape;
  const keys = tf.reshape(tf.matMul(tf.reshape(states, [B * T, D]), param(params, 'attention/wk') as Tensor2D), [B, T, c.attentionDim]) as Tensor3D;
  const query = tf.tile(tf.reshape(param(params, 'attention/query'), [1, 1, c.attentionDim]), [B, 1, 1]) as Tensor3D;
  return tf.softmax(additiveScores(keys, query, param(params, 'attention/v') as Tensor1D)) as Tensor3D;
}

/** Logits [B, K'] for windows [B, T, C]: encoder, attention or last-state pooling, dense head. */
export function sequenceLogits(c: SequenceClassifierConfig, params: ParamMap, x: Tensor3D, training: boolean, seed: number): Tensor2D {
  const [B, T] = x.shape;
  const seq = encodeWindows(c, params, x);
  const D = pooledDim(c);
  const H = c.hiddenSize;
  let pooled: Tensor2D;
  if (c.pooling === 'last') {
    const last = tf.reshape(tf.slice(seq, [T - 1, 0, 0], [1, B, D]), [B, D]) as Tensor2D;
    // The backward direction's summary of the window is its state after reading step 0.
    pooled = c.bidirectional ? (tf.concat([tf.slice(last, [0, 0], [B, H]), tf.reshape(tf.slice(seq, [0, 0, H], [1, B, H]), [B, H])], 1) as Tensor2D) : last;
  } else {
    const states = tf.transpose(seq, [1, 0, 2]) as Tensor3D;
    pooled = tf.reshape(tf.matMul(attentionWeights(c, params, states), states), [B, D]) as Tensor2D;
  }
  if (training && c.dropout > 0) pooled = tf.dropout(pooled, c.dropout, undefined, seed) as Tensor2D;
  return tf.add(tf.matMul(pooled, param(params, 'output/w') as Tensor2D), param(params, 'output/b')) as Tensor2D;
}

/** Attention weights [B, T] of each window (pooling 'attention'): which time steps the model read. */
export function sequenceAttention(c: SequenceClassifierConfig, params: ParamMap, x: Tensor3D): Tensor2D {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    return tf.reshape(attentionWeights(c, params, tf.transpose(encodeWindows(c, params, x), [1, 0, 2]) as Tensor3D), [B, T]) as Tensor2D;
  });
}

/** The Trainer's view of the network: x arrives as rows of T * C values. */
export function sequenceModel(c: SequenceClassifierConfig, params: ParamMap, steps: number, channels: number) {
  let calls = 0;
  return {
    variables: [...params.values()],
    predict: (x: tf.Tensor, training: boolean) =>
      sequenceLogits(c, params, tf.reshape(x, [x.shape[0] as number, steps, channels]) as Tensor3D, training, (c.seed * 7919 + calls++) | 0),
  };
}

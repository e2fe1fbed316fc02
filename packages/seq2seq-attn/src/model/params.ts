import { Rng, tf } from '@aiffel/runtime';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import type { Seq2SeqConfig } from './config.js';

/** Named trainable tensors. Names are stable: they are the keys in saved weight files. */
export type ParamMap = Map<string, Variable>;

export interface ParamSpec {
  name: string;
  shape: number[];
  init: 'uniform' | 'zeros' | 'lstm-bias';
}

/** Encoder output width: hiddenSize per direction. */
export function encoderDim(c: Seq2SeqConfig): number {
  return c.hiddenSize * (c.bidirectional ? 2 : 1);
}

/** Every parameter the configuration needs, in a fixed order. */
export function paramSpecs(c: Seq2SeqConfig, sourceVocabSize: number, targetVocabSize: number): ParamSpec[] {
  const { embeddingDim: E, hiddenSize: H, attentionDim: A } = c;
  const D = encoderDim(c);
  const specs: ParamSpec[] = [{ name: 'source_embedding', shape: [sourceVocabSize, E], init: 'uniform' }];
  if (!c.shareEmbeddings) specs.push({ name: 'target_embedding', shape: [targetVocabSize, E], init: 'uniform' });
  const lstm = (prefix: string, input: number): void => {
    specs.push({ name: `${prefix}/wx`, shape: [input, 4 * H], init: 'uniform' });
    specs.push({ name: `${prefix}/wh`, shape: [H, 4 * H], init: 'uniform' });
    specs.push({ name: `${prefix}/b`, shape: [4 * H], init: 'lstm-bias' });
  };
  for (let l = 0; l < c.encoderLayers; l++) {
    const input = l === 0 ? E : D;
    lstm(`encoder/${l}/forward`, input);
    if (c.bidirectional) lstm(`encoder/${l}/backward`, input);
  }
  lstm('decoder', E);
  if (c.attention === 'bahdanau') {
    specs.push({ name: 'attention/wk', shape: [D, A], init: 'uniform' });
    specs.push({ name: 'attention/wq', shape: [H, A], init: 'uniform' });
    specs.push({ name: 'attention/bq', shape: [A], init: 'zeros' });
    specs.push({ name: 'attention/v', shape: [A], init: 'uniform' });
  } else if (c.attention === 'luong-general') {
    specs.push({ name: 'attention/wa', shape: [H, D], init: 'uniform' });
  }
  specs.push({ name: 'output/w', shape: [H + D, targetVocabSize], init: 'uniform' });
  specs.push({ name: 'output/b', shape: [targetVocabSize], init: 'zeros' });
  // Appended after the plain model's parameters so a model without them initialises exactly as before.
  if (c.copy) {
    // p_gen = sigmoid([decoder state; context; decoder input] . w + b), as in See et al. (2017).
    specs.push({ name: 'copy/w', shape: [H + D + E, 1], init: 'uniform' });
    specs.push({ name: 'copy/b', shape: [1], init: 'zeros' });
  }
  // Coverage enters the scores as w_c * coverage: a vector inside Bahdanau's tanh (the paper's
  // form), one scalar added to the Luong scores. Zero at first, so training starts from plain attention.
  if (c.coverage) specs.push({ name: 'coverage/w', shape: c.attention === 'bahdanau' ? [A] : [1], init: 'zeros' });
  return specs;
}

/**
 * Initialises parameters: uniform(-1/sqrt(fan), 1/sqrt(fan)) as PyTorch does for LSTMs and linear
 * layers, embeddings from uniform(-0.1, 0.1), and LSTM forget-gate biases at 1 so early training
 * keeps the cell state (Jozefowicz et al. 2015).
 */
export function initParams(specs: readonly ParamSpec[], seed: number): ParamMap {
  const rng = new Rng(seed);
  const params: ParamMap = new Map();
  for (const s of specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (s.init === 'uniform') {
      const fan = s.name.endsWith('embedding') ? 100 : (s.shape[0] as number);
      const bound = s.name.endsWith('embedding') ? 0.1 : 1 / Math.sqrt(fan);
      for (let i = 0; i < size; i++) values[i] = rng.uniform(-bound, bound);
    } else if (s.init === 'lstm-bias') {
      const H = size / 4;
      values.fill(1, H, 2 * H);
    }
    params.set(s.name, tf.variable(tf.tensor(values, s.shape), true, `${s.name}_${nextId++}`));
  }
  return params;
}

let nextId = 0;

/** The tensor of a named parameter; a missing one is a programming error. */
export function param(params: ParamMap, name: string): Tensor {
  const p = params.get(name);
  if (p === undefined) throw new Error(`@aiffel/seq2seq-attn: parameter ${name} is missing`);
  return p;
}

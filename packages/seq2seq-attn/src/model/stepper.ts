import { tf } from '@aiffel/runtime';
import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import type { Stepper } from '../decode/search.js';
import { lstmStep } from '../nn/lstm-sequence.js';
import type { Seq2SeqConfig } from './config.js';
import { attend, type Encoded, outputLogits, targetEmbedding } from './network.js';
import { type ParamMap, param } from './params.js';

/**
 * Runs the decoder one token at a time for the search: each input's encoder states are repeated
 * for its `beams` rows once, and the recurrent state is reordered by `parents` at every step.
 * Holds tensors: call dispose() when done.
 */
export class ModelStepper implements Stepper {
  readonly vocabSize: number;
  readonly sourceLength: number;
  private enc: Encoded;
  private h: Tensor2D;
  private c: Tensor2D;

  constructor(
    private readonly config: Seq2SeqConfig,
    private readonly params: ParamMap,
    encoded: Encoded,
    beams: number,
    vocabSize: number,
  ) {
    this.vocabSize = vocabSize;
    this.sourceLength = encoded.states.shape[1];
    const B = encoded.states.shape[0];
    const repeat = tf.tensor1d(
      Int32Array.from({ length: B * beams }, (_, r) => Math.floor(r / beams)),
      'int32',
    );
    const rep = <T extends Tensor>(t: T): T => tf.keep(tf.gather(t, repeat)) as T;
    this.enc = tf.tidy(() => ({
      states: rep(encoded.states),
      keys: encoded.keys ? rep(encoded.keys) : undefined,
      maskBias: rep(encoded.maskBias),
      h: rep(encoded.h),
      c: rep(encoded.c),
    }));
    this.h = this.enc.h;
    this.c = this.enc.c;
    repeat.dispose();
  }

  step(lastTokens: Int32Array, parents: Int32Array): { logProbs: Float32Array; attention: Float32Array } {
    const identity = parents.every((p, i) => p === i);
    const [h, c, logProbs, weights] = tf.tidy(() => {
      const order = tf.tensor1d(parents, 'int32');
      const hPrev = identity ? this.h : (tf.gather(this.h, order) as Tensor2D);
      const cPrev = identity ? this.c : (tf.gather(this.c, order) as Tensor2D);
      const x = tf.gather(targetEmbedding(this.config, this.params), tf.tensor1d(lastTokens, 'int32')) as Tensor2D;
      const xw = tf.add(tf.matMul(x, param(this.params, 'decoder/wx') as Tensor2D), param(this.params, 'decoder/b')) as Tensor2D;
      const next = lstmStep(xw, hPrev, cPrev, param(this.params, 'decoder/wh') as Tensor2D);
      const dec = tf.expandDims(next.h, 1) as Tensor3D;
      const { context, weights } = attend(this.config, this.params, dec, this.enc);
      const logits = outputLogits(this.config, this.params, dec, context);
      return [next.h, next.c, tf.logSoftmax(logits), weights];
    });
    if (this.h !== this.enc.h) this.h.dispose();
    if (this.c !== this.enc.c) this.c.dispose();
    this.h = h as Tensor2D;
    this.c = c as Tensor2D;
    const lp = logProbs.dataSync() as Float32Array;
    const att = weights.dataSync() as Float32Array;
    logProbs.dispose();
    weights.dispose();
    return { logProbs: lp, attention: att };
  }

  dispose(): void {
    if (this.h !== this.enc.h) this.h.dispose();
    if (this.c !== this.enc.c) this.c.dispose();
    tf.dispose([this.enc.states, this.enc.keys, this.enc.maskBias, this.enc.h, this.enc.c].filter((t) => t !== undefined) as Tensor[]);
  }
}

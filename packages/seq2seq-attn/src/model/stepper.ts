import { tf } from '@aiffel/runtime';
import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import type { Stepper, StepResult } from '../decode/search.js';
import { lstmStep } from '../nn/lstm-sequence.js';
import { PAD_ID, UNK_ID } from '../text/vocabulary.js';
import type { Seq2SeqConfig } from './config.js';
import type { ExtendedSources } from './extended-vocab.js';
import { attend, copyGateLogits, type Encoded, outputLogits, targetEmbedding } from './network.js';
import { type ParamMap, param } from './params.js';

/**
 * Runs the decoder one token at a time for the search: each input's encoder states are repeated
 * for its `beams` rows once, and the recurrent state (and the coverage) is reordered by `parents`
 * at every step. A copy model's steps are over the extended vocabulary of `copy` (the target
 * vocabulary, then each input's own out-of-vocabulary words; rows with fewer of them see the
 * rest at probability 0). Holds tensors: call dispose() when done.
 */
export class ModelStepper implements Stepper {
  readonly vocabSize: number;
  readonly sourceLength: number;
  private readonly targetVocabSize: number;
  private readonly sourceExt: Int32Array | undefined;
  private enc: Encoded;
  private h: Tensor2D;
  private c: Tensor2D;
  private cov: Tensor2D | undefined;

  constructor(
    private readonly config: Seq2SeqConfig,
    private readonly params: ParamMap,
    encoded: Encoded,
    beams: number,
    targetVocabSize: number,
    copy?: ExtendedSources,
  ) {
    this.targetVocabSize = targetVocabSize;
    this.vocabSize = targetVocabSize + (copy?.maxOovs ?? 0);
    const [B, S] = encoded.states.shape;
    this.sourceLength = S;
    const rowOf = Int32Array.from({ length: B * beams }, (_, r) => Math.floor(r / beams));
    if (copy) {
      this.sourceExt = new Int32Array(B * beams * S);
      rowOf.forEach((b, r) => {
        (this.sourceExt as Int32Array).set(copy.ids.subarray(b * S, (b + 1) * S), r * S);
      });
    }
    const repeat = tf.tensor1d(rowOf, 'int32');
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
    this.cov = config.coverage ? (tf.zeros([B * beams, S]) as Tensor2D) : undefined;
    repeat.dispose();
  }

  step(lastTokens: Int32Array, parents: Int32Array): StepResult {
    const identity = parents.every((p, i) => p === i);
    const V = this.targetVocabSize;
    // Copied out-of-vocabulary words feed the decoder as UNK, as in training.
    const inputs = lastTokens.map((t) => (t >= V ? UNK_ID : t));
    const [h, c, cov, probs, weights, gate] = tf.tidy(() => {
      const order = tf.tensor1d(parents, 'int32');
      const reorder = <T extends Tensor>(t: T): T => (identity ? t : (tf.gather(t, order) as T));
      const hPrev = reorder(this.h);
      const cPrev = reorder(this.c);
      const covPrev = this.cov && reorder(this.cov);
      const x = tf.gather(targetEmbedding(this.config, this.params), tf.tensor1d(inputs, 'int32')) as Tensor2D;
      const xw = tf.add(tf.matMul(x, param(this.params, 'decoder/wx') as Tensor2D), param(this.params, 'decoder/b')) as Tensor2D;
      const next = lstmStep(xw, hPrev, cPrev, param(this.params, 'decoder/wh') as Tensor2D);
      const dec = tf.expandDims(next.h, 1) as Tensor3D;
      const { context, weights } = attend(this.config, this.params, dec, this.enc, covPrev);
      const logits = outputLogits(this.config, this.params, dec, context);
      const rows = lastTokens.length;
      const covNext = covPrev ? tf.add(covPrev, tf.reshape(weights, [rows, this.sourceLength])) : tf.zeros([0]);
      const gate = this.config.copy ? tf.sigmoid(copyGateLogits(this.config, this.params, dec, context, tf.expandDims(x, 1) as Tensor3D)) : tf.zeros([0]);
      return [next.h, next.c, covNext, this.config.copy ? tf.softmax(logits) : tf.logSoftmax(logits), weights, gate];
    });
    if (this.h !== this.enc.h) this.h.dispose();
    if (this.c !== this.enc.c) this.c.dispose();
    this.h = h as Tensor2D;
    this.c = c as Tensor2D;
    if (this.cov) {
      this.cov.dispose();
      this.cov = cov as Tensor2D;
    } else cov.dispose();
    const p = probs.dataSync() as Float32Array;
    const att = weights.dataSync() as Float32Array;
    const pGen = gate.dataSync() as Float32Array;
    tf.dispose([probs, weights, gate]);
    if (!this.config.copy) return { logProbs: p, attention: att };
    return { ...this.mix(p, pGen, att), attention: att, pGen };
  }

  /**
   * The pointer-generator's final distribution per row over the extended vocabulary:
   * P(w) = p_gen P_vocab(w) + (1 - p_gen) sum of the attention on the positions holding w, as
   * log-probabilities, with each token's share of P that came from copying.
   */
  private mix(pVocab: Float32Array, pGen: Float32Array, attention: Float32Array): { logProbs: Float32Array; copyShare: Float32Array } {
    const V = this.targetVocabSize;
    const X = this.vocabSize;
    const S = this.sourceLength;
    const rows = pGen.length;
    const ext = this.sourceExt as Int32Array;
    const logProbs = new Float32Array(rows * X);
    const copyShare = new Float32Array(rows * X);
    for (let r = 0; r < rows; r++) {
      const g = pGen[r] as number;
      const o = r * X;
      for (let w = 0; w < V; w++) logProbs[o + w] = g * (pVocab[r * V + w] as number);
      for (let i = 0; i < S; i++) {
        const id = ext[r * S + i] as number;
        if (id === PAD_ID) continue;
        const part = (1 - g) * (attention[r * S + i] as number);
        logProbs[o + id] = (logProbs[o + id] as number) + part;
        copyShare[o + id] = (copyShare[o + id] as number) + part;
      }
      for (let w = 0; w < X; w++) {
        const pw = logProbs[o + w] as number;
        copyShare[o + w] = pw > 0 ? (copyShare[o + w] as number) / pw : 0;
        logProbs[o + w] = Math.log(pw);
      }
    }
    return { logProbs, copyShare };
  }

  dispose(): void {
    if (this.h !== this.enc.h) this.h.dispose();
    if (this.c !== this.enc.c) this.c.dispose();
    this.cov?.dispose();
    tf.dispose([this.enc.states, this.enc.keys, this.enc.maskBias, this.enc.h, this.enc.c].filter((t) => t !== undefined) as Tensor[]);
  }
}

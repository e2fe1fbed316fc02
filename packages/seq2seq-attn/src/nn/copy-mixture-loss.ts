import { rangeError, tf } from '@aiffel/runtime';
import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';

/** Keeps log P finite when a target can neither be generated nor copied (an UNK the gate shut out). */
export const MIXTURE_EPS = 1e-10;

/**
 * The pointer-generator's negative log-likelihood (See et al. 2017, eq. 9 and 6) as one
 * differentiable op with hand-derived gradients:
 *
 *   p_gen = sigmoid(gate),  P(y) = p_gen * softmax(logits)[y] * [y < V] + (1 - p_gen) * copyMass,
 *   loss = -sum_n w_n log(P(y_n) + eps) / sum_n w_n,  w_n = [y_n != PAD]
 *
 * where copyMass[n] is the attention on the source positions holding y_n. Targets >= V are the
 * input's own out-of-vocabulary words: only copying can produce them.
 *
 * Why a custom gradient: autodiff through the mixture keeps the [N, V] softmax, its one-hot
 * pick and their products for the backward pass; the gradient in closed form needs only the
 * softmax (d/dlogits = -(p_gen p_y / P)(onehot_y - p)).
 */
export function copyMixtureLoss(logits: Tensor2D, gate: Tensor1D, copyMass: Tensor1D, targets: Int32Array, weights: Float32Array): Scalar {
  const [N, V] = logits.shape;
  if (targets.length !== N || weights.length !== N || gate.shape[0] !== N || copyMass.shape[0] !== N) {
    throw rangeError(
      'copyMixtureLoss inputs',
      `${N} rows each (logits' rows)`,
      `gate ${gate.shape[0]}, copyMass ${copyMass.shape[0]}, targets ${targets.length}, weights ${weights.length}`,
    );
  }
  let total = 0;
  for (const w of weights) total += w;
  const picks = new Int32Array(N);
  const inVocab = new Float32Array(N);
  const coef = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    const y = targets[n] as number;
    if (y < V) {
      picks[n] = n * V + y;
      inVocab[n] = 1;
    } else picks[n] = n * V;
    coef[n] = (weights[n] as number) / Math.max(total, 1);
  }
  return tf.tidy(() => mixtureOp(logits, gate, copyMass, tf.tensor1d(picks, 'int32'), tf.tensor1d(inVocab), tf.tensor1d(coef))) as Scalar;
}

const mixtureOp = tf.customGrad((...args: unknown[]) => {
  const [logits, gate, copyMass, picks, inVocab, coef, save] = args as [Tensor2D, Tensor1D, Tensor1D, Tensor1D, Tensor1D, Tensor1D, (t: Tensor[]) => void];
  const [N, V] = logits.shape;
  const p = tf.softmax(logits);
  const py = tf.mul(tf.gather(tf.reshape(p, [N * V]), picks), inVocab);
  const pg = tf.sigmoid(gate);
  const P = tf.add(tf.add(tf.mul(pg, py), tf.mul(tf.sub(1, pg), copyMass)), MIXTURE_EPS);
  save([p, py, pg, P, copyMass, picks, coef]);
  const value = tf.neg(tf.sum(tf.mul(coef, tf.log(P))));
  const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor[] => {
    const [sp, spy, spg, sP, sc, sPicks, sCoef] = saved as Tensor1D[];
    const [n, v] = (sp as unknown as Tensor2D).shape;
    const g = tf.div(tf.mul(dy, sCoef as Tensor1D), sP as Tensor1D); // dL/dP = -g
    // dL/dlogits = -g p_gen p_y (onehot_y - p): r p - scatter(r) with r = g p_gen p_y (0 for copied-only targets)
    const r = tf.mul(g, tf.mul(spg as Tensor1D, spy as Tensor1D));
    const scattered = tf.reshape(tf.scatterND(tf.expandDims(sPicks as Tensor1D, 1), r, [n * v]), [n, v]);
    const dLogits = tf.sub(tf.mul(sp as unknown as Tensor2D, tf.expandDims(r, 1)), scattered);
    // dP/dgate = (p_y - copyMass) p_gen (1 - p_gen); dP/dcopyMass = 1 - p_gen
    const dGate = tf.neg(tf.mul(g, tf.mul(tf.sub(spy as Tensor1D, sc as Tensor1D), tf.mul(spg as Tensor1D, tf.sub(1, spg as Tensor1D)))));
    const dCopy = tf.neg(tf.mul(g, tf.sub(1, spg as Tensor1D)));
    return [dLogits, dGate, dCopy, tf.zerosLike(sPicks as Tensor1D), tf.zerosLike(spy as Tensor1D), tf.zerosLike(sCoef as Tensor1D)];
  };
  return { value: value as Scalar, gradFunc };
});

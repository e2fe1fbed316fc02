import { ready, tf } from '@aiffel/runtime';
import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { additiveScores, lstmSequence, lstmStep } from '../src/index.js';

beforeAll(async () => {
  await ready();
});

const [T, B, I, H] = [5, 3, 4, 6];

function inputs(seed: number) {
  const r = (shape: number[], s: number) => tf.randomUniform(shape, -0.8, 0.8, 'float32', seed + s);
  return {
    x: r([T, B, I], 1) as Tensor3D,
    h0: r([B, H], 2) as Tensor2D,
    c0: r([B, H], 3) as Tensor2D,
    wx: r([I, 4 * H], 4) as Tensor2D,
    wh: r([H, 4 * H], 5) as Tensor2D,
    b: r([4 * H], 6),
  };
}

/** The textbook LSTM, one op at a time, differentiated by tfjs's autodiff. */
function referenceLstm(x: Tensor3D, h0: Tensor2D, c0: Tensor2D, wx: Tensor2D, wh: Tensor2D, b: Tensor): Tensor3D {
  let h = h0;
  let c = c0;
  const hs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const xt = tf.squeeze(tf.slice(x, [t, 0, 0], [1, B, I]), [0]) as Tensor2D;
    const z = tf.add(tf.add(tf.matMul(xt, wx), tf.matMul(h, wh)), b);
    const [i, f, g, o] = tf.split(z, 4, 1) as Tensor2D[];
    c = tf.add(tf.mul(tf.sigmoid(f as Tensor2D), c), tf.mul(tf.sigmoid(i as Tensor2D), tf.tanh(g as Tensor2D)));
    h = tf.mul(tf.sigmoid(o as Tensor2D), tf.tanh(c));
    hs.push(h);
  }
  return tf.stack([...hs, c]) as Tensor3D;
}

/** Central differences (eps 1e-2, float32) of a scalar function at `entries` of x against tf.grad. */
function expectFiniteDifferences(loss: (x: Tensor) => Tensor, x: Tensor, entries: number[]): void {
  const g = tf.grad(loss)(x).dataSync();
  const base = x.dataSync();
  const eps = 1e-2;
  const at = (values: Float32Array): number => loss(tf.tensor(values, x.shape)).dataSync()[0] as number;
  for (const k of entries) {
    const up = Float32Array.from(base);
    const down = Float32Array.from(base);
    up[k] = (up[k] as number) + eps;
    down[k] = (down[k] as number) - eps;
    const fd = (at(up) - at(down)) / (2 * eps);
    expect(Math.abs(fd - (g[k] as number))).toBeLessThan(2e-3 + 1e-2 * Math.abs(fd));
  }
}

function maxDiff(a: Tensor, b: Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number;
}

describe('fused LSTM', () => {
  it('forward equals the loop reference', () => {
    const p = inputs(1);
    const ours = lstmSequence(p.x, p.h0, p.c0, p.wx, p.wh, p.b);
    const ref = referenceLstm(p.x, p.h0, p.c0, p.wx, p.wh, p.b);
    expect(ours.shape).toEqual([T + 1, B, H]);
    expect(maxDiff(ours, ref)).toBeLessThan(1e-5);
  });

  it('one inference step equals the first step of the sequence op', () => {
    const p = inputs(2);
    const xw = tf.add(tf.matMul(tf.squeeze(tf.slice(p.x, [0, 0, 0], [1, B, I]), [0]) as Tensor2D, p.wx), p.b) as Tensor2D;
    const s = lstmStep(xw, p.h0, p.c0, p.wh);
    const seq = lstmSequence(p.x, p.h0, p.c0, p.wx, p.wh, p.b);
    expect(maxDiff(s.h, tf.squeeze(tf.slice(seq, [0, 0, 0], [1, B, H]), [0]))).toBeLessThan(1e-6);
  });

  it('hand-derived gradients equal autodiff of the reference for every input', () => {
    const p = inputs(3);
    const weights = tf.randomNormal([T + 1, B, H], 0, 1, 'float32', 9);
    const args = [p.x, p.h0, p.c0, p.wx, p.wh, p.b];
    const ours = tf.grads((...a: Tensor[]) => tf.sum(tf.mul(lstmSequence(...(a as [Tensor3D, Tensor2D, Tensor2D, Tensor2D, Tensor2D, Tensor])), weights)))(
      args,
    );
    const ref = tf.grads((...a: Tensor[]) => tf.sum(tf.mul(referenceLstm(...(a as [Tensor3D, Tensor2D, Tensor2D, Tensor2D, Tensor2D, Tensor])), weights)))(
      args,
    );
    ours.forEach((g, k) => {
      expect(g.shape).toEqual(args[k]?.shape);
      expect(maxDiff(g, ref[k] as Tensor)).toBeLessThan(1e-4);
    });
  });

  it('gradients agree with central finite differences', () => {
    const p = inputs(4);
    const weights = tf.randomNormal([T + 1, B, H], 0, 1, 'float32', 10);
    expectFiniteDifferences((wx) => tf.sum(tf.mul(lstmSequence(p.x, p.h0, p.c0, wx as Tensor2D, p.wh, p.b), weights)), p.wx, [0, 7, 23, 50, 95]);
  });
});

describe('additive attention scores', () => {
  const [S, Tt, A] = [7, 3, 5];
  const make = () => ({
    keys: tf.randomNormal([B, S, A], 0, 1, 'float32', 11) as Tensor3D,
    queries: tf.randomNormal([B, Tt, A], 0, 1, 'float32', 12) as Tensor3D,
    v: tf.randomNormal([A], 0, 1, 'float32', 13) as Tensor1D,
  });
  const reference = (k: Tensor3D, q: Tensor3D, vv: Tensor1D): Tensor3D =>
    tf.sum(tf.mul(tf.tanh(tf.add(tf.expandDims(k, 1), tf.expandDims(q, 2))), vv), 3) as Tensor3D;

  it('forward equals the broadcast reference', () => {
    const { keys, queries, v } = make();
    expect(maxDiff(additiveScores(keys, queries, v), reference(keys, queries, v))).toBeLessThan(1e-5);
  });

  it('gradients agree with central finite differences', () => {
    const { keys, queries, v } = make();
    const w = tf.randomNormal([B, Tt, S], 0, 1, 'float32', 15);
    expectFiniteDifferences((q) => tf.sum(tf.mul(additiveScores(keys, q as Tensor3D, v), w)), queries, [0, 4, 17, 33, 44]);
  });

  it('gradients equal autodiff of the reference', () => {
    const { keys, queries, v } = make();
    const w = tf.randomNormal([B, Tt, S], 0, 1, 'float32', 14);
    const ours = tf.grads((k: Tensor, q: Tensor, vv: Tensor) => tf.sum(tf.mul(additiveScores(k as Tensor3D, q as Tensor3D, vv as Tensor1D), w)))([
      keys,
      queries,
      v,
    ]);
    const ref = tf.grads((k: Tensor, q: Tensor, vv: Tensor) => tf.sum(tf.mul(reference(k as Tensor3D, q as Tensor3D, vv as Tensor1D), w)))([keys, queries, v]);
    ours.forEach((g, i) => {
      expect(maxDiff(g, ref[i] as Tensor)).toBeLessThan(1e-4);
    });
  });
});

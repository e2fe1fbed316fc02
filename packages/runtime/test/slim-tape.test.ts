import { beforeAll, describe, expect, it } from 'vitest';
import { ready, tf } from '../src/index.js';
import { leanVariableGrads } from '../src/training/lean-backprop.js';
import { randn } from './helpers.js';

beforeAll(async () => {
  await ready();
});

/**
 * Four conv + bias + ReLU layers (as tfjs-layers runs a Conv2D with a ReLU while recording), a
 * reshape, a subtraction and an expandDims on the way to the loss. `buffersAtTop` records how
 * many tensor buffers tfjs holds when the backward pass starts: the forward pass's peak.
 */
function convNet() {
  const x = tf.tensor4d(randn(2 * 12 * 12 * 4, 1), [2, 12, 12, 4]);
  const ws = Array.from({ length: 4 }, (_, i) => tf.variable(tf.tensor4d(randn(3 * 3 * 4 * 4, 20 + i), [3, 3, 4, 4]).mul(0.3)));
  const bs = Array.from({ length: 4 }, (_, i) => tf.variable(tf.tensor1d(randn(4, 40 + i))));
  const target = tf.tensor1d(randn(2 * 12 * 12 * 4, 2));
  const buffersAtTop: number[] = [];
  const probe = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: (args[0] as tf.Tensor).clone(),
    gradFunc: (dy: tf.Tensor) => {
      buffersAtTop.push(tf.memory().numDataBuffers);
      return dy.clone();
    },
  }));
  const loss = () => {
    let h: tf.Tensor4D = x;
    ws.forEach((w, i) => {
      h = tf.relu(tf.add(tf.conv2d(h, w as tf.Tensor4D, 1, 'same'), bs[i] as tf.Variable)) as tf.Tensor4D;
    });
    const flat = tf.expandDims(tf.sub(tf.reshape(h, [-1]), target), 0);
    return tf.mean(tf.square(probe(flat) as tf.Tensor)) as tf.Scalar;
  };
  const vars = [...ws, ...bs];
  return { vars, loss, buffersAtTop, dispose: () => tf.dispose([x, target, ...vars]) };
}

describe('the slimmed tape (leanVariableGrads)', () => {
  it('clone shares memory on wasm (MEMORY_WASM_KERNELS): no copy, values kept after the original goes', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor1d([1, 2, 3]);
    const before = tf.memory().numDataBuffers;
    const b = tf.clone(a);
    expect(tf.memory().numDataBuffers).toBe(before);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(tf.memory().numDataBuffers).toBe(before - 1);
  });

  for (const backend of ['wasm', 'cpu']) {
    it(`gives tf.variableGrads' gradients bit for bit through conv, bias add, ReLU, reshape, sub and expandDims (${backend})`, async () => {
      await tf.setBackend(backend);
      const n = convNet();
      const ours = leanVariableGrads(n.loss, n.vars);
      const theirs = tf.variableGrads(n.loss, n.vars);
      expect(ours.value.dataSync()[0]).toBe(theirs.value.dataSync()[0]);
      for (const v of n.vars)
        expect(Array.from((ours.grads[v.name] as tf.Tensor).dataSync())).toEqual(Array.from((theirs.grads[v.name] as tf.Tensor).dataSync()));
      tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads)]);
      n.dispose();
      await tf.setBackend('wasm');
    });
  }

  it('holds one activation per conv + bias + ReLU layer at the end of the forward pass instead of three', async () => {
    await tf.setBackend('wasm');
    const n = convNet();
    const start = tf.memory().numTensors;
    for (const fn of [leanVariableGrads, tf.variableGrads]) {
      const { value, grads } = fn(n.loss, n.vars);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const [lean, plain] = n.buffersAtTop as [number, number];
    // tfjs keeps the pre-bias output (for the add's shapes) and the pre-ReLU one of every layer.
    expect(plain - lean).toBeGreaterThanOrEqual(4 * 2);
    expect(tf.memory().numTensors).toBe(start);
    n.dispose();
  });

  it('leaves a gradient taken inside the loss (higher order) as tfjs computes it', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.tensor1d([0.5, -1.5, 2]));
    // A gradient penalty: the inner gradient is taken at depth 2 and needs its tape whole.
    const inner = tf.grad((v: tf.Tensor) => tf.sum(tf.relu(tf.add(tf.mul(v, v), tf.scalar(-1)))));
    const loss = () => tf.sum(tf.square(inner(tf.reshape(w, [3])))) as tf.Scalar;
    const ours = leanVariableGrads(loss, [w]);
    const theirs = tf.variableGrads(loss, [w]);
    expect(Array.from((ours.grads[w.name] as tf.Tensor).dataSync())).toEqual(Array.from((theirs.grads[w.name] as tf.Tensor).dataSync()));
    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads), w]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { ready, tf } from '../src/index.js';
import { InPlaceMomentumOptimizer } from '../src/training/in-place-momentum.js';
import { leanVariableGrads } from '../src/training/lean-backprop.js';
import { randn } from './helpers.js';

beforeAll(async () => {
  await ready();
});

/**
 * A 17-layer tanh MLP on 256 rows whose first weight is used twice (a shared layer). `heldAtEnd`
 * records the bytes tfjs holds when the backward pass reaches the first layer (a pass-through
 * with a gradient of its own sits there), where every gradient of the pass has been made.
 */
function net() {
  const x = tf.tensor2d(randn(256 * 64, 1), [256, 64]);
  const ws = Array.from({ length: 16 }, (_, i) => tf.variable(tf.tensor2d(randn(64 * 64, 10 + i), [64, 64]).mul(0.1)));
  const heldAtEnd: number[] = [];
  const probe = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: (args[0] as tf.Tensor).clone(),
    gradFunc: (dy: tf.Tensor) => {
      heldAtEnd.push(tf.memory().numBytes);
      return dy.clone();
    },
  }));
  const loss = () => {
    let h: tf.Tensor = probe(tf.tanh(tf.matMul(x, ws[0] as tf.Variable))) as tf.Tensor;
    for (const w of ws) h = tf.tanh(tf.matMul(h, w));
    return tf.mean(tf.square(h)) as tf.Scalar;
  };
  return { x, ws, loss, heldAtEnd, dispose: () => tf.dispose([x, ...ws]) };
}

describe('leanVariableGrads', () => {
  it("gives tf.variableGrads' value and gradients exactly, a shared variable included", async () => {
    await tf.setBackend('wasm');
    const n = net();
    const ours = leanVariableGrads(n.loss, n.ws);
    const theirs = tf.variableGrads(n.loss, n.ws);
    expect(ours.value.dataSync()[0]).toBe(theirs.value.dataSync()[0]);
    for (const w of n.ws) expect(Array.from((ours.grads[w.name] as tf.Tensor).dataSync())).toEqual(Array.from((theirs.grads[w.name] as tf.Tensor).dataSync()));
    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads)]);
    n.dispose();
  });

  it('holds less memory than tfjs by the end of the backward pass, and leaves nothing behind', async () => {
    await tf.setBackend('wasm');
    const n = net();
    const start = tf.memory().numTensors;
    for (const fn of [leanVariableGrads, tf.variableGrads]) {
      const { value, grads } = fn(n.loss, n.ws);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const [lean, plain] = n.heldAtEnd as [number, number];
    // tfjs still holds the gradient of every activation (two 256x64 floats a layer) here.
    expect(plain - lean).toBeGreaterThan(16 * 2 * 256 * 64 * 4 * 0.8);
    expect(tf.memory().numTensors).toBe(start);
    n.dispose();
  });

  it('hands each once-used variable its final gradient during the backward pass (onFinal)', async () => {
    await tf.setBackend('wasm');
    const n = net();
    const theirs = tf.variableGrads(n.loss, n.ws);
    const seen: string[] = [];
    const ours = leanVariableGrads(n.loss, n.ws, (v, g) => {
      seen.push(v.name);
      expect(Array.from(g.dataSync())).toEqual(Array.from((theirs.grads[v.name] as tf.Tensor).dataSync()));
      return false;
    });
    // ws[0] feeds two matMuls: its gradient is a sum, known only at the end.
    expect(seen.sort()).toEqual(
      n.ws
        .slice(1)
        .map((w) => w.name)
        .sort(),
    );
    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads)]);
    n.dispose();
  });

  it('InPlaceMomentumOptimizer.minimize updates a shared variable as tfjs does', async () => {
    await tf.setBackend('wasm');
    const results: number[][] = [];
    for (const make of [() => new InPlaceMomentumOptimizer(0.1, 0.9), () => tf.train.momentum(0.1, 0.9)]) {
      const n = net();
      const optimizer = make();
      for (let i = 0; i < 3; i++) optimizer.minimize(n.loss, false, n.ws);
      results.push(n.ws.flatMap((w) => Array.from(w.dataSync())));
      optimizer.dispose();
      n.dispose();
    }
    expect(results[0]).toEqual(results[1]);
  });
});

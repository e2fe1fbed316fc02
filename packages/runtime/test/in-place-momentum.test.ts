import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, ready, tf } from '../src/index.js';
import { InPlaceMomentumOptimizer } from '../src/training/in-place-momentum.js';
import { randn } from './helpers.js';

beforeAll(async () => {
  await ready();
});

/** Runs `steps` updates of (w, b) under `make()`'s optimizer on a fixed least-squares problem; returns the weights. */
function train(make: () => tf.Optimizer, steps: number, share = false): Float32Array {
  const x = tf.tensor2d(randn(64 * 5, 1), [64, 5]);
  const y = tf.tensor2d(randn(64 * 3, 2), [64, 3]);
  const w = tf.variable(tf.tensor2d(randn(15, 3), [5, 3]));
  const b = tf.variable(tf.zeros([3]));
  // A tensor that shares w's data (refCount 2): the update must leave it alone.
  const alias = share ? tf.clone(w) : null;
  const before = alias?.dataSync().slice();
  const optimizer = make();
  for (let i = 0; i < steps; i++) optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar);
  if (alias && before) expect(Array.from(alias.dataSync())).toEqual(Array.from(before));
  const out = tf.concat([w.flatten(), b]).dataSync() as Float32Array;
  optimizer.dispose();
  tf.dispose([x, y, w, b, ...(alias ? [alias] : [])]);
  return out;
}

describe('InPlaceMomentumOptimizer', () => {
  for (const nesterov of [false, true]) {
    it(`gives tfjs's momentum update bit for bit${nesterov ? ' (Nesterov)' : ''}, on wasm and on cpu`, async () => {
      for (const backend of ['wasm', 'cpu'] as const) {
        await tf.setBackend(backend);
        const ours = train(() => new InPlaceMomentumOptimizer(0.05, 0.9, nesterov), 6);
        const theirs = train(() => tf.train.momentum(0.05, 0.9, nesterov), 6);
        expect(Array.from(ours)).toEqual(Array.from(theirs));
      }
      await tf.setBackend('wasm');
    });
  }

  it("leaves a tensor sharing a variable's data unchanged", async () => {
    await tf.setBackend('wasm');
    const ours = train(() => new InPlaceMomentumOptimizer(0.05, 0.9), 4, true);
    const theirs = train(() => tf.train.momentum(0.05, 0.9), 4);
    expect(Array.from(ours)).toEqual(Array.from(theirs));
  });

  it('runs no tfjs op during its update on wasm, where tfjs holds three or more temporaries the size of the variable', async () => {
    await tf.setBackend('wasm');
    const size = 256 * 256;
    for (const ours of [true, false]) {
      const w = tf.variable(tf.ones([256, 256]));
      const optimizer = ours ? new InPlaceMomentumOptimizer(0.1, 0.9) : tf.train.momentum(0.1, 0.9);
      const grads = [{ name: w.name, tensor: tf.fill([256, 256], 0.5) }];
      optimizer.applyGradients(grads); // creates the accumulator
      const start = tf.memory().numBytes;
      const profile = await tf.profile(() => optimizer.applyGradients(grads));
      expect(profile.newBytes).toBe(0);
      if (ours) expect(profile.kernels).toHaveLength(0);
      else expect(profile.peakBytes - start).toBeGreaterThanOrEqual(3 * size * 4);
      // acc = 0.5 then 0.95; w = 1 - 0.1 * (0.5 + 0.95)
      expect(w.dataSync()[0]).toBeCloseTo(1 - 0.1 * 1.45, 6);
      tf.dispose([w, ...grads.map((g) => g.tensor)]);
      optimizer.dispose();
    }
  });

  it("is what createOptimizer('momentum') and ('nesterov') return, and keeps tfjs's class name for saved state", () => {
    const { optimizer } = createOptimizer('nesterov', 0.01);
    // Not toBeInstanceOf: tfjs's Optimizer answers instanceof by duck typing, so every optimizer would pass.
    expect(optimizer.constructor).toBe(InPlaceMomentumOptimizer);
    expect(optimizer.getClassName()).toBe('Momentum');
    optimizer.dispose();
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { ready, tf } from '../src/index.js';
import { randn, relError } from './helpers.js';

/** Runs `fn` on the cpu backend and on wasm (with our kernels) and returns both results. */
async function onBoth(fn: () => tf.Tensor): Promise<{ wasm: Float32Array; cpu: Float32Array }> {
  await tf.setBackend('cpu');
  const cpu = tf.tidy(fn).dataSync() as Float32Array;
  await tf.setBackend('wasm');
  const wasm = tf.tidy(fn).dataSync() as Float32Array;
  return { wasm, cpu };
}

const TOL = 1e-4;

beforeAll(async () => {
  await ready();
});

describe('Conv2DBackpropFilter on wasm (missing upstream)', () => {
  const cases: Array<{
    name: string;
    x: [number, number, number, number];
    f: [number, number, number, number];
    stride: number;
    pad: 'same' | 'valid' | number;
  }> = [
    { name: '3x3 same stride 1', x: [2, 9, 8, 3], f: [3, 3, 3, 5], stride: 1, pad: 'same' },
    { name: '3x3 valid stride 1', x: [2, 9, 8, 4], f: [3, 3, 4, 2], stride: 1, pad: 'valid' },
    { name: '3x3 same stride 2', x: [3, 10, 11, 2], f: [3, 3, 2, 4], stride: 2, pad: 'same' },
    { name: '5x3 same stride 2', x: [1, 12, 9, 3], f: [5, 3, 3, 2], stride: 2, pad: 'same' },
    { name: '3x3 explicit pad 1 stride 2', x: [1, 12, 9, 3], f: [3, 3, 3, 2], stride: 2, pad: 1 },
    { name: '1x1', x: [2, 5, 5, 6], f: [1, 1, 6, 7], stride: 1, pad: 'valid' },
  ];
  for (const c of cases) {
    it(`matches the cpu backend: ${c.name}`, async () => {
      const xv = randn(
        c.x.reduce((a, b) => a * b),
        1,
      );
      const fv = randn(
        c.f.reduce((a, b) => a * b),
        2,
      );
      const { wasm, cpu } = await onBoth(() => {
        const x = tf.tensor4d(xv, c.x);
        const f = tf.tensor4d(fv, c.f);
        const y = tf.conv2d(x, f, c.stride, c.pad);
        const dy = tf.tensor4d(randn(y.size, 3), y.shape as [number, number, number, number]);
        return tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, c.stride, c.pad), dy)))(f);
      });
      expect(cpu.length).toBe(c.f.reduce((a, b) => a * b));
      expect(relError(wasm, cpu)).toBeLessThan(TOL);
    });
  }

  it('frees its intermediate tensors', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(randn(2 * 6 * 6 * 3, 4), [2, 6, 6, 3]);
    const dy = tf.tensor4d(randn(2 * 6 * 6 * 4, 5), [2, 6, 6, 4]);
    const run = () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] }) as tf.Tensor;
    run().dispose();
    const before = tf.engine().backend.numDataIds();
    run().dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });
});

describe('Conv2DBackpropInput on wasm (faster override)', () => {
  for (const [stride, pad] of [
    [1, 'same'],
    [1, 'valid'],
    [2, 'same'],
    [1, 2],
  ] as Array<[number, 'same' | 'valid' | number]>) {
    it(`matches the cpu backend: stride ${stride} pad ${pad}`, async () => {
      const xShape: [number, number, number, number] = [2, 8, 7, 3];
      const fShape: [number, number, number, number] = [3, 3, 3, 4];
      const xv = randn(2 * 8 * 7 * 3, 6);
      const fv = randn(3 * 3 * 3 * 4, 7);
      const { wasm, cpu } = await onBoth(() => {
        const x = tf.tensor4d(xv, xShape);
        const f = tf.tensor4d(fv, fShape);
        const y = tf.conv2d(x, f, stride, pad);
        const dy = tf.tensor4d(randn(y.size, 8), y.shape as [number, number, number, number]);
        return tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, f, stride, pad), dy)))(x);
      });
      expect(relError(wasm, cpu)).toBeLessThan(TOL);
    });
  }
});

describe('BatchMatMul with transposeA / transposeB on wasm (faster override)', () => {
  it('matches the cpu backend with only transposeB (dense input gradient dy . W^T)', async () => {
    const a = randn(12 * 9, 21);
    const b = randn(5 * 9, 22);
    const r = await onBoth(() => tf.matMul(tf.tensor2d(a, [12, 9]), tf.tensor2d(b, [5, 9]), false, true));
    expect(relError(r.wasm, r.cpu)).toBeLessThan(TOL);
    const a3 = randn(2 * 4 * 6, 23);
    const b3 = randn(2 * 3 * 6, 24);
    const r3 = await onBoth(() => tf.matMul(tf.tensor3d(a3, [2, 4, 6]), tf.tensor3d(b3, [2, 3, 6]), false, true));
    expect(relError(r3.wasm, r3.cpu)).toBeLessThan(TOL);
  });

  it('matches the cpu backend for 2-D and batched operands', async () => {
    const a2 = randn(40 * 7, 9);
    const b2 = randn(40 * 5, 10);
    const r2 = await onBoth(() => tf.matMul(tf.tensor2d(a2, [40, 7]), tf.tensor2d(b2, [40, 5]), true, false));
    expect(relError(r2.wasm, r2.cpu)).toBeLessThan(TOL);
    const a3 = randn(3 * 6 * 4, 11);
    const b3 = randn(3 * 5 * 6, 12);
    const r3 = await onBoth(() => tf.matMul(tf.tensor3d(a3, [3, 6, 4]), tf.tensor3d(b3, [3, 5, 6]), true, true));
    expect(relError(r3.wasm, r3.cpu)).toBeLessThan(TOL);
  });
});

describe('MaxPoolGrad on wasm (faster override)', () => {
  const grad = (xv: Float32Array, shape: [number, number, number, number], size: number, stride: number, pad: 'same' | 'valid' | number) => () => {
    const x = tf.tensor4d(xv, shape);
    const y = tf.maxPool(x, size, stride, pad);
    const dy = tf.tensor4d(randn(y.size, 31), y.shape as [number, number, number, number]);
    return tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, size, stride, pad), dy)))(x);
  };
  for (const [size, stride, pad] of [
    [2, 2, 'valid'],
    [3, 2, 'same'],
    [3, 1, 'same'],
    [2, 1, 1],
  ] as Array<[number, number, 'same' | 'valid' | number]>) {
    it(`matches the cpu backend: window ${size} stride ${stride} pad ${pad} (overlapping windows add up)`, async () => {
      const shape: [number, number, number, number] = [2, 7, 9, 5];
      const r = await onBoth(grad(randn(2 * 7 * 9 * 5, 30), shape, size, stride, pad));
      expect(relError(r.wasm, r.cpu)).toBeLessThan(TOL);
    });
  }

  it('gives a tie to the first maximum of the window, as the cpu backend does', async () => {
    // One 2x2 window of equal values: the whole gradient goes to its top-left pixel.
    const r = await onBoth(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), 3)))(tf.ones([1, 2, 2, 1])));
    expect(Array.from(r.wasm)).toEqual([3, 0, 0, 0]);
    expect(Array.from(r.cpu)).toEqual([3, 0, 0, 0]);
    // Windows with NaN and -Infinity, in the 2x2 stride-2 path and the general one (3x3 stride 2).
    const odd = [
      Number.NaN,
      1,
      5,
      5,
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2,
      Number.NaN,
      2,
      7,
      0,
      0,
      0,
      0,
    ];
    for (const [size, stride] of [
      [2, 2],
      [3, 2],
    ]) {
      const g = await onBoth(() =>
        tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, size as number, stride as number, 'same'), 2)))(tf.tensor4d(odd, [1, 4, 4, 1])),
      );
      expect(Array.from(g.wasm)).toEqual(Array.from(g.cpu));
    }
  });
});

describe('Sum and Mean over leading axes on wasm (faster overrides)', () => {
  it('matches the cpu backend for a bias gradient, with keepDims, and leaves other axes to the wasm kernel', async () => {
    const xv = randn(3 * 5 * 4 * 6, 32);
    const shape: [number, number, number, number] = [3, 5, 4, 6];
    for (const [axis, keepDims] of [
      [[0, 1, 2], false],
      [[2, 0, 1], true],
      [0, false],
      [[1, 2], false],
      [[0, 1, 2, 3], false],
      [-1, true],
    ] as Array<[number | number[], boolean]>) {
      const r = await onBoth(() => tf.sum(tf.tensor4d(xv, shape), axis, keepDims));
      expect(relError(r.wasm, r.cpu)).toBeLessThan(1e-6);
      const mean = await onBoth(() => tf.mean(tf.tensor4d(xv, shape), axis, keepDims));
      expect(relError(mean.wasm, mean.cpu)).toBeLessThan(1e-6);
      const shapeOn = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => tf.sum(tf.tensor4d(xv, shape), axis, keepDims).shape);
      };
      expect(await shapeOn('wasm')).toEqual(await shapeOn('cpu'));
      await tf.setBackend('wasm');
    }
    // Hand-computed column sums and means of a 5x3 matrix (four rows per step, then one).
    const rows = [1, 2, 3, 10, 20, 30, 100, 200, 300, 1000, 2000, 3000, 4, 5, 6];
    const m = await onBoth(() => tf.sum(tf.tensor2d(rows, [5, 3]), 0));
    expect(Array.from(m.wasm)).toEqual([1115, 2227, 3339]);
    const avg = await onBoth(() => tf.mean(tf.tensor2d(rows, [5, 3]), 0));
    expect(Array.from(avg.wasm)).toEqual([1115 / 5, 2227 / 5, 3339 / 5].map(Math.fround));
    // An empty batch: the sum and the mean are 0, as on the cpu backend.
    const empty = await onBoth(() => tf.stack([tf.sum(tf.zeros([0, 2]), 0), tf.mean(tf.zeros([0, 2]), 0)]));
    expect(Array.from(empty.wasm)).toEqual(Array.from(empty.cpu));
  });
});

describe('UnsortedSegmentSum on wasm (missing upstream)', () => {
  it('matches the cpu backend, dropping out-of-range ids like TensorFlow', async () => {
    const xv = randn(10 * 3, 13);
    const ids = Int32Array.from([0, 2, 2, 4, 1, 0, 4, 4, 3, 2]);
    const r = await onBoth(() => tf.unsortedSegmentSum(tf.tensor2d(xv, [10, 3]), tf.tensor1d(ids, 'int32'), 5));
    expect(relError(r.wasm, r.cpu)).toBeLessThan(TOL);
    // Hand-computed: segment 1 holds only row 4.
    expect(Array.from(r.wasm.slice(3, 6))).toEqual(Array.from(xv.slice(12, 15)));
  });

  it('gives the gradient of gather (embedding lookup) equal to the cpu backend', async () => {
    const table = randn(6 * 4, 14);
    const idx = Int32Array.from([1, 3, 3, 0, 5, 1, 1]);
    const r = await onBoth(() => tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor1d(idx, 'int32')))))(tf.tensor2d(table, [6, 4])));
    expect(relError(r.wasm, r.cpu)).toBeLessThan(TOL);
  });
});

describe('gradients of other layers used in VGG and LSTM training agree between wasm and cpu', () => {
  it('max/avg pooling, batch norm, relu, dense, sigmoid/tanh', async () => {
    const xv = randn(2 * 8 * 8 * 3, 15);
    const r = await onBoth(() => {
      const x = tf.tensor4d(xv, [2, 8, 8, 3]);
      return tf.grad((t: tf.Tensor) => {
        const v = t as tf.Tensor4D;
        const m = tf.maxPool(tf.relu(v), 2, 2, 'valid');
        const a = tf.avgPool(v, 2, 2, 'same');
        const mean = tf.mean(a, [0, 1, 2]);
        const variance = tf.mean(tf.square(tf.sub(a, mean)), [0, 1, 2]);
        const bn = tf.batchNorm(a, mean, variance, tf.zeros([3]), tf.ones([3]), 1e-3);
        const flat = tf.reshape(tf.concat([m, bn], 3), [2, -1]);
        const width = flat.shape[1] as number;
        const w = tf.tensor2d(randn(width * 3, 16), [width, 3]);
        return tf.sum(tf.tanh(tf.sigmoid(tf.matMul(flat, w))));
      })(x);
    });
    expect(relError(r.wasm, r.cpu)).toBeLessThan(TOL);
  });
});

describe('FusedBatchNorm gradient (broadcast instead of tile)', () => {
  it('equals the gradient of batch norm written out as elementwise ops, for x, mean, variance, scale and offset', () => {
    const shape: [number, number, number, number] = [3, 4, 5, 6];
    const xv = tf.tensor4d(randn(3 * 4 * 5 * 6, 21), shape);
    const stats = [22, 23, 24, 25].map((s) => tf.tensor1d(randn(6, s)));
    const [m0, v0, s0, o0] = stats as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    const variance0 = tf.add(tf.abs(v0), 0.5) as tf.Tensor1D;
    const weights = tf.tensor4d(randn(3 * 4 * 5 * 6, 26), shape);
    const loss = (out: tf.Tensor) => tf.sum(tf.mul(out, weights));
    for (const rank of [1, 4]) {
      const r = (t: tf.Tensor) => (rank === 1 ? t : tf.reshape(t, [1, 1, 1, 6]));
      const fused = tf.grads((x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
        loss(tf.batchNorm(x as tf.Tensor4D, r(m), r(v), r(o), r(s), 1e-3)),
      )([xv, m0, variance0, s0, o0]);
      const written = tf.grads((x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
        loss(tf.add(tf.mul(tf.mul(tf.sub(x, m), tf.rsqrt(tf.add(v, 1e-3))), s), o)),
      )([xv, m0, variance0, s0, o0]);
      for (const [i, g] of fused.entries()) expect(relError(g.dataSync(), (written[i] as tf.Tensor).dataSync()), `rank ${rank}, input ${i}`).toBeLessThan(TOL);
    }
  });
});

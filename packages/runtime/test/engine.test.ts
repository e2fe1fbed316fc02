import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGemm } from '../src/engine/gemm-module.js';
import { configureEngine, engineStatus, ready, tf } from '../src/index.js';
import { Rng } from '../src/training/rng.js';
import { randn, relError } from './helpers.js';

// The GEMM engine's kernels against the cpu backend on random shapes (odd sizes, padding,
// strides, dilations, batch 1), on each build and thread count: the same spec on every engine
// setting, as tfjs's describeWithFlags runs one spec per backend. The size thresholds are set to
// 0 so that even small shapes go to the engine and are split over both threads.

const TOL = 1e-4;

async function onBoth(fn: () => tf.Tensor): Promise<{ wasm: Float32Array; cpu: Float32Array; shape: number[] }> {
  await tf.setBackend('cpu');
  const c = tf.tidy(fn);
  const cpu = c.dataSync() as Float32Array;
  const shape = c.shape;
  c.dispose();
  await tf.setBackend('wasm');
  const w = tf.tidy(fn);
  const wasm = w.dataSync() as Float32Array;
  expect(w.shape).toEqual(shape);
  w.dispose();
  return { wasm, cpu, shape };
}

const t = (shape: number[], seed: number) =>
  tf.tensor(
    randn(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

/** A random convolution Winograd serves: odd sizes from 3, channels in fours, any padding, batch from 1. */
function winogradShape(rng: Rng) {
  return {
    batch: 1 + rng.int(3),
    h: 3 + rng.int(18),
    w: 3 + rng.int(18),
    ic: 4 * (1 + rng.int(6)),
    oc: 4 * (1 + rng.int(6)),
    pad: (['same', 'valid', 1, 2] as const)[rng.int(4)] as 'same' | 'valid' | 1 | 2,
  };
}

const SETTINGS = [
  { name: 'fused multiply-add build, two threads', fma: undefined, threads: 2 },
  { name: 'plain-SIMD build, two threads', fma: false, threads: 2 },
  { name: 'fused multiply-add build, one thread', fma: undefined, threads: 1 },
] as const;

beforeAll(async () => {
  await ready();
});

afterAll(() => {
  configureEngine({ kernels: 'aiffel', fma: undefined, threads: undefined, minMadds: 1 << 18, parallelMadds: 1 << 21 });
});

for (const setting of SETTINGS) {
  describe(`GEMM engine: ${setting.name}`, () => {
    beforeAll(() => {
      configureEngine({ kernels: 'aiffel', fma: setting.fma, threads: setting.threads, minMadds: 0, parallelMadds: 0 });
    });

    it('is active and reports its build and threads', () => {
      const s = engineStatus();
      expect(s.active).toBe(true);
      if (setting.fma === false) expect(s.reasons).toContain('no fused multiply-add: switched off');
      expect(s.threads).toBe(setting.threads);
    });

    it('matMul matches the cpu backend on random shapes, transposes and batches', async () => {
      const rng = new Rng(11);
      for (let trial = 0; trial < 12; trial++) {
        const m = 1 + rng.int(70);
        const n = 1 + rng.int(70);
        const k = 1 + rng.int(300);
        const ta = rng.random() < 0.5;
        const tb = rng.random() < 0.5;
        const batch = trial % 3 === 0 ? 1 + rng.int(4) : 0;
        const lead = batch > 0 ? [batch] : [];
        const aShape = [...lead, ...(ta ? [k, m] : [m, k])];
        // Every third batched case shares one B across the batch (a stride of 0).
        const bShape = [...(batch > 0 && trial % 2 === 0 ? [] : lead), ...(tb ? [n, k] : [k, n])];
        const { wasm, cpu, shape } = await onBoth(() => tf.matMul(t(aShape, trial), t(bShape, trial + 100), ta, tb));
        expect(shape).toEqual([...lead, m, n]);
        expect(relError(wasm, cpu), JSON.stringify({ aShape, bShape, ta, tb })).toBeLessThan(TOL);
      }
    });

    it('fused matMul adds the bias and applies relu / relu6', async () => {
      for (const activation of ['linear', 'relu', 'relu6'] as const) {
        const { wasm, cpu } = await onBoth(() => tf.fused.matMul({ a: t([37, 53], 1), b: tf.mul(t([53, 29], 2), 3), bias: t([29], 3), activation }));
        expect(relError(wasm, cpu)).toBeLessThan(TOL);
      }
    });

    it('a product with no depth is zeros plus the bias', async () => {
      const { wasm } = await onBoth(() => tf.fused.matMul({ a: tf.zeros([5, 0]), b: tf.zeros([0, 9]), bias: tf.range(0, 9) }));
      expect(Array.from(wasm.slice(9, 18))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('conv2d matches the cpu backend on random geometry (padding, strides, dilations, batch 1, 1x1)', async () => {
      const rng = new Rng(7);
      for (let trial = 0; trial < 14; trial++) {
        const batch = 1 + rng.int(3);
        const h = 3 + rng.int(14);
        const w = 3 + rng.int(14);
        const ic = 1 + rng.int(13);
        const oc = 1 + rng.int(19);
        const fh = trial === 0 ? 1 : 1 + rng.int(3);
        const fw = trial === 0 ? 1 : 1 + rng.int(3);
        const dilated = trial % 4 === 3;
        const stride = dilated ? 1 : 1 + rng.int(3);
        const pad = (['same', 'valid', 1] as const)[rng.int(3)] as 'same' | 'valid' | 1;
        if (pad === 'valid' && (fh > h || fw > w)) continue;
        const { wasm, cpu } = await onBoth(() =>
          tf.conv2d(t([batch, h, w, ic], trial) as tf.Tensor4D, t([fh, fw, ic, oc], trial + 50) as tf.Tensor4D, stride, pad, 'NHWC', dilated ? 2 : 1),
        );
        expect(relError(wasm, cpu), JSON.stringify({ batch, h, w, ic, oc, fh, fw, stride, pad, dilated })).toBeLessThan(TOL);
      }
    });

    it('3x3 stride-1 convolutions by Winograd F(2x2, 3x3) match the cpu backend (odd sizes, padding, batch 1, the bias and activation fused)', async () => {
      const rng = new Rng(5);
      for (let trial = 0; trial < 10; trial++) {
        const { batch, h, w, ic, oc, pad } = winogradShape(rng);
        const activation = (['linear', 'relu', 'relu6'] as const)[rng.int(3)] as 'linear' | 'relu' | 'relu6';
        const run = () =>
          tf.fused.conv2d({
            x: t([batch, h, w, ic], trial) as tf.Tensor4D,
            filter: t([3, 3, ic, oc], trial + 9) as tf.Tensor4D,
            strides: 1,
            pad,
            bias: t([oc], trial + 3),
            activation,
          });
        const { wasm, cpu } = await onBoth(run);
        expect(relError(wasm, cpu), JSON.stringify({ batch, h, w, ic, oc, pad, activation })).toBeLessThan(TOL);
        // The same convolution by im2col gives the same result within the same bound.
        configureEngine({ winograd: false });
        const { wasm: direct } = await onBoth(run);
        configureEngine({ winograd: true });
        expect(relError(direct, cpu)).toBeLessThan(TOL);
      }
    });

    it('3x3 stride-1 filter gradients by Winograd match the cpu backend and the im2col product (odd sizes, padding, batch 1, several chunks)', async () => {
      const rng = new Rng(8);
      const side = (n: number, pad: 'same' | 'valid' | number) => (pad === 'same' ? n : pad === 'valid' ? n - 2 : n + 2 * pad - 2);
      const filterGrad = (batch: number, h: number, w: number, ic: number, oc: number, pad: 'same' | 'valid' | 1 | 2, seed: number) => () => {
        const x = t([batch, h, w, ic], seed) as tf.Tensor4D;
        const dy = t([batch, side(h, pad), side(w, pad), oc], seed + 1);
        return tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, 1, pad), dy)))(t([3, 3, ic, oc], seed + 2));
      };
      const onWasm = async (run: () => tf.Tensor) => {
        await tf.setBackend('wasm');
        const r = tf.tidy(run);
        const values = r.dataSync() as Float32Array;
        r.dispose();
        return values;
      };
      const direct = async (run: () => tf.Tensor) => {
        configureEngine({ winograd: false });
        try {
          return await onWasm(run);
        } finally {
          configureEngine({ winograd: true });
        }
      };
      for (let trial = 0; trial < 7; trial++) {
        const { batch, h, w, ic, oc, pad } = winogradShape(rng);
        const run = filterGrad(batch, h, w, ic, oc, pad, 40 + trial);
        const { wasm, cpu } = await onBoth(run);
        expect(relError(wasm, cpu), JSON.stringify({ batch, h, w, ic, oc, pad })).toBeLessThan(TOL);
        expect(relError(await direct(run), cpu)).toBeLessThan(TOL);
      }
      // More tiles (45 x 45 = 2,025) than one chunk holds at 64 channels (1,536): the products of
      // the chunks are summed. Against the im2col product (tested against the cpu backend above).
      const run = filterGrad(1, 90, 89, 64, 64, 'same', 70);
      expect(relError(await onWasm(run), await direct(run))).toBeLessThan(TOL);
    });

    it('fused conv2d adds the bias per channel and applies relu / relu6', async () => {
      for (const activation of ['linear', 'relu', 'relu6'] as const) {
        const { wasm, cpu } = await onBoth(() =>
          tf.fused.conv2d({
            x: t([2, 11, 9, 5], 1) as tf.Tensor4D,
            filter: tf.mul(t([3, 3, 5, 7], 2), 2) as tf.Tensor4D,
            strides: 2,
            pad: 'same',
            bias: t([7], 3),
            activation,
          }),
        );
        expect(relError(wasm, cpu)).toBeLessThan(TOL);
      }
    });

    it('the filter and input gradients match the cpu backend', async () => {
      for (const [stride, pad] of [
        [1, 'same'],
        [2, 'same'],
        [1, 'valid'],
        [3, 1],
      ] as const) {
        const x = () => t([2, 10, 13, 6], 4) as tf.Tensor4D;
        const f = () => t([3, 3, 6, 5], 5) as tf.Tensor4D;
        const { wasm, cpu } = await onBoth(() => {
          const y = tf.conv2d(x(), f(), stride, pad);
          const dy = t(y.shape, 6);
          const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy)))([x(), f()]);
          return tf.concat([(dx as tf.Tensor).flatten(), (dw as tf.Tensor).flatten()]);
        });
        expect(relError(wasm, cpu), `stride ${stride} pad ${pad}`).toBeLessThan(TOL);
      }
    });

    it('hands what it does not take to the kernel before it: leaky relu, prelu', async () => {
      const { wasm, cpu } = await onBoth(() =>
        tf.add(
          tf.fused.matMul({ a: t([20, 30], 1), b: t([30, 10], 2), activation: 'leakyrelu', leakyreluAlpha: 0.1 }).sum(),
          tf.fused
            .conv2d({
              x: t([1, 8, 8, 3], 3) as tf.Tensor4D,
              filter: t([3, 3, 3, 4], 4) as tf.Tensor4D,
              strides: 1,
              pad: 'same',
              activation: 'prelu',
              preluActivationWeights: tf.scalar(0.2),
            })
            .sum(),
        ),
      );
      expect(relError(wasm, cpu)).toBeLessThan(TOL);
    });

    it('leaves no tensor behind', async () => {
      await tf.setBackend('wasm');
      const a = t([40, 50], 1);
      const f = t([3, 3, 4, 6], 2) as tf.Tensor4D;
      const x = t([2, 9, 9, 4], 3) as tf.Tensor4D;
      const before = tf.engine().backend.numDataIds();
      tf.tidy(() => {
        tf.matMul(a, a, false, true).dataSync();
        tf.grad((w: tf.Tensor) => tf.conv2d(x, w as tf.Tensor4D, 1, 'same').sum())(f).dataSync();
      });
      expect(tf.engine().backend.numDataIds()).toBe(before);
      tf.dispose([a, f, x]);
      // The helper thread (where asked for) is still in use after all the products above.
      expect(engineStatus().threads).toBe(setting.threads);
    });
  });
}

describe("ready({ kernels: 'xnnpack' }) and the engine's fallbacks", () => {
  it('switches the engine off and says so; the products still agree with the cpu backend', async () => {
    const info = await ready({ kernels: 'xnnpack' });
    expect(info.engine.active).toBe(false);
    expect(info.engine.reasons).toContain("kernels: 'xnnpack' was chosen");
    configureEngine({ minMadds: 0 });
    const { wasm, cpu } = await onBoth(() => tf.conv2d(t([1, 12, 12, 8], 1) as tf.Tensor4D, t([3, 3, 8, 8], 2) as tf.Tensor4D, 1, 'same'));
    expect(relError(wasm, cpu)).toBeLessThan(TOL);
    const back = await ready({ kernels: 'aiffel' });
    expect(back.engine.active).toBe(true);
  });

  it('refuses an unknown kernel set or engine option, naming it', () => {
    expect(() => ready({ kernels: 'fast' as never })).toThrow(/options\.kernels must be 'aiffel' or 'xnnpack'/);
    expect(() => configureEngine({ threads: 3 })).toThrow(/options\.threads must be 1 or 2, got 3/);
    expect(() => configureEngine({ minMadds: -1 })).toThrow(/options\.minMadds must be a non-negative integer/);
    expect(() => configureEngine({ winograd: 'yes' as never })).toThrow(/options\.winograd must be a boolean/);
    expect(() => configureEngine({ speed: 1 } as never)).toThrow(/speed/);
  });

  it('names the missing file when the kernels were not built', () => {
    expect(() => compileGemm(new URL('file:///nowhere/at/all/index.js'))).toThrow(/dist\/gemm-(fma|simd)\.wasm is missing \(build @aiffel\/runtime/);
  });
});

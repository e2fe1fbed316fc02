import { describe, expect, it } from 'vitest';
import { ADDED_WASM_KERNELS, kernelNames, ready, tf } from '../src/index.js';

describe('ready()', () => {
  it('starts the wasm backend offline, with SIMD, and registers the missing training kernels', async () => {
    const info = await ready();
    expect(info.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.simd).toBe(true);
    for (const k of ADDED_WASM_KERNELS) expect(kernelNames('wasm')).toContain(k);
    expect(info.registeredKernels).toEqual(expect.arrayContaining([...ADDED_WASM_KERNELS, 'Conv2DBackpropInput', 'BatchMatMul']));
    // Calls with the same options share one initialisation.
    expect(ready()).toBe(ready());
  });

  it('installs chained tensor methods that tfjs-layers relies on', async () => {
    await ready();
    const t = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(Array.from(t.flatten().dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(t.add(1).dataSync())).toEqual([2, 3, 4, 5]);
    expect(() => t.asScalar()).toThrow(/exactly 1 element, got 4/);
  });

  it('switches to the cpu backend on request', async () => {
    expect((await ready({ backend: 'cpu' })).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await ready();
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects unknown backends and options with messages naming them', () => {
    expect(() => ready({ backend: 'webgl' as never })).toThrow(/options.backend must be 'wasm' or 'cpu', got "webgl"/);
    expect(() => ready({ threads: 4 } as never)).toThrow(/unknown option "threads"/);
    expect(() => ready({ wasmPath: 3 as never })).toThrow(/options.wasmPath must be a string/);
  });
});

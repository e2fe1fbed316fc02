import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

describe('ready() calls made together', () => {
  // Process-wide state: a fresh process. The cpu start is quick and the wasm one slow, so the two
  // used to interleave: the later-finishing wasm start won while the cpu call reported 'cpu'.
  it('run in the order made: each reports the backend it left active, and the last one stands', () => {
    const dist = pathToFileURL(join(__dirname, '..', 'dist', 'index.js')).href;
    const program = `import { ready, tf } from ${JSON.stringify(dist)};
const out = [];
const [a, b] = await Promise.all([ready(), ready({ backend: 'cpu' })]);
out.push(a.backend, b.backend, tf.getBackend());
const [c, d] = await Promise.all([ready({ backend: 'cpu' }), ready()]);
out.push(c.backend, d.backend, tf.getBackend());
const [e, f] = await Promise.all([ready(), ready({ trainingKernels: false })]);
out.push(e.backend, f.backend, tf.getBackend(), tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]);
console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 120_000 });
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1) as string)).toEqual(['wasm', 'cpu', 'cpu', 'cpu', 'wasm', 'wasm', 'wasm', 'wasm', 'wasm', 3]);
  });
});

describe('ready() after a failure', () => {
  // Process-wide state: run in a fresh process. A wrong wasmPath used to leave tfjs's wasm backend
  // aborted for good, so every later ready() rejected and every op threw.
  it('refuses a wasmPath without the files before tfjs sees it; the next ready() starts wasm; a later path change is an error', () => {
    const dist = pathToFileURL(join(__dirname, '..', 'dist', 'index.js')).href;
    const program = `import { ready, tf } from ${JSON.stringify(dist)};
const out = [];
try { await ready({ wasmPath: '/nonexistent/' }); out.push('resolved'); } catch (e) { out.push(e.message); }
const info = await ready();
out.push(info.backend, tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]);
try { await ready({ wasmPath: '/other/' }); out.push('resolved'); } catch (e) { out.push(e.message); }
console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 120_000 });
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1) as string)).toEqual([
      'options.wasmPath must be a prefix (ending in /) of a folder with tfjs-backend-wasm*.wasm files, got "/nonexistent/"',
      'wasm',
      3,
      'options.wasmPath must be the files wasm already started with (the installed package); a path is chosen before the first ready(), got "/other/"',
    ]);
  });
});

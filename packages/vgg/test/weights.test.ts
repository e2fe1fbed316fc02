import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, tf } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { importKerasH5, importTorchVgg, parseNpy, readNpz, vgg } from '../src/index.js';

const fixtures = new URL('./fixtures/weights/', import.meta.url).pathname;
// The fixture networks (test/fixtures/weights/make_fixtures.py): configuration A at width 1/16,
// classifier 8, 3 classes, 64x96 input (a 2x3 map at the flatten).
const small = { config: 'A' as const, inputShape: [64, 96, 3] as [number, number, number], numClasses: 3, classifierWidth: 8, widthMultiplier: 1 / 16 };

beforeAll(async () => {
  await ready();
});

/** A version-1 .npy file with the given header dict and payload. */
function npy(header: string, payload: Uint8Array): Uint8Array {
  const text = `${header}${' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + text.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 255, text.length >> 8]);
  out.set(new TextEncoder().encode(text), 10);
  out.set(payload, 10 + text.length);
  return out;
}

describe('.npy and .npz', () => {
  it('reads float32/64/16 in either byte order and Fortran order', () => {
    const f4 = parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new Uint8Array(Float32Array.from([1, 2, 3, 4, 5, 6]).buffer)));
    expect(f4.shape).toEqual([2, 3]);
    expect(Array.from(f4.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const be = new DataView(new ArrayBuffer(16));
    be.setFloat64(0, 1.5, false);
    be.setFloat64(8, -2.25, false);
    expect(Array.from(parseNpy(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(be.buffer))).data)).toEqual([1.5, -2.25]);
    // Column-major [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6.
    const f = parseNpy(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new Uint8Array(Float32Array.from([1, 4, 2, 5, 3, 6]).buffer)));
    expect(Array.from(f.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const h = parseNpy(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }", new Uint8Array(Uint16Array.from([0x3c00, 0xc000, 0x3555]).buffer)));
    expect(h.data[0]).toBe(1);
    expect(h.data[1]).toBe(-2);
    expect(h.data[2]).toBeCloseTo(0.33325, 5);
    const scalar = parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new Uint8Array(Float32Array.from([7]).buffer)));
    expect([scalar.shape, Array.from(scalar.data)]).toEqual([[], [7]]);
  });

  it('rejects non-npy bytes, truncated data, unsupported dtypes and absurd shapes', () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3]), 'w')).toThrow(/w must be a .npy file/);
    expect(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(8)))).toThrow(/must be 16 bytes of data, got "8"/);
    expect(() => parseNpy(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)))).toThrow(/dtype must be float16\/32\/64/);
    expect(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", new Uint8Array(8)))).toThrow(/shape must be at most/);
  });

  it('reads np.savez (stored) and np.savez_compressed (deflated) archives', async () => {
    const stored = await readNpz(`${fixtures}torch_vgg_a_bn.npz`);
    expect(stored.get('features.0.weight')?.shape).toEqual([4, 3, 3, 3]);
    const deflated = await readNpz(`${fixtures}keras_vgg_a_expected.npz`);
    expect(deflated.get('fc1/kernel')?.shape).toEqual([192, 8]);
    await expect(readNpz(readFileSync(`${fixtures}keras_vgg_a.h5`))).rejects.toThrow(/npz must be a zip archive/);
    await expect(readNpz(`${fixtures}missing.npz`)).rejects.toThrow(/cannot read/);
  });
});

describe('importTorchVgg', () => {
  it("gives the torch model's outputs: kernels transposed and fc1's flatten order converted", async () => {
    const model = vgg({ ...small, batchNorm: true });
    const report = await importTorchVgg(model, `${fixtures}torch_vgg_a_bn.npz`);
    expect(report.assigned).toContain('block5_conv2_bn');
    expect(report.assigned.at(-1)).toBe('predictions');
    expect(report.ignored.every((k) => k.endsWith('num_batches_tracked'))).toBe(true);
    const io = await readNpz(`${fixtures}torch_vgg_a_bn_io.npz`);
    const x = io.get('input_nhwc') as { data: Float32Array; shape: number[] };
    const want = io.get('probabilities')?.data as Float32Array;
    const got = (model.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync();
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 4);
  });

  it('refuses weights that do not fit, and changes nothing', async () => {
    const square = vgg({ ...small, batchNorm: true, inputShape: [64, 64, 3], seed: 3 });
    const before = square.getLayer('block1_conv1').getWeights()[0]?.dataSync().slice() as Float32Array;
    await expect(importTorchVgg(square, `${fixtures}torch_vgg_a_bn.npz`)).rejects.toThrow(/state dict classifier.0.weight must be 2x2x32 = 128 inputs/);
    expect(Array.from(square.getLayer('block1_conv1').getWeights()[0]?.dataSync() as Float32Array)).toEqual(Array.from(before));
    await expect(importTorchVgg(vgg(small), `${fixtures}torch_vgg_a_bn.npz`)).rejects.toThrow(
      /state dict batch-norm layers must be 0 \(as in the model\), got 8/,
    );
    const trunk = vgg({ ...small, batchNorm: true, includeTop: false });
    const r = await importTorchVgg(trunk, `${fixtures}torch_vgg_a_bn.npz`);
    expect(r.ignored).toEqual(expect.arrayContaining(['classifier.0', 'classifier.3', 'classifier.6']));
  });

  it('skips members that are not state-dict keys without reading them, and refuses NaN weights', async () => {
    const entries = unzipSync(new Uint8Array(readFileSync(`${fixtures}torch_vgg_a_bn.npz`)));
    // Not a valid .npy: decompressing and parsing it (as before) would throw, and a real one of
    // 1.6 GB took 3.2 GB and 21 s.
    const extra = zipSync({ ...entries, 'optimizer_state.npy': new Uint8Array(4096).fill(7) });
    const report = await importTorchVgg(vgg({ ...small, batchNorm: true }), extra);
    expect(report.ignored).toContain('optimizer_state');
    expect((await readNpz(extra, { keep: (k) => k.startsWith('features.0.') })).size).toBe(2);

    const weight = parseNpy(entries['features.0.weight.npy'] as Uint8Array);
    const poisoned = Float32Array.from(weight.data);
    poisoned[3] = Number.NaN;
    const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${weight.shape.join(', ')}), }`;
    const nan = zipSync({ ...entries, 'features.0.weight.npy': npy(header, new Uint8Array(poisoned.buffer)) });
    const model = vgg({ ...small, batchNorm: true, seed: 5 });
    const before = model.getLayer('block1_conv1').getWeights()[0]?.dataSync().slice() as Float32Array;
    await expect(importTorchVgg(model, nan)).rejects.toThrow(/block1_conv1\/kernel must be finite values \(index \d+\), got NaN/);
    expect(Array.from(model.getLayer('block1_conv1').getWeights()[0]?.dataSync() as Float32Array)).toEqual(Array.from(before));
  });
});

describe('importKerasH5', () => {
  it('loads save_weights files and whole-model files by layer name', async () => {
    const expected = await readNpz(`${fixtures}keras_vgg_a_expected.npz`);
    for (const file of ['keras_vgg_a.h5', 'keras_vgg_a_model.h5']) {
      const model = vgg(small);
      const report = await importKerasH5(model, `${fixtures}${file}`);
      expect(report.assigned).toHaveLength(11);
      for (const [key, arr] of expected) {
        const [layer, weight] = key.split('/') as [string, string];
        // A second model's variables get uniquified names (fc1/kernel_1).
        const w = model.getLayer(layer).weights.find((v) => new RegExp(`/${weight}(_\\d+)?$`).test(v.name));
        expect(w, key).toBeDefined();
        expect(Array.from((w as tfl.LayerVariable).read().dataSync()), key).toEqual(Array.from(arr.data));
      }
    }
  });

  it('reports the classifier as ignored for a model without its top', async () => {
    const report = await importKerasH5(vgg({ ...small, includeTop: false }), `${fixtures}keras_vgg_a.h5`);
    expect(report.ignored).toEqual(['fc1', 'fc2', 'predictions']);
  });

  it('refuses models whose layers are not in the file, missing files and files that are not HDF5', async () => {
    const bn = vgg({ ...small, batchNorm: true });
    await expect(importKerasH5(bn, `${fixtures}keras_vgg_a.h5`)).rejects.toThrow(/must be a layer named block1_conv1_bn/);
    const wide = vgg({ ...small, widthMultiplier: 1 / 8 });
    await expect(importKerasH5(wide, `${fixtures}keras_vgg_a.h5`)).rejects.toThrow(/block1_conv1\/kernel must be shape 3x3x3x8, got "3x3x3x4"/);
    await expect(importKerasH5(wide, `${fixtures}nothing.h5`)).rejects.toThrow(/cannot read .*nothing.h5/);
    await expect(importKerasH5(wide, `${fixtures}torch_vgg_a_bn.npz`)).rejects.toThrow(/h5 file must be an HDF5 file/);
    // A cut file: HDF5 printed pages of HDF5-DIAG and threw "name not defined".
    const h5 = readFileSync(`${fixtures}keras_vgg_a.h5`);
    const cut = join(mkdtempSync(join(tmpdir(), 'vgg-h5-')), 'cut.h5');
    writeFileSync(cut, h5.subarray(0, h5.length >> 1));
    await expect(importKerasH5(vgg(small), cut)).rejects.toThrow(
      new RegExp(`h5 file .*cut.h5 is truncated: its header says ${h5.length} bytes, the file has ${h5.length >> 1}`),
    );
  });
});

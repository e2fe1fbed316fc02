import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGraphModel, loadLayersModel, ready, saveLayersModel, tf } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  await ready();
  dir = await mkdtemp(join(tmpdir(), 'aiffel-model-'));
});

function smallModel(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [3], units: 4, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

describe('LayersModel save/load on disk', () => {
  it('round-trips weights and predictions', async () => {
    const model = smallModel();
    const folder = join(dir, 'layers');
    await saveLayersModel(model, folder);
    const loaded = await loadLayersModel(folder);
    const x = tf.tensor2d([1, 2, 3, -1, 0, 0.5], [2, 3]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    // The path of model.json itself also works.
    expect((await loadLayersModel(join(folder, 'model.json'))).layers.length).toBe(2);
  });

  it('refuses truncated weights, a missing folder, bad JSON and weight paths outside the folder', async () => {
    const folder = join(dir, 'bad');
    await saveLayersModel(smallModel(), folder);
    const weights = await readFile(join(folder, 'weights.bin'));
    await writeFile(join(folder, 'weights.bin'), weights.subarray(0, weights.length - 8));
    await expect(loadLayersModel(folder)).rejects.toThrow(/truncated or do not belong together/);

    await expect(loadLayersModel(join(dir, 'missing'))).rejects.toThrow(/no model.json at/);

    const broken = join(dir, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'model.json'), '{"modelTopology": ');
    await expect(loadLayersModel(broken)).rejects.toThrow(/not valid JSON/);

    const outside = join(dir, 'escape');
    await mkdir(outside);
    const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../bad/weights.bin'];
    await writeFile(join(outside, 'model.json'), JSON.stringify(json));
    await expect(loadLayersModel(outside)).rejects.toThrow(/points outside/);

    json.weightsManifest[0].paths = ['weights.bin'];
    json.weightsManifest[0].weights[0].shape = [1e9, 1e9];
    await writeFile(join(outside, 'model.json'), JSON.stringify(json));
    await writeFile(join(outside, 'weights.bin'), weights);
    await expect(loadLayersModel(outside)).rejects.toThrow(/truncated or do not belong together/);
  });

  it('refuses NaN weights, a layer size past the weight count, and the wrong loader, naming each', async () => {
    const folder = join(dir, 'tampered');
    await saveLayersModel(smallModel(), folder);
    const weights = await readFile(join(folder, 'weights.bin'));
    const json = await readFile(join(folder, 'model.json'), 'utf8');

    const nan = new Float32Array(weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength));
    nan[5] = Number.NaN;
    await writeFile(join(folder, 'weights.bin'), new Uint8Array(nan.buffer));
    await expect(loadLayersModel(folder)).rejects.toThrow(/weight ".*kernel" holds NaN at index 5; the weights are corrupt/);
    nan[5] = Number.POSITIVE_INFINITY;
    await writeFile(join(folder, 'weights.bin'), new Uint8Array(nan.buffer));
    await expect(loadLayersModel(folder)).rejects.toThrow(/holds Infinity at index 5/);
    await writeFile(join(folder, 'weights.bin'), weights);

    // units: 1e8 would allocate a 3 x 1e8 kernel (1.2 GB) before tfjs compared shapes.
    const edited = JSON.parse(json);
    edited.modelTopology.config.layers[0].config.units = 1e8;
    await writeFile(join(folder, 'model.json'), JSON.stringify(edited));
    const before = process.memoryUsage().rss;
    await expect(loadLayersModel(folder)).rejects.toThrow(/modelTopology\.config\.layers\.0\.config\.units is 100000000, more than the model's 26 weights/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200_000_000);

    await writeFile(join(folder, 'model.json'), json);
    await expect(loadGraphModel(folder)).rejects.toThrow(/loadGraphModel: .*model.json is a layers model; load it with loadLayersModel/);
    expect((await loadLayersModel(folder)).layers.length).toBe(2);
  });
});

describe('GraphModel loading from disk', () => {
  it('loads a converter-format graph (y = x @ W + b) and runs it', async () => {
    const folder = join(dir, 'graph');
    await mkdir(folder);
    const W = new Float32Array([1, 2, 3, 4, 5, 6]);
    const b = new Float32Array([0.5, -0.5]);
    const modelJson = {
      format: 'graph-model',
      generatedBy: 'test',
      convertedBy: 'hand',
      modelTopology: {
        node: [
          { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '3' }] } } } },
          {
            name: 'W',
            op: 'Const',
            attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '3' }, { size: '2' }] } } } },
          },
          { name: 'b', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '2' }] } } } } },
          { name: 'mm', op: 'MatMul', input: ['x', 'W'], attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } } },
          { name: 'y', op: 'BiasAdd', input: ['mm', 'b'], attr: { T: { type: 'DT_FLOAT' } } },
        ],
        versions: { producer: 1 },
      },
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: [
            { name: 'W', shape: [3, 2], dtype: 'float32' },
            { name: 'b', shape: [2], dtype: 'float32' },
          ],
        },
      ],
    };
    await writeFile(join(folder, 'model.json'), JSON.stringify(modelJson));
    const bin = new Float32Array([...W, ...b]);
    await writeFile(join(folder, 'group1-shard1of1.bin'), new Uint8Array(bin.buffer));
    const model = await loadGraphModel(folder);
    const y = model.predict(tf.tensor2d([1, 0, 1, 0, 1, 0], [2, 3])) as tf.Tensor;
    // Row 1: [1,0,1] @ W = [1+5, 2+6] = [6, 8]; row 2: [0,1,0] @ W = [3, 4]; plus b.
    expect(Array.from(y.dataSync())).toEqual([6.5, 7.5, 3.5, 3.5]);
    await expect(loadLayersModel(folder)).rejects.toThrow(/loadLayersModel: .*model.json is a graph model; load it with loadGraphModel/);
  });
});

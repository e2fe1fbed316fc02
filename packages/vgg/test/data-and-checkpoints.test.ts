import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLayersModel, ready, tf } from '@aiffel/runtime';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, ImageFolder, train, vgg } from '../src/index.js';
import { quadrantImages } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'vgg-data-'));
const tiny = {
  config: 'A' as const,
  inputShape: [32, 32, 3] as [number, number, number],
  numClasses: 4,
  classifierWidth: 16,
  widthMultiplier: 0.125,
  batchNorm: true,
  dropout: 0,
};

beforeAll(async () => {
  await ready();
});

/** A class-per-folder image set: class c is a bright square in quadrant c of a 40x48 photo. */
async function writeFolder(root: string, perClass: number): Promise<void> {
  for (const [c, name] of ['a-top-left', 'b-top-right', 'c-bottom-left', 'd-bottom-right'].entries()) {
    mkdirSync(join(root, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const w = 48;
      const h = 40;
      const data = Buffer.alloc(w * h * 3);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const inside = (c < 2 ? y < h / 2 : y >= h / 2) && (c % 2 === 0 ? x < w / 2 : x >= w / 2);
          data.fill(inside ? 200 + i : 20 + ((x * 7 + y * 3 + i) % 30), 3 * (y * w + x), 3 * (y * w + x) + 3);
        }
      await sharp(data, { raw: { width: w, height: h, channels: 3 } })
        .png()
        .toFile(join(root, name, `${i}.png`));
    }
  }
  writeFileSync(join(root, 'README.txt'), 'not a class');
}

describe('ImageFolder', () => {
  it('lists classes from sub-folders, splits by class and yields augmented, preprocessed batches', async () => {
    const root = join(tmp, 'set');
    await writeFolder(root, 5);
    const set = await ImageFolder.open(root);
    expect(set.classes).toEqual(['a-top-left', 'b-top-right', 'c-bottom-left', 'd-bottom-right']);
    expect(set.counts()).toEqual([5, 5, 5, 5]);
    const [fit, held] = set.split(0.2, 1);
    expect([fit.counts(), held.counts()]).toEqual([
      [4, 4, 4, 4],
      [1, 1, 1, 1],
    ]);
    const source = fit.source({ mode: 'train', crop: 32, scale: [32, 40], preprocess: { mode: 'none' } });
    const shapes: number[][] = [];
    const labels: number[] = [];
    for await (const b of source.batches(6, 0, 3)) {
      shapes.push(b.x.shape);
      labels.push(...Array.from(b.y));
      b.x.dispose();
    }
    expect(shapes).toEqual([
      [6, 32, 32, 3],
      [6, 32, 32, 3],
      [4, 32, 32, 3],
    ]);
    expect(labels.sort()).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    // The same (epoch, seed) replays the same batches; another epoch differs.
    const first = async (epoch: number) => {
      for await (const b of source.batches(16, epoch, 3)) {
        const out = [Array.from(b.y), Array.from(b.x.dataSync().slice(0, 64))];
        b.x.dispose();
        return out;
      }
    };
    expect(await first(2)).toEqual(await first(2));
    expect(await first(2)).not.toEqual(await first(3));
    // Eval: the centre crop, in file order, deterministic.
    const evalSource = held.source({ mode: 'eval', crop: 32, scale: 36 });
    const a = [];
    for await (const b of evalSource.batches(8, 0, 0)) a.push(Array.from(b.y), b.x.shape);
    expect(a).toEqual([
      [0, 1, 2, 3],
      [4, 32, 32, 3],
    ]);
  });

  it('trains from a folder source and reports unreadable images by path', async () => {
    const root = join(tmp, 'train');
    await writeFolder(root, 6);
    const set = await ImageFolder.open(root);
    const model = vgg({ ...tiny, init: 'glorot', seed: 3 });
    // No flips: these classes are defined by left versus right.
    const source = set.source({ mode: 'train', crop: 32, scale: [32, 36], flip: false, colourStd: 0, preprocess: { mode: 'torch' } });
    const validation = set.source({ mode: 'eval', crop: 32, scale: 32, preprocess: { mode: 'torch' } });
    const logs = await train(model, source, { epochs: 10, batchSize: 8, learningRate: 0.05, validation, schedule: () => 0.05 });
    expect(logs).toHaveLength(10);
    // Chance is 0.25.
    expect(await accuracy(model, validation)).toBeGreaterThanOrEqual(0.75);

    // A batch source whose labels do not fit the model's classes is refused, not trained on.
    const three = vgg({ ...tiny, numClasses: 3 });
    await expect(train(three, source, { epochs: 1, batchSize: 8, schedule: () => 0.05 })).rejects.toThrow(
      /data.y\[\d+\] must be a class id in \[0, 2\], got 3/,
    );

    writeFileSync(join(root, 'a-top-left', 'broken.png'), 'not a png');
    const broken = (await ImageFolder.open(root)).source({ mode: 'eval', crop: 32, scale: 32 });
    await expect(accuracy(model, broken)).rejects.toThrow(/broken.png/);
  });

  it('rejects missing folders, folders without classes and bad source options', async () => {
    await expect(ImageFolder.open(join(tmp, 'none'))).rejects.toThrow(/cannot read/);
    const flat = join(tmp, 'flat');
    mkdirSync(flat, { recursive: true });
    writeFileSync(join(flat, 'x.png'), '');
    await expect(ImageFolder.open(flat)).rejects.toThrow(/root must be a folder with one sub-folder per class/);
    const root = join(tmp, 'set');
    const set = await ImageFolder.open(root);
    expect(() => set.source({ mode: 'test' as 'eval', crop: 32 })).toThrow(/options.mode must be 'train' or 'eval'/);
    expect(() => set.source({ mode: 'eval', crop: 32, scale: 16 })).toThrow(/options.scale must be an integer >= crop/);
    expect(() => set.source({ mode: 'train', crop: 32, preprocess: { mode: 'rgb' as 'none' } })).toThrow(/mode must be 'caffe', 'torch' or 'none'/);
    expect(() => set.split(1)).toThrow(/fraction must be a number in \(0, 1\)/);
  });
});

describe('checkpoints', () => {
  const n = 24;
  const { data, labels } = quadrantImages(n, 5, 1, 0.3, 0.5);
  const recipe = { batchSize: 8, learningRate: 0.05, schedule: 'plateau' as const, patience: 0, seed: 9 };

  it('a run stopped after 2 epochs and resumed ends with the weights, rates and logs of an uninterrupted run', async () => {
    const x = tf.tensor4d(data, [n, 32, 32, 3]);
    const d = { x, y: labels };
    const straight = vgg({ ...tiny, seed: 1 });
    const logsA = await train(straight, d, { ...recipe, epochs: 4, validation: d, checkpoint: join(tmp, 'ck-a') });
    const first = vgg({ ...tiny, seed: 1 });
    await train(first, d, { ...recipe, epochs: 2, validation: d, checkpoint: join(tmp, 'ck-b') });
    // A new process would build the model again from its options: the checkpoint brings the rest.
    const resumed = vgg({ ...tiny, seed: 1 });
    const logsB = await train(resumed, d, { ...recipe, epochs: 4, validation: d, checkpoint: join(tmp, 'ck-b'), resume: true });
    expect(logsB.map((l) => [l.epoch, l.learningRate, l.loss, l.valAccuracy])).toEqual(logsA.map((l) => [l.epoch, l.learningRate, l.loss, l.valAccuracy]));
    const wa = straight.getWeights();
    const wb = resumed.getWeights();
    for (let i = 0; i < wa.length; i++) expect(Array.from((wb[i] as tf.Tensor).dataSync())).toEqual(Array.from((wa[i] as tf.Tensor).dataSync()));
    // The checkpoint's model/ folder loads for inference on its own.
    const loaded = await loadLayersModel(join(tmp, 'ck-a', 'model'));
    const p = (loaded.predict(x) as tf.Tensor).dataSync();
    const q = (straight.predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < p.length; i++) expect(p[i]).toBeCloseTo(q[i] as number, 5);
  });

  it('an abort signal ends training after the current batch, with that epoch logged and checkpointed', async () => {
    const x = tf.tensor4d(data, [n, 32, 32, 3]);
    const d = { x, y: labels };
    const stop = new AbortController();
    const seen: number[] = [];
    const logs = await train(vgg({ ...tiny, seed: 1 }), d, {
      ...recipe,
      epochs: 5,
      validation: d,
      checkpoint: join(tmp, 'ck-abort'),
      onBatch: (b) => {
        seen.push(b.seen);
        if (b.epoch === 2 && b.seen === 16) stop.abort();
      },
      signal: stop.signal,
    });
    expect(logs.map((l) => l.epoch)).toEqual([1, 2]);
    expect(seen).toEqual([8, 16, 24, 8, 16]);
    const again = await train(vgg({ ...tiny, seed: 1 }), d, { ...recipe, epochs: 3, validation: d, checkpoint: join(tmp, 'ck-abort'), resume: true });
    expect(again.map((l) => l.epoch)).toEqual([1, 2, 3]);
  });

  it('resume without a checkpoint starts fresh; a damaged or mismatched checkpoint is refused', async () => {
    const x = tf.tensor4d(data, [n, 32, 32, 3]);
    const d = { x, y: labels };
    const logs = await train(vgg({ ...tiny, seed: 1 }), d, { ...recipe, epochs: 1, validation: d, checkpoint: join(tmp, 'ck-new'), resume: true });
    expect(logs).toHaveLength(1);
    await expect(
      train(vgg({ ...tiny, seed: 1, widthMultiplier: 0.25 }), d, { ...recipe, epochs: 2, validation: d, checkpoint: join(tmp, 'ck-new'), resume: true }),
    ).rejects.toThrow(/checkpoint.bin weight 0 \(block1_conv1\/kernel[^)]*\) shape must be \[3,3,3,16\] \(the model being trained\), got "\[3,3,3,8\]"/);
    const file = join(tmp, 'ck-new', 'checkpoint.bin');
    const bytes = readFileSync(file);
    writeFileSync(file, Buffer.concat([Buffer.from('NOTACKPT'), bytes.subarray(8)]));
    await expect(train(vgg(tiny), d, { ...recipe, epochs: 2, validation: d, checkpoint: join(tmp, 'ck-new'), resume: true })).rejects.toThrow(
      /checkpoint.bin is not an @aiffel training checkpoint/,
    );
    writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    await expect(train(vgg(tiny), d, { ...recipe, epochs: 2, validation: d, checkpoint: join(tmp, 'ck-new'), resume: true })).rejects.toThrow(/checkpoint.bin/);
    // A checkpoint path that is a file is refused, and the file kept.
    writeFileSync(join(tmp, 'photo.png'), 'mine');
    await expect(train(vgg(tiny), d, { ...recipe, epochs: 1, validation: d, checkpoint: join(tmp, 'photo.png') })).rejects.toThrow(
      /checkpoint.dir must be a folder/,
    );
    expect(readFileSync(join(tmp, 'photo.png'), 'utf8')).toBe('mine');
    await expect(train(vgg(tiny), d, { ...recipe, epochs: 2, validation: d, resume: true })).rejects.toThrow(/resume must be used with checkpoint/);
  });
});

describe('data-parallel training (workers: 2)', () => {
  const n = 32;
  const { data, labels } = quadrantImages(n, 8, 1, 0.3, 0.5);

  it('equals training on this thread for a network without batch norm, and learns', async () => {
    // Without batch norm a batch's gradient does not depend on how it is split: the two must agree.
    const x = tf.tensor4d(data, [n, 32, 32, 3]);
    const d = { x, y: labels };
    const plain = { ...tiny, batchNorm: false, init: 'glorot' as const, seed: 2 };
    const recipe = { batchSize: 16, learningRate: 0.05, schedule: () => 0.05, seed: 4, validation: d, epochs: 6 };
    const local = vgg(plain);
    const parallel = vgg(plain);
    const logsLocal = await train(local, d, recipe);
    const logsParallel = await train(parallel, d, { ...recipe, workers: 2 });
    const wa = local.getWeights();
    const wb = parallel.getWeights();
    let maxDiff = 0;
    for (let i = 0; i < wa.length; i++) {
      const p = (wa[i] as tf.Tensor).dataSync();
      const q = (wb[i] as tf.Tensor).dataSync();
      for (let j = 0; j < p.length; j++) maxDiff = Math.max(maxDiff, Math.abs((p[j] as number) - (q[j] as number)));
    }
    // Float rounding only (6e-8 seen); a wrong gradient or a missing weight decay is far larger.
    expect(maxDiff).toBeLessThan(1e-5);
    expect(logsParallel).toHaveLength(logsLocal.length);
    expect(logsParallel.at(-1)?.valAccuracy).toBeGreaterThanOrEqual(0.75);
    expect(logsLocal.at(-1)?.valAccuracy).toBeGreaterThanOrEqual(0.75);
  });

  it('carries batch-norm statistics and momentum through checkpoints: a resumed run ends where an uninterrupted one does', async () => {
    const x = tf.tensor4d(data, [n, 32, 32, 3]);
    const d = { x, y: labels };
    const recipe = { batchSize: 16, learningRate: 0.05, schedule: () => 0.05, seed: 4, workers: 2, validation: d };
    const straight = vgg({ ...tiny, seed: 6 });
    await train(straight, d, { ...recipe, epochs: 3, checkpoint: join(tmp, 'ck-par-a') });
    const first = vgg({ ...tiny, seed: 6 });
    await train(first, d, { ...recipe, epochs: 2, checkpoint: join(tmp, 'ck-par-b') });
    const resumed = vgg({ ...tiny, seed: 6 });
    await train(resumed, d, { ...recipe, epochs: 3, checkpoint: join(tmp, 'ck-par-b'), resume: true });
    const wa = straight.getWeights();
    const wb = resumed.getWeights();
    // getWeights() includes the moving mean and variance (worker 0's).
    expect(wa.length).toBeGreaterThan(straight.trainableWeights.length);
    for (let i = 0; i < wa.length; i++) expect(Array.from((wb[i] as tf.Tensor).dataSync())).toEqual(Array.from((wa[i] as tf.Tensor).dataSync()));
    await expect(train(vgg(tiny), d, { ...recipe, epochs: 1, workers: 0 })).rejects.toThrow(/workers must be a positive integer, got 0/);
  });

  it('trains A-LRN in workers: the custom layer deserialises there', async () => {
    const x = tf.tensor4d(data, [n, 32, 32, 3]);
    const d = { x, y: labels };
    const net = vgg({ ...tiny, config: 'A-LRN', seed: 3 });
    const logs = await train(net, d, { batchSize: 16, learningRate: 0.05, schedule: () => 0.05, seed: 4, workers: 2, validation: d, epochs: 1 });
    expect(logs).toHaveLength(1);
    expect(Number.isFinite(logs[0]?.loss)).toBe(true);
  });
});

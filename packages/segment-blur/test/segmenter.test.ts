import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, saveLayersModel } from '@aiffel/runtime';
import * as tfl from '@tensorflow/tfjs-layers';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { maskIoU, portrait, Segmenter, SemanticSegmenter, TfliteGraph, toMask } from '../src/index.js';
import { readTfliteModel } from '../src/tflite/flatbuffer-model.js';
import { float16ToFloat32 } from '../src/tflite/float16.js';
import { sharedData } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'segment-blur-'));

/** A JPEG of a bright disc (a "head") on a dark background. */
async function discJpeg(width: number, height: number, options: { orientation?: number } = {}): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      data.fill(inside ? 220 : 30, 3 * (y * width + x), 3 * (y * width + x) + 3);
    }
  let s = sharp(data, { raw: { width, height, channels: 3 } }).jpeg();
  if (options.orientation) s = s.withMetadata({ orientation: options.orientation });
  return s.toBuffer();
}

/** Saves a three-class 8x8 model whose class scores are the R, G and B values themselves (a 1x1 convolution with identity weights). */
async function saveStubModel(dir: string): Promise<string> {
  const model = tfl.sequential({
    layers: [tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 3, kernelSize: 1, useBias: false, kernelInitializer: 'zeros' })],
  });
  const { tf } = await import('@aiffel/runtime');
  model.layers[0]?.setWeights([tf.reshape(tf.eye(3), [1, 1, 3, 3])]);
  await saveLayersModel(model, dir);
  return dir;
}

describe('TFLite reader', () => {
  it('widens float16 exactly', () => {
    const halves = Uint16Array.from([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555]);
    const f = float16ToFloat32(new Uint8Array(halves.buffer));
    expect(Array.from(f.subarray(0, 5))).toEqual([1, -2, 65504, 2 ** -24, Number.POSITIVE_INFINITY]);
    expect(f[5]).toBeCloseTo(0.33325, 5);
    expect(Number.isNaN(float16ToFloat32(new Uint8Array(Uint16Array.from([0x7e00]).buffer))[0])).toBe(true);
  });

  it('rejects bytes that are not a TFLite model, and truncated models', () => {
    expect(() => readTfliteModel(new Uint8Array([1, 2, 3]))).toThrow(/not a TFLite flatbuffer/);
    expect(() => readTfliteModel(Buffer.from('xxxxTFL3 and then garbage that is not a flatbuffer at all....'))).toThrow(/tflite model/);
  });
});

describe('Segmenter', () => {
  it('loads both built-in models with their input sizes', async () => {
    const a = await Segmenter.load();
    const b = await Segmenter.load({ model: 'landscape' });
    expect([a.inputWidth, a.inputHeight]).toEqual([256, 256]);
    expect([b.inputWidth, b.inputHeight]).toEqual([256, 144]);
    expect(a.description).toMatch(/selfiesegmentation/);
    a.dispose();
    b.dispose();
  });

  it('segments any size, orientation and colour model; masks are probabilities of the photo size', async () => {
    const seg = await Segmenter.load();
    const rotated = await discJpeg(60, 40, { orientation: 6 }); // EXIF: rotate 90 degrees
    const r = await seg.segment(rotated);
    expect([r.image.width, r.image.height]).toEqual([40, 60]);
    expect([r.mask.width, r.mask.height]).toEqual([40, 60]);
    expect([r.modelMask.width, r.modelMask.height]).toEqual([256, 256]);
    for (const v of r.mask.data) expect(v >= 0 && v <= 1).toBe(true);
    const tiny = await seg.segment({ data: Uint8Array.from([1, 2, 3]), shape: [1, 1, 3] });
    expect(tiny.mask.data.length).toBe(1);
    const grey = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#808080' } })
      .greyscale()
      .png()
      .toBuffer();
    expect((await seg.segment(grey)).image.channels).toBe(3);
    const rgba = await sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } })
      .png()
      .toBuffer();
    expect((await seg.segment(rgba)).image.width).toBe(20);
    const cmyk = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#3366cc' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    const c = await seg.segment(cmyk);
    expect(c.image.channels).toBe(3);
    expect(Math.abs((c.image.data[2] as number) - 0xcc)).toBeLessThan(40);
    const letterboxed = await seg.segment(rotated, { fit: 'letterbox' });
    expect([letterboxed.modelMask.width, letterboxed.modelMask.height]).toEqual([171, 256]);
    seg.dispose();
    // It used to fail inside the interpreter: "tensor 318 is used before it is computed".
    await expect(seg.segment(cmyk)).rejects.toThrow(/Segmenter.segment: this segmenter was disposed; load a new one/);
  });

  it('is deterministic', async () => {
    const seg = await Segmenter.load();
    const img = await discJpeg(64, 64);
    expect((await seg.segment(img)).mask.data).toEqual((await seg.segment(img)).mask.data);
    seg.dispose();
  });

  it('gives clear errors for corrupt, empty, huge and non-image input and bad options', async () => {
    const seg = await Segmenter.load();
    const jpeg = await discJpeg(64, 64);
    await expect(seg.segment(jpeg.subarray(0, jpeg.length / 2))).rejects.toThrow(/not a readable image/);
    await expect(seg.segment(Buffer.from('hello, not an image'))).rejects.toThrow(/not a readable image/);
    await expect(seg.segment(Buffer.alloc(0))).rejects.toThrow(/empty/);
    await expect(seg.segment(jpeg, { maxPixels: 100 })).rejects.toThrow(/pixel limit/);
    await expect(seg.segment(join(tmp, 'missing.jpg'))).rejects.toThrow(/cannot read file/);
    await expect(seg.segment(jpeg, { fit: 'zoom' as 'stretch' })).rejects.toThrow(/options.fit must be 'stretch' or 'letterbox'/);
    await expect(seg.segment(jpeg, { refine: { edges: 'magic' as 'none' } })).rejects.toThrow(/edges must be 'guided' or 'none'/);
    await expect(Segmenter.load({ model: 'huge' as 'selfie' })).rejects.toThrow(/options.model must be one of selfie, landscape/);
    await expect(Segmenter.load({ model: { tflite: join(tmp, 'none.tflite') } })).rejects.toThrow(/cannot read/);
    seg.dispose();
  });

  it.skipIf(!existsSync(join(sharedData, 'portrait')))('reaches mean IoU >= 0.90 on the portrait photos (../shared/data/portrait)', async () => {
    const seg = await Segmenter.load();
    const dir = join(sharedData, 'portrait');
    const ids = readFileSync(join(dir, 'manifest.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0] as string);
    let sum = 0;
    for (const id of ids) {
      const r = await seg.segment(join(dir, 'images', `${id}.jpg`));
      const gt = await decodeImage(join(dir, 'masks', `${id}.png`), { channels: 1 });
      sum += maskIoU(r.mask, toMask({ data: gt.data, shape: [gt.height, gt.width] }));
    }
    expect(sum / ids.length).toBeGreaterThanOrEqual(0.9);
    seg.dispose();
  });
});

describe('TfliteGraph', () => {
  it('runs the selfie model: [1,256,256,3] in, probabilities [1,256,256,1] out', async () => {
    const { tf, ready } = await import('@aiffel/runtime');
    await ready();
    const path = new URL(import.meta.resolve('@mediapipe/selfie_segmentation/package.json')).pathname.replace('package.json', 'selfie_segmentation.tflite');
    const graph = new TfliteGraph(tf, new Uint8Array(readFileSync(path)));
    expect(graph.inputShape).toEqual([1, 256, 256, 3]);
    const y = graph.predict(tf.zeros([1, 256, 256, 3]));
    expect(y.shape).toEqual([1, 256, 256, 1]);
    const v = await y.data();
    expect(v.every((p) => p >= 0 && p <= 1)).toBe(true);
    y.dispose();
    graph.dispose();
  });
});

describe('SemanticSegmenter', () => {
  it('selects classes of a saved layers model (a 1x1 convolution stub with known weights)', async () => {
    const dir = await saveStubModel(join(tmp, 'semantic'));
    const seg = await SemanticSegmenter.load({ model: dir, labels: ['background', 'person', 'cat'], normalize: 'unit' });
    const data = new Uint8Array(8 * 8 * 3);
    for (let i = 0; i < 64; i++) data[3 * i + (i < 32 ? 1 : 2)] = 255; // top half green (person), bottom blue (cat)
    const r = await seg.segment({ data, shape: [8, 8, 3] }, { classes: ['person'] });
    expect(r.labelMap.data[0]).toBe(1);
    expect(r.labelMap.data[63]).toBe(2);
    expect(r.present.sort()).toEqual(['cat', 'person']);
    const softmax = Math.E / (Math.E + 2);
    expect(r.mask.data[0]).toBeCloseTo(softmax, 4);
    expect(r.mask.data[63]).toBeCloseTo(1 / (Math.E + 2), 4);
    const both = await seg.segment({ data, shape: [8, 8, 3] }, { classes: [1, 'cat'] });
    expect(both.mask.data[63]).toBeCloseTo((1 + Math.E) / (Math.E + 2), 4);
    await expect(seg.segment({ data, shape: [8, 8, 3] }, { classes: ['dog'] })).rejects.toThrow(
      /options.classes must be names or indices of 3 labels, got "dog"/,
    );
    await expect(SemanticSegmenter.load({ model: dir, labels: ['a', 'b', 'c', 'person'] }).then((s) => s.segment({ data, shape: [8, 8, 3] }))).rejects.toThrow(
      /expected 8x8x4 class scores/,
    );
    await expect(SemanticSegmenter.load({ model: join(tmp, 'nothing') })).rejects.toThrow(/cannot read/);
  });
});

describe('portrait and the CLI', () => {
  it('returns the input format (JPEG in, JPEG out; PNG for cutouts)', async () => {
    const jpeg = await discJpeg(48, 32);
    expect((await sharp(await portrait(jpeg)).metadata()).format).toBe('jpeg');
    // A feathered mask goes through every effect (its float rounding once tripped the 0..1 check).
    expect((await sharp(await portrait(jpeg, { refine: { feather: 3 } })).metadata()).format).toBe('jpeg');
    const cut = await sharp(await portrait(jpeg, { effect: 'cutout' })).metadata();
    expect([cut.format, cut.channels]).toEqual(['png', 4]);
    expect((await sharp(await portrait(jpeg, { format: 'webp', mode: 'disc', radius: 3 })).metadata()).format).toBe('webp');
    await expect(portrait(jpeg, { effect: 'replace' })).rejects.toThrow(/options.background/);
    await expect(portrait(jpeg, { format: 'bmp' as 'png' })).rejects.toThrow(/options.format/);
    // A segmenter brings its model: a model beside it used to be ignored silently.
    const seg = await Segmenter.load();
    await expect(portrait(jpeg, { segmenter: seg, model: 'landscape' })).rejects.toThrow(/options.model must be left out when options.segmenter is given/);
    await expect(portrait(jpeg, { quality: 101 })).rejects.toThrow(/options.quality must be an integer in 1..100, got 101/);
    await expect(portrait(jpeg, { radius: -2 })).rejects.toThrow(/options.radius must be a non-negative integer, got -2/);
    seg.dispose();
  });

  it('the CLI writes outputs for a glob and fails clearly on bad flags', () => {
    const dir = mkdtempSync(join(tmp, 'cli-'));
    const here = new URL('..', import.meta.url).pathname;
    return discJpeg(40, 30).then((jpeg) => {
      writeFileSync(join(dir, 'a.jpg'), jpeg);
      writeFileSync(join(dir, 'b.jpg'), jpeg);
      // The built CLI (the test task runs after the build): a tsx start per spawn cost seconds each on a busy machine.
      const cli = join(here, 'dist/cli.js');
      execFileSync(process.execPath, [cli, join(dir, '*.jpg'), '-o', join(dir, 'out'), '--mode', 'bokeh', '--blur', '4', '--mask'], {
        cwd: here,
        stdio: 'pipe',
      });
      expect(readFileSync(join(dir, 'out', 'a.portrait.jpg')).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(existsSync(join(dir, 'out', 'b.portrait.jpg.mask.png'))).toBe(true);
      const bad = spawnSync(process.execPath, [cli, join(dir, 'a.jpg'), '--blur', 'lots'], { cwd: here, encoding: 'utf8' });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/--blur must be an integer, got "lots"/);
      // The library's checks run on the flags and name them: usage errors (exit 2), before any model loads.
      const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: here, encoding: 'utf8' });
      for (const [flags, message] of [
        [['--strength', '5'], /--strength must be a number in 0..0.5/],
        [['--quality', '0'], /--quality must be an integer in 1..100, got 0/],
        [['--effect', 'foo'], /--effect must be 'blur', 'replace', 'desaturate' or 'cutout', got "foo"/],
        [['--format', 'gif'], /--format must be jpeg, png, webp, avif, tiff, got "gif"/],
      ] as const) {
        const r = run(join(dir, 'a.jpg'), ...flags);
        expect(r.status, flags.join(' ')).toBe(2);
        expect(r.stderr).toMatch(message);
      }
      // Inputs are never overwritten, and a file given as the folder for several inputs is named.
      const before = readFileSync(join(dir, 'a.jpg'));
      const same = run(join(dir, 'a.jpg'), '-o', join(dir, '.', 'a.jpg'));
      expect(same.status).toBe(2);
      expect(same.stderr).toMatch(/-o .*a\.jpg is the input; inputs are never overwritten/);
      const many = run(join(dir, 'a.jpg'), join(dir, 'b.jpg'), '-o', join(dir, 'a.jpg'));
      expect(many.status).toBe(2);
      expect(many.stderr).toMatch(/-o .*a\.jpg must be a folder when there are 2 inputs, and it is a file/);
      expect(readFileSync(join(dir, 'a.jpg')).equals(before)).toBe(true);
    });
  }, 600_000);

  it('the CLI names outputs after the format written, runs --semantic models and smooths frame sequences', async () => {
    const dir = mkdtempSync(join(tmp, 'cli2-'));
    const here = new URL('..', import.meta.url).pathname;
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(here, 'dist/cli.js'), ...args], { cwd: here, encoding: 'utf8' });
    // A PNG with a .jpg name: the output is PNG (the input's format), so it is named .png.
    const png = await sharp(await discJpeg(40, 30))
      .png()
      .toBuffer();
    writeFileSync(join(dir, 'mislabelled.jpg'), png);
    writeFileSync(join(dir, 'kept.jpeg'), await discJpeg(40, 30));
    expect(cli(join(dir, 'mislabelled.jpg'), join(dir, 'kept.jpeg')).status).toBe(0);
    expect(existsSync(join(dir, 'mislabelled.portrait.png'))).toBe(true);
    expect(existsSync(join(dir, 'kept.portrait.jpeg'))).toBe(true);

    // --semantic: the stub's classes are the colour channels; keep "cat" (blue) sharp, replace the rest with white.
    const model = await saveStubModel(join(dir, 'stub'));
    const frame = (blueRows: number) => {
      const data = Buffer.alloc(8 * 8 * 3);
      for (let i = 0; i < 64; i++) data[3 * i + (i < blueRows * 8 ? 2 : 1)] = 255;
      return sharp(data, { raw: { width: 8, height: 8, channels: 3 } })
        .png()
        .toBuffer();
    };
    writeFileSync(join(dir, 'f1.png'), await frame(4));
    writeFileSync(join(dir, 'f2.png'), await frame(0));
    const sem = [
      '--semantic',
      model,
      '--labels',
      'background,person,cat',
      '--classes',
      'cat',
      '--normalize',
      'unit',
      '--effect',
      'replace',
      '--background',
      '#ffffff',
    ];
    const ok = cli(join(dir, 'f*.png'), '-o', join(dir, 'sem'), ...sem, '--mask');
    expect(ok.status, ok.stderr).toBe(0);
    const mask1 = await decodeImage(join(dir, 'sem', 'f1.portrait.png.mask.png'), { channels: 1 });
    const softmax = Math.round((255 * Math.E) / (Math.E + 2));
    expect(Math.abs((mask1.data[0] as number) - softmax)).toBeLessThanOrEqual(1); // blue row: p(cat)
    expect(Math.abs((mask1.data[63] as number) - Math.round(255 / (Math.E + 2)))).toBeLessThanOrEqual(1); // green row
    // --smooth 0.5: frame 2 has no blue at all, but half of frame 1's mask carries over.
    expect(cli(join(dir, 'f*.png'), '-o', join(dir, 'smooth'), ...sem, '--mask', '--smooth', '0.5').status).toBe(0);
    const mask2 = await decodeImage(join(dir, 'smooth', 'f2.portrait.png.mask.png'), { channels: 1 });
    const expected = 0.5 * (Math.E / (Math.E + 2)) + 0.5 * (1 / (Math.E + 2));
    expect(Math.abs((mask2.data[0] as number) - 255 * expected)).toBeLessThanOrEqual(1.5);

    for (const [args, message] of [
      [['--classes', 'cat'], /--classes must be used together with --semantic/],
      [['--smooth', '0'], /--smooth must be a number in \(0, 1\]/],
      [['--semantic', model, '--input-size', '8by8'], /--input-size must be HEIGHTxWIDTH/],
      [['--semantic', model, '--labels', 'background,person,cat', '--classes', 'dog'], /options.classes must be names or indices of 3 labels, got "dog"/],
    ] as const) {
      const bad = cli(join(dir, 'f1.png'), ...args);
      expect(bad.status, bad.stderr).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
  }, 600_000);
});

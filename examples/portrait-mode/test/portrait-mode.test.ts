import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, saveLayersModel, tf } from '@aiffel/runtime';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { datasetPhotos, defaultPhotos } from '../src/sources.js';

const here = new URL('..', import.meta.url).pathname;
const real = join(here, '../../../shared/data/portrait');
const run = (args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', join(here, 'src/main.ts'), ...args], { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('portrait-mode example', () => {
  it('finds the six sample photos shipped in @vladmandic/face-api', () => {
    const photos = defaultPhotos();
    expect(photos.map((p) => p.id)).toEqual(['sample1', 'sample2', 'sample3', 'sample4', 'sample5', 'sample6']);
  });

  it('rejects a data folder without a usable manifest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-'));
    expect(() => datasetPhotos(dir)).toThrow(/manifest.csv not found/);
    writeFileSync(join(dir, 'manifest.csv'), 'id,image\n1,a.jpg\n');
    expect(() => datasetPhotos(dir)).toThrow(/no mask column/);
  });

  it('runs on the default photos and writes side-by-side PNGs and a JSON line', () => {
    const out = mkdtempSync(join(tmpdir(), 'pm-out-'));
    const stdout = run(['--out', out, '--limit', '2']);
    const m = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { photos: number; mean_iou: number | null };
    expect(m.photos).toBe(2);
    expect(m.mean_iou).toBeNull();
    expect(readFileSync(join(out, 'sample1-portrait.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('keeps the --classes of a --semantic per-class model (a 1x1 convolution stub: class scores are R, G and B)', async () => {
    await ready();
    const dir = mkdtempSync(join(tmpdir(), 'pm-sem-'));
    const model = tfl.sequential({
      layers: [tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 3, kernelSize: 1, useBias: false, kernelInitializer: 'zeros' })],
    });
    model.layers[0]?.setWeights([tf.reshape(tf.eye(3), [1, 1, 3, 3])]);
    await saveLayersModel(model, dir);
    const out = mkdtempSync(join(tmpdir(), 'pm-sem-out-'));
    const args = ['--semantic', dir, '--labels', 'red,green,blue', '--classes', 'blue', '--normalize', 'unit', '--limit', '1', '--out', out];
    const m = JSON.parse(run(args).trim().split('\n').at(-1) as string) as { model: string; photos: number };
    expect(m.model).toBe(`semantic ${dir} (blue)`);
    expect(readFileSync(join(out, 'sample1-portrait.png')).subarray(1, 4).toString()).toBe('PNG');
    const unknown = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'src/main.ts'), ...args.map((a) => (a === 'blue' ? 'dog' : a))], {
      cwd: here,
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^portrait-mode: .*"dog"/);
  });

  it('prints the usage for bad or conflicting flags (exit 2)', () => {
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option '--bogus'/],
      [['--classes', 'cat'], /--classes needs --semantic/],
      [['--semantic', 'x', '--model', 'landscape'], /--model and --semantic exclude each other/],
      [['--limit', '0'], /--limit must be an integer in \[1, 1000000\], got "0"/],
      [['--refine', 'sharp'], /--refine must be one of none, guided, got "sharp"/],
      [['--model', 'portrait'], /--model must be one of selfie, landscape/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'src/main.ts'), ...args], { cwd: here, encoding: 'utf8' });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('usage: npm run example -- portrait-mode');
    }
  });

  it.skipIf(!existsSync(real))('scores the real portrait masks: mean IoU >= 0.90', () => {
    const out = mkdtempSync(join(tmpdir(), 'pm-real-'));
    const m = JSON.parse(run(['--data', real, '--out', out]).trim().split('\n').at(-1) as string) as {
      photos: number;
      mean_iou: number;
      mean_boundary_f: number;
    };
    expect(m.photos).toBe(14);
    expect(m.mean_iou).toBeGreaterThanOrEqual(0.9);
    expect(m.mean_boundary_f).toBeGreaterThan(0.8);
  });
});

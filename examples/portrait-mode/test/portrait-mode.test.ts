import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, samplePhotos } from '../src/sources.js';

const here = new URL('..', import.meta.url).pathname;
const real = join(here, '../../../shared/data/faces');
const run = (args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', join(here, 'src/main.ts'), ...args], { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) as string);

describe('lookalike example', () => {
  it('finds the six sample photos and rejects a data folder without a manifest', () => {
    expect(samplePhotos().every(existsSync)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'lk-'));
    expect(() => readManifest(dir)).toThrow(/manifest.csv not found/);
    writeFileSync(join(dir, 'manifest.csv'), 'file,identity\n');
    expect(() => readManifest(dir)).toThrow(/no identities_in_image column/);
  });

  it('builds the default gallery, finds the mirrored query face first and writes its pictures', () => {
    const out = mkdtempSync(join(tmpdir(), 'lk-out-'));
    const m = lastJson(run(['--out', out]));
    expect(m.gallery_size).toBe(22);
    expect(m.top[0].name).toBe('sample1 #3');
    expect(m.top[0].distance).toBeLessThan(0.4);
    expect(m.top).toHaveLength(5);
    for (const f of ['contact-sheet.png', 'gallery-tsne.png', join('projector', 'sprite.png')])
      expect(readFileSync(join(out, f)).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(out, 'gallery-pca.svg'), 'utf8')).toContain('<svg');
  });

  it.skipIf(!existsSync(real))('measures identification, verification and detection on ../shared/data/faces', () => {
    const out = mkdtempSync(join(tmpdir(), 'lk-real-'));
    const m = lastJson(run(['--data', real, '--out', out, '--query', join(real, 'face_recognition/biden/biden.jpg')]));
    expect(m.top[0]).toEqual({ name: 'biden', distance: 0 });
    expect(m.top[1].name).toBe('biden');
    expect(m.loo_top1).toBeGreaterThanOrEqual(0.9);
    expect(m.verification_accuracy_at_0_6).toBeGreaterThanOrEqual(0.95);
    expect(m.eer).toBeLessThan(0.05);
    expect(m.detection_recall).toBe(1);
  });
});

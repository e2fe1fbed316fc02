import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('--per-person ranks each identity of a --gallery once, with its photo count, where the top k repeats one person', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-people-'));
    const [s1, s2, s3] = samplePhotos() as [string, string, string];
    for (const [who, files] of [
      ['anna', [s1, s1]],
      ['ben', [s2]],
      ['cleo', [s3]],
    ] as const) {
      mkdirSync(join(dir, who));
      files.forEach((f, i) => {
        copyFileSync(f, join(dir, who, `${i}.jpg`));
      });
    }
    const m = lastJson(run(['--gallery', dir, '--query', s1, '--k', '2', '--per-person', 'best', '--out', mkdtempSync(join(tmpdir(), 'lk-people-out-'))]));
    expect(m.top.map((t: { name: string }) => t.name)).toEqual(['anna', 'anna']);
    expect(m.per_person.map((p: { name: string }) => p.name)).toEqual(['anna', expect.any(String)]);
    expect(m.per_person[0]).toMatchObject({ photos: 2, distance: 0, nearest_rank: 1 });
    expect(m.per_person[1].name).not.toBe('anna');
    expect(m.per_person[1].nearest_rank).toBe(3);
  });

  it('prints the usage for bad flags (exit 2) and one line for a missing query or gallery (exit 1)', () => {
    const go = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(here, 'src/main.ts'), ...args], { cwd: here, encoding: 'utf8' });
    for (const [args, message] of [
      [['--per-person', 'median'], /--per-person must be one of best, mean, got "median"/],
      [['--k', '0'], /--k must be an integer/],
      [['--gallery', 'a', '--data', 'b'], /--gallery and --data exclude each other/],
      [['--bogus'], /Unknown option '--bogus'/],
    ] as [string[], RegExp][]) {
      const r = go(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const g = go(['--gallery', '/nonexistent-gallery']);
    expect(g.status).toBe(1);
    expect(g.stderr.trim()).toBe('lookalike: --gallery: /nonexistent-gallery is not a folder');
  });

  it.skipIf(!existsSync(real))('measures identification, verification and detection on ../shared/data/faces', () => {
    const out = mkdtempSync(join(tmpdir(), 'lk-real-'));
    const m = lastJson(run(['--data', real, '--out', out, '--query', join(real, 'face_recognition/biden/biden.jpg'), '--per-person', 'mean']));
    expect(m.top[0]).toEqual({ name: 'biden', distance: 0 });
    expect(m.per_person[0]).toMatchObject({ name: 'biden', photos: 2 });
    expect(new Set(m.per_person.map((p: { name: string }) => p.name)).size).toBe(5);
    expect(m.top[1].name).toBe('biden');
    expect(m.loo_top1).toBeGreaterThanOrEqual(0.9);
    expect(m.verification_accuracy_at_0_6).toBeGreaterThanOrEqual(0.95);
    expect(m.eer).toBeLessThan(0.05);
    expect(m.detection_recall).toBe(1);
  });
});

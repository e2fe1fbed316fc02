import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCifar, syntheticCifar } from '../src/cifar.js';

const here = new URL('..', import.meta.url).pathname;
const real = join(here, '../../../shared/data/cifar10/png-batches');

describe('vgg-cifar10 example', () => {
  it.skipIf(!existsSync(real))('reads the CIFAR-10 PNG strips: known first labels and pixels', async () => {
    const { train, test } = await loadCifar(real, 10);
    // SOURCE.md: the first labels are 6,9,9,4,1,1,2,7,8,3; the first image's red channel starts 59,43,50,68.
    expect(train.labels).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
    expect([0, 3, 6, 9].map((i) => train.pixels[i])).toEqual([59, 43, 50, 68]);
    expect(test.labels.slice(0, 4)).toEqual([3, 8, 8, 0]);
    expect([0, 3, 6].map((i) => test.pixels[i])).toEqual([158, 159, 165]);
  });

  it('builds deterministic synthetic images with all ten classes', () => {
    const a = syntheticCifar(200, 3);
    expect(Array.from(a.pixels)).toEqual(Array.from(syntheticCifar(200, 3).pixels));
    expect(new Set(a.labels).size).toBe(10);
    expect(a.pixels.length).toBe(200 * 32 * 32 * 3);
  });

  it('trains end to end on built-in data (--quick): better than chance, a curve PNG, a JSON line', () => {
    const out = mkdtempSync(join(tmpdir(), 'vgg-cifar-'));
    const stdout = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(here, 'src/main.ts'), '--quick', '--epochs', '2', '--plain-epochs', '1', '--out', out],
      {
        cwd: here,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(stdout).toContain('138,357,544');
    const m = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
      test_accuracy: number;
      epochs: number;
      confusion: number[][];
      curve: { seconds: number }[];
      plain_epochs: number;
      plain_test_accuracy: number;
    };
    expect(m.epochs).toBe(2);
    expect(m.curve).toHaveLength(2);
    expect(m.curve[1]?.seconds).toBeGreaterThan(m.curve[0]?.seconds as number);
    expect(m.plain_epochs).toBe(1);
    expect(m.plain_test_accuracy).toBeGreaterThanOrEqual(0);
    expect(m.test_accuracy).toBeGreaterThan(0.15);
    expect(m.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
    expect(readFileSync(join(out, 'vgg-cifar10-curve.png')).subarray(1, 4).toString()).toBe('PNG');
    // Training: alone it takes about a minute, but CI runs every package's tests at once on 2 cores.
  }, 600_000);

  it('--compare trains each configuration under the same budget and reports its test error (A and A-LRN, 2 workers)', () => {
    const out = mkdtempSync(join(tmpdir(), 'vgg-compare-'));
    const stdout = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(here, 'src/main.ts'), '--quick', '--epochs', '1', '--compare', 'A,A-LRN', '--out', out],
      {
        cwd: here,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const m = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
      compare: { config: string; weight_layers: number; params: number; epochs: number; test_accuracy: number; train_seconds: number }[];
    };
    expect(m.compare.map((r) => r.config)).toEqual(['A', 'A-LRN']);
    for (const r of m.compare) {
      expect(r.weight_layers).toBe(11);
      expect(r.epochs).toBe(1);
      expect(r.test_accuracy).toBeGreaterThanOrEqual(0);
      expect(r.train_seconds).toBeGreaterThan(0);
    }
    // LRN has no weights: the same parameter count as A.
    expect(m.compare[1]?.params).toBe(m.compare[0]?.params);
    expect(stdout).toMatch(/configuration\s+weight layers\s+parameters\s+epochs\s+seconds\s+test top-1 error/);
    expect(readFileSync(join(out, 'vgg-cifar10-compare.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 600_000);
});

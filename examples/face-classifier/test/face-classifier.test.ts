import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabelledSample } from '@aiffel/face-embed';
import { describe, expect, it } from 'vitest';
import { splitByPhoto } from '../src/samples.js';

const here = new URL('..', import.meta.url).pathname;
const real = join(here, '../../../shared/data/faces/face_recognition');
const run = (args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', join(here, 'src/main.ts'), ...args], { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) as string);

const sample = (file: string, label: string): LabelledSample => ({ file, label, descriptor: new Float32Array(1), augmented: [] });

describe('face-classifier example', () => {
  it('holds out the last photo of each class and drops single-photo classes', () => {
    const split = splitByPhoto([sample('a1', 'a'), sample('a2', 'a'), sample('a3', 'a'), sample('b1', 'b'), sample('c1', 'c'), sample('c2', 'c')]);
    expect(split.test.map((s) => s.file)).toEqual(['a3', 'c2']);
    expect(split.train.map((s) => s.file)).toEqual(['a1', 'a2', 'c1']);
    expect(split.dropped).toEqual(['b']);
  });

  it('trains on a folder-per-class dataset and reports held-out accuracy', () => {
    // The real identities when ../shared is there, else the built-in sample-face task.
    const out = mkdtempSync(join(tmpdir(), 'fc-'));
    const m = lastJson(run(['--out', out, '--copies', '4']));
    expect(m.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(m.classes).toBe(existsSync(real) ? 5 : 7);
    const saved = JSON.parse(readFileSync(join(out, 'face-classifier.json'), 'utf8'));
    expect(saved.format).toBe('aiffel-face-classifier');
  });

  it('rejects bad arguments', () => {
    expect(() => run(['--hidden', 'wide'])).toThrow(/--hidden must be an integer in \[0, 4096\], got "wide"/);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticHapt, TEST_SUBJECTS } from '../src/hapt.js';
import { subjectFolds, subjectSplit } from '../src/split.js';

const here = new URL('..', import.meta.url).pathname;
const hapt = join(here, '../../../shared/data/har/uci-hapt-raw');
if (!existsSync(hapt)) console.warn(`real-data run skipped: ${hapt} is absent`);
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(here, 'dist', 'main.js'), ...args], { cwd: here, encoding: 'utf8', timeout: 800_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1) as string);
const KEYS = ['tree_accuracy', 'tree_macro_f1', 'hierarchy_accuracy', 'hierarchy_macro_f1', 'sequence_accuracy', 'sequence_macro_f1'];

describe('activity-recognition', () => {
  it('splits by person: no person in both train and test, and folds never split a person', () => {
    const set = syntheticHapt(1, 1);
    const s = subjectSplit(set.subjects, TEST_SUBJECTS);
    const testPeople = new Set(Array.from(s.test, (i) => set.subjects[i]));
    expect([...testPeople].sort((a, b) => (a as number) - (b as number))).toEqual([...TEST_SUBJECTS].sort((a, b) => a - b));
    expect(Array.from(s.train).every((i) => !testPeople.has(set.subjects[i]))).toBe(true);
    for (const f of subjectFolds(set.subjects, 3)) {
      const inTest = new Set(Array.from(f.test, (i) => set.subjects[i]));
      expect(Array.from(f.train).some((i) => inTest.has(set.subjects[i]))).toBe(false);
    }
    expect(set.features.cols).toBe(561);
    expect(new Set(set.labels).size).toBe(12);
  });

  it('runs on the built-in synthetic recordings, labelled as such, and prints every model in one JSON line', () => {
    const out = mkdtempSync(join(tmpdir(), 'har-'));
    const r = run(['--synthetic', '--quick', '--trials', '2', '--trees', '20', '--epochs', '2', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('built-in SYNTHETIC recordings (not real data)');
    const j = lastJson(r.stdout);
    expect(j.data).toBe('synthetic');
    for (const k of KEYS) expect(typeof j[k]).toBe('number');
    // The synthetic activities are made separable: the trees must find it.
    expect(j.tree_accuracy).toBeGreaterThan(0.9);
    for (const f of ['signals.png', 'importance.png', 'confusion-hierarchy.png', 'confusion-sequence.png']) expect(existsSync(join(out, f))).toBe(true);
  });

  it.skipIf(!existsSync(hapt))('meets the tree-model quality goal on the real UCI HAPT recordings (quick settings)', () => {
    const r = run(['--quick', '--trials', '2', '--trees', '60', '--epochs', '2', '--out', mkdtempSync(join(tmpdir(), 'har-real-'))]);
    expect(r.status, r.stderr).toBe(0);
    const j = lastJson(r.stdout);
    expect(j.data).toBe('uci-hapt-raw');
    expect(j.train_windows + j.test_windows).toBe(10411);
    // Quick settings (60 rounds, 2 LSTM epochs): below the full run's figures in the README, above these floors.
    expect(j.tree_accuracy).toBeGreaterThan(0.93);
    expect(j.hierarchy_accuracy).toBeGreaterThan(0.92);
    expect(j.sequence_accuracy).toBeGreaterThan(0.8);
    expect(r.stdout).toContain('| WALKING | 1722 |');
  });

  it.skipIf(!existsSync(hapt))('runs --data on the WISDM table (gaps filled and reported, no sequence model) and on BasicMotions', () => {
    const w = run([
      '--data',
      join(hapt, '../wisdm-v1.1-transformed'),
      '--quick',
      '--trials',
      '2',
      '--trees',
      '30',
      '--out',
      mkdtempSync(join(tmpdir(), 'har-w-')),
    ]);
    expect(w.status, w.stderr).toBe(0);
    expect(w.stdout).toContain('XPEAK: 381 missing values filled by linear interpolation');
    const jw = lastJson(w.stdout);
    expect(jw.data).toBe('wisdm');
    expect(jw.train_windows + jw.test_windows).toBe(5418);
    expect(jw.sequence_accuracy).toBeNull();
    expect(jw.tree_accuracy).toBeGreaterThan(0.75);
    const b = run([
      '--data',
      join(hapt, '../basicmotions'),
      '--quick',
      '--trials',
      '2',
      '--trees',
      '30',
      '--epochs',
      '20',
      '--out',
      mkdtempSync(join(tmpdir(), 'har-b-')),
    ]);
    expect(b.status, b.stderr).toBe(0);
    const jb = lastJson(b.stdout);
    expect(jb.data).toBe('basicmotions');
    expect(jb.test_windows).toBe(40);
    expect(jb.tree_accuracy).toBeGreaterThan(0.9);
    expect(jb.hierarchy_accuracy).toBeGreaterThan(0.9);
  });

  it('refuses unknown flags (exit 2) and a missing --data folder (exit 1) in one line', () => {
    const bad = run(['--bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--bogus'/);
    const range = run(['--synthetic', '--epochs', '0']);
    expect(range.status).toBe(2);
    expect(range.stderr).toMatch(/--epochs must be an integer in \[1, 1000\], got "0"/);
    const missing = run(['--data', '/nonexistent/har']);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/labels.txt not found \(expected uci-hapt-raw, wisdm-v1.1-transformed or basicmotions\)/);
  });
});

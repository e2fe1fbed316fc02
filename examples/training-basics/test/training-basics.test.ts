import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imputeMedians, splitTable } from '../src/split.js';
import { syntheticTables, wisdm } from '../src/tables.js';

const here = new URL('..', import.meta.url).pathname;
const shared = join(here, '../../../shared/data');
const haveShared = existsSync(join(shared, 'house-prices')) && existsSync(join(shared, 'har'));
if (!haveShared) console.warn(`real-data lesson skipped: ${shared} has no house-prices/ and har/`);
const run = (args: string[]) =>
  execFileSync(process.execPath, [join(here, 'dist', 'main.js'), ...args], {
    cwd: here,
    encoding: 'utf8',
    timeout: 600_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1) as string);

describe('training-basics', () => {
  it('splits by person when the table has people, and fills missing values from the training rows only', () => {
    const t = { ...(syntheticTables(1)[2] as ReturnType<typeof syntheticTables>[number]), groups: Array.from({ length: 2000 }, (_, i) => i % 10) };
    const s = splitTable(t, 3);
    const trainPeople = new Set(s.train.map((i) => t.groups[i]));
    expect(s.test.every((i) => !trainPeople.has(t.groups[i] as number))).toBe(true);
    expect(s.how).toBe('by person: 2 of 10 people held out');
    const X = [
      [1, Number.NaN],
      [3, 10],
      [5, 20],
      [Number.NaN, 30],
    ];
    expect(imputeMedians(X, [0, 1, 2])).toEqual({
      X: [
        [1, 20],
        [3, 10],
        [5, 20],
        [3, 30],
      ],
      filled: 2,
    });
  });

  it('runs the lesson on the built-in synthetic tables: three heads, four schedules, curves, gradient boosting beside', () => {
    const out = mkdtempSync(join(tmpdir(), 'tb-'));
    const stdout = run(['--synthetic', '--quick', '--epochs', '12', '--out', out]);
    for (const head of ['linear output + MSE', 'one sigmoid output + binary cross-entropy', 'softmax outputs + cross-entropy'])
      expect(stdout).toContain(`head: ${head}`);
    for (const s of ['constant', 'StepLR', 'cosine annealing', 'warm restarts'])
      expect(stdout.split('\n').filter((l) => l.startsWith(`| MLP, ${s}`))).toHaveLength(3);
    const m = lastJson(stdout);
    expect(m.data).toBe('synthetic');
    expect(m.regression_mlp_r2).toBeGreaterThan(0.85);
    expect(m.binary_mlp_auc).toBeGreaterThan(0.95);
    expect(m.multiclass_mlp_accuracy).toBeGreaterThan(0.7);
    for (const k of ['regression_gbm_rmse', 'binary_gbm_auc', 'multiclass_gbm_macro_f1']) expect(Number.isFinite(m[k])).toBe(true);
    for (const kind of ['regression', 'binary', 'multiclass'])
      expect(
        readFileSync(join(out, `curves-${kind}.png`))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
  });

  it('refuses bad flags with exit code 2 and a missing data folder with its path', () => {
    const bad = spawnSync(process.execPath, [join(here, 'dist', 'main.js'), '--epochs', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--epochs must be an integer in \[2, 10000\], got "x"/);
    const unknown = spawnSync(process.execPath, [join(here, 'dist', 'main.js'), '--bogus'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'/);
    const missing = spawnSync(process.execPath, [join(here, 'dist', 'main.js'), '--data', join(tmpdir(), 'no-such-data')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/--data: .*no-such-data.*kc_house_data.csv not found/);
  });

  it.skipIf(!haveShared)('reads WISDM as 5,418 windows of 43 features from 36 people with 615 missing values', () => {
    const t = wisdm(join(shared, 'har/wisdm-v1.1-transformed/WISDM_ar_v1.1_transformed.arff'));
    expect(t.X).toHaveLength(5418);
    expect(t.featureNames).toHaveLength(43);
    expect(new Set(t.groups).size).toBe(36);
    expect(t.classes).toEqual(['Downstairs', 'Jogging', 'Sitting', 'Standing', 'Upstairs', 'Walking']);
    expect(t.X.flat().filter(Number.isNaN)).toHaveLength(615);
  });

  it.skipIf(!haveShared)('runs the lesson on the real tables (quick): each MLP learns its task', () => {
    const m = lastJson(run(['--quick', '--epochs', '12', '--data', shared, '--out', mkdtempSync(join(tmpdir(), 'tb-real-'))]));
    expect(m.data).toBe('real');
    expect(m.regression_mlp_r2).toBeGreaterThan(0.75);
    expect(m.binary_mlp_auc).toBeGreaterThan(0.9);
    expect(m.multiclass_mlp_accuracy).toBeGreaterThan(0.55);
  });
});

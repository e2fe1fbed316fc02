import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const here = new URL('..', import.meta.url).pathname;
const real = join(here, '../../../shared/data/pokemon/Pokemon.csv');

/** Runs the example and returns its closing JSON line. */
function runExample(args: string[]): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'src/main.ts'), ...args], {
    cwd: here,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

describe('pokemon-legendary example', () => {
  it('on built-in data: five stratified folds, each fold AUC above chance, the mean matching the folds', () => {
    const m = runExample([]);
    const folds = m.auc_gbm_folds as number[];
    expect(folds).toHaveLength(5);
    for (const a of folds) expect(a).toBeGreaterThan(0.8);
    expect(m.auc_gbm as number).toBeCloseTo(folds.reduce((a, b) => a + b, 0) / folds.length, 12);
    expect(m.auc_rf as number).toBeGreaterThan(0.8);
  });

  it.skipIf(!existsSync(real))('on Pokemon.csv: 800 Pokemon, 65 legendary, CV ROC AUC above 0.95 for both models', () => {
    const m = runExample(['--data', real]);
    expect(m.rows).toBe(800);
    expect(m.legendary).toBe(65);
    expect(m.auc_gbm as number).toBeGreaterThan(0.95);
    expect(m.auc_rf as number).toBeGreaterThan(0.95);
  });

  it('names the file it cannot read', () => {
    expect(() => runExample(['--data', '/no/such/Pokemon.csv'])).toThrow(/no\/such\/Pokemon.csv/);
  });
});

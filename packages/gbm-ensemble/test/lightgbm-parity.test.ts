import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LightGBMModel } from '../src/index.js';
import { CASES, FIXTURE_DIR, type LightGBMCase, makeLightGBMFixtures } from './fixtures/lightgbm/make-fixtures.js';

// Models trained by the LightGBM 4.6.0 CLI and its own predictions (test/fixtures/lightgbm,
// remade by make-fixtures.ts): LightGBMModel must predict what LightGBM predicts, to 1e-6.
function expectParity(dir: string, name: string): void {
  const model = LightGBMModel.load(join(dir, `${name}.model.txt`));
  const c = JSON.parse(readFileSync(join(dir, `${name}.cases.json`), 'utf8')) as LightGBMCase;
  const X = c.rows.map((r) => r.map((v) => v ?? Number.NaN));
  const raw = model.predict(X, { rawScore: true });
  const pred = model.predict(X);
  expect(raw.length).toBe(c.raw.length);
  expect(pred.length).toBe(c.prediction.length);
  // Relative beyond 1: the squared-back regression and poisson predictions reach the tens.
  const worst = (ours: Float64Array, theirs: number[]) => Math.max(...theirs.map((v, i) => Math.abs((ours[i] as number) - v) / Math.max(1, Math.abs(v))));
  expect(worst(raw, c.raw), `${name}: raw scores`).toBeLessThan(1e-6);
  expect(worst(pred, c.prediction), `${name}: predictions`).toBeLessThan(1e-6);
}

describe('LightGBM parity: models trained by the LightGBM CLI', () => {
  for (const name of Object.keys(CASES)) it(`${name} predicts as LightGBM does`, () => expectParity(FIXTURE_DIR, name));

  it('the fixtures cover missing values, categories unseen in training and zero-as-missing splits', () => {
    const c = JSON.parse(readFileSync(join(FIXTURE_DIR, 'binary.cases.json'), 'utf8')) as LightGBMCase;
    expect(c.rows.some((r) => r[1] === null)).toBe(true);
    expect(c.rows.some((r) => r[2] === 9)).toBe(true);
    expect(c.rows.some((r) => r[2] === -1)).toBe(true);
    const zero = readFileSync(join(FIXTURE_DIR, 'poisson-zero-missing.model.txt'), 'utf8');
    // decision_type bits 2-3 hold the missing type; 1 (bit 2) is zero-as-missing.
    const types = [...zero.matchAll(/^decision_type=(.*)$/gm)].flatMap((m) => (m[1] as string).split(' ').map(Number));
    expect(types.some((t) => ((t >> 2) & 3) === 1)).toBe(true);
  });
});

// Where benchmarks/build-peers.sh built the CLI, the models are trained afresh, so a change in
// what LightGBM writes is caught, not only the stored fixtures.
const cli = process.env.LIGHTGBM_CLI ?? join(process.env.AIFFEL_PEERS_DIR ?? join(homedir(), '.cache', 'aiffel', 'peers'), 'lightgbm-4.6.0', 'lightgbm');
if (!existsSync(cli)) console.warn(`skipping the fresh LightGBM parity run: no CLI at ${cli} (bash benchmarks/build-peers.sh lightgbm builds it)`);
describe.skipIf(!existsSync(cli))('LightGBM parity: freshly trained by the CLI', () => {
  it('every case, trained now, predicts as LightGBM does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiffel-lgb-parity-'));
    try {
      makeLightGBMFixtures(cli, dir);
      for (const name of Object.keys(CASES)) expectParity(dir, name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

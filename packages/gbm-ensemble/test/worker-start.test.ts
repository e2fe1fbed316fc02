import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// A program run as `node --input-type=module -e` used to hand `--input-type` to the tree-growth
// workers, which died at start-up while the fit waited for them forever (0% CPU). A large
// prediction asks the same workers for help.
const dist = pathToFileURL(join(__dirname, '..', 'dist', 'index.js')).href;
const program = (threads: number): string => `
import { GradientBoostingClassifier } from ${JSON.stringify(dist)};
let s = 7;
const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
const X = [], y = [];
for (let i = 0; i < 80000; i++) { const r = [rand(), rand(), rand(), rand()]; X.push(r); y.push(r[0] + r[1] * r[2] > 0.6 ? 1 : 0); }
const m = await new GradientBoostingClassifier({ nEstimators: 16, nThreads: ${threads}, seed: 1 }).fit(X, y);
// All 80,000 rows x 16 trees: enough walks for the prediction helpers to be used too.
console.log(JSON.stringify(m.predictProba(X).slice(0, 50).map((p) => Math.round(p[1] * 1e6))));
`;

function run(threads: number): { stdout: string; stderr: string; status: number | null } {
  return spawnSync(process.execPath, ['--input-type=module', '-e', program(threads)], { encoding: 'utf8', timeout: 90_000 });
}

describe('worker start-up', () => {
  it('fits and predicts on two threads from `node --input-type=module -e` and gives the one-thread model', () => {
    const two = run(2);
    expect(two.status).toBe(0);
    expect(two.stderr).toBe('');
    const one = run(1);
    expect(one.status).toBe(0);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  });
});

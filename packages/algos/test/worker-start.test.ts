import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// A program run as `node --input-type=module -e` used to hand `--input-type` to the workers,
// which died at start-up; the call then rejected with Node's raw ERR_INPUT_TYPE_NOT_ALLOWED.
const dist = pathToFileURL(join(__dirname, '..', 'dist', 'index.js')).href;
const program = (threads: number): string => `
import { KMeans } from ${JSON.stringify(dist)};
let s = 11;
const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
const X = [];
for (let i = 0; i < 100000; i++) X.push([rand(), rand(), rand(), rand(), rand(), rand(), rand(), rand()]);
const km = await new KMeans({ nClusters: 8, seed: 3, threads: ${threads} }).fit(X);
console.log(JSON.stringify({ inertia: km.inertia, labels: Array.from(km.labels.subarray(0, 200)) }));
`;

function run(threads: number) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', program(threads)], { encoding: 'utf8', timeout: 90_000 });
}

describe('worker start-up', () => {
  it('runs on two threads from `node --input-type=module -e` and matches one thread', () => {
    const two = run(2);
    expect(two.stderr).toBe('');
    const one = run(1);
    expect(JSON.parse(two.stdout).labels).toEqual(JSON.parse(one.stdout).labels);
    expect(JSON.parse(two.stdout).inertia).toBeCloseTo(JSON.parse(one.stdout).inertia, 6);
  });
});

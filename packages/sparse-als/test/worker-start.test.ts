import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// A program run as `node --input-type=module -e` used to hand `--input-type` to the workers,
// which died at start-up; fit then rejected with Node's raw ERR_INPUT_TYPE_NOT_ALLOWED.
const dist = pathToFileURL(join(__dirname, '..', 'dist', 'index.js')).href;
const program = (threads: number): string => `
import { fromRecords, ImplicitALS } from ${JSON.stringify(dist)};
let s = 5;
const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
const rows = [];
for (let u = 0; u < 3000; u++) for (let k = 0; k < 20; k++) rows.push({ u, i: Math.floor(rand() * rand() * 2000), n: 1 + Math.floor(rand() * 5) });
const { matrix, users, items } = fromRecords(rows, { user: 'u', item: 'i', value: 'n' });
const m = await new ImplicitALS({ factors: 32, iterations: 3, seed: 1, threads: ${threads} }).fit(matrix, { users, items });
console.log(JSON.stringify(m.recommend(0, { n: 5 }).map((r) => r.id)));
`;

function run(threads: number) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', program(threads)], { encoding: 'utf8', timeout: 90_000 });
}

describe('worker start-up', () => {
  it('fits on two threads from `node --input-type=module -e` and recommends as on one thread', () => {
    const two = run(2);
    expect(two.stderr).toBe('');
    const one = run(1);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  });
});

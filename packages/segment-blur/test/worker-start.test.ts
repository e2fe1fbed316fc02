import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blurBackground } from '../src/index.js';

// A program run as `node --input-type=module -e` used to hand `--input-type` to the pixel
// worker, which died at start-up while blurBackground waited for its half for 120 s.
const scene = `
const w = 1024, h = 1024;
const data = new Uint8Array(w * h * 3);
for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
const mask = { data: new Float32Array(w * h).map((_, i) => (i % w > 300 && i % w < 700 ? 1 : 0)), width: w, height: h };
const image = { data, width: w, height: h, channels: 3, shape: [h, w, 3] };`;
const dist = pathToFileURL(join(__dirname, '..', 'dist', 'index.js')).href;
const program = `
import { createHash } from 'node:crypto';
import { blurBackground } from ${JSON.stringify(dist)};
${scene}
const out = blurBackground(image, mask, { mode: 'gaussian', radius: 12 });
console.log(createHash('sha256').update(out.data).digest('hex'));
`;

describe('worker start-up', () => {
  it('blurs a 1024x1024 image on two threads from `node --input-type=module -e`, as in-process', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    const { image, mask } = new Function(`${scene}; return { image, mask };`)();
    const out = blurBackground(image, mask, { mode: 'gaussian', radius: 12 });
    expect(r.stdout.trim()).toBe(createHash('sha256').update(out.data).digest('hex'));
  });
});

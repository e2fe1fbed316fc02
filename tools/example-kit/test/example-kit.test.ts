import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Each case runs a tiny CLI made with the kit in a child process: the kit exits, so it cannot run in-process.
const dir = mkdtempSync(join(tmpdir(), 'kit-'));
const script = join(dir, 'cli.mjs');
writeFileSync(
  script,
  `import { parseCli } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
const cli = parseCli({ name: 'demo', usage: 'usage: demo [--n N] [--data DIR]', options: { n: { type: 'string' }, data: { type: 'string' }, rate: { type: 'string' }, mode: { type: 'string' } } });
const n = cli.int('n', 1, 10, 3);
const rate = cli.number('rate', 0, 1, 0.5);
const mode = cli.choice('mode', ['fast', 'slow'], 'fast');
if (cli.values.rate !== undefined || cli.values.mode !== undefined) { console.log(JSON.stringify({ rate, mode })); process.exit(0); }
const data = cli.attempt(() => { if (cli.values.data === 'missing') throw new Error('missing/labels.txt not found'); return cli.values.data; });
console.log(JSON.stringify({ n, data }));`,
);
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

describe('parseCli', () => {
  it('parses integer flags with defaults and ranges', () => {
    expect(JSON.parse(run().stdout)).toEqual({ n: 3 });
    expect(JSON.parse(run('--data', 'here').stdout)).toEqual({ n: 3, data: 'here' });
    expect(JSON.parse(run('--n', '7').stdout)).toEqual({ n: 7 });
    for (const bad of ['0', '11', '2.5', 'x', '']) {
      const r = run('--n', bad);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`demo: --n must be an integer in [1, 10], got ${JSON.stringify(bad)}`);
      expect(r.stderr).toContain('usage: demo');
    }
  });

  it('parses number and choice flags, refusing what is out of range or not listed', () => {
    expect(JSON.parse(run('--rate', '1e-2').stdout)).toEqual({ rate: 0.01, mode: 'fast' });
    expect(JSON.parse(run('--mode', 'slow').stdout)).toEqual({ rate: 0.5, mode: 'slow' });
    for (const bad of ['-1', '2', 'NaN', 'Infinity', '', 'x']) {
      const r = run(`--rate=${bad}`);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`demo: --rate must be a number in [0, 1], got ${JSON.stringify(bad)}`);
    }
    const m = run('--mode', 'medium');
    expect(m.status).toBe(2);
    expect(m.stderr).toContain('demo: --mode must be one of fast, slow, got "medium"');
  });

  it('names an unknown flag (exit 2), prints the usage for --help (exit 0) and data errors in one line (exit 1)', () => {
    const u = run('--bogus');
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/demo: Unknown option '--bogus'/);
    const h = run('--help');
    expect(h.status).toBe(0);
    expect(h.stdout.trim()).toBe('usage: demo [--n N] [--data DIR]');
    const d = run('--data', 'missing');
    expect(d.status).toBe(1);
    expect(d.stderr.trim()).toBe('demo: missing/labels.txt not found');
  });
});

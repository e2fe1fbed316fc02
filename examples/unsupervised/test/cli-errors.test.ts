import { runExample } from '@aiffel/example-kit';
import { describe, expect, it } from 'vitest';

const here = new URL('..', import.meta.url).pathname;
const run = (args: string[]) => runExample(here, args, { timeoutMs: 120_000 });

describe('unsupervised command line', () => {
  it('exits 2 naming an unknown flag, and 1 naming a missing --data, without a stack trace', () => {
    const bogus = run(['--bogus']);
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toMatch(/^unsupervised: Unknown option '--bogus'/);
    expect(bogus.stderr).toContain('usage:');
    const missing = run(['--data', '/nonexistent-data']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^unsupervised: --data: \/nonexistent-data.*does not exist/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const k = run(['--k', '0']);
    expect(k.status).toBe(2);
    expect(k.stderr).toMatch(/^unsupervised: --k must be an integer in \[1, 10000\], got "0"/);
  });
});

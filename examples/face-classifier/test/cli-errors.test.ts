import { runExample } from '@aiffel/example-kit';
import { describe, expect, it } from 'vitest';

const here = new URL('..', import.meta.url).pathname;
const run = (args: string[]) => runExample(here, args, { timeoutMs: 120_000 });

describe('face-classifier command line', () => {
  it('exits 2 naming an unknown flag, and 1 naming a missing --data, without a stack trace', () => {
    const bogus = run(['--bogus']);
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toMatch(/^face-classifier: Unknown option '--bogus'/);
    expect(bogus.stderr).toContain('usage:');
    const missing = run(['--data', '/nonexistent-data']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^face-classifier: --data: \/nonexistent-data.*is not a folder \(expected one sub-folder of photos per class\)/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const copies = run(['--copies=-1']);
    expect(copies.status).toBe(2);
    expect(copies.stderr).toMatch(/^face-classifier: --copies must be an integer in \[0, 1000\], got "-1"/);
  });
});

import { runExample } from '@aiffel/example-kit';
import { describe, expect, it } from 'vitest';

const here = new URL('..', import.meta.url).pathname;
const run = (args: string[]) => runExample(here, args, { timeoutMs: 120_000 });

describe('house-prices command line', () => {
  it('exits 2 naming an unknown flag, and 1 naming a missing --data, without a stack trace', () => {
    const bogus = run(['--bogus']);
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toMatch(/^house-prices: Unknown option '--bogus'/);
    expect(bogus.stderr).toContain('usage:');
    const missing = run(['--data', '/nonexistent-data']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^house-prices: --data: \/nonexistent-data.*is not a file \(expected kc_house_data.csv\)/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const trials = run(['--trials', '0']);
    expect(trials.status).toBe(2);
    expect(trials.stderr).toMatch(/^house-prices: --trials must be an integer in \[1, 500\], got "0"/);
  });
});

import { runExample } from '@aiffel/example-kit';
import { describe, expect, it } from 'vitest';

const here = new URL('..', import.meta.url).pathname;
const run = (args: string[]) => runExample(here, args, { timeoutMs: 120_000 });

describe('vgg-cifar10 command line', () => {
  it('exits 2 naming an unknown flag, and 1 naming a missing --data, without a stack trace', () => {
    const bogus = run(['--bogus']);
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toMatch(/^vgg-cifar10: Unknown option '--bogus'/);
    expect(bogus.stderr).toContain('usage:');
    const missing = run(['--data', '/nonexistent-data']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^vgg-cifar10: --data: \/nonexistent-data.*is not a folder \(expected the cifar10\/png-batches folder\)/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    for (const [args, message] of [
      [['--compare', 'A,F'], /--compare takes configurations from A, A-LRN, B, C, D, E separated by commas, got "A,F"/],
      [['--compare', 'A,a'], /--compare lists a configuration twice/],
      [['--width', '2'], /--width must be a number in \[0.001, 1\], got "2"/],
      [['--epochs', '0'], /--epochs must be an integer in \[1, 10000\], got "0"/],
    ] as [string[], RegExp][]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

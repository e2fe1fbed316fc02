import { defineConfig } from 'vitest/config';

/**
 * The one vitest setup of every workspace (packages, examples, tools): each vitest.config.ts is
 * `export default suiteConfig()`, with an option only where a suite needs another setting.
 *
 * - Timeouts are sized for a busy machine: CI runs every suite at once on 2 cores, and a test that
 *   is correct must not fail because a neighbour is training. 600 s unless a suite says more.
 * - `forks`: tfjs, sharp and our WebAssembly engines keep process-wide state; a fork per file
 *   isolates it (worker threads would share it).
 * - The JSON report is what `.ci/sum-results.mjs` adds up into CI's closing line.
 */
export function suiteConfig(options: { timeoutMs?: number; fileParallelism?: boolean } = {}) {
  const timeout = options.timeoutMs ?? 600_000;
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: timeout,
      hookTimeout: timeout,
      pool: 'forks',
      ...(options.fileParallelism === false ? { fileParallelism: false } : {}),
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest-results/results.json' },
    },
  });
}

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Sized for a busy machine: CI runs every suite at once on 2 cores.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results/results.json' },
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end runs train the five-model vote and a stack: a minute alone, several times that
    // while CI runs every suite at once on 2 cores.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results/results.json' },
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The example trains forests, boosters and an LSTM: sized for a busy 2-core machine running other suites beside it.
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results/results.json' },
  },
});

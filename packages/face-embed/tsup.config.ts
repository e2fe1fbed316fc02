import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'pool-task': 'src/embed/pool-task.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  shims: true,
  splitting: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});

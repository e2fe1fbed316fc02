import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'train-task': 'src/training/parallel-task.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  shims: true,
  splitting: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});

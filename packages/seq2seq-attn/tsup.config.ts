import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'train-task': 'src/model/train-task.ts', 'sequence-task': 'src/classify/sequence-task.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  shims: true,
  splitting: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});

import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'train-task': 'src/model/train-task.ts', 'sequence-task': 'src/classify/sequence-task.ts' },
  format: ['esm', 'cjs'],
  // Our declarations use Node's types (Buffer): the reference makes them resolve for a consumer
  // whose tsconfig lists no "types", and @types/node is a dependency.
  dts: { banner: '/// <reference types="node" />' },
  shims: true,
  splitting: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});

import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'pool-worker': 'src/pool/pool-worker.ts' },
  format: ['esm', 'cjs'],
  // Our declarations use Node's types (Buffer, worker_threads): the reference makes them resolve
  // for a consumer whose tsconfig lists no "types", and @types/node is a dependency.
  dts: { entry: { index: 'src/index.ts' }, banner: '/// <reference types="node" />' },
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
  splitting: false,
});

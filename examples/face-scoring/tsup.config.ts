import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/main.ts', 'score-task': 'src/engine/score-task.ts' },
  format: ['esm'],
  target: 'node20',
  clean: true,
  splitting: false,
});

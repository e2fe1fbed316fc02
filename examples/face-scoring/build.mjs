// Builds the server (tsup: dist/main.js and the worker task dist/score-task.js) and the page
// (esbuild: src/page/app.ts bundled to dist/page/app.js, with the HTML and CSS copied beside it).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

execFileSync('npx', ['tsup'], { stdio: 'inherit' });
mkdirSync('dist/page', { recursive: true });
await build({
  entryPoints: ['src/page/app.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  outfile: 'dist/page/app.js',
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(`src/page/${f}`, `dist/page/${f}`);

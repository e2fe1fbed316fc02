import { readFileSync } from 'node:fs';
import { packageFile } from '@aiffel/runtime';

export interface Asset {
  body: Buffer;
  type: string;
}

const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/**
 * The page's three files, read once at start-up into memory from dist/page/. Requests are matched
 * against this fixed table: no part of a URL ever becomes a file-system path.
 */
export function loadPageAssets(): Map<string, Asset> {
  const out = new Map<string, Asset>();
  for (const [route, name] of Object.entries(PAGE_FILES)) {
    const file = packageFile(import.meta.url, `page/${name}`);
    if (file === undefined) throw new Error(`examples/face-scoring: dist/page/${name} is missing; build the example (npm run build)`);
    out.set(route, { body: readFileSync(file), type: TYPES[name.split('.').pop() as string] as string });
  }
  return out;
}

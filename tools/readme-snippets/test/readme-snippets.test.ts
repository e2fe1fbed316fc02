import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { quickStart, readSnippets, runSnippet } from '../src/snippets.js';

const here = new URL('..', import.meta.url).pathname;
const root = join(here, '..', '..');
// Snippets are written inside the repository so that `@aiffel/*` imports resolve to the built
// workspace packages exactly as they would from a user's project.
const runDir = join(here, '.run');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const readmes = readdirSync(join(root, 'packages'))
  .map((p) => join(root, 'packages', p, 'README.md'))
  .filter(existsSync);

describe('the conventions', () => {
  it('reads setup comments and skips, and only js / ts blocks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snip-'));
    const md = join(dir, 'README.md');
    writeFileSync(
      md,
      [
        '# x',
        '<!-- snippet-setup',
        'const rows = [1];',
        '-->',
        '```js',
        'console.log(rows);',
        '```',
        '```sh',
        'npm i',
        '```',
        '<!-- snippet-skip: an excerpt -->',
        '```ts',
        'f(x);',
        '```',
      ].join('\n'),
    );
    expect(readSnippets(md)).toEqual([
      { readme: md, index: 1, line: 5, lang: 'js', code: 'console.log(rows);', setup: 'const rows = [1];' },
      { readme: md, index: 2, line: 12, lang: 'ts', code: 'f(x);', setup: '', skip: 'an excerpt' },
    ]);
  });
});

for (const readme of readmes) {
  const pkg = basename(dirname(readme));
  describe(`packages/${pkg}/README.md`, () => {
    const snippets = readSnippets(readme);
    const first = quickStart(snippets);
    for (const s of snippets) {
      const title = `block ${s.index} (line ${s.line}) runs as written`;
      if (s.skip !== undefined) {
        it.skip(`${title}: skipped, ${s.skip}`, () => {});
        continue;
      }
      // The quick start runs once, from the npm tarball (packed.test.ts): the stricter place.
      if (s === first) {
        it.skip(`${title}: the quick start, run from the packed tarball by packed.test.ts`, () => {});
        continue;
      }
      it(title, () => {
        const r = runSnippet(s, runDir, `${pkg}-${s.index}`, tsx);
        expect(r.status, `${readme}:${s.line}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`).toBe(0);
      });
    }
  });
}

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickStart, readSnippets, runSnippet } from '../src/snippets.js';

// What a user gets from npm: every package packed (`npm pack`: only the files its "files" field
// ships), installed together into a fresh project outside the monorepo, then each README's quick
// start run there, and each package required from CommonJS. A file missing from a tarball, a
// dependency used but not declared, or an internal version range npm cannot satisfy fails here.
const here = new URL('..', import.meta.url).pathname;
const root = join(here, '..', '..');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const packages = readdirSync(join(root, 'packages')).filter((p) => existsSync(join(root, 'packages', p, 'package.json')));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let project = '';

beforeAll(() => {
  const packs = mkdtempSync(join(tmpdir(), 'aiffel-packs-'));
  for (const p of packages) execFileSync(npm, ['pack', '--pack-destination', packs, '--silent'], { cwd: join(root, 'packages', p), stdio: 'pipe' });
  project = mkdtempSync(join(tmpdir(), 'aiffel-consumer-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The READMEs' fixtures read face-api's sample photos, as a user following them would install it.
  const tarballs = readdirSync(packs).map((f) => join(packs, f));
  // --prefer-offline: the npm cache of `npm ci` serves almost everything; the registry the rest.
  execFileSync(npm, ['install', ...tarballs, '@vladmandic/face-api@1.7.15', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    stdio: 'pipe',
    timeout: 280_000,
  });
}, 600_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed packages, installed outside the monorepo', () => {
  it('installs every package from its tarball, with its internal dependencies resolved among them', () => {
    const installed = readdirSync(join(project, 'node_modules', '@aiffel')).sort();
    expect(installed).toEqual(packages.sort());
    for (const p of packages) {
      const files = readdirSync(join(project, 'node_modules', '@aiffel', p));
      expect(files, p).toContain('LICENSE');
      expect(files, p).toContain('README.md');
      expect(files, p).toContain('dist');
      expect(files, p).not.toContain('src');
    }
  });

  for (const p of packages) {
    it(`@aiffel/${p} loads from CommonJS and from an ES module`, () => {
      const cjs = spawnSync(process.execPath, ['-e', `const m = require('@aiffel/${p}'); if (Object.keys(m).length === 0) process.exit(3);`], {
        cwd: project,
        encoding: 'utf8',
      });
      expect(cjs.status, cjs.stderr).toBe(0);
      const esm = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import('@aiffel/${p}'); if (Object.keys(m).length === 0) process.exit(3);`],
        {
          cwd: project,
          encoding: 'utf8',
        },
      );
      expect(esm.status, esm.stderr).toBe(0);
    });

    const readme = join(root, 'packages', p, 'README.md');
    const first = existsSync(readme) ? quickStart(readSnippets(readme)) : undefined;
    if (!first) continue;
    it(`@aiffel/${p}: the README's quick start (line ${first.line}) runs in the fresh project`, () => {
      const r = runSnippet(first, join(project, 'quick-starts'), basename(dirname(readme)), tsx);
      expect(r.status, `${readme}:${first.line}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`).toBe(0);
    });
  }
});

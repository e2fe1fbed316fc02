import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// One import of each package's main export, as a user's project would write it.
const IMPORTS: Record<string, string> = {
  '@aiffel/algos': 'KMeans',
  '@aiffel/core': 'startWorker',
  '@aiffel/gbm-ensemble': 'GradientBoostingClassifier',
  '@aiffel/sparse-als': 'ImplicitALS',
  '@aiffel/runtime': 'Trainer',
  '@aiffel/face-embed': 'FaceEmbedder',
  '@aiffel/segment-blur': 'portrait',
  '@aiffel/seq2seq-attn': 'Seq2Seq',
  '@aiffel/vgg': 'vgg',
};
// Packages whose declarations pull in tfjs-layers, whose own .d.ts needs skipLibCheck (not ours to fix).
const TFJS = new Set(['@aiffel/runtime', '@aiffel/face-embed', '@aiffel/segment-blur', '@aiffel/seq2seq-attn', '@aiffel/vgg']);

const here = new URL('..', import.meta.url).pathname;
const tsc = join(here, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

function check(
  name: string,
  pkgs: string[],
  skipLibCheck: boolean,
  setting: { module: string; moduleResolution: string; ext: 'ts' | 'mts' | 'cts' },
  types: string[] = ['node'],
) {
  // Inside the workspace, so `@aiffel/*` resolves through node_modules to the built packages.
  const dir = join(here, '.run', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // One consumer file per package, so an error names the package it is about.
  const files = pkgs.map((pkg, i) => {
    const symbol = IMPORTS[pkg] as string;
    const code =
      setting.ext === 'cts'
        ? `import pkg${i} = require('${pkg}');\nconst used: unknown = pkg${i}.${symbol};\nexport = used;\n`
        : `import { ${symbol} } from '${pkg}';\nexport const used: unknown = ${symbol};\n`;
    const file = `${pkg.slice(8)}.${setting.ext}`;
    writeFileSync(join(dir, file), code);
    return file;
  });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: setting.module,
        moduleResolution: setting.moduleResolution,
        target: 'ES2022',
        strict: true,
        noEmit: true,
        types,
        skipLibCheck,
      },
      files,
    }),
  );
  const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', timeout: 240_000 });
  return `${r.stdout}${r.stderr}`.trim();
}

const SETTINGS = {
  'node16 ESM': { module: 'node16', moduleResolution: 'node16', ext: 'mts' },
  'node16 CommonJS': { module: 'node16', moduleResolution: 'node16', ext: 'cts' },
  'nodenext ESM': { module: 'nodenext', moduleResolution: 'nodenext', ext: 'mts' },
  'nodenext CommonJS': { module: 'nodenext', moduleResolution: 'nodenext', ext: 'cts' },
  bundler: { module: 'esnext', moduleResolution: 'bundler', ext: 'ts' },
} as const;

const GROUPS: [string, string[], boolean][] = [
  ['the dependency-free packages (declarations checked too)', Object.keys(IMPORTS).filter((p) => !TFJS.has(p)), false],
  ["the tfjs packages (skipLibCheck: tfjs-layers' own declarations need it)", [...TFJS], true],
];

for (const [label, setting] of Object.entries(SETTINGS)) {
  describe(`a consumer under ${label}`, () => {
    for (const [group, pkgs, skipLibCheck] of GROUPS) {
      it(`type-checks ${group}: ${pkgs.join(', ')}`, () => {
        expect(check(`${label.replace(/\s+/g, '-')}-${skipLibCheck ? 'tfjs' : 'plain'}`, pkgs, skipLibCheck, setting)).toBe('');
      });
    }
  });
}

// A consumer whose tsconfig lists no "types" (so no global @types are included): our declarations
// must bring Node's types themselves (a reference directive, with @types/node a dependency).
describe('a consumer with "types": [] in its tsconfig', () => {
  for (const [label, setting] of [
    ['node16 ESM', SETTINGS['node16 ESM']],
    ['node16 CommonJS', SETTINGS['node16 CommonJS']],
  ] as const)
    for (const [group, pkgs, skipLibCheck] of GROUPS)
      it(`type-checks ${group} under ${label}`, () => {
        expect(check(`no-types-${label.replace(/\s+/g, '-')}-${skipLibCheck ? 'tfjs' : 'plain'}`, pkgs, skipLibCheck, setting, [])).toBe('');
      });
});

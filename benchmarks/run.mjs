#!/usr/bin/env node
// `npm run bench -- <name> [args]`: builds the packages, then runs benchmarks/src/<name>.bench.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const names = readdirSync(join(here, 'src'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const [name, ...rest] = process.argv.slice(2);
if (name === undefined || !names.includes(name)) {
  console.error(`usage: npm run bench -- <name> [args]\nbenchmarks: ${names.join(', ')}`);
  process.exit(1);
}
const build = spawnSync('npx', ['turbo', 'run', 'build', '--filter=@aiffel/benchmarks...', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit', env });
if (build.status !== 0) process.exit(build.status ?? 1);
const tsx = join(root, 'node_modules', '.bin', 'tsx');
if (!existsSync(tsx)) {
  console.error('tsx is not installed: run npm ci at the repository root');
  process.exit(1);
}
const r = spawnSync(tsx, [join(here, 'src', `${name}.bench.ts`), ...rest], { cwd: root, stdio: 'inherit', env });
process.exit(r.status ?? 1);

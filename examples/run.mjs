#!/usr/bin/env node
// `npm run example -- <name> [args]`: builds examples/<name> and what it depends on, then runs it.
// `npm run demo` (`--all`): every example on its default data, in its quick setting.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const examples = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'package.json')))
  .map((d) => d.name)
  .sort();

function run(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env });
  return r.status ?? 1;
}

function build(filter) {
  const status = run('npx', ['turbo', 'run', 'build', `--filter=${filter}...`, '--output-logs=errors-only']);
  if (status !== 0) process.exit(status);
}

const [name, ...rest] = process.argv.slice(2);
if (name === undefined || name === '--help') {
  console.log(`usage: npm run example -- <name> [args]\nexamples: ${examples.join(', ')}`);
  process.exit(name === undefined ? 1 : 0);
}

if (name === '--all') {
  build('./examples/*');
  const failed = [];
  for (const ex of examples) {
    console.log(`\n=== ${ex} ===`);
    const pkg = JSON.parse(readFileSync(join(here, ex, 'package.json'), 'utf8'));
    if (!pkg.scripts?.demo) continue;
    if (run('npm', ['run', '--silent', 'demo'], join(here, ex)) !== 0) failed.push(ex);
  }
  console.log(`\ndemo: ${examples.length - failed.length} of ${examples.length} examples ran${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
  process.exit(failed.length ? 1 : 0);
}

if (!examples.includes(name)) {
  console.error(`unknown example ${JSON.stringify(name)}; examples: ${examples.join(', ')}`);
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(join(here, name, 'package.json'), 'utf8'));
build(pkg.name);
process.exit(run('node', [join(here, name, 'dist', 'main.js'), ...rest]));

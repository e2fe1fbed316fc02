import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The published entry points, loaded the way users load them: require() and import of the package.
function runNode(args: string[]): string {
  const r = spawnSync(process.execPath, args, { cwd: __dirname, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n').at(-1) ?? '';
}

const body = `rt.ready().then((info) => {
  const t = rt.tf.matMul(rt.tf.ones([2, 2]), rt.tf.ones([2, 3]));
  console.log(JSON.stringify({ backend: info.backend, values: Array.from(t.dataSync()) }));
});`;

describe('package entry points', () => {
  it('works through require() (CommonJS build)', () => {
    const out = JSON.parse(runNode(['-e', `const rt = require('@aiffel/runtime');\n${body}`]));
    expect(out).toEqual({ backend: 'wasm', values: [2, 2, 2, 2, 2, 2] });
  });

  it('works through import (ES module build)', () => {
    const out = JSON.parse(runNode(['--input-type=module', '-e', `import * as rt from '@aiffel/runtime';\n${body}`]));
    expect(out).toEqual({ backend: 'wasm', values: [2, 2, 2, 2, 2, 2] });
  });
});

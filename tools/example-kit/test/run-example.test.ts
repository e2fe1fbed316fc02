import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExample, runExampleJson } from '../src/run-example.js';

const echo = join(new URL('.', import.meta.url).pathname, 'fixtures/echo-example');

describe('runExample', () => {
  it('runs src/main.ts in the example folder and returns the closing JSON line', () => {
    const out = runExampleJson(echo, ['--seed', '0']);
    expect(out.args).toEqual(['--seed', '0']);
    expect(out.cwd).toBe(echo.replace(/\/$/, ''));
  });

  it('says how a failed run ended instead of parsing it', () => {
    const r = runExample(echo, ['--fail']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--fail given');
    expect(() => runExampleJson(echo, ['--fail'])).toThrow(/exited with status 1: echo-example: --fail given/);
    expect(() => runExampleJson(echo, ['--no-json'])).toThrow(/did not end with a JSON line; its last line was "done"/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile } from '../src/index.js';

describe('readJsonFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aiffel-json-'));
  it('parses a file and names it in every error', async () => {
    writeFileSync(join(dir, 'ok.json'), '{"a": [1, 2]}');
    expect(await readJsonFile(join(dir, 'ok.json'))).toEqual({ a: [1, 2] });
    writeFileSync(join(dir, 'cut.json'), '{"a": [1, 2');
    await expect(readJsonFile(join(dir, 'cut.json'), { what: 'Model.load' })).rejects.toThrow(
      /^Model\.load: .*cut\.json is not valid JSON \(a truncated or edited file\?\): /,
    );
    await expect(readJsonFile(join(dir, 'missing.json'))).rejects.toThrow(/readJsonFile: cannot read .*missing\.json: ENOENT/);
    await expect(readJsonFile(join(dir, 'ok.json'), { maxBytes: 4 })).rejects.toThrow(/ok\.json is 13 bytes, more than the 4 this file can be/);
  });
});

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../src/index.js';

describe('writeFileAtomic', () => {
  it('replaces a file whole, and concurrent writers into one folder each land a whole file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'model.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    const payloads = Array.from({ length: 12 }, (_, i) => String(i).repeat(50_000 + i));
    await Promise.all(payloads.map((p) => writeFileAtomic(path, p)));
    expect(payloads).toContain(readFileSync(path, 'utf8'));
    writeFileAtomicSync(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    // No temporary file is left behind.
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('leaves the old file and no temporary file when the write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    // A folder where the file should go: the rename fails after the data was written.
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'mine');
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(() => writeFileAtomicSync(target, 'data')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('mine');
    // A writer that fails half-way (a full disk, say): the old file stays whole.
    const path = join(dir, 'ck.bin');
    await writeFileAtomic(path, async (write) => {
      await write(new Uint8Array([1, 2]));
      await write(new Uint8Array([3]));
    });
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    await expect(
      writeFileAtomic(path, async (write) => {
        await write(new Uint8Array([9, 9]));
        throw new Error('ENOSPC: no space left on device');
      }),
    ).rejects.toThrow(/ENOSPC/);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['ck.bin', 'taken']);
    await expect(writeFileAtomic(join(dir, 'missing', 'x.json'), 'data')).rejects.toThrow(/ENOENT/);
    expect(() => writeFileAtomicSync(join(dir, 'missing', 'x.json'), 'data')).toThrow(/ENOENT/);
  });
});

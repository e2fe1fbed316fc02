import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A temporary name beside `path`: same folder (so the rename is atomic), unique per call (so
 * concurrent saves into one folder never share it), hidden and marked `.tmp`.
 */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Writes a file in pieces (large checkpoints), so they need not be joined into one buffer first. */
export type ChunkWriter = (write: (chunk: Uint8Array) => Promise<void>) => Promise<void>;

/**
 * Writes `data` (or what a ChunkWriter writes) to `path` so that a reader sees the old file or
 * the new one, never half of one: a uniquely named temporary file in the same folder, flushed to
 * disk, then renamed over `path`. On any failure (a full disk, a missing folder) the temporary
 * file is removed, the old file is untouched and the error is rethrown.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array | ChunkWriter): Promise<void> {
  const tmp = tempName(path);
  const fh = await open(tmp, 'wx');
  try {
    if (typeof data === 'function')
      await data(async (chunk) => {
        await fh.write(chunk);
      });
    else await fh.writeFile(bytesOf(data));
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The synchronous twin of `writeFileAtomic`, for APIs whose save is synchronous. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempName(path);
  const fd = openSync(tmp, 'wx');
  let closed = false;
  try {
    const bytes = bytesOf(data);
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(tmp, path);
  } catch (e) {
    if (!closed) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

import { open } from 'node:fs/promises';
import { writeFileAtomic } from '@aiffel/core';
import { rangeError } from '../errors.js';

/** One float32 array of a checkpoint (a weight, an optimizer slot, a best-weights copy). */
export interface CheckpointArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

const MAGIC = 'AIFFELCK';
const VERSION = 1;
const MAX_HEADER = 16 * 2 ** 20;

/**
 * Writes `header` (JSON) and `arrays` (float32) to `path` through a uniquely named temporary file
 * in the same folder, then renames it: a crash or a full disk leaves the previous checkpoint whole,
 * and concurrent writers never share a temporary name.
 * Layout: "AIFFELCK", u32 version, u32 header bytes, header JSON (with each array's name, shape
 * and length), zero padding to 4 bytes, then the arrays' float32 values little-endian.
 */
export async function writeCheckpoint(path: string, header: Record<string, unknown>, arrays: CheckpointArray[]): Promise<void> {
  const meta = arrays.map((a) => ({ name: a.name, shape: a.shape, length: a.data.length }));
  const json = Buffer.from(JSON.stringify({ ...header, arrays: meta }), 'utf8');
  const pad = (4 - ((16 + json.length) % 4)) % 4;
  const head = Buffer.alloc(16 + json.length + pad);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(VERSION, 8);
  head.writeUInt32LE(json.length, 12);
  json.copy(head, 16);
  await writeFileAtomic(path, async (write) => {
    await write(head);
    for (const a of arrays) await write(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  });
}

/** Reads a checkpoint written by `writeCheckpoint`, checking every size against the file. */
export async function readCheckpoint(path: string): Promise<{ header: Record<string, unknown>; arrays: CheckpointArray[] }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const fixed = Buffer.alloc(16);
    if (size < 16 || (await fh.read(fixed, 0, 16, 0)).bytesRead !== 16 || fixed.toString('latin1', 0, 8) !== MAGIC)
      throw new Error(`${path} is not an @aiffel training checkpoint`);
    const version = fixed.readUInt32LE(8);
    if (version !== VERSION) throw rangeError(`${path} version`, String(VERSION), version);
    const headerBytes = fixed.readUInt32LE(12);
    if (headerBytes > MAX_HEADER || 16 + headerBytes > size)
      throw rangeError(`${path} header size`, `at most ${Math.min(MAX_HEADER, size - 16)} bytes`, headerBytes);
    const json = Buffer.alloc(headerBytes);
    await fh.read(json, 0, headerBytes, 16);
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(json.toString('utf8'));
    } catch (e) {
      throw new Error(`${path}: the checkpoint header is not valid JSON (${(e as Error).message})`);
    }
    const meta = header.arrays;
    if (!Array.isArray(meta)) throw rangeError(`${path} arrays`, 'a list', meta);
    let at = 16 + headerBytes + ((4 - ((16 + headerBytes) % 4)) % 4);
    const arrays: CheckpointArray[] = [];
    for (const [i, m] of meta.entries()) {
      const { name, shape, length } = m as { name: unknown; shape: unknown; length: unknown };
      if (
        typeof name !== 'string' ||
        !Array.isArray(shape) ||
        !shape.every((d) => Number.isInteger(d) && d >= 0) ||
        shape.reduce((a: number, b: number) => a * b, 1) !== length
      )
        throw rangeError(`${path} arrays[${i}]`, '{ name, shape, length } with length = product of shape', m);
      if (at + (length as number) * 4 > size) throw rangeError(`${path} size`, `at least ${at + (length as number) * 4} bytes (the file is truncated)`, size);
      const data = new Float32Array(length as number);
      await fh.read(new Uint8Array(data.buffer), 0, data.byteLength, at);
      at += data.byteLength;
      arrays.push({ name, shape: shape as number[], data });
    }
    if (at !== size) throw rangeError(`${path} size`, `${at} bytes`, size);
    delete header.arrays;
    return { header, arrays };
  } finally {
    await fh.close();
  }
}
